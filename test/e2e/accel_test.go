package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ga "github.com/aws/aws-sdk-go-v2/service/globalaccelerator"
	gatypes "github.com/aws/aws-sdk-go-v2/service/globalaccelerator/types"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"
)

// tcpBackend answers every connection with its name and closes it; it can be
// stopped to simulate a failed endpoint.
type tcpBackend struct {
	name string
	ln   net.Listener
	once sync.Once
}

func newTCPBackend(t *testing.T, name string) *tcpBackend {
	t.Helper()
	b := &tcpBackend{name: name}
	b.ln = serveTCP(t, func(c net.Conn) {
		defer c.Close()
		_, _ = io.WriteString(c, name)
	})
	t.Cleanup(b.stop)
	return b
}

// serveTCP listens on a loopback port and runs serve on its own goroutine
// for every accepted connection until the listener is closed.
func serveTCP(t *testing.T, serve func(net.Conn)) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(c)
		}
	}()
	return ln
}

func (b *tcpBackend) stop()        { b.once.Do(func() { b.ln.Close() }) }
func (b *tcpBackend) addr() string { return b.ln.Addr().String() }

// freeTCPPort returns a TCP port that was free on every 127.0.100.x address a
// moment ago (the accelerator pool).
func freeTCPPort(t *testing.T) int32 {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return int32(ln.Addr().(*net.TCPAddr).Port)
}

func (n *node) gaClient() *ga.Client {
	return ga.New(ga.Options{
		Region:       "us-west-2",
		BaseEndpoint: aws.String(n.APIURL),
		Credentials:  credentials.NewStaticCredentialsProvider(testAccessKey, testSecretKey, ""),
	})
}

// dialName connects to addr and returns what the backend says.
func dialName(addr string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	b, err := io.ReadAll(c)
	return string(b), err
}

// TestAcceleratorEndToEnd creates an accelerator with the Global Accelerator
// SDK client, sends real TCP traffic through its static address, checks
// weights, endpoint failure and failover to the other region, DNS for its
// name, and the deletion rules.
func TestAcceleratorEndToEnd(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "meridian.yaml")
	writeFile(t, cfg, healthConfig)
	n := startNode(t, "", "--config", cfg)
	c := n.gaClient()
	ctx := context.Background()

	acc := createAccelerator(t, c, "127.0.100", "e2e")
	arn, ips := aws.ToString(acc.AcceleratorArn), acc.IpSets[0].IpAddresses
	port := freeTCPPort(t)
	l, err := c.CreateListener(ctx, &ga.CreateListenerInput{
		AcceleratorArn: aws.String(arn), Protocol: gatypes.ProtocolTcp, IdempotencyToken: aws.String("tok-l"),
		PortRanges: []gatypes.PortRange{{FromPort: aws.Int32(port), ToPort: aws.Int32(port)}},
	})
	if err != nil {
		t.Fatalf("CreateListener: %v", err)
	}
	a1, a3 := newTCPBackend(t, "east-1"), newTCPBackend(t, "east-3")
	w1 := newTCPBackend(t, "west-1")
	east, err := c.CreateEndpointGroup(ctx, &ga.CreateEndpointGroupInput{
		ListenerArn: l.Listener.ListenerArn, EndpointGroupRegion: aws.String("us-east-1"), IdempotencyToken: aws.String("tok-e"),
		HealthCheckIntervalSeconds: aws.Int32(1), ThresholdCount: aws.Int32(1),
		EndpointConfigurations: []gatypes.EndpointConfiguration{
			{EndpointId: aws.String(a1.addr()), Weight: aws.Int32(64)},
			{EndpointId: aws.String(a3.addr()), Weight: aws.Int32(192)},
		},
	})
	if err != nil {
		t.Fatalf("CreateEndpointGroup us-east-1: %v", err)
	}
	if _, err := c.CreateEndpointGroup(ctx, &ga.CreateEndpointGroupInput{
		ListenerArn: l.Listener.ListenerArn, EndpointGroupRegion: aws.String("us-west-2"), IdempotencyToken: aws.String("tok-w"),
		HealthCheckIntervalSeconds: aws.Int32(1), ThresholdCount: aws.Int32(1), TrafficDialPercentage: aws.Float32(0),
		EndpointConfigurations: []gatypes.EndpointConfiguration{{EndpointId: aws.String(w1.addr())}},
	}); err != nil {
		t.Fatalf("CreateEndpointGroup us-west-2: %v", err)
	}
	front := net.JoinHostPort(ips[0], fmt.Sprint(port))
	// New endpoints are INITIAL, with no traffic, until their first check
	// passes (spec 5.4).
	waitEndpointHealth(t, c, aws.ToString(east.EndpointGroup.EndpointGroupArn),
		map[string]gatypes.HealthState{a1.addr(): gatypes.HealthStateHealthy, a3.addr(): gatypes.HealthStateHealthy}, 20*time.Second)
	waitFor(t, 20*time.Second, "the accelerator to carry traffic", func() bool {
		name, err := dialName(front)
		return err == nil && strings.HasPrefix(name, "east")
	})

	// Weights 64:192 split flows about 1:3 (5-tuple hashing over fresh source ports).
	counts := map[string]int{}
	const flows = 400
	for i := 0; i < flows; i++ {
		name, err := dialName(front)
		if err != nil {
			t.Fatalf("flow %d: %v", i, err)
		}
		counts[name]++
	}
	if counts["west-1"] != 0 {
		t.Errorf("the dial-0 group got %d flows while the closest group is healthy", counts["west-1"])
	}
	share := float64(counts["east-3"]) / flows
	if share < 0.62 || share > 0.88 { // expected 0.75; 5 sigma at n=400 is ±0.11
		t.Errorf("weight 192 of 256 got %.2f of the flows (%v), want about 0.75", share, counts)
	}

	// The east endpoints fail: new flows fail over to us-west-2 despite its dial of 0.
	a1.stop()
	a3.stop()
	waitFor(t, 20*time.Second, "failover to us-west-2", func() bool {
		name, err := dialName(front)
		return err == nil && name == "west-1"
	})
	desc, err := c.DescribeEndpointGroup(ctx, &ga.DescribeEndpointGroupInput{EndpointGroupArn: east.EndpointGroup.EndpointGroupArn})
	if err != nil {
		t.Fatal(err)
	}
	for _, ep := range desc.EndpointGroup.EndpointDescriptions {
		if ep.HealthState != gatypes.HealthStateUnhealthy {
			t.Errorf("endpoint %s: health %s, want UNHEALTHY", aws.ToString(ep.EndpointId), ep.HealthState)
		}
	}

	// The accelerator's DNS name resolves through Meridian to its addresses.
	r := n.query(t, "udp", dns.Fqdn(aws.ToString(acc.DnsName)), dns.TypeA)
	if len(r.Answer) != 2 {
		t.Errorf("A %s: %v", aws.ToString(acc.DnsName), r)
	}

	// A Route 53 alias to the accelerator answers with its addresses.
	r53 := n.r53("us-east-1")
	zoneID := createZone(t, r53, "accel.example", "accel-zone")
	changeAndWait(t, r53, zoneID, types.Change{Action: types.ChangeActionCreate, ResourceRecordSet: &types.ResourceRecordSet{
		Name: aws.String("app.accel.example"), Type: types.RRTypeA,
		AliasTarget: &types.AliasTarget{HostedZoneId: aws.String("Z2BJ6XQ5FK7U4H"), DNSName: acc.DnsName, EvaluateTargetHealth: false},
	}})
	r = n.query(t, "udp", "app.accel.example.", dns.TypeA)
	got := map[string]bool{}
	for _, rr := range r.Answer {
		if a, ok := rr.(*dns.A); ok && rr.Header().Name == "app.accel.example." {
			got[a.A.String()] = true
		}
	}
	if len(got) != 2 || !got[ips[0]] || !got[ips[1]] {
		t.Errorf("alias to the accelerator answered %v, want %v", r.Answer, ips)
	}

	// Deletion rules: enabled, then listeners, then endpoint groups.
	_, err = c.DeleteAccelerator(ctx, &ga.DeleteAcceleratorInput{AcceleratorArn: aws.String(arn)})
	var notDisabled *gatypes.AcceleratorNotDisabledException
	if !errors.As(err, &notDisabled) {
		t.Errorf("deleting an enabled accelerator: %v", err)
	}
	if _, err := c.UpdateAccelerator(ctx, &ga.UpdateAcceleratorInput{AcceleratorArn: aws.String(arn), Enabled: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the disabled accelerator to refuse flows", func() bool {
		name, err := dialName(front)
		return err != nil || name == ""
	})
	_, err = c.DeleteAccelerator(ctx, &ga.DeleteAcceleratorInput{AcceleratorArn: aws.String(arn)})
	var hasListener *gatypes.AssociatedListenerFoundException
	if !errors.As(err, &hasListener) {
		t.Errorf("deleting an accelerator with a listener: %v", err)
	}
	_, err = c.DeleteListener(ctx, &ga.DeleteListenerInput{ListenerArn: l.Listener.ListenerArn})
	var hasGroup *gatypes.AssociatedEndpointGroupFoundException
	if !errors.As(err, &hasGroup) {
		t.Errorf("deleting a listener with endpoint groups: %v", err)
	}
	groups, err := c.ListEndpointGroups(ctx, &ga.ListEndpointGroupsInput{ListenerArn: l.Listener.ListenerArn})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups.EndpointGroups {
		if _, err := c.DeleteEndpointGroup(ctx, &ga.DeleteEndpointGroupInput{EndpointGroupArn: g.EndpointGroupArn}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.DeleteListener(ctx, &ga.DeleteListenerInput{ListenerArn: l.Listener.ListenerArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteAccelerator(ctx, &ga.DeleteAcceleratorInput{AcceleratorArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
}

// TestAWSCLIGlobalAccelerator runs the aws globalaccelerator CLI flow against
// the real binary: create, the early-delete errors, disable, delete in order.
func TestAWSCLIGlobalAccelerator(t *testing.T) {
	needAWSCLI(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "meridian.yaml")
	writeFile(t, cfg, healthConfig)
	n := startNode(t, "", "--config", cfg)
	cli := func(args ...string) (map[string]any, string, error) {
		t.Helper()
		out, err := n.awsCLI(t, testSecretKey, append([]string{"globalaccelerator", "--region", "us-west-2"}, args...)...)
		var v map[string]any
		if err == nil && strings.TrimSpace(out) != "" {
			if jerr := json.Unmarshal([]byte(out), &v); jerr != nil {
				t.Fatalf("aws %v: %v\n%s", args, jerr, out)
			}
		}
		return v, out, err
	}
	field := func(v map[string]any, path ...string) string {
		var cur any = v
		for _, p := range path {
			m, _ := cur.(map[string]any)
			cur = m[p]
		}
		s, _ := cur.(string)
		return s
	}
	v, out, err := cli("create-accelerator", "--name", "cli-acc")
	if err != nil {
		t.Fatalf("create-accelerator: %v\n%s", err, out)
	}
	acc := field(v, "Accelerator", "AcceleratorArn")
	v, out, err = cli("create-listener", "--accelerator-arn", acc, "--port-ranges", "FromPort=80,ToPort=80", "--protocol", "TCP")
	if err != nil {
		t.Fatalf("create-listener: %v\n%s", err, out)
	}
	listener := field(v, "Listener", "ListenerArn")
	be := newTCPBackend(t, "cli")
	v, out, err = cli("create-endpoint-group", "--listener-arn", listener, "--endpoint-group-region", "us-east-1",
		"--endpoint-configurations", "EndpointId="+be.addr()+",Weight=128")
	if err != nil {
		t.Fatalf("create-endpoint-group: %v\n%s", err, out)
	}
	group := field(v, "EndpointGroup", "EndpointGroupArn")
	if _, out, err = cli("create-endpoint-group", "--listener-arn", listener, "--endpoint-group-region", "us-east-1"); err == nil || !strings.Contains(out, "EndpointGroupAlreadyExistsException") {
		t.Errorf("second group in the same region: err=%v\n%s", err, out)
	}
	if _, out, err = cli("create-endpoint-group", "--listener-arn", listener, "--endpoint-group-region", "eu-west-1",
		"--endpoint-configurations", "EndpointId=i-0123456789abcdef0"); err == nil || !strings.Contains(out, "InvalidArgumentException") {
		t.Errorf("an EC2 instance ID as endpoint: err=%v\n%s", err, out)
	}
	if _, out, err = cli("delete-accelerator", "--accelerator-arn", acc); err == nil || !strings.Contains(out, "AcceleratorNotDisabledException") {
		t.Errorf("deleting an enabled accelerator: err=%v\n%s", err, out)
	}
	if _, out, err = cli("update-accelerator", "--accelerator-arn", acc, "--no-enabled"); err != nil {
		t.Fatalf("update-accelerator --no-enabled: %v\n%s", err, out)
	}
	if _, out, err = cli("delete-accelerator", "--accelerator-arn", acc); err == nil || !strings.Contains(out, "AssociatedListenerFoundException") {
		t.Errorf("deleting an accelerator with a listener: err=%v\n%s", err, out)
	}
	if _, out, err = cli("delete-listener", "--listener-arn", listener); err == nil || !strings.Contains(out, "AssociatedEndpointGroupFoundException") {
		t.Errorf("deleting a listener with a group: err=%v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"delete-endpoint-group", "--endpoint-group-arn", group},
		{"delete-listener", "--listener-arn", listener},
		{"delete-accelerator", "--accelerator-arn", acc},
	} {
		if _, out, err := cli(args...); err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, out)
		}
	}
	if _, out, err = cli("describe-accelerator", "--accelerator-arn", acc); err == nil || !strings.Contains(out, "AcceleratorNotFoundException") {
		t.Errorf("describe after delete: err=%v\n%s", err, out)
	}
}
