package accel

import (
	"net/netip"
	"testing"
	"time"
)

// udpEndpoint is an endpoint for a UDP backend.
func udpEndpoint(b *udpBackend, weight int) Endpoint {
	return Endpoint{ID: b.id, Addr: b.addr.Addr(), Port: b.addr.Port(), Weight: weight, HealthCheckID: "hc-" + b.id}
}

// TestUDPFlows: datagrams are echoed through the proxy; a client's
// datagrams reuse one flow (the backend sees one source port) until it is
// idle for the timeout, after which a new flow starts.
func TestUDPFlows(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.20")
	be := startUDPBackend(t, "u1")
	p := newProxy(t, Config{UDPIdleTimeout: 400 * time.Millisecond}, Env{})
	port := freePort(t, acc, true)
	mustApply(t, p, listenerPlan(acc, ProtocolUDP, port, AffinityNone, group("us-east-1", 100, udpEndpoint(be, 1))))
	cl := newUDPClient(t, netip.MustParseAddr("127.0.0.5"), netip.AddrPortFrom(acc, port))

	id, seen, payload, ok := cl.ask(t, "one", 2*time.Second)
	if !ok || id != "u1" || payload != "one" {
		t.Fatalf("reply %q %q %q (ok %v)", id, seen, payload, ok)
	}
	for _, msg := range []string{"two", "three"} {
		_, again, payload, ok := cl.ask(t, msg, 2*time.Second)
		if !ok || payload != msg {
			t.Fatalf("reply to %s: %q (ok %v)", msg, payload, ok)
		}
		if again != seen {
			t.Fatalf("datagram %q came from %s, the flow's first from %s: flow not reused", msg, again, seen)
		}
	}
	s, _ := statsFor(p, "u1")
	if s.TotalFlows != 1 || s.ActiveFlows != 1 || s.BytesIn != uint64(len("onetwothree")) {
		t.Errorf("stats after one flow: %+v", s)
	}
	if s.BytesOut == 0 {
		t.Errorf("no bytes out: %+v", s)
	}

	eventually(t, "the idle flow to expire", func() bool {
		s, _ := statsFor(p, "u1")
		return s.ActiveFlows == 0
	})
	_, after, _, ok := cl.ask(t, "four", 2*time.Second)
	if !ok {
		t.Fatal("no reply after the flow expired")
	}
	if after == seen {
		t.Errorf("after expiry the backend still sees %s: no new flow", after)
	}
	if s, _ := statsFor(p, "u1"); s.TotalFlows != 2 {
		t.Errorf("total flows %d, want 2", s.TotalFlows)
	}
}

// TestUDPAffinity: SOURCE_IP keeps every port of a client on one
// endpoint; different clients spread.
func TestUDPAffinity(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.21")
	a, b := startUDPBackend(t, "ua"), startUDPBackend(t, "ub")
	p := newProxy(t, Config{}, Env{})
	port := freePort(t, acc, true)
	mustApply(t, p, listenerPlan(acc, ProtocolUDP, port, AffinitySourceIP,
		group("us-east-1", 100, udpEndpoint(a, 1), udpEndpoint(b, 1))))
	dst := netip.AddrPortFrom(acc, port)
	used := map[string]bool{}
	for i := 2; i < 18; i++ {
		src := netip.AddrFrom4([4]byte{127, 0, 0, byte(i)})
		var first string
		for range 3 {
			id, _, _, ok := newUDPClient(t, src, dst).ask(t, "hi", 2*time.Second)
			if !ok {
				t.Fatalf("no reply for %s", src)
			}
			if first == "" {
				first = id
			} else if id != first {
				t.Fatalf("client %s reached %s then %s", src, first, id)
			}
		}
		used[first] = true
	}
	if len(used) != 2 {
		t.Errorf("16 clients all reached %v", used)
	}
}

// TestUDPTableFull: beyond MaxUDPFlows a new flow's datagrams are dropped
// and counted; existing flows go on.
func TestUDPTableFull(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.22")
	be := startUDPBackend(t, "u1")
	p := newProxy(t, Config{MaxUDPFlows: 1}, Env{})
	port := freePort(t, acc, true)
	mustApply(t, p, listenerPlan(acc, ProtocolUDP, port, AffinityNone, group("us-east-1", 100, udpEndpoint(be, 1))))
	dst := netip.AddrPortFrom(acc, port)
	first := newUDPClient(t, netip.MustParseAddr("127.0.0.2"), dst)
	if _, _, _, ok := first.ask(t, "a", 2*time.Second); !ok {
		t.Fatal("no reply to the first flow")
	}
	second := newUDPClient(t, netip.MustParseAddr("127.0.0.3"), dst)
	if _, _, _, ok := second.ask(t, "b", 300*time.Millisecond); ok {
		t.Fatal("a flow beyond the table size got a reply")
	}
	if d := p.Drops(); d.UDPTableFull != 1 {
		t.Errorf("drops %+v, want one table-full drop", d)
	}
	if _, _, _, ok := first.ask(t, "c", 2*time.Second); !ok {
		t.Fatal("the existing flow stopped")
	}
}

// TestUDPDisabled: a disabled accelerator drops datagrams, those of
// existing flows too.
func TestUDPDisabled(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.23")
	be := startUDPBackend(t, "u1")
	p := newProxy(t, Config{}, Env{})
	port := freePort(t, acc, true)
	plan := listenerPlan(acc, ProtocolUDP, port, AffinityNone, group("us-east-1", 100, udpEndpoint(be, 1)))
	mustApply(t, p, plan)
	dst := netip.AddrPortFrom(acc, port)
	cl := newUDPClient(t, netip.MustParseAddr("127.0.0.2"), dst)
	if _, _, _, ok := cl.ask(t, "on", 2*time.Second); !ok {
		t.Fatal("no reply while enabled")
	}

	off := *plan
	off.Accelerators = []Accelerator{plan.Accelerators[0]}
	off.Accelerators[0].Enabled = false
	mustApply(t, p, &off)
	if _, _, _, ok := cl.ask(t, "off", 300*time.Millisecond); ok {
		t.Fatal("a disabled accelerator forwarded a datagram")
	}
	if _, _, _, ok := newUDPClient(t, netip.MustParseAddr("127.0.0.3"), dst).ask(t, "new", 300*time.Millisecond); ok {
		t.Fatal("a disabled accelerator started a flow")
	}
	if d := p.Drops(); d.Disabled != 2 {
		t.Errorf("drops %+v, want 2 disabled", d)
	}
	eventually(t, "the flow to end", func() bool {
		s, _ := statsFor(p, "u1")
		return s.ActiveFlows == 0
	})
}
