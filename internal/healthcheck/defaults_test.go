package healthcheck

import (
	"encoding/json"
	"testing"
)

func TestDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Config
		want Config
	}{
		{
			name: "HTTP",
			in:   Config{Type: TypeHTTP, IPAddress: "93.184.216.34", ResourcePath: "health"},
			want: Config{Type: TypeHTTP, IPAddress: "93.184.216.34", ResourcePath: "/health", Port: i64(80),
				RequestInterval: i64(30), FailureThreshold: i64(3), MeasureLatency: bptr(false),
				Inverted: bptr(false), Disabled: bptr(false), EnableSNI: bptr(false)},
		},
		{
			name: "HTTPS keeps given values",
			in: Config{Type: TypeHTTPS, FullyQualifiedDomainName: "www.example.com", ResourcePath: "/x", RequestInterval: i64(10),
				FailureThreshold: i64(1), MeasureLatency: bptr(true), Inverted: bptr(true), EnableSNI: bptr(false)},
			want: Config{Type: TypeHTTPS, FullyQualifiedDomainName: "www.example.com", ResourcePath: "/x", Port: i64(443),
				RequestInterval: i64(10), FailureThreshold: i64(1), MeasureLatency: bptr(true),
				Inverted: bptr(true), Disabled: bptr(false), EnableSNI: bptr(false)},
		},
		{
			name: "HTTPS_STR_MATCH",
			in:   Config{Type: TypeHTTPSStrMatch, IPAddress: "93.184.216.34", SearchString: "ok"},
			want: Config{Type: TypeHTTPSStrMatch, IPAddress: "93.184.216.34", SearchString: "ok", Port: i64(443),
				RequestInterval: i64(30), FailureThreshold: i64(3), MeasureLatency: bptr(false),
				Inverted: bptr(false), Disabled: bptr(false), EnableSNI: bptr(true)},
		},
		{
			name: "HTTP_STR_MATCH",
			in:   Config{Type: TypeHTTPStrMatch, IPAddress: "93.184.216.34", SearchString: "ok", Port: i64(8080)},
			want: Config{Type: TypeHTTPStrMatch, IPAddress: "93.184.216.34", SearchString: "ok", Port: i64(8080),
				RequestInterval: i64(30), FailureThreshold: i64(3), MeasureLatency: bptr(false),
				Inverted: bptr(false), Disabled: bptr(false), EnableSNI: bptr(false)},
		},
		{
			name: "TCP has no default port",
			in:   Config{Type: TypeTCP, IPAddress: "93.184.216.34"},
			want: Config{Type: TypeTCP, IPAddress: "93.184.216.34",
				RequestInterval: i64(30), FailureThreshold: i64(3), MeasureLatency: bptr(false),
				Inverted: bptr(false), Disabled: bptr(false), EnableSNI: bptr(false)},
		},
		{
			name: "calculated gets no probing members",
			in:   Config{Type: TypeCalculated, HealthThreshold: i64(1), ChildHealthChecks: []string{"a"}},
			want: Config{Type: TypeCalculated, HealthThreshold: i64(1), ChildHealthChecks: []string{"a"}, Inverted: bptr(false), Disabled: bptr(false)},
		},
		{
			name: "metric",
			in:   Config{Type: TypeCloudWatchMetric, AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "a"}},
			want: Config{Type: TypeCloudWatchMetric, AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "a"},
				InsufficientDataHealthStatus: InsufficientLastKnownStatus, Inverted: bptr(false), Disabled: bptr(false)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.in
			Defaults(&got)
			if !Equal(got, tc.want) {
				t.Fatalf("Defaults =\n%s\nwant\n%s", js(got), js(tc.want))
			}
			again := got
			Defaults(&again)
			if !Equal(again, got) {
				t.Fatalf("Defaults is not idempotent: %s", js(again))
			}
		})
	}
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestEffectiveRegions(t *testing.T) {
	o := Options{CheckerRegions: []string{"home", "us-east-1", "away"}}
	got := EffectiveRegions(&Config{}, o)
	want := append(DefaultRegions(), "home", "away")
	if js(got) != js(want) {
		t.Fatalf("EffectiveRegions(empty) = %v, want %v", got, want)
	}
	c := Config{Regions: []string{"home", "us-east-1", "eu-west-1"}}
	if got := EffectiveRegions(&c, o); js(got) != js(c.Regions) {
		t.Fatalf("EffectiveRegions = %v, want %v", got, c.Regions)
	}
	if got := EffectiveRegions(&Config{}, Options{}); len(got) != 8 {
		t.Fatalf("EffectiveRegions without deployment regions = %v, want the eight Route 53 regions", got)
	}
}

func TestCheckerIPBlocks(t *testing.T) {
	if got := (Options{}).CheckerIPBlocks(); js(got) != `["127.0.0.0/8"]` {
		t.Fatalf("default checker ranges = %v", got)
	}
	o := Options{CheckerIPRanges: []string{"198.51.100.0/26", "2001:db8::/64"}}
	if got := o.CheckerIPBlocks(); js(got) != js(o.CheckerIPRanges) {
		t.Fatalf("checker ranges = %v", got)
	}
}

func TestEqual(t *testing.T) {
	a := Config{Type: TypeHTTP, IPAddress: "93.184.216.34", Port: i64(80), Regions: nil}
	tests := []struct {
		name string
		b    Config
		want bool
	}{
		{"same", Config{Type: TypeHTTP, IPAddress: "93.184.216.34", Port: i64(80)}, true},
		{"empty list equals absent", Config{Type: TypeHTTP, IPAddress: "93.184.216.34", Port: i64(80), Regions: []string{}}, true},
		{"port differs", Config{Type: TypeHTTP, IPAddress: "93.184.216.34", Port: i64(81)}, false},
		{"port absent", Config{Type: TypeHTTP, IPAddress: "93.184.216.34"}, false},
		{"flag set", Config{Type: TypeHTTP, IPAddress: "93.184.216.34", Port: i64(80), Inverted: bptr(false)}, false},
		{"alarm", Config{Type: TypeHTTP, IPAddress: "93.184.216.34", Port: i64(80), AlarmIdentifier: &AlarmIdentifier{}}, false},
	}
	for _, tc := range tests {
		if got := Equal(a, tc.b); got != tc.want {
			t.Errorf("%s: Equal = %v, want %v", tc.name, got, tc.want)
		}
	}
}
