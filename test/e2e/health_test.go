package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"
)

// backend is an HTTP endpoint on a fixed loopback port that can be stopped
// and started again, as a failing and recovering server would.
type backend struct {
	t    *testing.T
	addr string
	mu   sync.Mutex
	srv  *http.Server
}

func newBackend(t *testing.T) *backend {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &backend{t: t, addr: ln.Addr().String()}
	b.serve(ln)
	t.Cleanup(b.stop)
	return b
}

func (b *backend) serve(ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})}
	b.mu.Lock()
	b.srv = srv
	b.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

func (b *backend) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.srv != nil {
		_ = b.srv.Close()
		b.srv = nil
	}
}

func (b *backend) start() {
	b.t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", b.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		b.t.Fatalf("restart backend on %s: %v", b.addr, err)
	}
	b.serve(ln)
}

func (b *backend) port(t *testing.T) int64 {
	_, p := splitHostPort(t, b.addr)
	var n int64
	fmt.Sscan(p, &n)
	return n
}

// healthConfig runs three checker regions on one machine, probes loopback
// targets and lets the API accept a 1-second RequestInterval.
const healthConfig = routingConfig + `health:
  checker_regions: [us-east-1, eu-west-1, ap-southeast-1]
  allow_private_targets: true
  min_request_interval: 1
  min_target_interval: 0s
`

const (
	hcInterval  = 1 // seconds
	hcThreshold = 2
)

func createHTTPCheck(t *testing.T, c *route53.Client, ref string, b *backend) string {
	t.Helper()
	out, err := c.CreateHealthCheck(context.Background(), &route53.CreateHealthCheckInput{
		CallerReference: aws.String(ref),
		HealthCheckConfig: &types.HealthCheckConfig{
			Type: types.HealthCheckTypeHttp, IPAddress: aws.String("127.0.0.1"), Port: aws.Int32(int32(b.port(t))),
			ResourcePath: aws.String("/health"), RequestInterval: aws.Int32(hcInterval), FailureThreshold: aws.Int32(hcThreshold),
		},
	})
	if err != nil {
		t.Fatalf("CreateHealthCheck: %v", err)
	}
	return aws.ToString(out.HealthCheck.Id)
}

func policyRecord(name, setID, value, hc string, set func(*types.ResourceRecordSet)) types.Change {
	rs := &types.ResourceRecordSet{
		Name: aws.String(name), Type: types.RRTypeA, SetIdentifier: aws.String(setID), TTL: aws.Int64(5),
		ResourceRecords: []types.ResourceRecord{{Value: aws.String(value)}},
	}
	if hc != "" {
		rs.HealthCheckId = aws.String(hc)
	}
	set(rs)
	return types.Change{Action: types.ChangeActionCreate, ResourceRecordSet: rs}
}

// TestHealthChecksSteerAnswers puts two loopback backends behind failover,
// latency and weighted records with health checks, stops one and checks that
// DNS moves away from it within interval × threshold + 1 s, never answers it
// while it is down, fails open when everything is down, and returns to it
// when it is back.
func TestHealthChecksSteerAnswers(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "meridian.yaml")
	writeFile(t, cfg, healthConfig)
	n := startNode(t, "", "--config", cfg)
	c := n.r53("us-east-1")
	a, b := newBackend(t), newBackend(t)
	hcA := createHTTPCheck(t, c, "hc-a", a)
	hcB := createHTTPCheck(t, c, "hc-b", b)
	zoneID := createZone(t, c, "hc.example", "hc-zone")
	changeAndWait(t, c, zoneID,
		policyRecord("failover.hc.example", "primary", "192.0.2.1", hcA, func(r *types.ResourceRecordSet) { r.Failover = types.ResourceRecordSetFailoverPrimary }),
		policyRecord("failover.hc.example", "secondary", "192.0.2.2", hcB, func(r *types.ResourceRecordSet) { r.Failover = types.ResourceRecordSetFailoverSecondary }),
		policyRecord("lat.hc.example", "use1", "192.0.2.11", hcA, func(r *types.ResourceRecordSet) { r.Region = types.ResourceRecordSetRegionUsEast1 }),
		policyRecord("lat.hc.example", "usw2", "192.0.2.12", hcB, func(r *types.ResourceRecordSet) { r.Region = types.ResourceRecordSetRegionUsWest2 }),
		policyRecord("w.hc.example", "wa", "192.0.2.21", hcA, func(r *types.ResourceRecordSet) { r.Weight = aws.Int64(1) }),
		policyRecord("w.hc.example", "wb", "192.0.2.22", hcB, func(r *types.ResourceRecordSet) { r.Weight = aws.Int64(1) }),
	)
	eastECS := func(m *dns.Msg) { withECS(t, m, "198.51.100.0/24") }
	ask := func(name string, opts ...func(*dns.Msg)) string {
		return answerA(n.query(t, "udp", name, dns.TypeA, opts...))
	}
	// Every checker has reported success for both checks.
	waitFor(t, 20*time.Second, "every checker to observe both backends healthy", func() bool {
		for _, id := range []string{hcA, hcB} {
			st, err := c.GetHealthCheckStatus(context.Background(), &route53.GetHealthCheckStatusInput{HealthCheckId: aws.String(id)})
			if err != nil || len(st.HealthCheckObservations) != 3 {
				return false
			}
			for _, o := range st.HealthCheckObservations {
				if !strings.HasPrefix(aws.ToString(o.StatusReport.Status), "Success") {
					return false
				}
			}
		}
		return true
	})
	if got := ask("failover.hc.example."); got != "192.0.2.1" {
		t.Fatalf("failover with both healthy: %s, want the primary", got)
	}
	if got := ask("lat.hc.example.", eastECS); got != "192.0.2.11" {
		t.Fatalf("latency from US East with both healthy: %s", got)
	}

	a.stop()
	stopped := time.Now()
	bound := time.Duration(hcInterval*hcThreshold)*time.Second + time.Second
	waitFor(t, 30*time.Second, "failover to the secondary", func() bool { return ask("failover.hc.example.") == "192.0.2.2" })
	if took := time.Since(stopped); took > bound {
		t.Errorf("the answer moved %v after the primary stopped; want within interval × threshold + 1 s = %v", took, bound)
	} else {
		t.Logf("the answer moved %v after the primary stopped (bound %v)", took.Round(time.Millisecond), bound)
	}
	if got := ask("lat.hc.example.", eastECS); got != "192.0.2.12" {
		t.Errorf("latency from US East with us-east-1 down: %s, want the next region's 192.0.2.12", got)
	}
	for i := 0; i < 50; i++ {
		if got := ask("w.hc.example."); got != "192.0.2.22" {
			t.Fatalf("weighted answer %d with member wa unhealthy: %s", i, got)
		}
	}
	st, err := c.GetHealthCheckLastFailureReason(context.Background(), &route53.GetHealthCheckLastFailureReasonInput{HealthCheckId: aws.String(hcA)})
	if err != nil || len(st.HealthCheckObservations) == 0 || !strings.HasPrefix(aws.ToString(st.HealthCheckObservations[0].StatusReport.Status), "Failure") {
		t.Errorf("last failure reason: %v %+v", err, st)
	}

	// Everything down: each policy fails open.
	b.stop()
	waitFor(t, 30*time.Second, "both checks unhealthy (failover fails open to the primary)", func() bool {
		return ask("failover.hc.example.") == "192.0.2.1"
	})
	seen := map[string]bool{}
	for i := 0; i < 200 && len(seen) < 2; i++ {
		seen[ask("w.hc.example.")] = true
	}
	if !seen["192.0.2.21"] || !seen["192.0.2.22"] {
		t.Errorf("weighted with every member unhealthy answered %v, want both (fail open)", seen)
	}

	// The primary comes back.
	a.start()
	waitFor(t, 30*time.Second, "the primary to return", func() bool { return ask("failover.hc.example.") == "192.0.2.1" && ask("w.hc.example.") == "192.0.2.21" })
	if got := ask("lat.hc.example.", eastECS); got != "192.0.2.11" {
		t.Errorf("latency from US East after us-east-1 recovered: %s", got)
	}
}

// TestAWSCLIHealthChecks runs the aws CLI's health-check flow.
func TestAWSCLIHealthChecks(t *testing.T) {
	needAWSCLI(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "meridian.yaml")
	// The CLI validates RequestInterval ≥ 10 itself, so the node probes every
	// check twice a second whatever its RequestInterval says.
	writeFile(t, cfg, healthConfig+"  interval: 500ms\n")
	n := startNode(t, "", "--config", cfg)
	be := newBackend(t)
	out, err := n.awsCLI(t, testSecretKey, "route53", "create-health-check", "--caller-reference", "cli-hc",
		"--health-check-config", fmt.Sprintf("Type=HTTP,IPAddress=127.0.0.1,Port=%d,ResourcePath=/health,RequestInterval=10,FailureThreshold=1", be.port(t)))
	if err != nil {
		t.Fatalf("create-health-check: %v\n%s", err, out)
	}
	var created struct {
		HealthCheck struct {
			Id                 string
			HealthCheckVersion int
		}
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatal(err)
	}
	id := created.HealthCheck.Id
	waitFor(t, 20*time.Second, "get-health-check-status to report success", func() bool {
		out, err := n.awsCLI(t, testSecretKey, "route53", "get-health-check-status", "--health-check-id", id)
		return err == nil && strings.Contains(out, "Success: HTTP Status Code 200")
	})
	out, err = n.awsCLI(t, testSecretKey, "route53", "update-health-check", "--health-check-id", id, "--health-check-version", "1", "--inverted")
	if err != nil || !strings.Contains(out, `"Inverted": true`) || !strings.Contains(out, `"HealthCheckVersion": 2`) {
		t.Fatalf("update-health-check: %v\n%s", err, out)
	}
	out, err = n.awsCLI(t, testSecretKey, "route53", "update-health-check", "--health-check-id", id, "--health-check-version", "1", "--no-inverted")
	if err == nil || !strings.Contains(out, "HealthCheckVersionMismatch") {
		t.Errorf("stale version: err=%v\n%s", err, out)
	}
	out, err = n.meridianCLI(t, "health", "status", id)
	if err != nil || !strings.Contains(out, "us-east-1") || !strings.Contains(out, "Success") {
		t.Errorf("meridian health status: %v\n%s", err, out)
	}
	if out, err := n.awsCLI(t, testSecretKey, "route53", "delete-health-check", "--health-check-id", id); err != nil {
		t.Errorf("delete-health-check: %v\n%s", err, out)
	}
}
