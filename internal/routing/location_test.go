package routing

import (
	"net/netip"
	"testing"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// locTable is the test world's locator.
func locTable() *fakeLocator {
	l := func(p string, loc geo.Location) locEntry { return locEntry{pfx(p), loc} }
	return &fakeLocator{
		entries: []locEntry{
			l("198.51.100.0/24", geo.Location{Continent: "NA", Country: "US", Subdivision: "CA", Bits: 24, Source: geo.SourceDeclared, Latitude: 37.4, Longitude: -122, HasCoords: true}),
			l("198.51.101.0/24", geo.Location{Continent: "NA", Country: "US", Bits: 24, Source: geo.SourceDeclared}),
			l("198.51.102.0/24", geo.Location{Continent: "NA", Country: "MX", Bits: 24}),
			l("198.51.103.0/24", geo.Location{Continent: "EU", Country: "DE", Bits: 24}),
			l("198.51.104.0/24", geo.Location{Continent: "EU", Country: "FR", Bits: 24}),
			l("198.51.105.0/24", geo.Location{Continent: "AS", Country: "TR", Bits: 24}), // the table says EU
			l("198.51.106.0/24", geo.Location{Continent: "AS", Country: "JP", Bits: 24}),
			l("203.0.113.0/24", geo.Location{Continent: "EU", Country: "IE", Bits: 24, Latitude: 53.3, Longitude: -6.2, HasCoords: true}),
			l("100.64.0.0/16", geo.Location{Continent: "AS", Country: "CN", Bits: 16, Latitude: 39.9, Longitude: 116.4, HasCoords: true}),
			l("10.0.0.0/24", geo.Location{Bits: 24, HasCoords: true}), // (0, 0)
			l("10.0.1.0/24", geo.Location{Country: "US", Continent: "NA", Bits: 24, Latitude: 39.7, Longitude: -105, HasCoords: true}),
			l("10.0.2.0/24", geo.Location{Country: "IN", Continent: "AS", Bits: 24, Latitude: 19.1, Longitude: 72.9, HasCoords: true}),
		},
		miss: geo.Location{Bits: 8},
	}
}

func TestLatency(t *testing.T) {
	measured := func(ms float64, bits uint8) latency.RTT {
		return latency.RTT{Millis: ms, Source: latency.SourceMeasured, Bits: bits}
	}
	lat := fakeLatency{
		"us-east-1":      {{pfx("198.51.100.0/24"), measured(10, 24)}, {pfx("203.0.113.0/24"), measured(80, 24)}},
		"eu-west-1":      {{pfx("198.51.100.0/24"), measured(90, 24)}, {pfx("203.0.113.0/24"), measured(20, 25)}, {pfx("203.0.113.128/25"), measured(150, 25)}},
		"ap-southeast-2": {},
		"cn-north-1":     {{pfx("198.51.100.0/24"), measured(200, 24)}},
	}
	s := build(t, nil,
		rec("l.example.com.", "apse2", "192.0.2.4", region("ap-southeast-2"), hc("apse2")),
		rec("l.example.com.", "cn", "192.0.2.5", region("cn-north-1"), hc("cn")),
		rec("l.example.com.", "euw1", "192.0.2.2", region("eu-west-1"), hc("euw1")),
		rec("l.example.com.", "mes1", "192.0.2.6", region("me-south-1"), hc("mes1")),
		rec("l.example.com.", "use1", "192.0.2.1", region("us-east-1"), hc("use1")),
		rec("one.example.com.", "use1", "192.0.2.1", region("us-east-1")),
	)
	full := func(unhealthy ...string) *Env {
		return &Env{Locator: locTable(), Latency: lat, Health: view(unhealthy...)}
	}
	tests := []struct {
		name   string
		env    *Env
		client string
		qname  string
		want   string
		scope  uint8
	}{
		{"lowest RTT", full(), "198.51.100.0/24", "", "192.0.2.1", 24},
		{"another subnet, another region", full(), "203.0.113.0/25", "", "192.0.2.2", 25},
		{"a more specific measurement", full(), "203.0.113.128/25", "", "192.0.2.1", 25},
		{"best unhealthy: next best", full("euw1"), "203.0.113.0/25", "", "192.0.2.1", 25},
		{"all unhealthy: fail open to the best", full("apse2", "cn", "euw1", "mes1", "use1"), "198.51.100.0/24", "", "192.0.2.1", 24},
		{"China: cn-north-1 whatever the latency", full(), "100.64.1.0/24", "", "192.0.2.5", 16},
		{"China, cn-north-1 unhealthy: next (ties in SetIdentifier order)", full("cn"), "100.64.1.0/24", "", "192.0.2.4", 16},
		{"only one healthy: nothing consulted", full("apse2", "cn", "euw1", "mes1"), "198.51.100.0/24", "", "192.0.2.1", 0},
		{"unknown region ranks last", full("cn", "euw1", "use1"), "198.51.100.0/24", "", "192.0.2.4", 24},
		{"no latency map, no locator: SetIdentifier order", &Env{Health: view("apse2")}, "198.51.100.0/24", "", "192.0.2.5", 0},
		{"no latency map: the China rule still locates", &Env{Locator: locTable(), Health: view("apse2")}, "198.51.100.0/24", "", "192.0.2.5", 24},
		{"single record: nothing consulted", full(), "198.51.100.0/24", "one.example.com.", "192.0.2.1", 0},
		{"unknown client", full(), "", "", "192.0.2.4", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := tc.qname
			if name == "" {
				name = "l.example.com."
			}
			q := NewQuery(tc.env, pfxOrZero(tc.client), true, nil)
			v, st := pickOnce(t, &q, plan(t, s, name))
			if st != OK || v != tc.want || q.Scope() != tc.scope {
				t.Errorf("answered %s (%v) scope /%d, want %s scope /%d", v, st, q.Scope(), tc.want, tc.scope)
			}
		})
	}
}

func pfxOrZero(s string) (p netip.Prefix) {
	if s == "" {
		return p
	}
	return pfx(s)
}

func TestGeolocation(t *testing.T) {
	full := []zone.RRSet{
		rec("g.example.com.", "ca", "192.0.2.1", geoloc("", "US", "CA"), hc("ca")),
		rec("g.example.com.", "de", "192.0.2.2", geoloc("", "DE", ""), hc("de")),
		rec("g.example.com.", "def", "192.0.2.3", geoloc("", "*", ""), hc("def")),
		rec("g.example.com.", "eu", "192.0.2.4", geoloc("EU", "", ""), hc("eu")),
		rec("g.example.com.", "na", "192.0.2.5", geoloc("NA", "", ""), hc("na")),
		rec("g.example.com.", "us", "192.0.2.6", geoloc("", "US", ""), hc("us")),
		rec("nodef.example.com.", "us", "192.0.2.6", geoloc("", "US", "")),
		rec("onlydef.example.com.", "def", "192.0.2.3", geoloc("", "*", "")),
	}
	s := build(t, nil, full...)
	env := func(unhealthy ...string) *Env { return &Env{Locator: locTable(), Health: view(unhealthy...)} }
	tests := []struct {
		name   string
		env    *Env
		qname  string
		client string
		want   string // "" for no answer
		scope  uint8
	}{
		{"subdivision", env(), "g", "198.51.100.0/24", "192.0.2.1", 24},
		{"subdivision unhealthy: country", env("ca"), "g", "198.51.100.0/24", "192.0.2.6", 24},
		{"then continent", env("ca", "us"), "g", "198.51.100.0/24", "192.0.2.5", 24},
		{"then default", env("ca", "us", "na"), "g", "198.51.100.0/24", "192.0.2.3", 24},
		{"all unhealthy: the most specific", env("ca", "us", "na", "def"), "g", "198.51.100.0/24", "192.0.2.1", 24},
		{"US without state: country", env(), "g", "198.51.101.0/24", "192.0.2.6", 24},
		{"country without record: continent", env(), "g", "198.51.102.0/24", "192.0.2.5", 24},
		{"country record", env(), "g", "198.51.103.0/24", "192.0.2.2", 24},
		{"country unhealthy: continent", env("de"), "g", "198.51.103.0/24", "192.0.2.4", 24},
		{"continent from the Route 53 table, not the locator", env(), "g", "198.51.105.0/24", "192.0.2.4", 24},
		{"no match: default", env(), "g", "198.51.106.0/24", "192.0.2.3", 24},
		{"unmapped address: default", env(), "g", "192.0.2.0/24", "192.0.2.3", 8},
		{"no match and no default: no answer", env(), "nodef", "198.51.106.0/24", "", 24},
		{"no locator: only the default matches", &Env{}, "g", "198.51.100.0/24", "192.0.2.3", 0},
		{"default only: nothing consulted", env(), "onlydef", "198.51.100.0/24", "192.0.2.3", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := query(tc.env, tc.client)
			v, st := pickOnce(t, q, plan(t, s, tc.qname+".example.com."))
			wantSt := OK
			if tc.want == "" {
				wantSt = NoData
			}
			if st != wantSt || v != tc.want || q.Scope() != tc.scope {
				t.Errorf("answered %q (%v) scope /%d, want %q (%v) scope /%d", v, st, q.Scope(), tc.want, wantSt, tc.scope)
			}
		})
	}
}

func TestGeoproximity(t *testing.T) {
	bias := func(b int64) *int64 { return &b }
	coords := func(lat, lon string, b int64) func(*zone.RRSet) {
		return prox(zone.GeoProximityLocation{Coordinates: &zone.Coordinates{Latitude: lat, Longitude: lon}, Bias: bias(b)})
	}
	inRegion := func(r string) func(*zone.RRSet) { return prox(zone.GeoProximityLocation{AWSRegion: r}) }
	env := func(unhealthy ...string) *Env {
		return &Env{Locator: locTable(), Regions: regions, Health: view(unhealthy...)}
	}
	tests := []struct {
		name   string
		sets   []zone.RRSet
		env    *Env
		client string
		want   string
		scope  uint8
	}{
		// The guide's example: A at 150 km with bias +50 counts 75 km and
		// beats B at 100 km.
		{"positive bias pulls", []zone.RRSet{
			rec("p.example.com.", "a", "192.0.2.1", coords("0", "1.35", 50)),
			rec("p.example.com.", "b", "192.0.2.2", coords("0", "0.90", 0)),
		}, env(), "10.0.0.0/24", "192.0.2.1", 24},
		{"without bias the nearer wins", []zone.RRSet{
			rec("p.example.com.", "a", "192.0.2.1", coords("0", "1.35", 0)),
			rec("p.example.com.", "b", "192.0.2.2", coords("0", "0.90", 0)),
		}, env(), "10.0.0.0/24", "192.0.2.2", 24},
		{"negative bias pushes", []zone.RRSet{
			rec("p.example.com.", "a", "192.0.2.1", coords("0", "1.35", 0)),
			rec("p.example.com.", "b", "192.0.2.2", coords("0", "0.90", -50)),
		}, env(), "10.0.0.0/24", "192.0.2.1", 24},
		{"AWS regions from the catalog", []zone.RRSet{
			rec("p.example.com.", "eu", "192.0.2.1", inRegion("eu-west-1")),
			rec("p.example.com.", "us", "192.0.2.2", inRegion("us-east-1")),
		}, env(), "203.0.113.0/24", "192.0.2.1", 24},
		{"local zone group at its parent region", []zone.RRSet{
			rec("p.example.com.", "den", "192.0.2.1", prox(zone.GeoProximityLocation{LocalZoneGroup: "us-west-2-den-1"})),
			rec("p.example.com.", "us", "192.0.2.2", inRegion("us-east-1")),
		}, env(), "10.0.1.0/24", "192.0.2.1", 24},
		{"region unknown to the catalog ranks last", []zone.RRSet{
			rec("p.example.com.", "bom", "192.0.2.1", inRegion("ap-south-1")),
			rec("p.example.com.", "eu", "192.0.2.2", inRegion("eu-west-1")),
		}, env(), "10.0.2.0/24", "192.0.2.2", 24},
		{"no catalog: coordinates beat regions", []zone.RRSet{
			rec("p.example.com.", "a", "192.0.2.1", inRegion("eu-west-1")),
			rec("p.example.com.", "b", "192.0.2.2", coords("-33.9", "151.2", 0)),
		}, &Env{Locator: locTable()}, "203.0.113.0/24", "192.0.2.2", 24},
		{"nearest unhealthy: next", []zone.RRSet{
			rec("p.example.com.", "eu", "192.0.2.1", inRegion("eu-west-1"), hc("eu")),
			rec("p.example.com.", "syd", "192.0.2.3", inRegion("ap-southeast-2"), hc("syd")),
			rec("p.example.com.", "us", "192.0.2.2", inRegion("us-east-1"), hc("us")),
		}, env("eu"), "203.0.113.0/24", "192.0.2.2", 24},
		{"all unhealthy: fail open to the nearest", []zone.RRSet{
			rec("p.example.com.", "eu", "192.0.2.1", inRegion("eu-west-1"), hc("eu")),
			rec("p.example.com.", "us", "192.0.2.2", inRegion("us-east-1"), hc("us")),
		}, env("eu", "us"), "203.0.113.0/24", "192.0.2.1", 24},
		{"client without coordinates: first healthy by SetIdentifier", []zone.RRSet{
			rec("p.example.com.", "a-us", "192.0.2.2", inRegion("us-east-1"), hc("us")),
			rec("p.example.com.", "b-eu", "192.0.2.1", inRegion("eu-west-1")),
			rec("p.example.com.", "c-syd", "192.0.2.3", inRegion("ap-southeast-2")),
		}, env("us"), "198.51.101.0/24", "192.0.2.1", 24},
		{"one healthy: nothing consulted", []zone.RRSet{
			rec("p.example.com.", "a-us", "192.0.2.2", inRegion("us-east-1"), hc("us")),
			rec("p.example.com.", "b-eu", "192.0.2.1", inRegion("eu-west-1")),
		}, env("us"), "203.0.113.0/24", "192.0.2.1", 0},
		{"no locator: first by SetIdentifier", []zone.RRSet{
			rec("p.example.com.", "a-us", "192.0.2.2", inRegion("us-east-1")),
			rec("p.example.com.", "b-eu", "192.0.2.1", inRegion("eu-west-1")),
		}, &Env{Regions: regions}, "203.0.113.0/24", "192.0.2.2", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := query(tc.env, tc.client)
			v, st := pickOnce(t, q, plan(t, build(t, nil, tc.sets...), "p.example.com."))
			if st != OK || v != tc.want || q.Scope() != tc.scope {
				t.Errorf("answered %s (%v) scope /%d, want %s scope /%d", v, st, q.Scope(), tc.want, tc.scope)
			}
		})
	}
}

func TestGreatCircleAndBias(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		bias                   float64
		want, tolerance        float64
	}{
		{"one degree of longitude on the equator", 0, 0, 0, 1, 0, 111.19, 0.01},
		{"Dublin to N. Virginia", 53.3, -6.3, 38.9, -77.4, 0, 5470, 30},
		{"antipodes", 0, 0, 0, 180, 0, 20015.1, 0.1},
		{"bias +50 halves", 0, 0, 0, 1, 50, 55.6, 0.01},
		{"bias -50 doubles", 0, 0, 0, 1, -50, 222.39, 0.01},
		{"bias -99 multiplies by 100", 0, 0, 0, 1, -99, 11119.5, 0.1},
	}
	for _, tc := range tests {
		got := biasedKm(latency.DistanceKm(tc.lat1, tc.lon1, tc.lat2, tc.lon2), tc.bias)
		if d := got - tc.want; d > tc.tolerance || d < -tc.tolerance {
			t.Errorf("%s: %.2f km, want %.2f", tc.name, got, tc.want)
		}
	}
}

func TestIPBased(t *testing.T) {
	col := []zone.CidrCollection{{ID: "c1", Name: "one", Locations: map[string][]string{
		"a": {"10.0.0.0/8"}, "b": {"10.1.0.0/16"}, "c": {"10.1.2.0/24"},
	}}}
	s := build(t, col,
		rec("ip.example.com.", "ra", "192.0.2.1", cidr("c1", "a"), hc("a")),
		rec("ip.example.com.", "rb", "192.0.2.2", cidr("c1", "b"), hc("b")),
		rec("ip.example.com.", "rc", "192.0.2.3", cidr("c1", "c"), hc("c")),
		rec("ip.example.com.", "rz", "192.0.2.9", cidr("c1", "*"), hc("z")),
		rec("nodef.example.com.", "ra", "192.0.2.1", cidr("c1", "a")),
		rec("def.example.com.", "rz", "192.0.2.9", cidr("c1", "*")),
		rec("gone.example.com.", "ra", "192.0.2.1", cidr("nope", "a")),
	)
	env := func(unhealthy ...string) *Env { return &Env{Health: view(unhealthy...)} }
	tests := []struct {
		name   string
		qname  string
		env    *Env
		client string
		want   string
		status Status
		scope  uint8
	}{
		{"longest match", "ip", env(), "10.1.2.0/24", "192.0.2.3", OK, 24},
		{"resolver address as /32", "ip", env(), "10.1.2.53/32", "192.0.2.3", OK, 24},
		{"sibling subnet: the /16", "ip", env(), "10.1.3.0/24", "192.0.2.2", OK, 24},
		{"a longer block does not match a shorter subnet", "ip", env(), "10.1.0.0/16", "192.0.2.2", OK, 16},
		{"matched unhealthy: default", "ip", env("c"), "10.1.2.0/24", "192.0.2.9", OK, 24},
		{"matched and default unhealthy: fail open to the match", "ip", env("c", "z"), "10.1.2.0/24", "192.0.2.3", OK, 24},
		{"no match: default", "ip", env(), "192.0.2.0/24", "192.0.2.9", OK, 1},
		{"IPv6 client, no IPv6 blocks: default", "ip", env(), "2001:db8::/56", "192.0.2.9", OK, 0},
		{"no match and no default: no answer", "nodef", env(), "192.0.2.0/24", "", NoData, 1},
		{"default only: nothing consulted", "def", env(), "10.1.2.0/24", "192.0.2.9", OK, 0},
		{"unknown client: default", "ip", env(), "", "192.0.2.9", OK, 0},
		{"collection missing: SERVFAIL", "gone", env(), "10.1.2.0/24", "", ServFail, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := NewQuery(tc.env, pfxOrZero(tc.client), true, nil)
			v, st := pickOnce(t, &q, plan(t, s, tc.qname+".example.com."))
			if st != tc.status || v != tc.want || q.Scope() != tc.scope {
				t.Errorf("answered %q (%v) scope /%d, want %q (%v) scope /%d", v, st, q.Scope(), tc.want, tc.status, tc.scope)
			}
		})
	}
}
