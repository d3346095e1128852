//go:build linux

package dnsserver

import (
	"encoding/binary"
	"net"
	"net/netip"
	"testing"
	"time"
	"unsafe"

	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/miekg/dns"
	"golang.org/x/sys/unix"
)

// batchPair is a udpBatch serving a loopback socket, not started, and a
// client socket connected to it.
type batchPair struct {
	b      *udpBatch
	server *net.UDPConn
	client *net.UDPConn
}

// newBatchPair binds a server socket on addr (port 0) with a batch of size
// over the fixture snapshot, and a client connected to it.
func newBatchPair(t testing.TB, network, addr string, size int) *batchPair {
	t.Helper()
	h := snapshot.NewHolder()
	h.Store(fixtureSnapshot(t))
	s := New(Config{Logger: quietLogger(), Env: routing.NewEnvHolder(testEnv(healthstate.NewHolder()))}, h)
	sc, err := net.ListenUDP(network, net.UDPAddrFromAddrPort(netip.MustParseAddrPort(addr)))
	if err != nil {
		t.Skipf("listen %s %s: %v", network, addr, err)
	}
	t.Cleanup(func() { sc.Close() })
	b, err := newUDPBatch(s, sc, size)
	if err != nil {
		t.Fatalf("newUDPBatch: %v", err)
	}
	t.Cleanup(b.close)
	cc, err := net.DialUDP(network, nil, sc.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { cc.Close() })
	if err := cc.SetReadDeadline(time.Now().Add(10 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	return &batchPair{b: b, server: sc, client: cc}
}

// packQuery packs a query with the given ID, optionally with EDNS and a
// client-subnet option.
func packQuery(t testing.TB, id uint16, name string, qtype uint16, edns bool, ecs *dns.EDNS0_SUBNET) []byte {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.Id = id
	if edns {
		m.SetEdns0(1232, false)
		if ecs != nil {
			m.IsEdns0().Option = []dns.EDNS0{ecs}
		}
	}
	pkt, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return pkt
}

// serveAll runs serveOnce until want datagrams were read.
func (p *batchPair) serveAll(t testing.TB, want int) {
	for got := 0; got < want; {
		if err := p.b.serveOnce(); err != nil {
			t.Fatalf("serveOnce: %v", err)
		}
		got += p.b.got
	}
}

func TestUDPBatchAnswersEveryDatagram(t *testing.T) {
	queries := []struct {
		name  string
		qtype uint16
		edns  bool
		ecs   *dns.EDNS0_SUBNET
		rcode int
		an    int
	}{
		{"www.example.com.", dns.TypeA, false, nil, dns.RcodeSuccess, 3},
		{"nope.example.com.", dns.TypeA, true, nil, dns.RcodeNameError, 0},
		{"geo.example.com.", dns.TypeA, true, ecsOption(1, "203.0.113.0", 24, 0), dns.RcodeSuccess, 1},
		{"example.com.", dns.TypeMX, true, nil, dns.RcodeSuccess, 1}, // full path: additional records
		{"example.org.", dns.TypeA, false, nil, dns.RcodeRefused, 0},
	}
	for _, tc := range []struct {
		name, network, addr string
		dial                string // client's target when not the bound address
		size                int
	}{
		{"ipv4 batch 8", "udp4", "127.0.0.1:0", "", 8},
		{"ipv4 batch 64", "udp4", "127.0.0.1:0", "", DefaultUDPBatch},
		{"ipv6 batch 8", "udp6", "[::1]:0", "", 8},
		{"dual-stack over ipv6", "udp", "[::]:0", "::1", 3},
		{"dual-stack over ipv4 (mapped)", "udp", "[::]:0", "127.0.0.1", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newBatchPair(t, tc.network, tc.addr, tc.size)
			if tc.dial != "" {
				p.client.Close()
				port := p.server.LocalAddr().(*net.UDPAddr).AddrPort().Port()
				cc, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(tc.dial), port)))
				if err != nil {
					t.Skipf("dial %s: %v", tc.dial, err)
				}
				t.Cleanup(func() { cc.Close() })
				if err := cc.SetReadDeadline(time.Now().Add(10 * time.Minute)); err != nil {
					t.Fatal(err)
				}
				p.client = cc
			}
			const rounds = 7 // 35 datagrams: several batches of 8 and 3
			sent := 0
			for r := range rounds {
				for i, q := range queries {
					id := uint16(r*len(queries) + i)
					if _, err := p.client.Write(packQuery(t, id, q.name, q.qtype, q.edns, q.ecs)); err != nil {
						t.Fatal(err)
					}
					sent++
				}
			}
			p.serveAll(t, sent)
			buf := make([]byte, 65536)
			seen := map[uint16]bool{}
			for range sent {
				n, err := p.client.Read(buf)
				if err != nil {
					t.Fatalf("read after %d answers: %v", len(seen), err)
				}
				m := new(dns.Msg)
				if err := m.Unpack(buf[:n]); err != nil {
					t.Fatalf("unpack: %v", err)
				}
				q := queries[int(m.Id)%len(queries)]
				if seen[m.Id] {
					t.Errorf("id %d answered twice", m.Id)
				}
				seen[m.Id] = true
				if m.Rcode != q.rcode || len(m.Answer) != q.an || m.Question[0].Name != q.name {
					t.Errorf("%s: rcode %d, %d answers; want %d, %d", q.name, m.Rcode, len(m.Answer), q.rcode, q.an)
				}
			}
		})
	}
}

// TestUDPBatchDropsResponses checks that datagrams with QR=1 and runts get
// no answer while the rest of the batch does.
func TestUDPBatchDropsResponses(t *testing.T) {
	p := newBatchPair(t, "udp4", "127.0.0.1:0", 8)
	good := packQuery(t, 7, "www.example.com.", dns.TypeA, true, nil)
	resp := packQuery(t, 8, "www.example.com.", dns.TypeA, true, nil)
	resp[2] |= 0x80
	for _, pkt := range [][]byte{resp, {1, 2, 3}, good} {
		if _, err := p.client.Write(pkt); err != nil {
			t.Fatal(err)
		}
	}
	p.serveAll(t, 3)
	buf := make([]byte, 4096)
	n, err := p.client.Read(buf)
	if err != nil || n < headerLen || binary.BigEndian.Uint16(buf) != 7 {
		t.Fatalf("first answer: %d bytes, id %x, %v", n, buf[:2], err)
	}
	if err := p.client.SetReadDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if n, err := p.client.Read(buf); err == nil {
		t.Errorf("unexpected second answer of %d bytes", n)
	}
}

// TestUDPBatchSkipsRefusedAnswer checks that an answer the kernel refuses
// (a destination port of 0) is counted and skipped, and the answers after
// it in the same sendmmsg still go out.
func TestUDPBatchSkipsRefusedAnswer(t *testing.T) {
	p := newBatchPair(t, "udp4", "127.0.0.1:0", 4)
	clientAddr := p.client.LocalAddr().(*net.UDPAddr).AddrPort()
	msgs := [][]byte{[]byte("first"), []byte("refused"), []byte("third")}
	for i, body := range msgs {
		var sa unix.RawSockaddrInet4
		sa.Family = unix.AF_INET
		sa.Addr = clientAddr.Addr().As4()
		if i != 1 {
			binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&sa.Port))[:], clientAddr.Port())
		}
		copy(p.b.names[i][:], (*[unix.SizeofSockaddrInet4]byte)(unsafe.Pointer(&sa))[:])
		o := &p.b.out[i].Hdr
		o.Name = &p.b.names[i][0]
		o.Namelen = unix.SizeofSockaddrInet4
		p.b.outIv[i].Base = &body[0]
		p.b.outIv[i].SetLen(len(body))
	}
	p.b.pending, p.b.next, p.b.sendErrs = len(msgs), 0, 0
	if err := p.b.raw.Write(p.b.sendFn); err != nil {
		t.Fatal(err)
	}
	if p.b.sendErrs != 1 || p.b.sendErr != unix.EINVAL {
		t.Errorf("send errors %d (%v), want 1 (EINVAL)", p.b.sendErrs, p.b.sendErr)
	}
	buf := make([]byte, 64)
	for _, want := range []string{"first", "third"} {
		n, err := p.client.Read(buf)
		if err != nil || string(buf[:n]) != want {
			t.Fatalf("read %q, %v; want %q", buf[:n], err, want)
		}
	}
}

// TestUDPBatchDoesNotAllocate serves plain, routed and negative queries
// through a real loopback socket pair and counts the allocations of the
// whole round trip: client writes, one batch read, answers, one batch
// write, client reads.
func TestUDPBatchDoesNotAllocate(t *testing.T) {
	p := newBatchPair(t, "udp4", "127.0.0.1:0", DefaultUDPBatch)
	var pkts [][]byte
	for i, name := range []string{"www.example.com.", "mail.example.com.", "nope.example.com.", "geo.example.com.", "lat.example.com.",
		"weighted.example.com.", "ip.example.com.", "x.wild.example.com.", "example.org."} {
		pkts = append(pkts, packQuery(t, uint16(i), name, dns.TypeA, true, ecsOption(1, "203.0.113.0", 24, 0)))
		pkts = append(pkts, packQuery(t, uint16(i), name, dns.TypeA, false, nil))
	}
	buf := make([]byte, 4096)
	roundTrip := func() {
		for _, pkt := range pkts {
			if _, err := p.client.Write(pkt); err != nil {
				t.Fatal(err)
			}
		}
		p.serveAll(t, len(pkts))
		for range pkts {
			if _, err := p.client.Read(buf); err != nil {
				t.Fatal(err)
			}
		}
	}
	roundTrip()
	if allocs := testing.AllocsPerRun(50, roundTrip); allocs != 0 {
		t.Errorf("%.1f allocations per batch of %d queries, want 0", allocs, len(pkts))
	}
}

func TestSockaddrAddr(t *testing.T) {
	v4 := unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: [4]byte{192, 0, 2, 7}}
	v6 := unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: netip.MustParseAddr("2001:db8::9").As16()}
	mapped := unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: netip.MustParseAddr("::ffff:198.51.100.1").As16()}
	other := unix.RawSockaddrInet4{Family: unix.AF_UNIX}
	b4 := (*[unix.SizeofSockaddrInet4]byte)(unsafe.Pointer(&v4))[:]
	b6 := (*[unix.SizeofSockaddrInet6]byte)(unsafe.Pointer(&v6))[:]
	bm := (*[unix.SizeofSockaddrInet6]byte)(unsafe.Pointer(&mapped))[:]
	bo := (*[unix.SizeofSockaddrInet4]byte)(unsafe.Pointer(&other))[:]
	for _, tc := range []struct {
		name string
		sa   []byte
		want netip.Addr
	}{
		{"ipv4", b4, netip.MustParseAddr("192.0.2.7")},
		{"ipv6", b6, netip.MustParseAddr("2001:db8::9")},
		{"ipv4-mapped", bm, netip.MustParseAddr("198.51.100.1")},
		{"short ipv4", b4[:6], netip.Addr{}},
		{"short ipv6", b6[:20], netip.Addr{}},
		{"other family", bo, netip.Addr{}},
		{"empty", nil, netip.Addr{}},
	} {
		if got := sockaddrAddr(tc.sa); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestUDPBuffers checks that the sockets get the requested buffers: all of
// them as root (SO_RCVBUFFORCE), else at least what the kernel allows.
func TestUDPBuffers(t *testing.T) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const size = 1 << 20
	rcv, snd, err := setUDPBuffers(c, size)
	if err != nil {
		t.Fatalf("setUDPBuffers: %v", err)
	}
	if rcv <= 0 || snd <= 0 {
		t.Fatalf("buffers %d, %d", rcv, snd)
	}
	if unix.Geteuid() == 0 && (rcv < size || snd < size) {
		t.Errorf("as root: receive %d, send %d; want at least %d", rcv, snd, size)
	}
}

// benchmarkUDPServer measures a real server over loopback: one client
// sends bursts of 32 queries and reads the answers (client and server
// costs both count; compare batch sizes with each other).
func benchmarkUDPServer(b *testing.B, batch int) {
	h := snapshot.NewHolder()
	h.Store(fixtureSnapshot(b))
	s := New(Config{Addr: "127.0.0.1:0", Sockets: 1, UDPBatch: batch, Logger: quietLogger()}, h)
	if err := s.Start(); err != nil {
		b.Fatal(err)
	}
	defer s.Shutdown(b.Context())
	c, err := net.DialUDP("udp4", nil, s.UDPAddr().(*net.UDPAddr))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if err := c.SetReadDeadline(time.Now().Add(time.Minute)); err != nil {
		b.Fatal(err)
	}
	pkt := packQuery(b, 1, "www.example.com.", dns.TypeA, true, nil)
	buf := make([]byte, 4096)
	const burst = 32
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += burst {
		for range burst {
			if _, err := c.Write(pkt); err != nil {
				b.Fatal(err)
			}
		}
		for range burst {
			if _, err := c.Read(buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkUDPServerBatch(b *testing.B) { benchmarkUDPServer(b, DefaultUDPBatch) }
func BenchmarkUDPServerPlain(b *testing.B) { benchmarkUDPServer(b, 1) }

// benchmarkServe measures the server side alone: a burst of 32 queries
// is queued, then serve reads, answers and sends them all; the client's
// writes and reads are not timed.
func benchmarkServe(b *testing.B, serve func(p *batchPair, n int)) {
	p := newBatchPair(b, "udp4", "127.0.0.1:0", DefaultUDPBatch)
	pkt := packQuery(b, 1, "www.example.com.", dns.TypeA, true, nil)
	buf := make([]byte, 4096)
	const burst = 32
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		for range burst {
			if _, err := p.client.Write(pkt); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		serve(p, burst)
		b.StopTimer()
		for range burst {
			if _, err := p.client.Read(buf); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*burst), "ns/query")
}

// BenchmarkServeBatch serves a burst with recvmmsg and sendmmsg.
func BenchmarkServeBatch(b *testing.B) {
	benchmarkServe(b, func(p *batchPair, n int) { p.serveAll(b, n) })
}

// BenchmarkServePlain serves the same burst one packet at a time.
func BenchmarkServePlain(b *testing.B) {
	in := make([]byte, maxTCPSize)
	out := make([]byte, packBufSize)
	benchmarkServe(b, func(p *batchPair, n int) {
		for range n {
			if err := p.b.s.answerOneUDP(p.server, in, out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
