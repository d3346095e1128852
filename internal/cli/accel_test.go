package cli

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/globalaccelerator"
	gatypes "github.com/aws/aws-sdk-go-v2/service/globalaccelerator/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"

	gaapi "github.com/meridian-gtm/meridian/internal/api/globalaccel"
	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/store/boltstore"
)

// accelServer is the real Global Accelerator API over a real control plane,
// reporting every endpoint healthy except those in unhealthy. It returns a
// Route 53 client for the server (what a Runner holds) and a Global
// Accelerator client to set things up with.
func accelServer(t *testing.T, unhealthy map[string]bool) (*route53.Client, *globalaccelerator.Client) {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "meridian.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	svc := control.New(control.Config{Store: st}).Accelerators(control.AcceleratorConfig{})
	health := func(id string) (string, string) {
		if unhealthy[id] {
			return "UNHEALTHY", "Failure: connection refused"
		}
		return "HEALTHY", ""
	}
	srv := httptest.NewServer(gaapi.NewHandler(svc, auth.Credentials{"AKIDACCEL": "accel-secret"}, slog.New(slog.DiscardHandler), health))
	t.Cleanup(srv.Close)
	creds := credentials.NewStaticCredentialsProvider("AKIDACCEL", "accel-secret", "")
	r53 := route53.New(route53.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: creds, HTTPClient: srv.Client(), RetryMaxAttempts: 1})
	ga := globalaccelerator.New(globalaccelerator.Options{Region: "us-west-2", BaseEndpoint: aws.String(srv.URL), Credentials: creds, HTTPClient: srv.Client(), RetryMaxAttempts: 1})
	return r53, ga
}

func TestAccelListAndDescribe(t *testing.T) {
	ctx := context.Background()
	unhealthy := map[string]bool{}
	r53, ga := accelServer(t, unhealthy)

	code, out, errOut := runWith(r53, "accel", "list")
	if code != 0 || strings.TrimSpace(out) != "NAME  STATUS  ENABLED  DNS NAME  ADDRESSES  ARN" {
		t.Fatalf("empty list: exit %d\n%s%s", code, out, errOut)
	}

	var arns []string
	for _, name := range []string{"web", "api"} {
		acc, err := ga.CreateAccelerator(ctx, &globalaccelerator.CreateAcceleratorInput{Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, aws.ToString(acc.Accelerator.AcceleratorArn))
	}
	if _, err := ga.UpdateAccelerator(ctx, &globalaccelerator.UpdateAcceleratorInput{AcceleratorArn: aws.String(arns[1]), Enabled: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	lis, err := ga.CreateListener(ctx, &globalaccelerator.CreateListenerInput{AcceleratorArn: aws.String(arns[0]), Protocol: gatypes.ProtocolTcp,
		ClientAffinity: gatypes.ClientAffinitySourceIp,
		PortRanges:     []gatypes.PortRange{{FromPort: aws.Int32(80), ToPort: aws.Int32(80)}, {FromPort: aws.Int32(8000), ToPort: aws.Int32(8099)}}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := ga.CreateEndpointGroup(ctx, &globalaccelerator.CreateEndpointGroupInput{ListenerArn: lis.Listener.ListenerArn, EndpointGroupRegion: aws.String("eu-west-1"),
		TrafficDialPercentage: aws.Float32(50), HealthCheckProtocol: gatypes.HealthCheckProtocolHttp, HealthCheckPath: aws.String("/ready"),
		PortOverrides: []gatypes.PortOverride{{ListenerPort: aws.Int32(80), EndpointPort: aws.Int32(9080)}},
		EndpointConfigurations: []gatypes.EndpointConfiguration{
			{EndpointId: aws.String("192.0.2.1"), Weight: aws.Int32(200), ClientIPPreservationEnabled: aws.Bool(true)},
			{EndpointId: aws.String("192.0.2.2:8443")},
		}})
	if err != nil {
		t.Fatal(err)
	}
	unhealthy[globalaccel.HealthCheckID(aws.ToString(g.EndpointGroup.EndpointGroupArn), "192.0.2.2:8443")] = true
	if _, err := ga.CreateListener(ctx, &globalaccelerator.CreateListenerInput{AcceleratorArn: aws.String(arns[0]), Protocol: gatypes.ProtocolUdp,
		PortRanges: []gatypes.PortRange{{FromPort: aws.Int32(53), ToPort: aws.Int32(53)}}}); err != nil {
		t.Fatal(err)
	}

	code, out, errOut = runWith(r53, "accel", "list")
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("list:\n%s", out)
	}
	for i, want := range [][]string{{"web", "DEPLOYED", "yes"}, {"api", "DEPLOYED", "no"}} {
		f := columns.Split(lines[i+1], -1)
		if len(f) != 6 || f[0] != want[0] || f[1] != want[1] || f[2] != want[2] || !strings.HasSuffix(f[3], ".awsglobalaccelerator.com") ||
			strings.Count(f[4], ",") != 1 || f[5] != arns[i] {
			t.Errorf("row %d: %q, want %v", i, f, want)
		}
	}

	code, out, errOut = runWith(r53, "accel", "describe", arns[0])
	if code != 0 {
		t.Fatalf("describe: exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"accelerator      " + arns[0],
		"name             web",
		"status           DEPLOYED, enabled",
		"ip address type  IPV4",
		"flow logs        off",
		"listener " + aws.ToString(lis.Listener.ListenerArn),
		"  TCP ports 80, 8000-8099, client affinity SOURCE_IP",
		"  endpoint group eu-west-1  " + aws.ToString(g.EndpointGroup.EndpointGroupArn),
		"    traffic dial 50%, health check HTTP port 80 path /ready every 30s, threshold 3",
		"    port overrides 80->9080",
		"    endpoint 192.0.2.1       weight 200  HEALTHY  client IP preserved",
		"    endpoint 192.0.2.2:8443  weight 128  UNHEALTHY (Failure: connection refused)",
		"  UDP ports 53, client affinity NONE",
		"  no endpoint groups",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("describe output lacks %q:\n%s", want, out)
		}
	}

	code, _, errOut = runWith(r53, "accel", "describe", arns[0][:len(arns[0])-12]+"000000000000")
	if code != 1 || !strings.Contains(errOut, "meridian: accel describe: AcceleratorNotFoundException: Accelerator ") {
		t.Errorf("unknown accelerator: exit %d: %s", code, errOut)
	}
	code, _, errOut = runWith(r53, "accel", "describe")
	if code != 2 || !strings.Contains(errOut, "missing ARN") {
		t.Errorf("no ARN: exit %d: %s", code, errOut)
	}
}

// TestAccelNeedsEndpoint: a client without an endpoint would call AWS; the
// accel commands refuse instead.
func TestAccelNeedsEndpoint(t *testing.T) {
	c := route53.New(route53.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("a", "b", "")})
	code, _, errOut := runWith(c, "accel", "list")
	if code != 1 || !strings.Contains(errOut, "no Meridian endpoint") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
