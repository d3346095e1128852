package e2e

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// routingConfig declares three client networks: one near us-east-1, one near
// us-west-2, one in Frankfurt.
const routingConfig = `locations:
  - {cidr: 198.51.100.0/24, country: US, subdivision: VA, latitude: 38.9, longitude: -77.4}
  - {cidr: 203.0.113.0/24, country: US, subdivision: OR, latitude: 45.5, longitude: -122.7}
  - {cidr: 192.0.2.0/24, country: DE, latitude: 50.1, longitude: 8.7}
`

// latencyJSON is the seed tutorial's latency.json: two latency records.
const latencyJSON = `{
  "Comment": "latency-based routing",
  "Changes": [
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "app.latency.example", "Type": "A", "SetIdentifier": "use1",
      "Region": "us-east-1", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.101"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "app.latency.example", "Type": "A", "SetIdentifier": "usw2",
      "Region": "us-west-2", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.102"}]}}
  ]
}`

// answerA returns the single A record of a reply, or "" with the reply's
// rcode when there is not exactly one.
func answerA(r *dns.Msg) string {
	if len(r.Answer) != 1 {
		return "rcode=" + dns.RcodeToString[r.Rcode]
	}
	if a, ok := r.Answer[0].(*dns.A); ok {
		return a.A.String()
	}
	return r.Answer[0].String()
}

// ecsScope returns the ECS option's scope prefix length in a reply, or -1.
func ecsScope(r *dns.Msg) int {
	if o := r.IsEdns0(); o != nil {
		for _, opt := range o.Option {
			if e, ok := opt.(*dns.EDNS0_SUBNET); ok {
				return int(e.SourceScope)
			}
		}
	}
	return -1
}

// TestLatencyRoutingTutorial applies the tutorial's latency.json with the aws
// CLI, then checks with dig-style ECS queries, directly and through a real
// recursive resolver, that each client network gets its closest region.
func TestLatencyRoutingTutorial(t *testing.T) {
	needAWSCLI(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "meridian.yaml")
	writeFile(t, cfg, routingConfig)
	n := startNode(t, "", "--config", cfg)
	out, err := n.awsCLI(t, testSecretKey, "route53", "create-hosted-zone", "--name", "latency.example", "--caller-reference", "lat-1")
	if err != nil {
		t.Fatalf("create-hosted-zone: %v\n%s", err, out)
	}
	var created struct{ HostedZone struct{ Id string } }
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatal(err)
	}
	batch := filepath.Join(dir, "latency.json")
	writeFile(t, batch, latencyJSON)
	out, err = n.awsCLI(t, testSecretKey, "route53", "change-resource-record-sets", "--hosted-zone-id", created.HostedZone.Id, "--change-batch", "file://"+batch)
	if err != nil {
		t.Fatalf("change-resource-record-sets: %v\n%s", err, out)
	}
	var changed struct{ ChangeInfo struct{ Id string } }
	if err := json.Unmarshal([]byte(out), &changed); err != nil {
		t.Fatal(err)
	}
	if out, err := n.awsCLI(t, testSecretKey, "route53", "wait", "resource-record-sets-changed", "--id", changed.ChangeInfo.Id); err != nil {
		t.Fatalf("wait: %v\n%s", err, out)
	}

	cases := []struct {
		name, subnet, want string
	}{
		{"US East", "198.51.100.0/24", "192.0.2.101"},
		{"US West", "203.0.113.0/24", "192.0.2.102"},
		{"Europe", "192.0.2.0/24", "192.0.2.101"},
	}
	for _, tc := range cases {
		t.Run("direct/"+tc.name, func(t *testing.T) {
			r := n.query(t, "udp", "app.latency.example.", dns.TypeA, func(m *dns.Msg) { withECS(t, m, tc.subnet) })
			if got := answerA(r); got != tc.want {
				t.Errorf("answer %s, want %s", got, tc.want)
			}
			if s := ecsScope(r); s != 24 {
				t.Errorf("ECS scope %d, want 24 (the declared /24 decided)", s)
			}
		})
		if dig, err := lookDig(); err == nil {
			t.Run("dig/"+tc.name, func(t *testing.T) {
				host, port := splitHostPort(t, n.DNSAddr)
				out, err := run(t, nil, dig, "@"+host, "-p", port, "+norecurse", "+short", "+subnet="+tc.subnet, "app.latency.example", "A")
				if err != nil || strings.TrimSpace(out) != tc.want {
					t.Errorf("dig +subnet=%s: %v %q, want %s", tc.subnet, err, out, tc.want)
				}
			})
		}
	}
	// test-dns-answer and meridian explain agree with what DNS answers.
	for _, tc := range cases {
		t.Run("explain/"+tc.name, func(t *testing.T) {
			ip, mask, _ := strings.Cut(tc.subnet, "/")
			out, err := n.awsCLI(t, testSecretKey, "route53", "test-dns-answer", "--hosted-zone-id", created.HostedZone.Id,
				"--record-name", "app.latency.example", "--record-type", "A",
				"--edns0-client-subnet-ip", ip, "--edns0-client-subnet-mask", mask)
			if err != nil {
				t.Fatalf("test-dns-answer: %v\n%s", err, out)
			}
			var ans struct {
				RecordData   []string
				ResponseCode string
			}
			if err := json.Unmarshal([]byte(out), &ans); err != nil {
				t.Fatal(err)
			}
			if len(ans.RecordData) != 1 || ans.RecordData[0] != tc.want || ans.ResponseCode != "NOERROR" {
				t.Errorf("test-dns-answer = %+v, want [%s] NOERROR", ans, tc.want)
			}
			out, err = n.meridianCLI(t, "explain", "app.latency.example", "A", "--subnet", tc.subnet)
			if err != nil {
				t.Fatalf("meridian explain: %v\n%s", err, out)
			}
			for _, want := range []string{tc.want, "scope", "latency"} {
				if !strings.Contains(out, want) {
					t.Errorf("meridian explain lacks %q:\n%s", want, out)
				}
			}
		})
	}

	r := startUnbound(t, n, "latency.example")
	for _, tc := range cases {
		t.Run("unbound/"+tc.name, func(t *testing.T) {
			resp := r.query(t, "app.latency.example.", dns.TypeA, tc.subnet)
			if got := answerA(resp); got != tc.want {
				t.Errorf("through unbound: %s, want %s", got, tc.want)
			}
		})
	}
}
