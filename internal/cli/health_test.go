package cli

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	r53api "github.com/meridian-gtm/meridian/internal/api/route53"
	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/store/boltstore"
)

// staticObserver reports fixed observations per health check ID.
type staticObserver struct {
	current, failures map[string][]healthcheck.Observation
}

func (o *staticObserver) Observations(id string) []healthcheck.Observation { return o.current[id] }
func (o *staticObserver) LastFailures(id string) []healthcheck.Observation { return o.failures[id] }

// healthServer is the real Route 53 API over a real control plane and bbolt
// store, with observations from obs; it returns a client for it.
func healthServer(t *testing.T, obs healthcheck.Observer) *route53.Client {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "meridian.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	svc := control.New(control.Config{Store: st})
	srv := httptest.NewServer(r53api.NewHandler(svc, auth.Credentials{"AKIDHEALTH": "health-secret"}, slog.New(slog.DiscardHandler), nil, obs))
	t.Cleanup(srv.Close)
	return route53.New(route53.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDHEALTH", "health-secret", ""),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	})
}

func mustCreateCheck(t *testing.T, c *route53.Client, ref string, cfg *types.HealthCheckConfig) string {
	t.Helper()
	out, err := c.CreateHealthCheck(context.Background(), &route53.CreateHealthCheckInput{CallerReference: aws.String(ref), HealthCheckConfig: cfg})
	if err != nil {
		t.Fatalf("create %s: %v", ref, err)
	}
	return aws.ToString(out.HealthCheck.Id)
}

// runWith runs a subcommand with client and returns its exit code and output.
func runWith(c *route53.Client, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := NewRunner(c, strings.NewReader(""), &out, &errOut).Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

var columns = regexp.MustCompile(`\s{2,}`)

func TestHealthList(t *testing.T) {
	ctx := context.Background()
	c := healthServer(t, nil)
	httpID := mustCreateCheck(t, c, "http", &types.HealthCheckConfig{Type: types.HealthCheckTypeHttp, IPAddress: aws.String("93.184.216.34"),
		FullyQualifiedDomainName: aws.String("www.example.com"), ResourcePath: aws.String("health"), Inverted: aws.Bool(true), Disabled: aws.Bool(true)})
	strID := mustCreateCheck(t, c, "str", &types.HealthCheckConfig{Type: types.HealthCheckTypeHttpsStrMatch, FullyQualifiedDomainName: aws.String("api.example.com"),
		SearchString: aws.String("ok"), RequestInterval: aws.Int32(10), FailureThreshold: aws.Int32(1)})
	tcpID := mustCreateCheck(t, c, "tcp", &types.HealthCheckConfig{Type: types.HealthCheckTypeTcp, IPAddress: aws.String("2606:2800:220:1:248:1893:25c8:1946"), Port: aws.Int32(5432)})
	calcID := mustCreateCheck(t, c, "calc", &types.HealthCheckConfig{Type: types.HealthCheckTypeCalculated, HealthThreshold: aws.Int32(2),
		ChildHealthChecks: []string{httpID, tcpID}})
	// Enough checks that the Name tags take two ListTagsForResources calls;
	// every check has one, so both calls matter.
	names := map[string]string{httpID: "web front", strID: "api", tcpID: "db", calcID: "both"}
	var loose []string
	for i := range 8 {
		id := mustCreateCheck(t, c, fmt.Sprintf("n%d", i), &types.HealthCheckConfig{Type: types.HealthCheckTypeHttp, IPAddress: aws.String("93.184.216.34")})
		names[id] = fmt.Sprintf("extra-%d", i)
		loose = append(loose, id)
	}
	for id, name := range names {
		if _, err := c.ChangeTagsForResource(ctx, &route53.ChangeTagsForResourceInput{ResourceType: types.TagResourceTypeHealthcheck, ResourceId: aws.String(id),
			AddTags: []types.Tag{{Key: aws.String("team"), Value: aws.String("x")}, {Key: aws.String("Name"), Value: aws.String(name)}}}); err != nil {
			t.Fatal(err)
		}
	}

	code, out, errOut := runWith(c, "health", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 13 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	rows := map[string][]string{}
	for _, l := range lines {
		f := columns.Split(l, -1)
		if len(f) != 7 {
			t.Fatalf("line %q has %d columns", l, len(f))
		}
		rows[f[0]] = f
	}
	want := map[string][]string{
		"ID":   {"ID", "TYPE", "TARGET", "INTERVAL", "THRESHOLD", "FLAGS", "NAME"},
		httpID: {httpID, "HTTP", "http://93.184.216.34:80/health host=www.example.com", "30s", "3", "inverted,disabled", "web front"},
		strID:  {strID, "HTTPS_STR_MATCH", `https://api.example.com:443/ search="ok"`, "10s", "1", "-", "api"},
		tcpID:  {tcpID, "TCP", "[2606:2800:220:1:248:1893:25c8:1946]:5432", "30s", "3", "-", "db"},
		calcID: {calcID, "CALCULATED", "at least 2 of 2 children", "-", "2", "-", "both"},
	}
	for _, id := range loose {
		want[id] = []string{id, "HTTP", "http://93.184.216.34:80/", "30s", "3", "-", names[id]}
	}
	for id, w := range want {
		if got := rows[id]; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("row %s = %q\nwant %q", id, got, w)
		}
	}
	if !strings.HasPrefix(lines[0], "ID ") {
		t.Errorf("first line is not the header: %q", lines[0])
	}
}

func TestHealthListEmpty(t *testing.T) {
	code, out, errOut := runWith(healthServer(t, nil), "health", "list")
	if code != 0 || out != "ID  TYPE  TARGET  INTERVAL  THRESHOLD  FLAGS  NAME\n" {
		t.Fatalf("exit %d, out %q, err %q", code, out, errOut)
	}
}

func TestHealthStatus(t *testing.T) {
	obs := &staticObserver{current: map[string][]healthcheck.Observation{}, failures: map[string][]healthcheck.Observation{}}
	c := healthServer(t, obs)
	endpoint := func(ref string, inverted, disabled bool) string {
		return mustCreateCheck(t, c, ref, &types.HealthCheckConfig{Type: types.HealthCheckTypeHttp, IPAddress: aws.String("93.184.216.34"),
			Inverted: aws.Bool(inverted), Disabled: aws.Bool(disabled)})
	}
	up, down, inv, off, fresh := endpoint("up", false, false), endpoint("down", false, false), endpoint("inv", true, false), endpoint("off", true, true), endpoint("fresh", false, false)
	ok := func(region, ip, at string) healthcheck.Observation {
		return healthcheck.Observation{Region: region, IPAddress: ip, Status: "Success: HTTP Status Code 200, OK", CheckedTime: at}
	}
	bad := func(region, ip, at string) healthcheck.Observation {
		return healthcheck.Observation{Region: region, IPAddress: ip, Status: "Failure: HTTP Status Code 503, Service Unavailable", CheckedTime: at}
	}
	obs.current[up] = []healthcheck.Observation{
		bad("us-east-1", "127.0.0.11", "2024-05-01T10:00:01.000Z"), ok("eu-west-1", "127.0.0.12", "2024-05-01T10:00:02.500Z"),
		bad("sa-east-1", "127.0.0.13", "2024-05-01T10:00:03.000Z"),
	}
	obs.failures[up] = []healthcheck.Observation{bad("us-east-1", "127.0.0.11", "2024-05-01T10:00:01.000Z")}
	obs.current[down] = []healthcheck.Observation{
		bad("us-east-1", "127.0.0.11", "2024-05-01T10:00:01.000Z"), bad("us-west-1", "127.0.0.12", "2024-05-01T10:00:01.000Z"),
		bad("us-west-2", "127.0.0.13", "2024-05-01T10:00:01.000Z"), bad("eu-west-1", "127.0.0.14", "2024-05-01T10:00:01.000Z"),
		bad("sa-east-1", "127.0.0.15", "2024-05-01T10:00:01.000Z"), ok("ap-northeast-1", "127.0.0.16", "2024-05-01T10:00:01.000Z"),
	}
	obs.current[inv] = []healthcheck.Observation{ok("us-east-1", "127.0.0.11", "2024-05-01T10:00:01.000Z")}
	obs.current[off] = obs.current[up]

	tests := []struct {
		name string
		id   string
		want string
	}{
		{"one in three succeed", up, up + "  HTTP  http://93.184.216.34:80/  flags: -\n" +
			"status: healthy (1 of 3 checkers report success; healthy takes more than 18%)\n" +
			"  eu-west-1  127.0.0.12  2024-05-01T10:00:02.500Z  Success: HTTP Status Code 200, OK\n" +
			"  sa-east-1  127.0.0.13  2024-05-01T10:00:03.000Z  Failure: HTTP Status Code 503, Service Unavailable\n" +
			"  us-east-1  127.0.0.11  2024-05-01T10:00:01.000Z  Failure: HTTP Status Code 503, Service Unavailable\n" +
			"last failures:\n" +
			"  us-east-1  127.0.0.11  2024-05-01T10:00:01.000Z  Failure: HTTP Status Code 503, Service Unavailable\n"},
		{"one in six is not enough", down, "status: unhealthy (1 of 6 checkers report success; healthy takes more than 18%)\n"},
		{"inverted", inv, "status: unhealthy (1 of 1 checkers report success; healthy takes more than 18%, then inverted)\n"},
		{"disabled and inverted", off, "flags: inverted,disabled\nstatus: unhealthy (disabled: no checker probes it and it counts as healthy, then inverted)\n"},
		{"no reports", fresh, "status: healthy (no checker has reported yet; a new check counts as healthy)\nlast failures: none\n"},
		{"prefixed ID", "/healthcheck/" + up, "status: healthy (1 of 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runWith(c, "health", "status", tc.id)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(out, tc.want) {
				t.Fatalf("output:\n%s\nwant it to contain:\n%s", out, tc.want)
			}
		})
	}

	calc := mustCreateCheck(t, c, "calc", &types.HealthCheckConfig{Type: types.HealthCheckTypeCalculated, HealthThreshold: aws.Int32(1), ChildHealthChecks: []string{up, down}})
	code, out, _ := runWith(c, "health", "status", calc)
	want := calc + "  CALCULATED  at least 1 of 2 children  flags: -\n" +
		"calculated: healthy when at least 1 of its children are healthy; Route 53 reports no checker status for it.\n" +
		"  child " + up + "\n  child " + down + "\n"
	if code != 0 || out != want {
		t.Fatalf("calculated: exit %d\n%s\nwant\n%s", code, out, want)
	}

	code, out, errOut := runWith(c, "health", "status", "9f3c5a4e-0000-4000-8000-000000000000")
	if code != 1 || out != "" || errOut != "meridian: health status: NoSuchHealthCheck: A health check with id 9f3c5a4e-0000-4000-8000-000000000000 does not exist.\n" {
		t.Fatalf("unknown check: exit %d, out %q, err %q", code, out, errOut)
	}
	code, _, errOut = runWith(c, "health", "status")
	if code != 2 || !strings.Contains(errOut, "missing ID (usage: meridian health status ID)") {
		t.Fatalf("missing argument: exit %d, err %q", code, errOut)
	}
}
