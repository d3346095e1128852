package routing

import (
	"io"
	"log/slog"
	"net/netip"
	"os"
	"testing"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

// TestMain keeps the compiler's warnings about deliberately unserved
// record sets out of the test output.
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// rec builds an A record set with one value, a SetIdentifier and whatever
// set adds.
func rec(name, id, value string, set ...func(*zone.RRSet)) zone.RRSet {
	ttl := int64(60)
	r := zone.RRSet{Name: name, Type: "A", SetIdentifier: id, TTL: &ttl, Values: []string{value}}
	for _, f := range set {
		f(&r)
	}
	return r
}

func weight(w int64) func(*zone.RRSet)  { return func(r *zone.RRSet) { r.Weight = &w } }
func hc(id string) func(*zone.RRSet)    { return func(r *zone.RRSet) { r.HealthCheckID = id } }
func region(c string) func(*zone.RRSet) { return func(r *zone.RRSet) { r.Region = c } }
func role(f string) func(*zone.RRSet)   { return func(r *zone.RRSet) { r.Failover = f } }
func multi() func(*zone.RRSet) {
	return func(r *zone.RRSet) { yes := true; r.MultiValueAnswer = &yes }
}
func geoloc(continent, country, sub string) func(*zone.RRSet) {
	return func(r *zone.RRSet) {
		r.GeoLocation = &zone.GeoLocation{ContinentCode: continent, CountryCode: country, SubdivisionCode: sub}
	}
}
func cidr(col, loc string) func(*zone.RRSet) {
	return func(r *zone.RRSet) {
		r.CidrRoutingConfig = &zone.CidrRoutingConfig{CollectionID: col, LocationName: loc}
	}
}
func prox(l zone.GeoProximityLocation) func(*zone.RRSet) {
	return func(r *zone.RRSet) { r.GeoProximityLocation = &l }
}

// aliasTo makes the record set an alias to target in zone Z1.
func aliasTo(target string, eth bool) func(*zone.RRSet) {
	return func(r *zone.RRSet) {
		r.TTL, r.Values = nil, nil
		r.AliasTarget = &zone.AliasTarget{HostedZoneID: "Z1", DNSName: target, EvaluateTargetHealth: eth}
	}
}

// build compiles zone Z1 (example.com.) with the record sets.
func build(t testing.TB, cols []zone.CidrCollection, sets ...zone.RRSet) *snapshot.Snapshot {
	t.Helper()
	ttl := int64(900)
	all := []zone.RRSet{
		{Name: "example.com.", Type: "SOA", TTL: &ttl, Values: []string{"ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}},
		{Name: "example.com.", Type: "NS", TTL: &ttl, Values: []string{"ns-1.awsdns-00.com."}},
	}
	s, err := snapshot.Build(1, []snapshot.ZoneData{{
		Zone:   zone.HostedZone{ID: "Z1", Name: "example.com."},
		RRSets: append(all, sets...),
	}}, cols)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return s
}

// plan returns the A plan at name.
func plan(t testing.TB, s *snapshot.Snapshot, name string) *snapshot.Plan {
	t.Helper()
	var w snapshot.WireName
	if !w.SetPresentation(name) {
		t.Fatalf("bad name %q", name)
	}
	r := s.Lookup(&w, dns.TypeA)
	if r.Plan == nil {
		t.Fatalf("%s: no A plan (%v)", name, r.Kind)
	}
	return r.Plan
}

// values returns the A values of a pick.
func values(p *Picked) []string {
	var out []string
	for _, m := range p.Members() {
		for _, rr := range m.RRs {
			out = append(out, rr.(*dns.A).A.String())
		}
	}
	return out
}

// pickOnce picks once and returns the single answered value, "" when the
// status is not OK.
func pickOnce(t testing.TB, q *Query, p *snapshot.Plan) (string, Status) {
	t.Helper()
	var out Picked
	st := Pick(q, p, &out)
	v := values(&out)
	if st != OK {
		return "", st
	}
	if len(v) != 1 {
		t.Fatalf("pick answered %v, want one value", v)
	}
	return v[0], st
}

// view returns a health view in which the listed checks are unhealthy and
// every other listed check healthy.
func view(unhealthy ...string) *healthstate.Holder {
	m := map[string]bool{}
	for _, id := range unhealthy {
		m[id] = false
	}
	h := healthstate.NewHolder()
	h.Store(healthstate.NewView(m))
	return h
}

// fakeLocator locates addresses from a list of prefixes (longest match),
// each with the Location (and Bits) it gives.
type fakeLocator struct {
	entries []locEntry
	miss    geo.Location
}

type locEntry struct {
	pfx netip.Prefix
	loc geo.Location
}

func (f *fakeLocator) Locate(a netip.Addr) geo.Location {
	best := -1
	for i, e := range f.entries {
		if e.pfx.Contains(a) && (best < 0 || e.pfx.Bits() > f.entries[best].pfx.Bits()) {
			best = i
		}
	}
	if best < 0 {
		return f.miss
	}
	return f.entries[best].loc
}

// fakeLatency gives RTTs per region from per-prefix entries (longest
// match); a known region with no matching entry answers from the default
// order (500 ms, Bits 0); an unknown region is not ok.
type fakeLatency map[string][]rttEntry

type rttEntry struct {
	pfx netip.Prefix
	rtt latency.RTT
}

func (f fakeLatency) RTT(a netip.Addr, _ geo.Location, region string) (latency.RTT, bool) {
	es, ok := f[region]
	if !ok {
		return latency.RTT{}, false
	}
	best := -1
	for i, e := range es {
		if e.pfx.Contains(a) && (best < 0 || e.pfx.Bits() > es[best].pfx.Bits()) {
			best = i
		}
	}
	if best < 0 {
		return latency.RTT{Millis: 500, Source: latency.SourceDefault}, true
	}
	return es[best].rtt, true
}

// regions is a region catalog of a few AWS regions (spec 8.1).
var regions = RegionFunc(func(code string) (latency.Region, bool) {
	r, ok := map[string]latency.Region{
		"us-east-1":      {Code: "us-east-1", Latitude: 38.9, Longitude: -77.4},
		"us-west-2":      {Code: "us-west-2", Latitude: 45.8, Longitude: -119.7},
		"eu-west-1":      {Code: "eu-west-1", Latitude: 53.3, Longitude: -6.3},
		"ap-southeast-2": {Code: "ap-southeast-2", Latitude: -33.9, Longitude: 151.2},
	}[code]
	return r, ok
})

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// query returns a query from client in env.
func query(env *Env, client string) *Query {
	q := NewQuery(env, pfx(client), true, nil)
	return &q
}
