package dnsserver

import (
	"net/netip"
	"testing"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/miekg/dns"
)

// realEnv builds the routing environment from the real geo and latency
// tables (declared data, no GeoIP database): the same world as testEnv.
func realEnv(t testing.TB) *routing.Env {
	t.Helper()
	f := func(v float64) *float64 { return &v }
	locs, err := geo.Compile([]geo.DeclaredLocation{
		{Prefix: netip.MustParsePrefix("192.0.2.0/24"), Country: "US", Latitude: f(38.9), Longitude: f(-77.4)},
		{Prefix: netip.MustParsePrefix("203.0.113.0/24"), Country: "US", Subdivision: "CA", Latitude: f(37.4), Longitude: f(-122)},
		{Prefix: netip.MustParsePrefix("203.0.113.128/25"), Country: "JP", Latitude: f(35.7), Longitude: f(139.7)},
		{Prefix: netip.MustParsePrefix("198.51.100.0/24"), Country: "DE", Latitude: f(50.1), Longitude: f(8.7)},
	}, "")
	if err != nil {
		t.Fatalf("geo: %v", err)
	}
	d := func(p, region string, ms float64) latency.Declared {
		return latency.Declared{Prefix: netip.MustParsePrefix(p), Region: region, Millis: ms}
	}
	lat, err := latency.Compile(latency.Config{
		Declared: []latency.Declared{
			d("192.0.2.0/24", "us-east-1", 5), d("203.0.113.0/24", "us-east-1", 60), d("198.51.100.0/24", "us-east-1", 90),
			d("192.0.2.0/24", "eu-west-1", 80), d("203.0.113.0/24", "eu-west-1", 140), d("198.51.100.0/24", "eu-west-1", 20),
		},
		DefaultOrder: []string{"us-east-1", "eu-west-1", "ap-southeast-2"},
	})
	if err != nil {
		t.Fatalf("latency: %v", err)
	}
	return &routing.Env{Locator: locs, Latency: lat, Regions: lat, Health: testHealth("fo-primary")}
}

// TestRealTables answers routed queries with the real locator and latency
// map in the environment.
func TestRealTables(t *testing.T) {
	snap := fixtureSnapshot(t)
	env := realEnv(t)
	tests := []struct {
		qname string
		ecs   *dns.EDNS0_SUBNET
		want  string
	}{
		{"geo.example.com.", ecsOption(1, "203.0.113.0", 25, 0), "192.0.2.121"},
		{"geo.example.com.", ecsOption(1, "203.0.113.128", 25, 0), "192.0.2.124"},
		{"geo.example.com.", ecsOption(1, "198.51.100.0", 24, 0), "192.0.2.123"},
		{"lat.example.com.", ecsOption(1, "203.0.113.0", 24, 0), "192.0.2.111"},
		{"lat.example.com.", ecsOption(1, "198.51.100.0", 24, 0), "192.0.2.112"},
		{"prox.example.com.", ecsOption(1, "198.51.100.0", 24, 0), "192.0.2.161"},
		{"prox.example.com.", ecsOption(1, "203.0.113.0", 25, 0), "192.0.2.162"},
		{"fo.example.com.", ecsOption(1, "203.0.113.0", 24, 0), "192.0.2.142"},
	}
	out := make([]byte, packBufSize)
	for _, tc := range tests {
		m := new(dns.Msg)
		m.SetQuestion(tc.qname, dns.TypeA)
		m.SetEdns0(1232, false)
		m.IsEdns0().Option = []dns.EDNS0{tc.ecs}
		pkt, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		r := new(dns.Msg)
		if err := r.Unpack(answerPacket(snap, env, pkt, testClient, true, out)); err != nil {
			t.Fatal(err)
		}
		if len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != tc.want {
			t.Errorf("%s from %v: %v, want %s", tc.qname, tc.ecs, r.Answer, tc.want)
			continue
		}
		if e := responseECS(r); e == nil || e.SourceScope == 0 && tc.qname != "fo.example.com." {
			t.Errorf("%s from %v: ECS %v, want a scope", tc.qname, tc.ecs, e)
		}
	}
}

func benchmarkReal(b *testing.B, name string) {
	snap := fixtureSnapshot(b)
	env := realEnv(b)
	pkt := routedQuery(b, name, ecsOption(1, "203.0.113.0", 24, 0))
	out := make([]byte, packBufSize)
	b.ReportAllocs()
	for b.Loop() {
		if resp := answerPacket(snap, env, pkt, testClient, true, out); len(resp) < 60 {
			b.Fatal("bad answer")
		}
	}
}

// BenchmarkResolveLatencyECSReal is BenchmarkResolveLatencyECS with the
// real latency map and locator.
func BenchmarkResolveLatencyECSReal(b *testing.B) { benchmarkReal(b, "lat.example.com.") }

// BenchmarkResolveGeoECSReal is BenchmarkResolveGeoECS with the real
// locator.
func BenchmarkResolveGeoECSReal(b *testing.B) { benchmarkReal(b, "geo.example.com.") }
