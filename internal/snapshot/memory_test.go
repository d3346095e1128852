package snapshot

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

// bigZone returns a zone of n simple A record sets.
func bigZone(n int) []ZoneData {
	sets := make([]zone.RRSet, 0, n)
	for i := range n {
		sets = append(sets, rrset(fmt.Sprintf("host-%d.example.com.", i), "A", 300,
			fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)))
	}
	return []ZoneData{zoneData("ZBIG", "example.com.", "", sets...)}
}

func heapInUse() uint64 {
	var m runtime.MemStats
	for range 3 {
		runtime.GC()
	}
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestMemoryPerRecordSet checks the compiled size of a simple A record set
// in a 10,000-record zone stays under 512 bytes (about 400 with the arenas
// and slabs of arena.go; the whole process is measured by bench/dns.sh).
func TestMemoryPerRecordSet(t *testing.T) {
	const n = 10000
	before := heapInUse()
	zones := bigZone(n)
	s, err := Build(1, zones, nil)
	if err != nil {
		t.Fatal(err)
	}
	zones = nil
	after := heapInUse()
	per := float64(int64(after)-int64(before)) / n
	t.Logf("compiled snapshot: %.0f bytes per simple A record set (%d record sets)", per, n)
	if per >= 512 {
		t.Errorf("%.0f bytes per record set, want < 512", per)
	}
	runtime.KeepAlive(s)
	runtime.KeepAlive(zones)
}

func BenchmarkBuild10k(b *testing.B) {
	zones := bigZone(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(1, zones, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookup measures the precompiled lookup path: name parse, zone,
// node and plan. It must not allocate.
func BenchmarkLookup(b *testing.B) {
	s, err := Build(1, bigZone(10000), nil)
	if err != nil {
		b.Fatal(err)
	}
	var w WireName
	b.ReportAllocs()
	for b.Loop() {
		w.SetPresentation("host-4711.example.com.")
		if r := s.Lookup(&w, dns.TypeA); r.Plan == nil {
			b.Fatal("no answer")
		}
	}
}

func BenchmarkLookupWildcardMiss(b *testing.B) {
	s := lookupFixture(b)
	var w WireName
	b.ReportAllocs()
	for b.Loop() {
		w.SetPresentation("a.b.nothing.example.com.")
		if r := s.Lookup(&w, dns.TypeA); r.Kind != KindNoData {
			b.Fatal(r.Kind)
		}
	}
}
