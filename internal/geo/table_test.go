package geo

import (
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maxmind/mmdbwriter/mmdbtype"
)

func ptr(f float64) *float64 { return &f }

func decl(cidr, country, sub string, coords ...float64) DeclaredLocation {
	d := DeclaredLocation{Prefix: netip.MustParsePrefix(cidr), Country: country, Subdivision: sub}
	if len(coords) == 2 {
		d.Latitude, d.Longitude = ptr(coords[0]), ptr(coords[1])
	}
	return d
}

// cityNets is a City-style test database.
var cityNets = []mmdbNet{
	{"10.0.0.0/8", cityRecord("EU", "FR", nil, 48.9, 2.35)},
	{"192.0.2.0/25", cityRecord("NA", "US", []string{"CA"}, 37.4, -121.9)},
	{"198.51.100.0/24", cityRecord("NA", "US", []string{"VA", "XX"}, 38.9, -77.4)},
	// Same reduced location, different records (city names differ): merge.
	{"203.0.113.0/25", func() mmdbtype.Map {
		m := cityRecord("EU", "DE", []string{"HE"}, 50.1, 8.7)
		m["city"] = mmdbtype.String("a")
		return m
	}()},
	{"203.0.113.128/25", func() mmdbtype.Map {
		m := cityRecord("EU", "DE", []string{"HE"}, 50.1, 8.7)
		m["city"] = mmdbtype.String("b")
		return m
	}()},
	{"100.64.0.0/10", cityRecord("AS", "TR", nil)},                                              // MaxMind-style continent; Route 53 says EU
	{"100.128.0.0/16", cityRecord("EU", "", nil)},                                               // continent only
	{"100.129.0.0/16", mmdbtype.Map{"traits": mmdbtype.Map{"is_anycast": mmdbtype.Bool(true)}}}, // nothing usable
	{"100.130.0.0/16", cityRecord("AS", "CX", nil, -10.5, 105.7)},                               // not a Route 53 country
	{"100.131.0.0/16", cityRecord("NA", "US", []string{"PR"}, 95, 0)},                           // bad subdivision, bad latitude
	{"2001:db8::/32", cityRecord("EU", "GB", nil, 51.5, -0.1)},
}

var cityDeclared = []DeclaredLocation{
	decl("10.1.0.0/16", "DE", "", 50.1, 8.7),
	decl("192.0.2.0/24", "JP", ""),
	decl("172.16.0.0/12", "DE", ""),
	decl("172.16.5.0/24", "FR", ""),
	decl("2001:db8:1::/48", "IE", "", 53.3, -6.3),
	decl("192.168.0.0/16", "", "", 1, 2),
	decl("::ffff:100.100.0.0/112", "US", "WA"),
}

func TestLocate(t *testing.T) {
	path := writeMMDB(t, 6, cityNets)
	tab, err := Compile(cityDeclared, path)
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	declared := func(cont, cc, sub string, bits uint8, coords ...float64) Location {
		l := Location{Continent: cont, Country: cc, Subdivision: sub, Bits: bits, Source: SourceDeclared}
		if len(coords) == 2 {
			l.Latitude, l.Longitude, l.HasCoords = coords[0], coords[1], true
		}
		return l
	}
	geoip := func(cont, cc, sub string, bits uint8, coords ...float64) Location {
		l := declared(cont, cc, sub, bits, coords...)
		l.Source = SourceGeoIP
		return l
	}
	tests := []struct {
		addr string
		want Location
	}{
		// GeoIP network containing a declared prefix: the /8 minus the /16.
		{"10.200.0.0", geoip("EU", "FR", "", 9, 48.9, 2.35)},
		{"10.0.0.1", geoip("EU", "FR", "", 16, 48.9, 2.35)},
		{"10.1.2.3", declared("EU", "DE", "", 16, 50.1, 8.7)},
		// Declared beats a longer GeoIP network.
		{"192.0.2.1", declared("AS", "JP", "", 24)},
		// Nested declared entries.
		{"172.16.6.1", declared("EU", "DE", "", 23)},
		{"172.31.0.1", declared("EU", "DE", "", 13)},
		{"172.16.5.9", declared("EU", "FR", "", 24)},
		// City record: first subdivision only, US only.
		{"198.51.100.77", geoip("NA", "US", "VA", 24, 38.9, -77.4)},
		{"203.0.113.1", geoip("EU", "DE", "", 24, 50.1, 8.7)},
		{"203.0.113.200", geoip("EU", "DE", "", 24, 50.1, 8.7)},
		{"100.64.0.1", geoip("EU", "TR", "", 11)},
		{"100.128.1.1", geoip("EU", "", "", 16)},
		{"100.130.1.1", geoip("AS", "CX", "", 16, -10.5, 105.7)},
		{"100.131.1.1", geoip("NA", "US", "", 16)},
		{"100.100.3.4", declared("NA", "US", "WA", 16)},
		{"::ffff:100.100.3.4", declared("NA", "US", "WA", 16)},
		// Coordinates only.
		{"192.168.1.1", declared("", "", "", 16, 1, 2)},
		// Unknown: the record without location data, and the complement.
		{"100.129.0.1", Location{Bits: 16}},
		{"8.8.8.8", Location{Bits: 7}},
		{"0.0.0.1", Location{Bits: 5}},
		// IPv6.
		{"2001:db8:2::1", geoip("EU", "GB", "", 47, 51.5, -0.1)},
		{"2001:db8:1::5", declared("EU", "IE", "", 48, 53.3, -6.3)},
		{"2001:db9::1", Location{Bits: 32}},
		{"fe80::1", Location{Bits: 1}},
	}
	for _, tt := range tests {
		if got := tab.Locate(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("Locate(%s) = %+v\n want %+v", tt.addr, got, tt.want)
		}
	}
	if got := tab.Locate(netip.Addr{}); got != (Location{}) {
		t.Errorf("invalid address: %+v", got)
	}
}

func TestLocateWithoutDatabase(t *testing.T) {
	tab, err := Compile(cityDeclared, "")
	if err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]Location{
		"10.200.0.0": {Bits: 9},
		"10.1.0.0":   {Continent: "EU", Country: "DE", Latitude: 50.1, Longitude: 8.7, HasCoords: true, Bits: 16, Source: SourceDeclared},
		"::1":        {Bits: 3},
	} {
		if got := tab.Locate(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Locate(%s) = %+v, want %+v", addr, got, want)
		}
	}
	var none *Table
	if got := none.Locate(netip.MustParseAddr("10.0.0.1")); got != (Location{}) {
		t.Errorf("nil table: %+v", got)
	}
	if got := new(Table).Locate(netip.MustParseAddr("10.0.0.1")); got != (Location{}) {
		t.Errorf("zero table: %+v", got)
	}
	empty, err := Compile(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := empty.Locate(netip.MustParseAddr("10.0.0.1")); got != (Location{}) {
		t.Errorf("empty table: %+v", got)
	}
}

func TestCountryDatabase(t *testing.T) {
	path := writeMMDB(t, 4, []mmdbNet{
		{"81.0.0.0/8", cityRecord("EU", "FR", nil)},
		{"81.0.0.0/16", cityRecord("EU", "DE", nil)},
	})
	tab, err := Compile(nil, path)
	if err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]Location{
		"81.0.1.1":    {Continent: "EU", Country: "DE", Bits: 16, Source: SourceGeoIP},
		"81.1.1.1":    {Continent: "EU", Country: "FR", Bits: 16, Source: SourceGeoIP},
		"81.128.1.1":  {Continent: "EU", Country: "FR", Bits: 9, Source: SourceGeoIP},
		"80.1.1.1":    {Bits: 8},
		"2001:db8::1": {},
	} {
		if got := tab.Locate(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Locate(%s) = %+v, want %+v", addr, got, want)
		}
	}
}

func TestWholeIPv4Record(t *testing.T) {
	// ::/64 holds the IPv4 subtree (::/96): the record covers all of IPv4.
	path := writeMMDB(t, 6, []mmdbNet{{"::/64", cityRecord("OC", "AU", nil)}})
	tab, err := Compile(nil, path)
	if err != nil {
		t.Fatal(err)
	}
	want := Location{Continent: "OC", Country: "AU", Source: SourceGeoIP}
	if got := tab.Locate(netip.MustParseAddr("8.8.8.8")); got != want {
		t.Errorf("8.8.8.8 = %+v, want %+v", got, want)
	}
}

func TestCompileErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.mmdb")
	if err := os.WriteFile(garbage, []byte("not a database, not at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	asn := writeMMDB(t, 6, []mmdbNet{{"1.0.0.0/24", mmdbtype.Map{"autonomous_system_number": mmdbtype.Uint32(13335)}}})
	tests := []struct {
		name     string
		declared []DeclaredLocation
		geoip    string
		wantErr  string
	}{
		{"missing file", nil, filepath.Join(dir, "nope.mmdb"), "open GeoIP database"},
		{"not an mmdb", nil, garbage, "open GeoIP database"},
		{"no locations", nil, asn, "holds no continent, country or coordinates"},
		{"invalid prefix", []DeclaredLocation{{Country: "DE"}}, "", "locations[0] (invalid Prefix): invalid CIDR"},
		{"host bits", []DeclaredLocation{decl("10.1.2.3/8", "DE", "")}, "", "host bits set (the network is 10.0.0.0/8)"},
		{"unknown country", []DeclaredLocation{decl("10.0.0.0/8", "ZZ", "")}, "", `country "ZZ" is not`},
		{"excluded country", []DeclaredLocation{decl("10.0.0.0/8", "BV", "")}, "", `country "BV" is not`},
		{"default is not a country", []DeclaredLocation{decl("10.0.0.0/8", "*", "")}, "", `country "*" is not`},
		{"lower case", []DeclaredLocation{decl("10.0.0.0/8", "de", "")}, "", "upper case (DE)"},
		{"subdivision without US", []DeclaredLocation{decl("10.0.0.0/8", "CA", "ON")}, "", "needs country US"},
		{"subdivision without country", []DeclaredLocation{decl("10.0.0.0/8", "", "VA")}, "", "needs country US"},
		{"unknown subdivision", []DeclaredLocation{decl("10.0.0.0/8", "US", "PR")}, "", "not a US state"},
		{"nothing declared", []DeclaredLocation{decl("10.0.0.0/8", "", "")}, "", "needs a country or coordinates"},
		{"latitude alone", []DeclaredLocation{{Prefix: netip.MustParsePrefix("10.0.0.0/8"), Latitude: ptr(1)}}, "", "together"},
		{"latitude range", []DeclaredLocation{decl("10.0.0.0/8", "DE", "", 91, 0)}, "", "latitude 91 is outside"},
		{"longitude range", []DeclaredLocation{decl("10.0.0.0/8", "DE", "", 0, -180.5)}, "", "longitude -180.5 is outside"},
		{"NaN", []DeclaredLocation{decl("10.0.0.0/8", "DE", "", math.NaN(), 0)}, "", "latitude NaN"},
		{"duplicate", []DeclaredLocation{decl("10.0.0.0/8", "DE", ""), decl("10.0.0.0/8", "FR", "")}, "", "locations[1] (10.0.0.0/8): same prefix as locations[0]"},
		{"duplicate mapped", []DeclaredLocation{decl("10.0.0.0/8", "DE", ""), decl("::ffff:10.0.0.0/104", "FR", "")}, "", "same prefix as locations[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := Compile(tt.declared, tt.geoip)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Compile = %v, %v; want error containing %q", tab, err, tt.wantErr)
			}
		})
	}
}
