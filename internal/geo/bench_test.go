package geo

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
)

// benchNets is a synthetic City database: 20,000 /24 networks sharing 500
// records, plus the test networks.
func benchNets() []mmdbNet {
	rng := rand.New(rand.NewPCG(3, 4))
	countries := []string{"US", "DE", "FR", "JP", "BR", "AU", "IN", "ZA"}
	nets := append([]mmdbNet(nil), cityNets...)
	seen := map[string]bool{}
	for len(seen) < 20000 {
		cidr := fmt.Sprintf("%d.%d.%d.0/24", 20+rng.IntN(60), rng.IntN(256), rng.IntN(256))
		if seen[cidr] {
			continue
		}
		seen[cidr] = true
		k := rng.IntN(500)
		cc := countries[k%len(countries)]
		var subs []string
		if cc == "US" {
			subs = []string{"TX"}
		}
		nets = append(nets, mmdbNet{cidr, cityRecord("", cc, subs, float64(k%90), float64(k%180))})
	}
	return nets
}

func benchTable(b *testing.B) *Table {
	b.Helper()
	tab, err := Compile(cityDeclared, writeMMDB(b, 6, benchNets()))
	if err != nil {
		b.Fatal(err)
	}
	return tab
}

func benchLocate(b *testing.B, addr string, want Source) {
	tab := benchTable(b)
	a := netip.MustParseAddr(addr)
	if got := tab.Locate(a).Source; got != want {
		b.Fatalf("source %v, want %v", got, want)
	}
	b.ReportAllocs()
	for b.Loop() {
		tab.Locate(a)
	}
}

func BenchmarkLocateDeclared(b *testing.B) { benchLocate(b, "10.1.2.3", SourceDeclared) }

func BenchmarkLocateGeoIP(b *testing.B) { benchLocate(b, "198.51.100.7", SourceGeoIP) }

func BenchmarkLocateGeoIPv6(b *testing.B) { benchLocate(b, "2001:db8:2::1", SourceGeoIP) }

func BenchmarkLocateUnknown(b *testing.B) { benchLocate(b, "8.8.8.8", SourceNone) }

func BenchmarkCompile(b *testing.B) {
	path := writeMMDB(b, 6, benchNets())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(cityDeclared, path); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLocateDoesNotAllocate keeps the zero-allocation promise in the test
// run, not only in benchmarks.
func TestLocateDoesNotAllocate(t *testing.T) {
	tab, err := Compile(cityDeclared, writeMMDB(t, 6, cityNets))
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"10.1.2.3", "198.51.100.7", "2001:db8:2::1", "8.8.8.8", "::ffff:10.1.2.3"} {
		a := netip.MustParseAddr(addr)
		if n := testing.AllocsPerRun(100, func() { tab.Locate(a) }); n != 0 {
			t.Errorf("Locate(%s): %v allocs", addr, n)
		}
	}
}
