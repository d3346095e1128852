package accel

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthstate"
)

// healthyHolder returns a health holder where every listed backend's check
// is known and healthy.
func healthyHolder(ids ...string) *healthstate.Holder {
	h := healthstate.NewHolder()
	for _, id := range ids {
		h.Set("hc-"+id, true)
	}
	return h
}

func TestTCPWeights(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.1")
	light, heavy := startBackend(t, "light", false), startBackend(t, "heavy", false)
	p := newProxy(t, Config{}, Env{Health: healthyHolder("light", "heavy")})
	port := freePort(t, acc, false)
	mustApply(t, p, listenerPlan(acc, ProtocolTCP, port, AffinityNone,
		group("us-east-1", 100, tcpEndpoint(light, 64), tcpEndpoint(heavy, 192))))

	dst := netip.AddrPortFrom(acc, port)
	const conns = 400
	counts := map[string]int{}
	for range conns {
		counts[connectOnce(t, netip.Addr{}, dst)]++
	}
	// Expect 100 : 300; 4 standard deviations is about 35.
	if !within(float64(counts["light"]), conns/4, 40) {
		t.Errorf("weights 1:3 over %d connections: %v, want light about %d", conns, counts, conns/4)
	}
	eventually(t, "flows to end", func() bool {
		l, _ := statsFor(p, "light")
		h, _ := statsFor(p, "heavy")
		return l.ActiveFlows == 0 && h.ActiveFlows == 0
	})
	l, _ := statsFor(p, "light")
	h, _ := statsFor(p, "heavy")
	if int(l.TotalFlows) != counts["light"] || int(h.TotalFlows) != counts["heavy"] {
		t.Errorf("stats count %d+%d flows, clients saw %v", l.TotalFlows, h.TotalFlows, counts)
	}
	if l.BytesOut == 0 || h.BytesOut == 0 {
		t.Errorf("no bytes out counted: %+v %+v", l, h)
	}
}

// TestTCPSourceIPAffinity: clients are 127.0.0.x source addresses; each
// always reaches one endpoint, and the clients spread over both.
func TestTCPSourceIPAffinity(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.2")
	a, b := startBackend(t, "a", false), startBackend(t, "b", false)
	p := newProxy(t, Config{}, Env{Health: healthyHolder("a", "b")})
	port := freePort(t, acc, false)
	mustApply(t, p, listenerPlan(acc, ProtocolTCP, port, AffinitySourceIP,
		group("us-east-1", 100, tcpEndpoint(a, 128), tcpEndpoint(b, 128))))

	dst := netip.AddrPortFrom(acc, port)
	used := map[string]bool{}
	for i := 2; i < 18; i++ {
		src := netip.AddrFrom4([4]byte{127, 0, 0, byte(i)})
		first := connectOnce(t, src, dst)
		used[first] = true
		for range 8 {
			if got := connectOnce(t, src, dst); got != first {
				t.Fatalf("client %s reached %s after %s", src, got, first)
			}
		}
	}
	if len(used) != 2 {
		t.Errorf("16 clients all reached %v", used)
	}
}

// TestTCPDialSpill is spec 5.4's worked example over real sockets: East
// clients (127.0.1.x) are near us-east-1, West clients (127.0.2.x) near
// us-west-2, both dials are 50, so each coast's connections split evenly.
// With both dials at 100 every client stays home.
func TestTCPDialSpill(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.3")
	east, west := startBackend(t, "east", false), startBackend(t, "west", false)
	p := newProxy(t, Config{}, Env{Locator: coastLocator, Latency: coastRTT, Health: healthyHolder("east", "west")})
	port := freePort(t, acc, false)
	plan := func(dial float64) *Plan {
		return listenerPlan(acc, ProtocolTCP, port, AffinityNone,
			group("us-east-1", dial, tcpEndpoint(east, 128)), group("us-west-2", dial, tcpEndpoint(west, 128)))
	}
	dst := netip.AddrPortFrom(acc, port)
	clients := map[string]netip.Addr{"east": netip.MustParseAddr("127.0.1.1"), "west": netip.MustParseAddr("127.0.2.1")}

	mustApply(t, p, plan(50))
	const perCoast = 100
	for coast, src := range clients {
		home := 0
		for range perCoast {
			if connectOnce(t, src, dst) == coast {
				home++
			}
		}
		// Half stay home; 4 standard deviations is 20.
		if !within(float64(home), perCoast/2, 20) {
			t.Errorf("%s clients at dial 50: %d of %d stayed home, want about half", coast, home, perCoast)
		}
	}

	mustApply(t, p, plan(100))
	for coast, src := range clients {
		for range 20 {
			if got := connectOnce(t, src, dst); got != coast {
				t.Fatalf("%s client at dial 100 reached %s", coast, got)
			}
		}
	}
}

// TestTCPHealthChange: an endpoint marked unhealthy gets no new flows, the
// connections already on it and on the other endpoint carry on, and an
// INITIAL endpoint never gets any.
func TestTCPHealthChange(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.4")
	a, b, fresh := startBackend(t, "a", false), startBackend(t, "b", false), startBackend(t, "fresh", false)
	health := healthyHolder("a", "b") // fresh's check is unknown: INITIAL
	p := newProxy(t, Config{}, Env{Health: health})
	port := freePort(t, acc, false)
	mustApply(t, p, listenerPlan(acc, ProtocolTCP, port, AffinityNone,
		group("us-east-1", 100, tcpEndpoint(a, 128), tcpEndpoint(b, 128), tcpEndpoint(fresh, 255))))
	dst := netip.AddrPortFrom(acc, port)

	open := map[string]*client{}
	for i := 0; len(open) < 2; i++ {
		if i == 100 {
			t.Fatalf("100 connections reached only %v", open)
		}
		cl := dialVia(t, netip.Addr{}, dst)
		if cl.g.id == "fresh" {
			t.Fatal("the INITIAL endpoint got a connection")
		}
		if open[cl.g.id] != nil {
			cl.close()
			continue
		}
		open[cl.g.id] = cl
		defer cl.close()
	}

	health.Set("hc-a", false)
	for range 40 {
		if got := connectOnce(t, netip.Addr{}, dst); got != "b" {
			t.Fatalf("new connection reached %s after a turned unhealthy", got)
		}
	}
	open["a"].echo(t, "still on a")
	open["b"].echo(t, "still on b")
	if fresh.conns.Load() != 0 {
		t.Errorf("the INITIAL endpoint got %d connections", fresh.conns.Load())
	}
}

// TestTCPRemovedEndpointDrains: an endpoint removed by Apply gets no new
// flows, its established connection keeps working, and its stats stay
// listed as removed until that connection ends.
func TestTCPRemovedEndpointDrains(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.5")
	a, b := startBackend(t, "a", false), startBackend(t, "b", false)
	p := newProxy(t, Config{}, Env{})
	port := freePort(t, acc, false)
	both := listenerPlan(acc, ProtocolTCP, port, AffinityNone, group("us-east-1", 100, tcpEndpoint(a, 128), tcpEndpoint(b, 128)))
	onlyB := listenerPlan(acc, ProtocolTCP, port, AffinityNone, group("us-east-1", 100, tcpEndpoint(b, 128)))
	mustApply(t, p, both)
	dst := netip.AddrPortFrom(acc, port)

	var onA *client
	for i := 0; onA == nil; i++ {
		if i == 100 {
			t.Fatal("100 connections never reached a")
		}
		cl := dialVia(t, netip.Addr{}, dst)
		if cl.g.id == "a" {
			onA = cl
		} else {
			cl.close()
		}
	}
	defer onA.close()

	mustApply(t, p, onlyB)
	for range 20 {
		if got := connectOnce(t, netip.Addr{}, dst); got != "b" {
			t.Fatalf("new connection reached removed endpoint %s", got)
		}
	}
	onA.echo(t, "draining")
	s, ok := statsFor(p, "a")
	if !ok || !s.Removed || s.ActiveFlows != 1 {
		t.Fatalf("stats of the removed endpoint: %+v (listed %v), want removed with 1 active flow", s, ok)
	}
	onA.close()
	eventually(t, "the drained endpoint to leave the stats", func() bool {
		_, ok := statsFor(p, "a")
		return !ok
	})
}

// TestTCPProxyProtocol: the backend reads a PROXY v2 header carrying the
// real client address and the accelerator address; without client IP
// preservation it sees the proxy instead.
func TestTCPProxyProtocol(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.6")
	pp, plain := startBackend(t, "pp", true), startBackend(t, "plain", false)
	p := newProxy(t, Config{}, Env{})
	ppPort, plainPort := freePort(t, acc, false), freePort(t, acc, false)
	epPP := tcpEndpoint(pp, 128)
	epPP.ClientIPPreservation = true
	plan := listenerPlan(acc, ProtocolTCP, ppPort, AffinityNone, group("us-east-1", 100, epPP))
	second := listenerPlan(acc, ProtocolTCP, plainPort, AffinityNone, group("us-east-1", 100, tcpEndpoint(plain, 128)))
	second.Accelerators[0].Listeners[0].ARN += "-plain"
	plan.Accelerators[0].Listeners = append(plan.Accelerators[0].Listeners, second.Accelerators[0].Listeners[0])
	mustApply(t, p, plan)

	src := netip.MustParseAddr("127.0.0.77")
	cl := dialVia(t, src, netip.AddrPortFrom(acc, ppPort))
	defer cl.close()
	if cl.g.id != "pp" {
		t.Fatalf("greeting from %s", cl.g.id)
	}
	if want := cl.c.LocalAddr().String(); cl.g.src != want {
		t.Errorf("PROXY header source %s, want the client %s", cl.g.src, want)
	}
	if want := netip.AddrPortFrom(acc, ppPort).String(); cl.g.dst != want {
		t.Errorf("PROXY header destination %s, want the accelerator %s", cl.g.dst, want)
	}
	cl.echo(t, "after the header")

	cl2 := dialVia(t, src, netip.AddrPortFrom(acc, plainPort))
	defer cl2.close()
	if strings.HasPrefix(cl2.g.src, src.String()+":") {
		t.Errorf("without preservation the backend saw the client address %s", cl2.g.src)
	}
}

// TestTCPHalfClose: the client's FIN reaches the backend while the reply
// direction stays open, and the backend's FIN then reaches the client.
func TestTCPHalfClose(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.7")
	be := startBackend(t, "be", false)
	p := newProxy(t, Config{}, Env{})
	port := freePort(t, acc, false)
	mustApply(t, p, listenerPlan(acc, ProtocolTCP, port, AffinityNone, group("us-east-1", 100, tcpEndpoint(be, 1))))

	cl := dialVia(t, netip.Addr{}, netip.AddrPortFrom(acc, port))
	defer cl.close()
	payload := strings.Repeat("half-close ", 10000)
	if _, err := cl.c.Write([]byte(payload)); err != nil {
		t.Fatal(err)
	}
	if err := cl.c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(cl.r)
	if err != nil {
		t.Fatalf("read after half-close: %v", err)
	}
	if string(got) != payload {
		t.Fatalf("echoed %d bytes, want %d", len(got), len(payload))
	}
	eventually(t, "the flow to end", func() bool {
		s, _ := statsFor(p, "be")
		return s.ActiveFlows == 0
	})
	s, _ := statsFor(p, "be")
	if s.BytesIn != uint64(len(payload)) || s.BytesOut < uint64(len(payload)) {
		t.Errorf("bytes in %d, out %d; want %d in and at least that out", s.BytesIn, s.BytesOut, len(payload))
	}
}

// TestTCPIdleTimeout: an idle connection is closed after the idle timeout;
// one that keeps talking is not.
func TestTCPIdleTimeout(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.8")
	be := startBackend(t, "be", false)
	p := newProxy(t, Config{TCPIdleTimeout: 400 * time.Millisecond}, Env{})
	port := freePort(t, acc, false)
	mustApply(t, p, listenerPlan(acc, ProtocolTCP, port, AffinityNone, group("us-east-1", 100, tcpEndpoint(be, 1))))
	dst := netip.AddrPortFrom(acc, port)

	idle := dialVia(t, netip.Addr{}, dst)
	defer idle.close()
	busy := dialVia(t, netip.Addr{}, dst)
	defer busy.close()
	start := time.Now()
	for time.Since(start) < time.Second {
		busy.echo(t, "keepalive")
		time.Sleep(50 * time.Millisecond)
	}
	_ = idle.c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := idle.r.ReadByte(); err == nil || isTimeout(err) {
		t.Fatalf("idle connection still open after %v: read error %v", time.Since(start), err)
	}
	busy.echo(t, "still here")
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// TestTCPDisabled: a disabled accelerator resets new connections, and
// disabling one cuts its established connections.
func TestTCPDisabled(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.9")
	be := startBackend(t, "be", false)
	p := newProxy(t, Config{}, Env{})
	port := freePort(t, acc, false)
	plan := listenerPlan(acc, ProtocolTCP, port, AffinityNone, group("us-east-1", 100, tcpEndpoint(be, 1)))
	mustApply(t, p, plan)
	dst := netip.AddrPortFrom(acc, port)
	open := dialVia(t, netip.Addr{}, dst)
	defer open.close()

	off := *plan
	off.Accelerators = []Accelerator{plan.Accelerators[0]}
	off.Accelerators[0].Enabled = false
	mustApply(t, p, &off)

	_ = open.c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := open.r.ReadByte(); err == nil || isTimeout(err) {
		t.Fatalf("established connection survived disabling: %v", err)
	}
	before := be.conns.Load()
	if cl, err := tryDial(netip.Addr{}, dst); err == nil {
		cl.close()
		t.Fatal("a disabled accelerator served a connection")
	}
	if be.conns.Load() != before {
		t.Error("the backend got a connection while disabled")
	}
	if d := p.Drops(); d.Disabled == 0 {
		t.Errorf("drops %+v, want a disabled drop", d)
	}
	mustApply(t, p, plan)
	connectOnce(t, netip.Addr{}, dst)
}

// TestTCPPortOverrideAndRange: a listener over a port range binds every
// port, and a group's port override sends one listener port elsewhere.
func TestTCPPortOverrideAndRange(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.10")
	be := startBackend(t, "be", false)
	p := newProxy(t, Config{}, Env{})
	var from uint16
	var plan *Plan
	for try := 0; ; try++ {
		from = freePort(t, acc, false)
		if from > 65000 {
			continue
		}
		e := Endpoint{ID: "be", Addr: be.addr.Addr(), Weight: 1} // no port: the listener port or its override
		g := group("us-east-1", 100, e)
		g.PortOverrides = map[uint16]uint16{from + 2: be.addr.Port()}
		plan = listenerPlan(acc, ProtocolTCP, from, AffinityNone, g)
		plan.Accelerators[0].Listeners[0].PortRanges = []PortRange{{From: from, To: from + 2}}
		err := p.Apply(plan)
		if err == nil {
			break
		}
		if try == 20 {
			t.Fatalf("no 3 free consecutive ports: %v", err)
		}
	}
	// from and from+1 map to the same port at 127.0.0.1, where nothing
	// listens: the connect fails and the client is reset.
	for _, port := range []uint16{from, from + 1} {
		if cl, err := tryDial(netip.Addr{}, netip.AddrPortFrom(acc, port)); err == nil {
			cl.close()
			t.Fatalf("port %d reached a backend without an override", port)
		}
	}
	eventually(t, "the failed connects to be counted", func() bool {
		s, _ := statsFor(p, "be")
		return s.DialErrors == 2 && p.Drops().DialFailed == 2
	})
	if got := connectOnce(t, netip.Addr{}, netip.AddrPortFrom(acc, from+2)); got != "be" {
		t.Fatalf("override port reached %s", got)
	}
}

// TestTCPNoEndpoint: a listener without any endpoint of weight > 0 resets
// connections.
func TestTCPNoEndpoint(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.11")
	be := startBackend(t, "be", false)
	p := newProxy(t, Config{}, Env{})
	port := freePort(t, acc, false)
	mustApply(t, p, listenerPlan(acc, ProtocolTCP, port, AffinityNone, group("us-east-1", 100, tcpEndpoint(be, 0))))
	if cl, err := tryDial(netip.Addr{}, netip.AddrPortFrom(acc, port)); err == nil {
		cl.close()
		t.Fatal("served a connection without endpoints")
	}
	eventually(t, "the drop to be counted", func() bool { return p.Drops().NoEndpoint == 1 })
}

// TestProxyClose: Close cuts established connections and stops listening.
func TestProxyClose(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.12")
	be := startBackend(t, "be", false)
	p := New(Config{}, Env{}, quietLogger())
	port := freePort(t, acc, false)
	mustApply(t, p, listenerPlan(acc, ProtocolTCP, port, AffinityNone, group("us-east-1", 100, tcpEndpoint(be, 1))))
	cl := dialVia(t, netip.Addr{}, netip.AddrPortFrom(acc, port))
	defer cl.close()
	done := make(chan struct{})
	go func() { p.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	if _, err := cl.r.ReadByte(); err == nil {
		t.Error("connection survived Close")
	}
	if _, err := net.DialTimeout("tcp", netip.AddrPortFrom(acc, port).String(), time.Second); err == nil {
		t.Error("still listening after Close")
	}
	if err := p.Apply(&Plan{}); err == nil {
		t.Error("Apply after Close succeeded")
	}
	p.Close() // idempotent
}

// ExampleChoice_Explain shows a choice's explanation.
func ExampleChoice_Explain() {
	l := &Listener{ClientAffinity: AffinitySourceIP, Groups: []EndpointGroup{
		{ARN: "eg-1", Region: "us-west-2", TrafficDial: 100, Endpoints: []Endpoint{{ID: "w1", Addr: netip.MustParseAddr("192.0.2.10"), Weight: 128}}},
		{ARN: "eg-2", Region: "us-east-1", TrafficDial: 0, Endpoints: []Endpoint{{ID: "e1", Addr: netip.MustParseAddr("192.0.2.20"), Weight: 128}}},
	}}
	f := Flow{Protocol: ProtocolTCP, Src: netip.MustParseAddrPort("10.1.0.1:40000"), Dst: netip.MustParseAddrPort("198.51.100.1:443")}
	c := Choose(l, f, coastLocator.Locate(f.Src.Addr()), coastRTT, nil)
	s := c.Explain(l)
	fmt.Println(s[strings.Index(s, "; groups")+2:])
	// Output: groups us-east-1 (10.0 ms declared, dial 0), us-west-2 (70.0 ms declared, dial 100); dial draw 0.241 >= 0.00: spilled to us-west-2; rule dial: endpoint w1 in us-west-2 -> 192.0.2.10:443
}

// TestIPv6 serves an accelerator address of ::1, TCP with a PROXY v2
// header for an IPv6 client, and UDP.
func TestIPv6(t *testing.T) {
	acc := netip.IPv6Loopback()
	probe, err := net.ListenTCP("tcp", net.TCPAddrFromAddrPort(netip.AddrPortFrom(acc, 0)))
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	probe.Close()
	pp := startBackend(t, "pp", true)
	ube := startUDPBackend(t, "u6")
	p := newProxy(t, Config{}, Env{})
	tcpPort, udpPort := freePort(t, acc, false), freePort(t, acc, true)
	e := tcpEndpoint(pp, 1)
	e.ClientIPPreservation = true
	plan := listenerPlan(acc, ProtocolTCP, tcpPort, AffinitySourceIP, group("us-east-1", 100, e))
	udpL := listenerPlan(acc, ProtocolUDP, udpPort, AffinitySourceIP, group("us-east-1", 100, udpEndpoint(ube, 1))).Accelerators[0].Listeners[0]
	plan.Accelerators[0].Listeners = append(plan.Accelerators[0].Listeners, udpL)
	mustApply(t, p, plan)

	cl := dialVia(t, acc, netip.AddrPortFrom(acc, tcpPort))
	defer cl.close()
	if want := cl.c.LocalAddr().String(); cl.g.src != want {
		t.Errorf("PROXY header source %s, want %s", cl.g.src, want)
	}
	if want := netip.AddrPortFrom(acc, tcpPort).String(); cl.g.dst != want {
		t.Errorf("PROXY header destination %s, want %s", cl.g.dst, want)
	}
	if id, _, payload, ok := newUDPClient(t, acc, netip.AddrPortFrom(acc, udpPort)).ask(t, "v6", 2*time.Second); !ok || id != "u6" || payload != "v6" {
		t.Errorf("UDP over IPv6: %q %q %v", id, payload, ok)
	}
}
