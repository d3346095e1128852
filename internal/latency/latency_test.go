package latency

import (
	"math"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/zone"
)

func TestBuiltinRegions(t *testing.T) {
	got := BuiltinRegions()
	codes := make([]string, len(got))
	for i, r := range got {
		codes[i] = r.Code
		if !IsBuiltin(r.Code) {
			t.Errorf("IsBuiltin(%s) = false", r.Code)
		}
		if r.Latitude < -90 || r.Latitude > 90 || r.Longitude < -180 || r.Longitude > 180 || r.Latitude == 0 && r.Longitude == 0 {
			t.Errorf("%s: bad coordinates %v, %v", r.Code, r.Latitude, r.Longitude)
		}
	}
	if want := zone.LatencyRegions(); !slices.Equal(codes, want) {
		t.Errorf("codes = %v\nwant %v", codes, want)
	}
	if len(builtinCoords) != len(got) {
		t.Errorf("%d coordinates for %d regions", len(builtinCoords), len(got))
	}
	spec := map[string][2]float64{ // spot checks against spec 8.1
		"us-east-1": {38.9, -77.4}, "ap-southeast-2": {-33.9, 151.2}, "sa-east-1": {-23.5, -46.6}, "eu-central-1": {50.1, 8.7},
	}
	for _, r := range got {
		if ll, ok := spec[r.Code]; ok && (r.Latitude != ll[0] || r.Longitude != ll[1]) {
			t.Errorf("%s = %v, %v; spec says %v", r.Code, r.Latitude, r.Longitude, ll)
		}
	}
	for _, c := range []string{"", "us-east-9", "on-prem", "US-EAST-1"} {
		if IsBuiltin(c) {
			t.Errorf("IsBuiltin(%q)", c)
		}
	}
}

func at(lat, lon float64) geo.Location {
	return geo.Location{Latitude: lat, Longitude: lon, HasCoords: true}
}

func TestEstimateMillis(t *testing.T) {
	halfCircle := math.Pi * EarthRadiusKm
	tests := []struct {
		name string
		from geo.Location
		to   Region
		want float64
	}{
		{"same place", at(38.9, -77.4), Region{Latitude: 38.9, Longitude: -77.4}, BaseMillis},
		{"antipodes", at(0, 0), Region{Latitude: 0, Longitude: 180}, BaseMillis + 2*halfCircle*1.5/200},
		{"pole", at(0, 10), Region{Latitude: 90, Longitude: -50}, BaseMillis + halfCircle*1.5/200},
		{"across the date line", at(0, 179), Region{Latitude: 0, Longitude: -179}, BaseMillis + 2*(halfCircle/90)*1.5/200},
		{"no coordinates", geo.Location{Country: "DE"}, Region{}, math.Inf(1)},
	}
	for _, tt := range tests {
		if got := EstimateMillis(tt.from, tt.to); math.Abs(got-tt.want) > 1e-6 && !(math.IsInf(got, 1) && math.IsInf(tt.want, 1)) {
			t.Errorf("%s: %v ms, want %v", tt.name, got, tt.want)
		}
	}
	// Plausibility: Frankfurt to N. Virginia is about 6,500 km.
	if d := DistanceKm(50.1, 8.7, 38.9, -77.4); d < 6400 || d > 6600 {
		t.Errorf("FRA-IAD = %v km", d)
	}
	if a, b := DistanceKm(1, 2, 30, 40), DistanceKm(30, 40, 1, 2); math.Abs(a-b) > 1e-9 {
		t.Errorf("not symmetric: %v %v", a, b)
	}
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

var testConfig = Config{
	Regions: []Region{{Code: "on-prem-east", Latitude: 40.7, Longitude: -74.0}},
	Declared: []Declared{
		{pfx("192.0.2.0/24"), "us-west-2", 40},
		{pfx("192.0.2.128/25"), "us-west-2", 5},
		{pfx("10.0.0.0/8"), "eu-west-1", 30},
		{pfx("10.1.0.0/16"), "eu-west-1", 30},
		{pfx("10.2.0.0/16"), "eu-west-1", 12},
		{pfx("10.0.0.0/8"), "on-prem-east", 0},
		{pfx("2001:db8::/32"), "ap-northeast-1", 20},
	},
	DefaultOrder: []string{"eu-west-1", "on-prem-east"},
}

var testMeasured = []Declared{
	{pfx("192.0.2.192/26"), "us-west-2", 9},
	{pfx("192.0.2.192/26"), "us-west-2", 3}, // later sample wins
	{pfx("192.0.2.0/24"), "nowhere-1", 1},   // unknown region: skipped
	{pfx("192.0.2.1/24"), "us-west-2", 1},   // host bits: skipped
	{pfx("192.0.2.0/28"), "us-west-2", -1},  // negative: skipped
	{pfx("192.0.2.0/28"), "us-west-2", math.NaN()},
}

func TestRTT(t *testing.T) {
	base, err := Compile(testConfig)
	if err != nil {
		t.Fatal(err)
	}
	tab := base.WithMeasured(testMeasured)
	nyc := at(40.7, -74.0)
	nyc.Bits = 24
	unknown := geo.Location{Bits: 20}
	tests := []struct {
		name   string
		addr   string
		loc    geo.Location
		region string
		want   RTT
	}{
		{"measured", "192.0.2.200", nyc, "us-west-2", RTT{3, SourceMeasured, 26}},
		{"declared minus measured", "192.0.2.130", nyc, "us-west-2", RTT{5, SourceDeclared, 26}},
		{"declared outer", "192.0.2.1", nyc, "us-west-2", RTT{40, SourceDeclared, 25}},
		{"mapped address", "::ffff:192.0.2.1", nyc, "us-west-2", RTT{40, SourceDeclared, 25}},
		{"equal neighbours merge", "10.1.2.3", nyc, "eu-west-1", RTT{30, SourceDeclared, 15}},
		{"nested other value", "10.2.0.1", nyc, "eu-west-1", RTT{12, SourceDeclared, 16}},
		{"outer after nested", "10.200.0.0", nyc, "eu-west-1", RTT{30, SourceDeclared, 9}},
		{"zero RTT", "10.9.9.9", nyc, "on-prem-east", RTT{0, SourceDeclared, 8}},
		{"other region not shadowed", "192.0.2.130", nyc, "us-east-1", RTT{EstimateMillis(nyc, mustRegion(t, base, "us-east-1")), SourceEstimate, 24}},
		{"custom region estimate", "198.51.100.1", nyc, "on-prem-east", RTT{BaseMillis, SourceEstimate, 24}},
		{"estimate scope from gaps", "10.3.0.1", at(1, 1), "us-west-2", RTT{EstimateMillis(at(1, 1), mustRegion(t, base, "us-west-2")), SourceEstimate, 1}},
		{"default first", "198.51.100.1", unknown, "eu-west-1", RTT{1000, SourceDefault, 20}},
		{"default second", "198.51.100.1", unknown, "on-prem-east", RTT{1010, SourceDefault, 20}},
		{"default unlisted", "198.51.100.1", unknown, "us-east-1", RTT{1020, SourceDefault, 20}},
		{"default unlisted next", "198.51.100.1", unknown, "us-east-2", RTT{1030, SourceDefault, 20}},
		// us-west-2 is the 4th unlisted region (after us-east-1, us-east-2,
		// us-west-1): rank 2+3. ap-northeast-1: rank 2+12.
		{"default scope from gap", "192.0.3.1", geo.Location{}, "us-west-2", RTT{1050, SourceDefault, 24}},
		{"ipv6 declared", "2001:db8:5::1", unknown, "ap-northeast-1", RTT{20, SourceDeclared, 32}},
		{"ipv6 gap", "2001:db9::1", geo.Location{}, "ap-northeast-1", RTT{1140, SourceDefault, 32}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tab.RTT(netip.MustParseAddr(tt.addr), tt.loc, tt.region)
			if !ok || got != tt.want {
				t.Errorf("RTT = %+v, %v; want %+v", got, ok, tt.want)
			}
		})
	}
	if _, ok := tab.RTT(netip.MustParseAddr("192.0.2.1"), nyc, "us-west-9"); ok {
		t.Error("unknown region answered")
	}
	// The base table has no measured layer; nil removes it again.
	for _, tb := range []*Table{base, tab.WithMeasured(nil)} {
		if got, _ := tb.RTT(netip.MustParseAddr("192.0.2.200"), nyc, "us-west-2"); got != (RTT{5, SourceDeclared, 25}) {
			t.Errorf("without measurements: %+v", got)
		}
	}
	var none *Table
	if _, ok := none.RTT(netip.MustParseAddr("192.0.2.1"), nyc, "us-east-1"); ok {
		t.Error("nil table answered")
	}
	if none.WithMeasured(testMeasured) != nil || none.Regions() != nil {
		t.Error("nil table grew")
	}
	if _, ok := none.Region("us-east-1"); ok {
		t.Error("nil table knows a region")
	}
}

func mustRegion(t *testing.T, tab *Table, code string) Region {
	t.Helper()
	r, ok := tab.Region(code)
	if !ok {
		t.Fatalf("no region %s", code)
	}
	return r
}

func TestRegions(t *testing.T) {
	tab, err := Compile(testConfig)
	if err != nil {
		t.Fatal(err)
	}
	rs := tab.Regions()
	if len(rs) != len(zone.LatencyRegions())+1 || rs[len(rs)-1].Code != "on-prem-east" || rs[0].Code != "us-east-1" {
		t.Fatalf("Regions = %v", rs)
	}
	rs[0].Code = "changed"
	if r, ok := tab.Region("us-east-1"); !ok || r.Latitude != 38.9 {
		t.Errorf("Region(us-east-1) = %+v, %v", r, ok)
	}
	if r, ok := tab.Region("on-prem-east"); !ok || r.Longitude != -74.0 {
		t.Errorf("Region(on-prem-east) = %+v, %v", r, ok)
	}
	if tab.Regions()[0].Code != "us-east-1" {
		t.Error("Regions shares its slice")
	}
	if _, ok := tab.Region("changed"); ok {
		t.Error("Region(changed)")
	}
}

func TestCompileErrors(t *testing.T) {
	ok := Region{Code: "lab", Latitude: 1, Longitude: 2}
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"bad code", Config{Regions: []Region{{Code: "Lab"}}}, `regions[0] (Lab): code "Lab"`},
		{"empty code", Config{Regions: []Region{{}}}, `regions[0] (): code ""`},
		{"hyphen end", Config{Regions: []Region{{Code: "lab-"}}}, "not starting or ending with a hyphen"},
		{"long code", Config{Regions: []Region{{Code: strings.Repeat("a", 65)}}}, "1 to 64"},
		{"shadows built-in", Config{Regions: []Region{{Code: "eu-west-1"}}}, "regions[0] (eu-west-1): code is a built-in AWS region"},
		{"duplicate custom", Config{Regions: []Region{ok, ok}}, "regions[1] (lab): same code as regions[0]"},
		{"latitude", Config{Regions: []Region{{Code: "lab", Latitude: -91}}}, "latitude -91 is outside"},
		{"longitude", Config{Regions: []Region{{Code: "lab", Longitude: 181}}}, "longitude 181 is outside"},
		{"unknown region", Config{Declared: []Declared{{pfx("192.0.2.0/24"), "us-west-9", 1}}}, `latency[0] (192.0.2.0/24 us-west-9): unknown region "us-west-9"`},
		{"no region", Config{Declared: []Declared{{pfx("192.0.2.0/24"), "", 1}}}, "region is required"},
		{"negative", Config{Declared: []Declared{{pfx("192.0.2.0/24"), "us-west-2", -1}}}, "rtt_ms -1 must be"},
		{"NaN", Config{Declared: []Declared{{pfx("192.0.2.0/24"), "us-west-2", math.NaN()}}}, "rtt_ms NaN"},
		{"Inf", Config{Declared: []Declared{{pfx("192.0.2.0/24"), "us-west-2", math.Inf(1)}}}, "rtt_ms +Inf"},
		{"invalid prefix", Config{Declared: []Declared{{netip.Prefix{}, "us-west-2", 1}}}, "invalid CIDR"},
		{"host bits", Config{Declared: []Declared{{pfx("192.0.2.1/24"), "us-west-2", 1}}}, "host bits set"},
		{"duplicate", Config{Declared: []Declared{{pfx("192.0.2.0/24"), "us-west-2", 1}, {pfx("192.0.2.0/24"), "us-west-2", 2}}}, "latency[1] (192.0.2.0/24 us-west-2): same prefix and region as latency[0]"},
		{"unknown in order", Config{DefaultOrder: []string{"us-east-1", "mars-1"}}, `default_region_order[1]: unknown region "mars-1"`},
		{"repeated in order", Config{DefaultOrder: []string{"us-east-1", "us-east-1"}}, "default_region_order[1]: us-east-1 is already default_region_order[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Compile(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
		})
	}
	// Same prefix, different regions, and a custom region in the table and
	// the order: all fine.
	cfg := Config{
		Regions:      []Region{ok},
		Declared:     []Declared{{pfx("192.0.2.0/24"), "us-west-2", 1}, {pfx("192.0.2.0/24"), "lab", 2}},
		DefaultOrder: []string{"lab"},
	}
	if _, err := Compile(cfg); err != nil {
		t.Fatal(err)
	}
}

func TestRTTDoesNotAllocate(t *testing.T) {
	tab, err := Compile(testConfig)
	if err != nil {
		t.Fatal(err)
	}
	tab = tab.WithMeasured(testMeasured)
	for _, q := range []struct{ addr, region string }{
		{"192.0.2.200", "us-west-2"}, {"192.0.2.1", "us-west-2"}, {"8.8.8.8", "us-east-1"}, {"2001:db8::1", "ap-northeast-1"},
	} {
		a := netip.MustParseAddr(q.addr)
		if n := testing.AllocsPerRun(100, func() { tab.RTT(a, at(1, 2), q.region) }); n != 0 {
			t.Errorf("RTT(%s, %s): %v allocs", q.addr, q.region, n)
		}
	}
}
