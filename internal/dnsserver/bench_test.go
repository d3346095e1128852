package dnsserver

import (
	"net"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/miekg/dns"
)

// BenchmarkResolveLookup measures the precompiled lookup path of a query:
// question name to wire form, zone, node, plan and policy pick. It must not
// allocate.
func BenchmarkResolveLookup(b *testing.B) {
	snap := fixtureSnapshot(b)
	var name snapshot.WireName
	b.ReportAllocs()
	for b.Loop() {
		name.SetPresentation("www.example.com.")
		r := snap.Lookup(&name, dns.TypeA)
		var picked routing.Picked
		q := routing.NewQuery(nil, testPrefix, false, nil)
		if st := routing.Pick(&q, r.Plan, &picked); st != routing.OK {
			b.Fatal("no answer")
		}
	}
}

func TestResolveLookupDoesNotAllocate(t *testing.T) {
	snap := fixtureSnapshot(t)
	var name snapshot.WireName
	for _, q := range []string{"www.example.com.", "WWW.example.com.", "x.wild.example.com.", "nope.example.com.", "www.sub.example.com.", "example.org."} {
		allocs := testing.AllocsPerRun(100, func() {
			name.SetPresentation(q)
			if r := snap.Lookup(&name, dns.TypeA); r.Plan != nil {
				var picked routing.Picked
				q := routing.NewQuery(nil, testPrefix, false, nil)
				routing.Pick(&q, r.Plan, &picked)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per lookup, want 0", q, allocs)
		}
	}
}

// BenchmarkResolve measures the full answer engine from an unpacked query
// to a response message (allocations reported).
func BenchmarkResolve(b *testing.B) {
	snap := fixtureSnapshot(b)
	m := new(dns.Msg)
	m.SetQuestion("www.example.com.", dns.TypeA)
	b.ReportAllocs()
	for b.Loop() {
		if r := Resolve(snap, nil, m, testClient, "udp"); len(r.Answer) != 3 {
			b.Fatal("bad answer")
		}
	}
}

// BenchmarkResolvePacket measures what a UDP reader does per plain query:
// the fast path from raw bytes to pre-packed response bytes.
func BenchmarkResolvePacket(b *testing.B) {
	snap := fixtureSnapshot(b)
	m := new(dns.Msg)
	m.SetQuestion("www.example.com.", dns.TypeA)
	m.SetEdns0(1232, false)
	pkt, err := m.Pack()
	if err != nil {
		b.Fatal(err)
	}
	out := make([]byte, packBufSize)
	b.ReportAllocs()
	for b.Loop() {
		if resp := answerPacket(snap, nil, pkt, testClient, true, out); len(resp) < 100 {
			b.Fatal("bad answer")
		}
	}
}

// BenchmarkResolvePacketFull measures the full path for the same query:
// unpack, Resolve, pack (allocations reported).
func BenchmarkResolvePacketFull(b *testing.B) {
	snap := fixtureSnapshot(b)
	m := new(dns.Msg)
	m.SetQuestion("www.example.com.", dns.TypeA)
	m.SetEdns0(1232, false)
	pkt, err := m.Pack()
	if err != nil {
		b.Fatal(err)
	}
	out := make([]byte, packBufSize)
	b.ReportAllocs()
	for b.Loop() {
		if resp := answerFull(snap, nil, pkt, testClient, true, out); len(resp) < 100 {
			b.Fatal("bad answer")
		}
	}
}

// BenchmarkServerUDP measures round trips to a real server over loopback,
// from parallel clients with one socket each.
func BenchmarkServerUDP(b *testing.B) {
	s := startServer(b)
	m := new(dns.Msg)
	m.SetQuestion("www.example.com.", dns.TypeA)
	pkt, err := m.Pack()
	if err != nil {
		b.Fatal(err)
	}
	addr := s.UDPAddr().String()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		c, err := net.Dial("udp", addr)
		if err != nil {
			b.Error(err)
			return
		}
		defer c.Close()
		buf := make([]byte, 1500)
		for pb.Next() {
			if err := c.SetDeadline(time.Now().Add(2 * time.Second)); err != nil {
				b.Error(err)
				return
			}
			if _, err := c.Write(pkt); err != nil {
				b.Error(err)
				return
			}
			if n, err := c.Read(buf); err != nil || n < 100 {
				b.Errorf("read %d bytes: %v", n, err)
				return
			}
		}
	})
}

// routedQuery packs an A query for name with EDNS and, when ecs is set, a
// client-subnet option.
func routedQuery(t testing.TB, name string, ecs *dns.EDNS0_SUBNET) []byte {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeA)
	m.SetEdns0(1232, false)
	if ecs != nil {
		m.IsEdns0().Option = []dns.EDNS0{ecs}
	}
	pkt, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return pkt
}

// benchmarkPacket measures what a UDP reader does per query: raw bytes to
// response bytes through answerPacket, with the test routing environment
// (prefix-table locator and latency map, health checks).
func benchmarkPacket(b *testing.B, name string, ecs *dns.EDNS0_SUBNET) {
	snap := fixtureSnapshot(b)
	env := testEnv(testHealth("fo-primary"))
	pkt := routedQuery(b, name, ecs)
	out := make([]byte, packBufSize)
	if _, ok := fastAnswer(snap, env, pkt, testClient, true, out); !ok {
		b.Fatalf("%s: not answered by the fast path", name)
	}
	b.ReportAllocs()
	for b.Loop() {
		if resp := answerPacket(snap, env, pkt, testClient, true, out); len(resp) < 60 {
			b.Fatal("bad answer")
		}
	}
}

// BenchmarkResolveSimple is the reference: a simple record set with one
// value, EDNS without client subnet.
func BenchmarkResolveSimple(b *testing.B) { benchmarkPacket(b, "mail.example.com.", nil) }

// BenchmarkResolveSimpleECS is the same with a client-subnet option (echoed
// with scope 0).
func BenchmarkResolveSimpleECS(b *testing.B) {
	benchmarkPacket(b, "mail.example.com.", ecsOption(1, "203.0.113.0", 24, 0))
}

// BenchmarkResolveLatencyECS ranks three regions by RTT for the subnet.
func BenchmarkResolveLatencyECS(b *testing.B) {
	benchmarkPacket(b, "lat.example.com.", ecsOption(1, "203.0.113.0", 24, 0))
}

// BenchmarkResolveGeoECS locates the subnet and walks the geolocation chain.
func BenchmarkResolveGeoECS(b *testing.B) {
	benchmarkPacket(b, "geo.example.com.", ecsOption(1, "203.0.113.0", 24, 0))
}

// BenchmarkResolveWeightedECS makes one weighted pick (scope 0).
func BenchmarkResolveWeightedECS(b *testing.B) {
	benchmarkPacket(b, "weighted.example.com.", ecsOption(1, "203.0.113.0", 24, 0))
}

// BenchmarkResolveIPBasedECS matches the subnet in the CIDR table.
func BenchmarkResolveIPBasedECS(b *testing.B) {
	benchmarkPacket(b, "ip.example.com.", ecsOption(1, "203.0.113.0", 24, 0))
}

// TestRoutedPacketsDoNotAllocate checks the fast path answers routed
// queries with client-subnet options without allocating.
func TestRoutedPacketsDoNotAllocate(t *testing.T) {
	snap := fixtureSnapshot(t)
	env := testEnv(testHealth("fo-primary", "pool1"))
	out := make([]byte, packBufSize)
	for _, name := range []string{"mail.example.com.", "lat.example.com.", "geo.example.com.", "weighted.example.com.", "ip.example.com.",
		"fo.example.com.", "mv.example.com.", "prox.example.com.", "tree.example.com."} {
		for _, ecs := range []*dns.EDNS0_SUBNET{nil, ecsOption(1, "203.0.113.0", 24, 0), ecsOption(2, "2001:db8:abcd::", 48, 0)} {
			pkt := routedQuery(t, name, ecs)
			if _, ok := fastAnswer(snap, env, pkt, testClient, true, out); !ok {
				t.Errorf("%s %v: not answered by the fast path", name, ecs)
				continue
			}
			allocs := testing.AllocsPerRun(200, func() { answerPacket(snap, env, pkt, testClient, true, out) })
			if allocs != 0 {
				t.Errorf("%s %v: %.1f allocations per query, want 0", name, ecs, allocs)
			}
		}
	}
}
