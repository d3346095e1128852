package latency

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

// benchTable has 20,000 declared and 20,000 measured /24 RTTs spread over
// all built-in regions, plus the test configuration.
func benchTable(b *testing.B) *Table {
	b.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	regions := BuiltinRegions()
	random := func(n int) []Declared {
		seen := map[[2]any]bool{}
		var out []Declared
		for len(out) < n {
			p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(20 + rng.IntN(60)), byte(rng.IntN(256)), byte(rng.IntN(256)), 0}), 24)
			r := regions[rng.IntN(len(regions))].Code
			if !seen[[2]any{p, r}] {
				seen[[2]any{p, r}] = true
				out = append(out, Declared{p, r, float64(rng.IntN(300))})
			}
		}
		return out
	}
	cfg := testConfig
	cfg.Declared = append(random(20000), testConfig.Declared...)
	tab, err := Compile(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return tab.WithMeasured(append(random(20000), testMeasured...))
}

func benchRTT(b *testing.B, addr string, loc bool, region string, want Source) {
	tab := benchTable(b)
	a := netip.MustParseAddr(addr)
	l := at(40.7, -74.0)
	l.HasCoords = loc
	if got, ok := tab.RTT(a, l, region); !ok || got.Source != want {
		b.Fatalf("RTT = %+v, %v; want source %v", got, ok, want)
	}
	b.ReportAllocs()
	for b.Loop() {
		tab.RTT(a, l, region)
	}
}

func BenchmarkRTTMeasured(b *testing.B) {
	benchRTT(b, "192.0.2.200", true, "us-west-2", SourceMeasured)
}

func BenchmarkRTTDeclared(b *testing.B) { benchRTT(b, "192.0.2.1", true, "us-west-2", SourceDeclared) }

func BenchmarkRTTEstimate(b *testing.B) {
	benchRTT(b, "198.51.100.1", true, "eu-central-1", SourceEstimate)
}

func BenchmarkRTTDefault(b *testing.B) {
	benchRTT(b, "198.51.100.1", false, "eu-central-1", SourceDefault)
}
