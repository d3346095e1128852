package snapshot

import (
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

// withPolicy builds a record set at name with SetIdentifier id and lets set
// fill in its policy fields.
func withPolicy(name, id, value string, set func(r *zone.RRSet)) zone.RRSet {
	r := rrset(name, "A", 60, value)
	r.SetIdentifier = id
	set(&r)
	return r
}

func TestCompileFailoverLatencyGeolocation(t *testing.T) {
	s := mustBuild(t, zoneData("Z1", "example.com.", "",
		withPolicy("f.example.com.", "a-sec", "192.0.2.2", func(r *zone.RRSet) { r.Failover = "SECONDARY" }),
		withPolicy("f.example.com.", "b-pri", "192.0.2.1", func(r *zone.RRSet) { r.Failover = "PRIMARY"; r.HealthCheckID = "hc1" }),
		withPolicy("l.example.com.", "cn", "192.0.2.3", func(r *zone.RRSet) { r.Region = "cn-north-1" }),
		withPolicy("l.example.com.", "us", "192.0.2.4", func(r *zone.RRSet) { r.Region = "us-east-1" }),
		withPolicy("g.example.com.", "ca", "192.0.2.5", func(r *zone.RRSet) { r.GeoLocation = &zone.GeoLocation{CountryCode: "US", SubdivisionCode: "CA"} }),
		withPolicy("g.example.com.", "def", "192.0.2.6", func(r *zone.RRSet) { r.GeoLocation = &zone.GeoLocation{CountryCode: "*"} }),
		withPolicy("g.example.com.", "eu", "192.0.2.7", func(r *zone.RRSet) { r.GeoLocation = &zone.GeoLocation{ContinentCode: "EU"} }),
		withPolicy("g.example.com.", "us", "192.0.2.8", func(r *zone.RRSet) { r.GeoLocation = &zone.GeoLocation{CountryCode: "US"} }),
		withPolicy("d.example.com.", "def", "192.0.2.9", func(r *zone.RRSet) { r.GeoLocation = &zone.GeoLocation{CountryCode: "*"} }),
	))
	f := lookup(t, s, "f.example.com.", dns.TypeA).Plan
	if p, sec := f.Failover(); p != 1 || sec != 0 || f.AlwaysHealthy() {
		t.Errorf("failover: primary %d secondary %d always healthy %v", p, sec, f.AlwaysHealthy())
	}
	if f.Members[1].HealthCheckID() != "hc1" || f.Owner() != "f.example.com." {
		t.Errorf("member health check %q owner %q", f.Members[1].HealthCheckID(), f.Owner())
	}
	l := lookup(t, s, "l.example.com.", dns.TypeA).Plan
	if l.ChinaMember() != 0 || !l.AlwaysHealthy() {
		t.Errorf("latency: china member %d", l.ChinaMember())
	}
	g := lookup(t, s, "g.example.com.", dns.TypeA).Plan.Geo()
	matches := []struct {
		country, sub, continent string
		want                    [4]int
	}{
		{"US", "CA", "NA", [4]int{0, 3, -1, 1}},
		{"US", "", "", [4]int{-1, 3, -1, 1}},
		{"US", "NY", "", [4]int{-1, 3, -1, 1}},
		{"FR", "", "EU", [4]int{-1, -1, 2, 1}},
		{"TR", "", "AS", [4]int{-1, -1, 2, 1}}, // the Route 53 table puts TR in EU
		{"", "", "EU", [4]int{-1, -1, 2, 1}},   // no country: the locator's continent
		{"ZZ", "", "EU", [4]int{-1, -1, 2, 1}}, // not in the table: the locator's continent
		{"", "", "", [4]int{-1, -1, -1, 1}},
		{"u", "", "", [4]int{-1, -1, -1, 1}},
	}
	for _, m := range matches {
		sub, cty, cont, def := g.Match(m.country, m.sub, m.continent)
		if got := [4]int{sub, cty, cont, def}; got != m.want {
			t.Errorf("Match(%q, %q, %q) = %v, want %v", m.country, m.sub, m.continent, got, m.want)
		}
	}
	if g.Default() != 1 || g.OnlyDefault() {
		t.Errorf("default %d", g.Default())
	}
	if d := lookup(t, s, "d.example.com.", dns.TypeA).Plan.Geo(); !d.OnlyDefault() {
		t.Errorf("default-only group not recognised")
	}
	var none *GeoIndex
	if a, b, c, d := none.Match("US", "CA", "NA"); none.Default() != -1 || none.OnlyDefault() || a != -1 || b != -1 || c != -1 || d != -1 {
		t.Errorf("nil index answers")
	}
}

func TestCompileProximity(t *testing.T) {
	bias := func(b int64) *int64 { return &b }
	s := mustBuild(t, zoneData("Z1", "example.com.", "",
		withPolicy("p.example.com.", "a", "192.0.2.1", func(r *zone.RRSet) {
			r.GeoProximityLocation = &zone.GeoProximityLocation{AWSRegion: "eu-west-1", Bias: bias(25)}
		}),
		withPolicy("p.example.com.", "b", "192.0.2.2", func(r *zone.RRSet) {
			r.GeoProximityLocation = &zone.GeoProximityLocation{LocalZoneGroup: "us-west-2-den-1"}
		}),
		withPolicy("p.example.com.", "c", "192.0.2.3", func(r *zone.RRSet) {
			r.GeoProximityLocation = &zone.GeoProximityLocation{Coordinates: &zone.Coordinates{Latitude: "-33.87", Longitude: "+151.21"}, Bias: bias(-40)}
		}),
	))
	p := lookup(t, s, "p.example.com.", dns.TypeA).Plan
	want := []Proximity{{Region: "eu-west-1", Bias: 25}, {Region: "us-west-2"}, {Latitude: -33.87, Longitude: 151.21, HasCoords: true, Bias: -40}}
	for i, w := range want {
		if got := p.Proximity(i); got != w {
			t.Errorf("member %d: %+v, want %+v", i, got, w)
		}
	}
	if p.Proximity(7) != (Proximity{}) {
		t.Errorf("out of range member placed")
	}
}

func TestCompileRoutingProblems(t *testing.T) {
	lat := withPolicy("x.example.com.", "one", "192.0.2.1", func(r *zone.RRSet) { w := int64(1); r.Weight = &w })
	fo := withPolicy("x.example.com.", "two", "192.0.2.2", func(r *zone.RRSet) { r.Failover = "PRIMARY" })
	tests := []struct {
		name string
		sets []zone.RRSet
		want string
	}{
		{"mixed policies", []zone.RRSet{lat, fo}, "mix routing policies weighted and failover"},
		{"unknown local zone group", []zone.RRSet{withPolicy("x.example.com.", "a", "192.0.2.1", func(r *zone.RRSet) {
			r.GeoProximityLocation = &zone.GeoProximityLocation{LocalZoneGroup: "xx-nowhere-1a"}
		})}, `local zone group "xx-nowhere-1a" is in no known region`},
		{"bad coordinates", []zone.RRSet{withPolicy("x.example.com.", "a", "192.0.2.1", func(r *zone.RRSet) {
			r.GeoProximityLocation = &zone.GeoProximityLocation{Coordinates: &zone.Coordinates{Latitude: "95", Longitude: "0"}}
		})}, "bad coordinates"},
		{"unknown country code", []zone.RRSet{withPolicy("x.example.com.", "a", "192.0.2.1", func(r *zone.RRSet) { r.GeoLocation = &zone.GeoLocation{CountryCode: "usa"} })},
			`unknown country code "usa"`},
		{"unknown continent code", []zone.RRSet{withPolicy("x.example.com.", "a", "192.0.2.1", func(r *zone.RRSet) { r.GeoLocation = &zone.GeoLocation{ContinentCode: "XX"} })},
			`unknown continent code "XX"`},
		{"geolocation twice", []zone.RRSet{
			withPolicy("x.example.com.", "a", "192.0.2.1", func(r *zone.RRSet) { r.GeoLocation = &zone.GeoLocation{CountryCode: "FR"} }),
			withPolicy("x.example.com.", "b", "192.0.2.2", func(r *zone.RRSet) { r.GeoLocation = &zone.GeoLocation{CountryCode: "FR"} }),
		}, "name one location twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustBuild(t, zoneData("Z1", "example.com.", "", tc.sets...))
			p := lookup(t, s, "x.example.com.", dns.TypeA).Plan
			if !strings.Contains(p.Unserved, tc.want) {
				t.Errorf("unserved %q, want %q", p.Unserved, tc.want)
			}
			if !strings.Contains(strings.Join(s.Zone("Z1").Problems(), "\n"), tc.want) {
				t.Errorf("problems lack %q", tc.want)
			}
			if len(p.Members) == 0 || p.Members[0].SetIdentifier() == "" {
				t.Errorf("members do not keep their policy fields")
			}
		})
	}
}

func TestCompileAliasStatesAndHealth(t *testing.T) {
	eth := func(name, target string) zone.RRSet {
		r := alias(name, "A", "Z1", target)
		r.AliasTarget.EvaluateTargetHealth = true
		return r
	}
	checked := rrset("hc.example.com.", "A", 60, "192.0.2.9")
	checked.HealthCheckID = "hc"
	s := mustBuild(t, zoneData("Z1", "example.com.", "",
		rrset("target.example.com.", "A", 123, "192.0.2.7"),
		alias("example.com.", "A", "Z1", "target.example.com"),
		alias("chain.example.com.", "A", "/hostedzone/Z1", "example.com."),
		alias("ext.example.com.", "A", "Z2FDTNDATAQYW2", "d111111abcdef8.cloudfront.net."),
		alias("missing.example.com.", "A", "Z1", "nothing.example.com."),
		alias("loop1.example.com.", "A", "Z1", "loop2.example.com."),
		alias("loop2.example.com.", "A", "Z1", "loop1.example.com."),
		checked,
		eth("eth.example.com.", "hc.example.com."),
		eth("eth2.example.com.", "eth.example.com."),
		alias("noeth.example.com.", "A", "Z1", "hc.example.com."),
		eth("ethok.example.com.", "target.example.com."),
		eth("ethmissing.example.com.", "nothing.example.com."),
	))
	tests := []struct {
		name   string
		state  AliasState
		target string // owner of the target plan
		always bool
	}{
		{"example.com.", AliasResolved, "target.example.com.", true},
		{"chain.example.com.", AliasResolved, "example.com.", true},
		{"ext.example.com.", AliasExternal, "", true},
		{"missing.example.com.", AliasMissing, "", true},
		{"eth.example.com.", AliasResolved, "hc.example.com.", false},
		{"eth2.example.com.", AliasResolved, "eth.example.com.", false},
		{"noeth.example.com.", AliasResolved, "hc.example.com.", true},
		{"ethok.example.com.", AliasResolved, "target.example.com.", true},
		{"ethmissing.example.com.", AliasMissing, "", false},
	}
	for _, tc := range tests {
		p := lookup(t, s, tc.name, dns.TypeA).Plan
		a := p.Members[0].Alias
		if a == nil || a.State != tc.state {
			t.Errorf("%s: alias %+v, want state %d", tc.name, a, tc.state)
			continue
		}
		if (a.Plan == nil && tc.target != "") || (a.Plan != nil && a.Plan.Owner() != tc.target) {
			t.Errorf("%s: target plan %v, want %q", tc.name, a.Plan, tc.target)
		}
		if p.AlwaysHealthy() != tc.always {
			t.Errorf("%s: always healthy %v, want %v", tc.name, p.AlwaysHealthy(), tc.always)
		}
	}
	l1 := lookup(t, s, "loop1.example.com.", dns.TypeA).Plan.Members[0].Alias.State
	l2 := lookup(t, s, "loop2.example.com.", dns.TypeA).Plan.Members[0].Alias.State
	if (l1 == AliasCycle) == (l2 == AliasCycle) {
		t.Errorf("alias loop cut at %v / %v, want exactly one edge", l1, l2)
	}
	problems := strings.Join(s.Zone("Z1").Problems(), "\n")
	for _, want := range []string{"not yet served", "not found in the zone", "alias cycle"} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}
}

func TestWeightedMember(t *testing.T) {
	s := mustBuild(t, zoneData("Z1", "example.com.", "",
		weighted("w.example.com.", "A", "a", 1, "192.0.2.1"),
		weighted("w.example.com.", "A", "b", 0, "192.0.2.2"),
		weighted("w.example.com.", "A", "c", 3, "192.0.2.3"),
		weighted("z.example.com.", "A", "a", 0, "192.0.2.1"),
	))
	p := lookup(t, s, "w.example.com.", dns.TypeA).Plan
	if p.WeightTotal() != 4 {
		t.Fatalf("total %d", p.WeightTotal())
	}
	for r, want := range []int{0, 2, 2, 2} {
		if got := p.WeightedMember(uint64(r)); got != want {
			t.Errorf("r=%d: member %d, want %d", r, got, want)
		}
	}
	if w := p.Members[2].Weight(); w != 3 {
		t.Errorf("weight %d", w)
	}
	if z := lookup(t, s, "z.example.com.", dns.TypeA).Plan; z.WeightTotal() != 0 {
		t.Errorf("all-zero group total %d", z.WeightTotal())
	}
}
