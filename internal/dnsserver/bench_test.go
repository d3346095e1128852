package dnsserver

import (
	"net"
	"testing"
	"time"

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
		var picked snapshot.Picked
		if st := r.Plan.Pick(&picked); st != snapshot.PickOK {
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
				var picked snapshot.Picked
				r.Plan.Pick(&picked)
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
		if r := Resolve(snap, m, testClient, "udp"); len(r.Answer) != 3 {
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
		if resp := answerPacket(snap, pkt, testClient, true, out); len(resp) < 100 {
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
		if resp := answerFull(snap, pkt, testClient, true, out); len(resp) < 100 {
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
