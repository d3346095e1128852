package routing

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
)

func TestExplainAliasTree(t *testing.T) {
	lat, sets := aliasWorld(t)
	s := build(t, nil, sets...)
	env := &Env{Locator: locTable(), Latency: lat, Health: view("ua", "ub")}
	ex := &Explanation{}
	q := NewQuery(env, pfx("198.51.100.0/24"), true, ex)
	var out Picked
	if st := Pick(&q, plan(t, s, "www.example.com."), &out); st != OK {
		t.Fatalf("status %v", st)
	}
	q.Finish()
	if len(ex.Steps) != 2 {
		t.Fatalf("%d steps, want 2: %+v", len(ex.Steps), ex.Steps)
	}
	top, leaf := ex.Steps[0], ex.Steps[1]
	if top.Name != "www.example.com." || top.Type != "A" || top.Policy != "latency" || top.Depth != 0 ||
		top.Rule != ruleLatencyOnly || len(top.Chosen) != 1 || top.Chosen[0] != "euw1" || top.Status != "ok" {
		t.Errorf("top step %+v", top)
	}
	byID := map[string]Candidate{}
	for _, c := range top.Candidates {
		byID[c.SetIdentifier] = c
	}
	use1, euw1 := byID["use1"], byID["euw1"]
	if use1.Healthy || !strings.Contains(use1.Health, "no healthy record set") || use1.AliasTarget != "use1-www.example.com. A" || !use1.EvaluateTargetHealth {
		t.Errorf("use1 candidate %+v", use1)
	}
	if use1.RTTMillis == nil || *use1.RTTMillis != 10 || use1.LatencySource != "measured" || use1.Rank != 1 || use1.Attribute != "us-east-1" {
		t.Errorf("use1 latency %+v", use1)
	}
	if !euw1.Healthy || euw1.RTTMillis == nil || *euw1.RTTMillis != 90 || euw1.Rank != 2 {
		t.Errorf("euw1 candidate %+v", euw1)
	}
	if leaf.Name != "euw1-www.example.com." || leaf.Policy != "weighted" || leaf.Depth != 1 || leaf.Rule != ruleWeighted ||
		len(leaf.Candidates) != 2 || leaf.Candidates[0].Health != "health check ea healthy" || leaf.Candidates[0].Attribute != "weight 1" {
		t.Errorf("leaf step %+v", leaf)
	}
	// With one region left healthy the answer does not depend on the client.
	if ex.Client.Subnet != "198.51.100.0/24" || ex.Client.Source != "ecs" || ex.Scope != 0 {
		t.Errorf("client %+v scope %d", ex.Client, ex.Scope)
	}
	// The latency map needed no location: it is shown, marked unused.
	if ex.Location == nil || ex.Location.Country != "US" || ex.Location.Subdivision != "CA" || ex.Location.Used || ex.Location.Latitude == nil {
		t.Errorf("location %+v", ex.Location)
	}
	b, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"rttMillis":90`, `"latencySource":"measured"`, `"evaluateTargetHealth":true`, `"scope":0`, `"source":"ecs"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s: %s", want, b)
		}
	}
}

func TestExplainScopeMatchesQuery(t *testing.T) {
	lat, sets := aliasWorld(t)
	s := build(t, nil, sets...)
	env := &Env{Locator: locTable(), Latency: lat, Health: view()}
	ex := &Explanation{}
	q := NewQuery(env, pfx("198.51.100.0/24"), true, ex)
	var out Picked
	Pick(&q, plan(t, s, "www.example.com."), &out)
	q.Finish()
	plain := query(env, "198.51.100.0/24")
	Pick(plain, plan(t, s, "www.example.com."), &out)
	if ex.Scope != 24 || plain.Scope() != 24 || ex.Steps[0].Rule != ruleLatency || ex.Steps[0].Chosen[0] != "use1" {
		t.Errorf("explained scope %d, plain %d, step %+v", ex.Scope, plain.Scope(), ex.Steps[0])
	}
}

func TestExplainPolicies(t *testing.T) {
	sets := []zone.RRSet{
		rec("g.example.com.", "ca", "192.0.2.1", geoloc("", "US", "CA"), hc("ca")),
		rec("g.example.com.", "def", "192.0.2.3", geoloc("", "*", "")),
		rec("g.example.com.", "us", "192.0.2.6", geoloc("", "US", "")),
		rec("m.example.com.", "a", "192.0.2.1", multi()),
		rec("m.example.com.", "b", "192.0.2.2", multi(), hc("b")),
		rec("p.example.com.", "eu", "192.0.2.1", prox(zone.GeoProximityLocation{AWSRegion: "eu-west-1"})),
		rec("p.example.com.", "us", "192.0.2.2", prox(zone.GeoProximityLocation{AWSRegion: "us-east-1"})),
		rec("ip.example.com.", "a", "192.0.2.1", cidr("c1", "a")),
		rec("ip.example.com.", "z", "192.0.2.9", cidr("c1", "*")),
		rec("gone.example.com.", "a", "192.0.2.1", cidr("nope", "a")),
	}
	cols := []zone.CidrCollection{{ID: "c1", Locations: map[string][]string{"a": {"198.51.0.0/16"}}}}
	s := build(t, cols, sets...)
	env := &Env{Locator: locTable(), Regions: regions, Health: view("ca", "b")}
	tests := []struct {
		name   string
		rule   string
		chosen []string
		status string
		check  func(st Step) bool
	}{
		{"g", ruleGeo, []string{"us"}, "ok", func(st Step) bool {
			return st.Candidates[0].Match == "subdivision" && !st.Candidates[0].Healthy && st.Candidates[2].Match == "country" &&
				st.Candidates[1].Match == "default" && st.Candidates[0].Attribute == "US-CA" && st.Candidates[1].Attribute == "default (*)"
		}},
		{"m", ruleMultiValue, []string{"a"}, "ok", func(st Step) bool { return st.Candidates[1].Health == "health check b unhealthy" }},
		{"p", ruleProx, []string{"us"}, "ok", func(st Step) bool {
			return st.Candidates[1].DistanceKm != nil && *st.Candidates[1].DistanceKm < *st.Candidates[0].DistanceKm && st.Candidates[1].Rank == 1 &&
				st.Candidates[0].Attribute == "eu-west-1 bias +0"
		}},
		{"ip", ruleCidrMatch, []string{"a"}, "ok", func(st Step) bool { return st.Candidates[0].Match == "cidr /16" && st.Candidates[1].Match == "default" }},
		{"gone", "not served: ", nil, "servfail", func(st Step) bool { return true }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex := &Explanation{}
			q := NewQuery(env, pfx("198.51.100.0/24"), false, ex)
			var out Picked
			Pick(&q, plan(t, s, tc.name+".example.com."), &out)
			q.Finish()
			if len(ex.Steps) != 1 {
				t.Fatalf("%d steps", len(ex.Steps))
			}
			st := ex.Steps[0]
			if !strings.HasPrefix(st.Rule, tc.rule) || strings.Join(st.Chosen, ",") != strings.Join(tc.chosen, ",") || st.Status != tc.status || !tc.check(st) {
				t.Errorf("step %+v", st)
			}
			if ex.Client.Source != "resolver" {
				t.Errorf("client source %q", ex.Client.Source)
			}
		})
	}
	ex := &Explanation{}
	q := NewQuery(nil, netip.Prefix{}, false, ex)
	q.Finish()
	if ex.Client.Source != "unknown" || ex.Location != nil || ex.Scope != 0 {
		t.Errorf("unknown client explained as %+v", ex)
	}
}
