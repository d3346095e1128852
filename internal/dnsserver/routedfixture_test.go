package dnsserver

import (
	"net/netip"

	"github.com/gaissmai/bart"
	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// routed builds an A record set with a SetIdentifier and policy fields.
func routed(name, id, value string, set func(*zone.RRSet)) zone.RRSet {
	r := rrset(name, "A", 60, value)
	r.SetIdentifier = id
	set(&r)
	return r
}

// routedRRSets are the fixture's record sets of every routing policy.
func routedRRSets() []zone.RRSet {
	geoAt := func(cont, country, sub string) func(*zone.RRSet) {
		return func(r *zone.RRSet) {
			r.GeoLocation = &zone.GeoLocation{ContinentCode: cont, CountryCode: country, SubdivisionCode: sub}
		}
	}
	region := func(code string) func(*zone.RRSet) { return func(r *zone.RRSet) { r.Region = code } }
	cidr := func(loc string) func(*zone.RRSet) {
		return func(r *zone.RRSet) {
			r.CidrRoutingConfig = &zone.CidrRoutingConfig{CollectionID: "c1", LocationName: loc}
		}
	}
	w := func(weight int64, hc string) func(*zone.RRSet) {
		return func(r *zone.RRSet) { r.Weight, r.HealthCheckID = &weight, hc }
	}
	multi := func(hc string) func(*zone.RRSet) {
		return func(r *zone.RRSet) { yes := true; r.MultiValueAnswer, r.HealthCheckID = &yes, hc }
	}
	near := func(code string) func(*zone.RRSet) {
		return func(r *zone.RRSet) { r.GeoProximityLocation = &zone.GeoProximityLocation{AWSRegion: code} }
	}
	primaryAlias := rrset("tree.example.com.", "A", 0)
	primaryAlias.TTL, primaryAlias.Values = nil, nil
	primaryAlias.SetIdentifier, primaryAlias.Failover = "primary", "PRIMARY"
	primaryAlias.AliasTarget = &zone.AliasTarget{HostedZoneID: "ZEX", DNSName: "pool.example.com.", EvaluateTargetHealth: true}
	return []zone.RRSet{
		routed("lat.example.com.", "apse2", "192.0.2.113", region("ap-southeast-2")),
		routed("lat.example.com.", "euw1", "192.0.2.112", region("eu-west-1")),
		routed("lat.example.com.", "use1", "192.0.2.111", region("us-east-1")),
		routed("geo.example.com.", "ca", "192.0.2.121", geoAt("", "US", "CA")),
		routed("geo.example.com.", "def", "192.0.2.124", geoAt("", "*", "")),
		routed("geo.example.com.", "eu", "192.0.2.123", geoAt("EU", "", "")),
		routed("geo.example.com.", "us", "192.0.2.122", geoAt("", "US", "")),
		routed("geonodef.example.com.", "de", "192.0.2.125", geoAt("", "DE", "")),
		routed("ip.example.com.", "corp", "192.0.2.131", cidr("corp")),
		routed("ip.example.com.", "def", "192.0.2.139", cidr("*")),
		routed("ip.example.com.", "lab", "192.0.2.132", cidr("lab")),
		routed("ipx.example.com.", "x", "192.0.2.130", func(r *zone.RRSet) {
			r.CidrRoutingConfig = &zone.CidrRoutingConfig{CollectionID: "missing", LocationName: "corp"}
		}),
		routed("fo.example.com.", "primary", "192.0.2.141", func(r *zone.RRSet) { r.Failover, r.HealthCheckID = "PRIMARY", "fo-primary" }),
		routed("fo.example.com.", "secondary", "192.0.2.142", func(r *zone.RRSet) { r.Failover = "SECONDARY" }),
		routed("mv.example.com.", "mv1", "192.0.2.151", multi("mv1")),
		routed("mv.example.com.", "mv2", "192.0.2.152", multi("mv2")),
		routed("mv.example.com.", "mv3", "192.0.2.153", multi("")),
		routed("prox.example.com.", "eu", "192.0.2.161", near("eu-west-1")),
		routed("prox.example.com.", "us", "192.0.2.162", near("us-east-1")),
		routed("pool.example.com.", "p1", "192.0.2.171", w(1, "pool1")),
		routed("pool.example.com.", "p2", "192.0.2.172", w(0, "pool2")),
		primaryAlias,
		routed("tree.example.com.", "secondary", "192.0.2.179", func(r *zone.RRSet) { r.Failover = "SECONDARY" }),
		routed("weighted.example.com.", "a", "192.0.2.181", w(10, "")),
		routed("weighted.example.com.", "b", "192.0.2.182", w(30, "")),
	}
}

// fixtureCollections holds the CIDR collection of ip.example.com.
func fixtureCollections() []zone.CidrCollection {
	return []zone.CidrCollection{{ID: "c1", Name: "offices", Version: 1, Locations: map[string][]string{
		"corp": {"203.0.113.0/24", "2001:db8:abcd::/48"},
		"lab":  {"203.0.113.128/25"},
	}}}
}

// tableLocator locates from a prefix table (the way the real locator
// does, with a longest-prefix lookup that does not allocate).
type tableLocator struct{ t bart.Table[geo.Location] }

func (l *tableLocator) Locate(a netip.Addr) geo.Location {
	loc, _ := l.t.Lookup(a)
	return loc
}

// tableLatency gives declared RTTs per region from prefix tables; a known
// region without an entry for the client answers in the default order.
type tableLatency map[string]*bart.Table[latency.RTT]

func (m tableLatency) RTT(a netip.Addr, _ geo.Location, region string) (latency.RTT, bool) {
	t, ok := m[region]
	if !ok {
		return latency.RTT{}, false
	}
	if r, ok := t.Lookup(a); ok {
		return r, true
	}
	return latency.RTT{Millis: 300, Source: latency.SourceDefault}, true
}

// testEnv is the routing environment of the fixture: where the test
// subnets are, RTTs to three regions, two regions' coordinates, and the
// given health checks.
func testEnv(h *healthstate.Holder) *routing.Env {
	loc := &tableLocator{}
	for p, l := range map[string]geo.Location{
		"192.0.2.0/24":     {Continent: "NA", Country: "US", Latitude: 38.9, Longitude: -77.4, HasCoords: true, Bits: 24, Source: geo.SourceDeclared},
		"203.0.113.0/24":   {Continent: "NA", Country: "US", Subdivision: "CA", Latitude: 37.4, Longitude: -122, HasCoords: true, Bits: 25, Source: geo.SourceDeclared},
		"203.0.113.128/25": {Continent: "AS", Country: "JP", Latitude: 35.7, Longitude: 139.7, HasCoords: true, Bits: 25, Source: geo.SourceDeclared},
		"198.51.100.0/24":  {Continent: "EU", Country: "DE", Latitude: 50.1, Longitude: 8.7, HasCoords: true, Bits: 24, Source: geo.SourceGeoIP},
		"2001:db8::/32":    {Continent: "EU", Country: "GB", Bits: 32, Source: geo.SourceGeoIP},
	} {
		loc.t.Insert(netip.MustParsePrefix(p), l)
	}
	lat := tableLatency{}
	for region, rtts := range map[string]map[string]float64{
		"us-east-1":      {"192.0.2.0/24": 5, "203.0.113.0/24": 60, "198.51.100.0/24": 90},
		"eu-west-1":      {"192.0.2.0/24": 80, "203.0.113.0/24": 140, "198.51.100.0/24": 20, "2001:db8::/32": 15},
		"ap-southeast-2": {},
	} {
		t := &bart.Table[latency.RTT]{}
		for p, ms := range rtts {
			pfx := netip.MustParsePrefix(p)
			t.Insert(pfx, latency.RTT{Millis: ms, Source: latency.SourceDeclared, Bits: uint8(pfx.Bits())})
		}
		lat[region] = t
	}
	regions := routing.RegionFunc(func(code string) (latency.Region, bool) {
		switch code {
		case "us-east-1":
			return latency.Region{Code: code, Latitude: 38.9, Longitude: -77.4}, true
		case "eu-west-1":
			return latency.Region{Code: code, Latitude: 53.3, Longitude: -6.3}, true
		}
		return latency.Region{}, false
	})
	return &routing.Env{Locator: loc, Latency: lat, Regions: regions, Health: h}
}

// testHealth returns a health holder in which the listed checks fail.
func testHealth(unhealthy ...string) *healthstate.Holder {
	m := map[string]bool{}
	for _, id := range unhealthy {
		m[id] = false
	}
	h := healthstate.NewHolder()
	h.Store(healthstate.NewView(m))
	return h
}
