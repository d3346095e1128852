package config

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/latency"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
		check   func(t *testing.T, f *File)
	}{
		{name: "empty", in: ""},
		{
			name: "full",
			in: `credentials:
  - {access_key_id: AKIDEXAMPLE, secret_access_key: secret}
nameservers: [ns1.example.net, ns2.example.net]
hostmaster: hostmaster.example.net.
region: eu-central-1
`,
			check: func(t *testing.T, f *File) {
				if len(f.Credentials) != 1 || f.Credentials[0].AccessKeyID != "AKIDEXAMPLE" {
					t.Errorf("credentials = %+v", f.Credentials)
				}
				if len(f.NameServers) != 2 || f.Hostmaster != "hostmaster.example.net." || f.Region != "eu-central-1" {
					t.Errorf("got %+v", f)
				}
			},
		},
		{name: "unknown key", in: "nameserver: [a]\n", wantErr: "field nameserver not found"},
		{name: "half credential", in: "credentials: [{access_key_id: A}]\n", wantErr: "both required"},
		{name: "bad yaml", in: "credentials: [\n", wantErr: "parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, f)
			}
		})
	}
}

const localityYAML = `locations:
  - {cidr: 198.51.100.0/24, country: US, subdivision: VA, latitude: 38.9, longitude: -77.4}
  - {cidr: 192.0.2.0/24, country: DE, latitude: 50.1, longitude: 8.7}
  - {cidr: "2001:db8::/32", country: JP}
  - {cidr: 10.0.0.0/8, latitude: -33.9, longitude: 151.2}
latency:
  - {cidr: 192.0.2.128/25, region: us-west-2, rtt_ms: 5}
  - {cidr: 192.0.2.128/25, region: on-prem-east, rtt_ms: 0.5}
regions:
  - {code: on-prem-east, latitude: 40.7, longitude: -74.0}
geoip: /var/lib/GeoLite2-City.mmdb
default_region_order: [us-east-1, on-prem-east, eu-west-1]
`

func TestParseLocality(t *testing.T) {
	f, err := Parse([]byte(localityYAML))
	if err != nil {
		t.Fatal(err)
	}
	decl, path := f.GeoConfig()
	if path != "/var/lib/GeoLite2-City.mmdb" || len(decl) != 4 {
		t.Fatalf("GeoConfig = %d entries, %q", len(decl), path)
	}
	if d := decl[0]; d.Prefix != netip.MustParsePrefix("198.51.100.0/24") || d.Country != "US" || d.Subdivision != "VA" ||
		d.Latitude == nil || *d.Latitude != 38.9 || d.Longitude == nil || *d.Longitude != -77.4 {
		t.Errorf("locations[0] = %+v", d)
	}
	if d := decl[2]; d.Latitude != nil || d.Longitude != nil || d.Country != "JP" {
		t.Errorf("locations[2] = %+v", d)
	}
	if _, err := geo.Compile(decl, ""); err != nil {
		t.Errorf("geo.Compile: %v", err)
	}
	lc := f.LatencyConfig()
	wantLC := latency.Config{
		Regions: []latency.Region{{Code: "on-prem-east", Latitude: 40.7, Longitude: -74.0}},
		Declared: []latency.Declared{
			{Prefix: netip.MustParsePrefix("192.0.2.128/25"), Region: "us-west-2", Millis: 5},
			{Prefix: netip.MustParsePrefix("192.0.2.128/25"), Region: "on-prem-east", Millis: 0.5},
		},
		DefaultOrder: []string{"us-east-1", "on-prem-east", "eu-west-1"},
	}
	if !reflect.DeepEqual(lc, wantLC) {
		t.Errorf("LatencyConfig = %+v\nwant %+v", lc, wantLC)
	}
	if _, err := latency.Compile(lc); err != nil {
		t.Errorf("latency.Compile: %v", err)
	}
	empty, err := Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if d, p := empty.GeoConfig(); len(d) != 0 || p != "" {
		t.Errorf("empty GeoConfig = %v, %q", d, p)
	}
	if lc := empty.LatencyConfig(); len(lc.Regions)+len(lc.Declared)+len(lc.DefaultOrder) != 0 {
		t.Errorf("empty LatencyConfig = %+v", lc)
	}
}

func TestParseLocalityErrors(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"bad cidr", "locations: [{cidr: 10.0.0.0/33, country: DE}]", `locations[0]: cidr "10.0.0.0/33" is not a CIDR prefix`},
		{"bare address", "locations: [{cidr: 10.0.0.1, country: DE}]", `locations[0]: cidr "10.0.0.1"`},
		{"host bits", "locations: [{cidr: 10.0.0.1/8, country: DE}]", "locations[0] (10.0.0.1/8): prefix 10.0.0.1/8 has host bits set"},
		{"unknown country", "locations: [{cidr: 10.0.0.0/8, country: XX}]", `locations[0] (10.0.0.0/8): country "XX" is not`},
		{"subdivision without US", "locations: [{cidr: 10.0.0.0/8, country: CA, subdivision: ON}]", "needs country US"},
		{"unknown state", "locations: [{cidr: 10.0.0.0/8, country: US, subdivision: XY}]", `subdivision "XY" is not a US state`},
		{"latitude range", "locations: [{cidr: 10.0.0.0/8, country: DE, latitude: 95, longitude: 1}]", "latitude 95 is outside -90..90"},
		{"longitude range", "locations: [{cidr: 10.0.0.0/8, latitude: 5, longitude: 200}]", "longitude 200 is outside -180..180"},
		{"longitude missing", "locations: [{cidr: 10.0.0.0/8, latitude: 5}]", "latitude and longitude must be given together"},
		{"empty location", "locations: [{cidr: 10.0.0.0/8}]", "needs a country or coordinates"},
		{"duplicate location", "locations: [{cidr: 10.0.0.0/8, country: DE}, {cidr: 10.0.0.0/8, country: FR}]", "locations[1] (10.0.0.0/8): same prefix as locations[0]"},
		{"unknown location key", "locations: [{cidr: 10.0.0.0/8, contry: DE}]", "field contry not found"},
		{"latency bad cidr", "latency: [{cidr: nope, region: us-east-1, rtt_ms: 1}]", `latency[0]: cidr "nope"`},
		{"latency unknown region", "latency: [{cidr: 10.0.0.0/8, region: us-east-7, rtt_ms: 1}]", `latency[0] (10.0.0.0/8 us-east-7): unknown region "us-east-7"`},
		{"latency negative", "latency: [{cidr: 10.0.0.0/8, region: us-east-1, rtt_ms: -3}]", "rtt_ms -3 must be a finite number >= 0"},
		{"latency rtt missing", "latency: [{cidr: 10.0.0.0/8, region: us-east-1}]", "latency[0] (10.0.0.0/8 us-east-1): rtt_ms is required"},
		{"latency duplicate", "latency: [{cidr: 10.0.0.0/8, region: us-east-1, rtt_ms: 1}, {cidr: 10.0.0.0/8, region: us-east-1, rtt_ms: 2}]", "latency[1] (10.0.0.0/8 us-east-1): same prefix and region as latency[0]"},
		{"region without coordinates", "regions: [{code: lab}]", "regions[0] (lab): latitude and longitude are required"},
		{"region shadows built-in", "regions: [{code: us-east-1, latitude: 1, longitude: 2}]", "regions[0] (us-east-1): code is a built-in AWS region"},
		{"region duplicate", "regions: [{code: lab, latitude: 1, longitude: 2}, {code: lab, latitude: 3, longitude: 4}]", "regions[1] (lab): same code as regions[0]"},
		{"region bad code", "regions: [{code: Lab_1, latitude: 1, longitude: 2}]", `regions[0] (Lab_1): code "Lab_1"`},
		{"region latitude", "regions: [{code: lab, latitude: -90.5, longitude: 2}]", "latitude -90.5 is outside"},
		{"order unknown", "default_region_order: [us-east-1, moon-1]", `default_region_order[1]: unknown region "moon-1"`},
		{"order repeated", "default_region_order: [us-east-1, us-east-1]", "default_region_order[1]: us-east-1 is already default_region_order[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
		})
	}
}
