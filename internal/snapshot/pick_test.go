package snapshot

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

// pickValues picks once and returns the A values answered.
func pickValues(t *testing.T, p *Plan) ([]string, Status) {
	t.Helper()
	ms, st := pickAll(p)
	var out []string
	for _, m := range ms {
		for _, rr := range m.RRs {
			out = append(out, rr.(*dns.A).A.String())
		}
	}
	return out, st
}

// countPicks picks n times and counts the first value of each answer.
func countPicks(t *testing.T, p *Plan, n int) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for range n {
		v, st := pickValues(t, p)
		if st != PickOK || len(v) == 0 {
			t.Fatalf("pick status %v, values %v", st, v)
		}
		counts[v[0]]++
	}
	return counts
}

// within reports whether got is within 6 standard deviations of n*prob.
func within(got, n int, prob float64) bool {
	mean := float64(n) * prob
	sd := math.Sqrt(float64(n) * prob * (1 - prob))
	return math.Abs(float64(got)-mean) <= 6*sd+1
}

func TestPickWeighted(t *testing.T) {
	tests := []struct {
		name    string
		weights map[string]int64 // value -> weight
		want    map[string]float64
	}{
		{"proportional", map[string]int64{"192.0.2.1": 1, "192.0.2.2": 3}, map[string]float64{"192.0.2.1": 0.25, "192.0.2.2": 0.75}},
		{"zero weight never with nonzero", map[string]int64{"192.0.2.1": 1, "192.0.2.2": 1, "192.0.2.3": 0}, map[string]float64{"192.0.2.1": 0.5, "192.0.2.2": 0.5}},
		{"all zero uniform", map[string]int64{"192.0.2.1": 0, "192.0.2.2": 0}, map[string]float64{"192.0.2.1": 0.5, "192.0.2.2": 0.5}},
		{"single", map[string]int64{"192.0.2.9": 255}, map[string]float64{"192.0.2.9": 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var sets []zone.RRSet
			for v, w := range tc.weights {
				sets = append(sets, weighted("w.example.com.", "A", "id-"+v, w, v))
			}
			s := mustBuild(t, zoneData("Z1", "example.com.", "", sets...))
			p := lookup(t, s, "w.example.com.", dns.TypeA).Plan
			if p.Policy != PolicyWeighted {
				t.Fatalf("policy = %v", p.Policy)
			}
			const n = 4000
			counts := countPicks(t, p, n)
			for v, c := range counts {
				if tc.want[v] == 0 {
					t.Errorf("value %s answered %d times, want never", v, c)
				}
			}
			for v, prob := range tc.want {
				if !within(counts[v], n, prob) {
					t.Errorf("value %s answered %d/%d times, want about %.0f", v, counts[v], n, prob*n)
				}
			}
		})
	}
}

func TestPickFailover(t *testing.T) {
	primary := rrset("f.example.com.", "A", 60, "192.0.2.1")
	primary.SetIdentifier, primary.Failover = "a-primary", "PRIMARY"
	secondary := rrset("f.example.com.", "A", 60, "192.0.2.2")
	secondary.SetIdentifier, secondary.Failover = "b-secondary", "SECONDARY"
	tests := []struct {
		name string
		sets []zone.RRSet
		want string
	}{
		{"primary wins", []zone.RRSet{secondary, primary}, "192.0.2.1"},
		{"only secondary", []zone.RRSet{secondary}, "192.0.2.2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustBuild(t, zoneData("Z1", "example.com.", "", tc.sets...))
			p := lookup(t, s, "f.example.com.", dns.TypeA).Plan
			for range 20 {
				v, st := pickValues(t, p)
				if st != PickOK || len(v) != 1 || v[0] != tc.want {
					t.Fatalf("pick = %v %v, want %s", v, st, tc.want)
				}
			}
		})
	}
}

func TestPickMultiValue(t *testing.T) {
	tests := []struct {
		records int
		want    int
	}{{3, 3}, {8, 8}, {20, 8}}
	for _, tc := range tests {
		var sets []zone.RRSet
		for i := range tc.records {
			r := rrset("m.example.com.", "A", 60, "192.0.2."+strconv.Itoa(i+1))
			r.SetIdentifier = "r" + strconv.Itoa(i)
			yes := true
			r.MultiValueAnswer = &yes
			sets = append(sets, r)
		}
		s := mustBuild(t, zoneData("Z1", "example.com.", "", sets...))
		p := lookup(t, s, "m.example.com.", dns.TypeA).Plan
		if p.Policy != PolicyMultiValue {
			t.Fatalf("policy = %v", p.Policy)
		}
		seen := map[string]bool{}
		for range 200 {
			v, st := pickValues(t, p)
			if st != PickOK || len(v) != tc.want {
				t.Fatalf("%d records: pick %d values (%v), want %d", tc.records, len(v), st, tc.want)
			}
			dup := map[string]bool{}
			for _, x := range v {
				if dup[x] {
					t.Fatalf("value %s picked twice in one answer", x)
				}
				dup[x], seen[x] = true, true
			}
		}
		if len(seen) != tc.records {
			t.Errorf("%d records: only %d distinct values ever answered", tc.records, len(seen))
		}
	}
}

func TestPickUnservedPolicies(t *testing.T) {
	lat := rrset("l.example.com.", "A", 60, "192.0.2.1")
	lat.SetIdentifier, lat.Region = "east", "us-east-1"
	geo := rrset("g.example.com.", "A", 60, "192.0.2.1")
	geo.SetIdentifier, geo.GeoLocation = "default", &zone.GeoLocation{CountryCode: "*"}
	prox := rrset("p.example.com.", "A", 60, "192.0.2.1")
	prox.SetIdentifier, prox.GeoProximityLocation = "east", &zone.GeoProximityLocation{AWSRegion: "us-east-1"}
	cidr := rrset("c.example.com.", "A", 60, "192.0.2.1")
	cidr.SetIdentifier, cidr.CidrRoutingConfig = "any", &zone.CidrRoutingConfig{CollectionID: "c", LocationName: "*"}
	mixed1 := weighted("x.example.com.", "A", "one", 1, "192.0.2.1")
	mixed2 := rrset("x.example.com.", "A", 60, "192.0.2.2")
	mixed2.SetIdentifier, mixed2.Failover = "two", "PRIMARY"
	s := mustBuild(t, zoneData("Z1", "example.com.", "", lat, geo, prox, cidr, mixed1, mixed2))
	tests := []struct {
		name   string
		policy Policy
		reason string
	}{
		{"l.example.com.", PolicyLatency, "routing policy latency for l.example.com./A not yet served"},
		{"g.example.com.", PolicyGeolocation, "routing policy geolocation for g.example.com./A not yet served"},
		{"p.example.com.", PolicyGeoproximity, "routing policy geoproximity for p.example.com./A not yet served"},
		{"c.example.com.", PolicyIPBased, "routing policy ip-based for c.example.com./A not yet served"},
		{"x.example.com.", PolicyWeighted, "mix routing policies"},
	}
	problems := strings.Join(s.Zone("Z1").Problems(), "\n")
	for _, tc := range tests {
		p := lookup(t, s, tc.name, dns.TypeA).Plan
		if p.Policy != tc.policy || !strings.Contains(p.Unserved, tc.reason) {
			t.Errorf("%s: policy %v unserved %q, want %v %q", tc.name, p.Policy, p.Unserved, tc.policy, tc.reason)
		}
		if _, st := pickAll(p); st != PickServFail {
			t.Errorf("%s: pick status %v, want SERVFAIL", tc.name, st)
		}
		if !strings.Contains(problems, tc.reason) {
			t.Errorf("%s: problems lack %q:\n%s", tc.name, tc.reason, problems)
		}
		if len(p.Members) == 0 || p.Members[0].Source == nil || p.Members[0].Source.SetIdentifier == "" {
			t.Errorf("%s: members do not keep their policy fields", tc.name)
		}
	}
}

func TestPickAliases(t *testing.T) {
	s := mustBuild(t, zoneData("Z1", "example.com.", "",
		rrset("target.example.com.", "A", 123, "192.0.2.7"),
		alias("example.com.", "A", "Z1", "target.example.com"),
		alias("chain.example.com.", "A", "/hostedzone/Z1", "example.com."),
		weighted("wt.example.com.", "A", "a", 1, "192.0.2.8"),
		alias("to-weighted.example.com.", "A", "Z1", "wt.example.com."),
		alias("ext.example.com.", "A", "Z2FDTNDATAQYW2", "d111111abcdef8.cloudfront.net."),
		alias("missing.example.com.", "A", "Z1", "nothing.example.com."),
		alias("loop1.example.com.", "A", "Z1", "loop2.example.com."),
		alias("loop2.example.com.", "A", "Z1", "loop1.example.com."),
	))
	tests := []struct {
		name   string
		status Status
		want   string
	}{
		{"example.com.", PickOK, "192.0.2.7"},
		{"chain.example.com.", PickOK, "192.0.2.7"},
		{"to-weighted.example.com.", PickOK, "192.0.2.8"},
		{"ext.example.com.", PickServFail, ""},
		{"missing.example.com.", PickNoData, ""},
		{"loop1.example.com.", PickServFail, ""},
		{"loop2.example.com.", PickServFail, ""},
	}
	for _, tc := range tests {
		p := lookup(t, s, tc.name, dns.TypeA).Plan
		if p == nil {
			t.Fatalf("%s: no plan", tc.name)
		}
		v, st := pickValues(t, p)
		if st != tc.status {
			t.Errorf("%s: status %v, want %v", tc.name, st, tc.status)
			continue
		}
		if tc.want != "" && (len(v) != 1 || v[0] != tc.want) {
			t.Errorf("%s: values %v, want %s", tc.name, v, tc.want)
		}
	}
	// The alias answers with the target's TTL.
	ms, _ := pickAll(lookup(t, s, "chain.example.com.", dns.TypeA).Plan)
	if ttl := ms[0].RRs[0].Header().Ttl; ttl != 123 {
		t.Errorf("alias TTL = %d, want the target's 123", ttl)
	}
	problems := strings.Join(s.Zone("Z1").Problems(), "\n")
	for _, want := range []string{"not yet served", "not found in the zone", "alias cycle"} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}
}
