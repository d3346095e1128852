package routing

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// aliasWorld is a zone with alias trees of mixed policies (spec 2.7):
// latency records aliasing per-region weighted groups, with and without
// EvaluateTargetHealth, and failover records aliasing a weighted pool.
func aliasWorld(t testing.TB) (*fakeLatency, []zone.RRSet) {
	lat := fakeLatency{
		"us-east-1": {{pfx("198.51.100.0/24"), latency.RTT{Millis: 10, Source: latency.SourceMeasured, Bits: 24}}},
		"eu-west-1": {{pfx("198.51.100.0/24"), latency.RTT{Millis: 90, Source: latency.SourceMeasured, Bits: 24}}},
	}
	sets := []zone.RRSet{
		rec("use1-www.example.com.", "a", "192.0.2.11", weight(1), hc("ua")),
		rec("use1-www.example.com.", "b", "192.0.2.12", weight(1), hc("ub")),
		rec("euw1-www.example.com.", "a", "192.0.2.21", weight(1), hc("ea")),
		rec("euw1-www.example.com.", "b", "192.0.2.22", weight(1), hc("eb")),
		rec("www.example.com.", "euw1", "", region("eu-west-1"), aliasTo("euw1-www.example.com.", true)),
		rec("www.example.com.", "use1", "", region("us-east-1"), aliasTo("use1-www.example.com.", true)),
		rec("commit.example.com.", "euw1", "", region("eu-west-1"), aliasTo("euw1-www.example.com.", false)),
		rec("commit.example.com.", "use1", "", region("us-east-1"), aliasTo("use1-www.example.com.", false)),

		rec("pool.example.com.", "p1", "192.0.2.31", weight(1), hc("p1")),
		rec("pool.example.com.", "p2", "192.0.2.32", weight(1), hc("p2")),
		rec("fo.example.com.", "primary", "", role("PRIMARY"), aliasTo("pool.example.com.", true)),
		rec("fo.example.com.", "secondary", "192.0.2.99", role("SECONDARY")),
		rec("fo-commit.example.com.", "primary", "", role("PRIMARY"), aliasTo("pool.example.com.", false)),
		rec("fo-commit.example.com.", "secondary", "192.0.2.99", role("SECONDARY")),
		rec("fo-own.example.com.", "primary", "", role("PRIMARY"), hc("own"), aliasTo("pool.example.com.", true)),
		rec("fo-own.example.com.", "secondary", "192.0.2.99", role("SECONDARY")),
		// Two alias levels: failover → simple alias → weighted pool.
		{Name: "hop.example.com.", Type: "A", AliasTarget: &zone.AliasTarget{HostedZoneID: "Z1", DNSName: "pool.example.com.", EvaluateTargetHealth: true}},
		rec("fo-deep.example.com.", "primary", "", role("PRIMARY"), aliasTo("hop.example.com.", true)),
		rec("fo-deep.example.com.", "secondary", "192.0.2.99", role("SECONDARY")),
		// A missing target is unhealthy; a parent backs out of it.
		rec("fo-missing.example.com.", "primary", "", role("PRIMARY"), aliasTo("nothing.example.com.", true)),
		rec("fo-missing.example.com.", "secondary", "192.0.2.99", role("SECONDARY")),
	}
	return &lat, sets
}

func TestAliasTrees(t *testing.T) {
	lat, sets := aliasWorld(t)
	s := build(t, nil, sets...)
	tests := []struct {
		name      string
		qname     string
		unhealthy []string
		want      []string // possible answers
		status    Status
	}{
		{"latency → weighted: nearest region", "www", nil, []string{"192.0.2.11", "192.0.2.12"}, OK},
		{"one member down: the other", "www", []string{"ua"}, []string{"192.0.2.12"}, OK},
		{"branch down: back out to the next region", "www", []string{"ua", "ub"}, []string{"192.0.2.21", "192.0.2.22"}, OK},
		{"everything down: fail open to the nearest, fail open inside", "www", []string{"ua", "ub", "ea", "eb"}, []string{"192.0.2.11", "192.0.2.12"}, OK},
		{"without target health: commit to the branch", "commit", []string{"ua", "ub"}, []string{"192.0.2.11", "192.0.2.12"}, OK},
		{"failover → pool healthy", "fo", []string{"p1"}, []string{"192.0.2.32"}, OK},
		{"failover → pool down: secondary", "fo", []string{"p1", "p2"}, []string{"192.0.2.99"}, OK},
		{"failover without target health: pool even when down", "fo-commit", []string{"p1", "p2"}, []string{"192.0.2.31", "192.0.2.32"}, OK},
		{"own health check and target health: both must hold", "fo-own", []string{"own"}, []string{"192.0.2.99"}, OK},
		{"own check healthy, target healthy", "fo-own", nil, []string{"192.0.2.31", "192.0.2.32"}, OK},
		{"health through two alias levels", "fo-deep", []string{"p1", "p2"}, []string{"192.0.2.99"}, OK},
		{"two alias levels, healthy", "fo-deep", []string{"p2"}, []string{"192.0.2.31"}, OK},
		{"missing target with target health: secondary", "fo-missing", nil, []string{"192.0.2.99"}, OK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := &Env{Latency: lat, Health: view(tc.unhealthy...)}
			seen := map[string]bool{}
			for range 200 {
				v, st := pickOnce(t, query(env, "198.51.100.0/24"), plan(t, s, tc.qname+".example.com."))
				if st != tc.status {
					t.Fatalf("status %v, want %v", st, tc.status)
				}
				if !slices.Contains(tc.want, v) {
					t.Fatalf("answered %s, want one of %v", v, tc.want)
				}
				seen[v] = true
			}
			if len(seen) != len(tc.want) {
				t.Errorf("answered only %v of %v", seen, tc.want)
			}
		})
	}
}

func TestPickStatuses(t *testing.T) {
	ttl := int64(60)
	s := build(t, nil,
		zone.RRSet{Name: "target.example.com.", Type: "A", TTL: &ttl, Values: []string{"192.0.2.7"}},
		zone.RRSet{Name: "bad.example.com.", Type: "A", TTL: &ttl, Values: []string{"999.0.0.1"}},
		zone.RRSet{Name: "chain.example.com.", Type: "A", AliasTarget: &zone.AliasTarget{HostedZoneID: "/hostedzone/Z1", DNSName: "target.example.com"}},
		zone.RRSet{Name: "ext.example.com.", Type: "A", AliasTarget: &zone.AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d1.cloudfront.net."}},
		zone.RRSet{Name: "missing.example.com.", Type: "A", AliasTarget: &zone.AliasTarget{HostedZoneID: "Z1", DNSName: "nothing.example.com."}},
		zone.RRSet{Name: "loop1.example.com.", Type: "A", AliasTarget: &zone.AliasTarget{HostedZoneID: "Z1", DNSName: "loop2.example.com."}},
		zone.RRSet{Name: "loop2.example.com.", Type: "A", AliasTarget: &zone.AliasTarget{HostedZoneID: "Z1", DNSName: "loop1.example.com."}},
		rec("mixed.example.com.", "a", "192.0.2.1", weight(1)),
		rec("mixed.example.com.", "b", "192.0.2.2", role("PRIMARY")),
	)
	tests := []struct {
		name   string
		status Status
		want   string
	}{
		{"chain.example.com.", OK, "192.0.2.7"},
		{"bad.example.com.", NoData, ""},
		{"ext.example.com.", ServFail, ""},
		{"missing.example.com.", NoData, ""},
		{"loop1.example.com.", ServFail, ""},
		{"loop2.example.com.", ServFail, ""},
		{"mixed.example.com.", ServFail, ""},
	}
	for _, tc := range tests {
		v, st := pickOnce(t, query(nil, "192.0.2.1/32"), plan(t, s, tc.name))
		if st != tc.status || v != tc.want {
			t.Errorf("%s: %q %v, want %q %v", tc.name, v, st, tc.want, tc.status)
		}
	}
	if OK.String() != "ok" || NoData.String() != "nodata" || ServFail.String() != "servfail" {
		t.Errorf("status names")
	}
	var out Picked
	if Pick(query(nil, "192.0.2.1/32"), nil, &out) != ServFail || out.Len() != 0 {
		t.Errorf("nil plan answered")
	}
}

// TestHealthBudget checks that a query past its health-evaluation budget
// takes record sets as healthy (fail open) instead of walking on.
func TestHealthBudget(t *testing.T) {
	s := build(t, nil,
		rec("f.example.com.", "p", "192.0.2.1", role("PRIMARY"), hc("p")),
		rec("f.example.com.", "s", "192.0.2.2", role("SECONDARY")),
	)
	p := plan(t, s, "f.example.com.")
	env := &Env{Health: view("p")}
	q := query(env, "192.0.2.1/32")
	if v, _ := pickOnce(t, q, p); v != "192.0.2.2" {
		t.Fatalf("unhealthy primary answered")
	}
	q = query(env, "192.0.2.1/32")
	q.evaluations = maxHealthEvaluations
	if v, _ := pickOnce(t, q, p); v != "192.0.2.1" {
		t.Errorf("past the budget the primary is not taken as healthy: %s", v)
	}
}

func TestClientPrefix(t *testing.T) {
	tests := []struct {
		resolver, ecs string
		want          string
		fromECS       bool
	}{
		{"192.0.2.53", "203.0.113.0/24", "203.0.113.0/24", true},
		{"192.0.2.53", "203.0.113.77/24", "203.0.113.0/24", true},
		{"192.0.2.53", "0.0.0.0/0", "192.0.2.53/32", false},
		{"192.0.2.53", "", "192.0.2.53/32", false},
		{"::ffff:192.0.2.53", "", "192.0.2.53/32", false},
		{"2001:db8::53", "2001:db8:abcd::/48", "2001:db8:abcd::/48", true},
		{"2001:db8::53", "", "2001:db8::53/128", false},
		{"", "", "invalid Prefix", false},
	}
	for _, tc := range tests {
		var r netip.Addr
		if tc.resolver != "" {
			r = netip.MustParseAddr(tc.resolver)
		}
		got, ecs := ClientPrefix(r, pfxOrZero(tc.ecs))
		if got.String() != tc.want || ecs != tc.fromECS {
			t.Errorf("%s %s: %s %v, want %s %v", tc.resolver, tc.ecs, got, ecs, tc.want, tc.fromECS)
		}
	}
}
