package accel

import (
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestApplyKeepsListeners: an open connection and an open UDP flow survive
// an Apply that adds a listener; the added listener serves; removing it
// stops its port.
func TestApplyKeepsListeners(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.30")
	be := startBackend(t, "be", false)
	ube := startUDPBackend(t, "ube")
	p := newProxy(t, Config{}, Env{})
	tcpPort, udpPort, newPort := freePort(t, acc, false), freePort(t, acc, true), freePort(t, acc, false)

	base := listenerPlan(acc, ProtocolTCP, tcpPort, AffinityNone, group("us-east-1", 100, tcpEndpoint(be, 1)))
	udpL := listenerPlan(acc, ProtocolUDP, udpPort, AffinityNone, group("us-east-1", 100, udpEndpoint(ube, 1))).Accelerators[0].Listeners[0]
	base.Accelerators[0].Listeners = append(base.Accelerators[0].Listeners, udpL)
	mustApply(t, p, base)

	cl := dialVia(t, netip.Addr{}, netip.AddrPortFrom(acc, tcpPort))
	defer cl.close()
	ucl := newUDPClient(t, netip.MustParseAddr("127.0.0.9"), netip.AddrPortFrom(acc, udpPort))
	_, seen, _, ok := ucl.ask(t, "x", 2*time.Second)
	if !ok {
		t.Fatal("no UDP reply")
	}

	grown := *base
	grown.Accelerators = []Accelerator{base.Accelerators[0]}
	added := listenerPlan(acc, ProtocolTCP, newPort, AffinityNone, group("us-east-1", 100, tcpEndpoint(be, 1))).Accelerators[0].Listeners[0]
	added.ARN += "-2"
	grown.Accelerators[0].Listeners = append(append([]Listener(nil), base.Accelerators[0].Listeners...), added)
	mustApply(t, p, &grown)

	cl.echo(t, "survived the apply")
	if _, again, _, ok := ucl.ask(t, "y", 2*time.Second); !ok || again != seen {
		t.Fatalf("UDP flow after Apply: reply %v from %s, before from %s", ok, again, seen)
	}
	connectOnce(t, netip.Addr{}, netip.AddrPortFrom(acc, newPort))
	connectOnce(t, netip.Addr{}, netip.AddrPortFrom(acc, tcpPort))

	mustApply(t, p, base)
	if c, err := net.DialTimeout("tcp", netip.AddrPortFrom(acc, newPort).String(), time.Second); err == nil {
		c.Close()
		t.Error("a removed listener's port still accepts")
	}
	cl.echo(t, "survived the removal of another listener")

	// Removing the UDP listener closes its socket and ends its flows.
	onlyTCP := *base
	onlyTCP.Accelerators = []Accelerator{base.Accelerators[0]}
	onlyTCP.Accelerators[0].Listeners = base.Accelerators[0].Listeners[:1]
	mustApply(t, p, &onlyTCP)
	eventually(t, "the removed UDP listener's flow to end", func() bool {
		_, listed := statsFor(p, "ube")
		return !listed
	})
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(acc, udpPort)))
	if err != nil {
		t.Fatalf("the removed UDP listener's port is still bound: %v", err)
	}
	c.Close()
	cl.echo(t, "survived the removal of the UDP listener")
}

// TestApplyRefuses: invalid plans, plans over the socket limit and plans
// that cannot be bound are refused and the previous plan keeps serving,
// with nothing of the refused plan bound.
func TestApplyRefuses(t *testing.T) {
	acc := netip.MustParseAddr("127.0.100.31")
	be := startBackend(t, "be", false)
	p := newProxy(t, Config{MaxSockets: 8}, Env{})
	port := freePort(t, acc, false)
	good := listenerPlan(acc, ProtocolTCP, port, AffinityNone, group("us-east-1", 100, tcpEndpoint(be, 1)))
	mustApply(t, p, good)

	// A port somebody else holds, and a free one next to it in the plan.
	squatter, err := net.ListenTCP("tcp", net.TCPAddrFromAddrPort(netip.AddrPortFrom(acc, 0)))
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	taken := squatter.Addr().(*net.TCPAddr).AddrPort().Port()
	spare := freePort(t, acc, false)

	with := func(edit func(*Plan)) *Plan {
		pl := listenerPlan(acc, ProtocolTCP, port, AffinityNone, group("us-east-1", 100, tcpEndpoint(be, 1)))
		edit(pl)
		return pl
	}
	tests := []struct {
		name string
		plan *Plan
		want string
	}{
		{"over the socket limit", with(func(pl *Plan) {
			pl.Accelerators[0].Listeners[0].PortRanges = []PortRange{{From: 20000, To: 20008}}
		}), "needs 9 listening sockets, over the limit of 8"},
		{"two listeners on one port", with(func(pl *Plan) {
			l := pl.Accelerators[0].Listeners[0]
			l.ARN += "-dup"
			pl.Accelerators[0].Listeners = append(pl.Accelerators[0].Listeners, l)
		}), "is claimed by listener"},
		{"bad protocol", with(func(pl *Plan) { pl.Accelerators[0].Listeners[0].Protocol = "SCTP" }), `protocol "SCTP"`},
		{"bad affinity", with(func(pl *Plan) { pl.Accelerators[0].Listeners[0].ClientAffinity = "COOKIE" }), `affinity "COOKIE"`},
		{"bad range", with(func(pl *Plan) { pl.Accelerators[0].Listeners[0].PortRanges = []PortRange{{From: 90, To: 80}} }), "invalid port range 90-80"},
		{"bad address", with(func(pl *Plan) { pl.Accelerators[0].Addresses = []netip.Addr{{}} }), "invalid address"},
		{"too many groups", with(func(pl *Plan) {
			pl.Accelerators[0].Listeners[0].Groups = make([]EndpointGroup, MaxGroups+1)
		}), "endpoint groups, over the limit"},
		{"port in use", with(func(pl *Plan) {
			pl.Accelerators[0].Listeners[0].PortRanges = []PortRange{{From: port, To: port}, {From: spare, To: spare}, {From: taken, To: taken}}
		}), "accel: bind TCP"},
	}
	for _, tc := range tests {
		err := p.Apply(tc.plan)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if got := connectOnce(t, netip.Addr{}, netip.AddrPortFrom(acc, port)); got != "be" {
		t.Fatalf("previous plan stopped serving: reached %s", got)
	}
	c, err := net.DialTimeout("tcp", netip.AddrPortFrom(acc, spare).String(), time.Second)
	if err == nil {
		c.Close()
		t.Error("a refused plan left a socket bound")
	}
	if n := len(*p.live.Load()); n != 1 {
		t.Errorf("%d sockets bound, want the previous plan's 1", n)
	}
}
