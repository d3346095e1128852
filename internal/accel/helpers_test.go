package accel

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	proxyproto "github.com/pires/go-proxyproto"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/latency"
)

// rttTable is a latency.Map for tests: client country → region → RTT.
type rttTable map[string]map[string]float64

func (t rttTable) RTT(_ netip.Addr, loc geo.Location, region string) (latency.RTT, bool) {
	ms, ok := t[loc.Country][region]
	return latency.RTT{Millis: ms, Source: latency.SourceDeclared, Bits: 24}, ok
}

// prefixLocator is a geo.Locator for tests: the first prefix containing the
// address gives its country.
type prefixLocator []struct {
	prefix  netip.Prefix
	country string
}

func (l prefixLocator) Locate(a netip.Addr) geo.Location {
	for _, e := range l {
		if e.prefix.Contains(a) {
			return geo.Location{Country: e.country, Source: geo.SourceDeclared, Bits: uint8(e.prefix.Bits())}
		}
	}
	return geo.Location{}
}

// Two coasts: clients in 127.0.1.0/24 (and 10.1/16 in unit tests) are on
// the East Coast, 127.0.2.0/24 (10.2/16) on the West Coast.
var (
	coastLocator = prefixLocator{
		{netip.MustParsePrefix("127.0.1.0/24"), "E"},
		{netip.MustParsePrefix("127.0.2.0/24"), "W"},
		{netip.MustParsePrefix("10.1.0.0/16"), "E"},
		{netip.MustParsePrefix("10.2.0.0/16"), "W"},
	}
	coastRTT = rttTable{
		"E": {"us-east-1": 10, "us-west-2": 70, "eu-west-1": 80, "ap-south-1": 200},
		"W": {"us-east-1": 70, "us-west-2": 10, "eu-west-1": 140, "ap-south-1": 220},
	}
)

// quietLogger drops everything below errors.
func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError}))
}

// freePort returns a port free for the protocol on addr.
func freePort(t testing.TB, addr netip.Addr, udp bool) uint16 {
	t.Helper()
	if udp {
		c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, 0)))
		if err != nil {
			t.Fatalf("free UDP port on %s: %v", addr, err)
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).AddrPort().Port()
	}
	ln, err := net.ListenTCP("tcp", net.TCPAddrFromAddrPort(netip.AddrPortFrom(addr, 0)))
	if err != nil {
		t.Fatalf("free TCP port on %s: %v", addr, err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).AddrPort().Port()
}

// backend is a TCP test endpoint. Each connection is greeted with
// "<id> <client> <dst>\n", where client and dst come from the PROXY
// protocol header when proxyProto is set and from the socket otherwise,
// and then everything is echoed until EOF, which is passed on with
// CloseWrite. A sink backend reads and discards instead.
type backend struct {
	id         string
	ln         *net.TCPListener
	addr       netip.AddrPort
	proxyProto bool
	sink       bool
	conns      atomic.Int64
	wg         sync.WaitGroup
	mu         sync.Mutex
	open       []net.Conn
}

func startBackend(t testing.TB, id string, proxyProto bool) *backend {
	t.Helper()
	return launchBackend(t, &backend{id: id, proxyProto: proxyProto})
}

// startSink starts a backend that discards what it reads.
func startSink(t testing.TB, id string) *backend {
	t.Helper()
	return launchBackend(t, &backend{id: id, sink: true})
}

func launchBackend(t testing.TB, b *backend) *backend {
	t.Helper()
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("backend listen: %v", err)
	}
	b.ln, b.addr = ln, ln.Addr().(*net.TCPAddr).AddrPort()
	b.wg.Add(1)
	go b.serve()
	t.Cleanup(b.close)
	return b
}

func (b *backend) serve() {
	defer b.wg.Done()
	for {
		c, err := b.ln.AcceptTCP()
		if err != nil {
			return
		}
		b.conns.Add(1)
		b.mu.Lock()
		b.open = append(b.open, c)
		b.mu.Unlock()
		b.wg.Add(1)
		go b.handle(c)
	}
}

func (b *backend) handle(c *net.TCPConn) {
	defer b.wg.Done()
	defer c.Close()
	if b.sink {
		_, _ = io.Copy(io.Discard, c)
		return
	}
	r := bufio.NewReader(c)
	src, dst := c.RemoteAddr().String(), c.LocalAddr().String()
	if b.proxyProto {
		h, err := proxyproto.Read(r)
		if err != nil {
			fmt.Fprintf(c, "%s bad-proxy-header %v\n", b.id, err)
			return
		}
		src, dst = h.SourceAddr.String(), h.DestinationAddr.String()
	}
	if _, err := fmt.Fprintf(c, "%s %s %s\n", b.id, src, dst); err != nil {
		return
	}
	if _, err := io.Copy(c, r); err == nil {
		_ = c.CloseWrite()
		_, _ = io.Copy(io.Discard, r)
	}
}

func (b *backend) close() {
	_ = b.ln.Close()
	b.mu.Lock()
	for _, c := range b.open {
		_ = c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
}

// greeting is what a backend said first on a connection.
type greeting struct {
	id, src, dst string
}

// client is one test connection through the proxy.
type client struct {
	c *net.TCPConn
	r *bufio.Reader
	g greeting
}

// dialVia connects from local (any port) to the accelerator at dst and
// reads the backend's greeting.
func dialVia(t testing.TB, local netip.Addr, dst netip.AddrPort) *client {
	t.Helper()
	cl, err := tryDial(local, dst)
	if err != nil {
		t.Fatalf("connect %s -> %s: %v", local, dst, err)
	}
	return cl
}

// tryDial is dialVia returning the error.
func tryDial(local netip.Addr, dst netip.AddrPort) (*client, error) {
	d := net.Dialer{Timeout: 5 * time.Second}
	if local.IsValid() {
		d.LocalAddr = net.TCPAddrFromAddrPort(netip.AddrPortFrom(local, 0))
	}
	c, err := d.Dial("tcp", dst.String())
	if err != nil {
		return nil, err
	}
	tc := c.(*net.TCPConn)
	_ = tc.SetDeadline(time.Now().Add(5 * time.Second))
	cl := &client{c: tc, r: bufio.NewReader(tc)}
	line, err := cl.r.ReadString('\n')
	if err != nil {
		_ = tc.Close()
		return nil, fmt.Errorf("read greeting: %w", err)
	}
	f := strings.Fields(line)
	if len(f) != 3 {
		_ = tc.Close()
		return nil, fmt.Errorf("greeting %q", line)
	}
	cl.g = greeting{id: f[0], src: f[1], dst: f[2]}
	return cl, nil
}

// echo sends msg and expects it back.
func (cl *client) echo(t testing.TB, msg string) {
	t.Helper()
	_ = cl.c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := cl.c.Write([]byte(msg + "\n")); err != nil {
		t.Fatalf("write to %s: %v", cl.g.id, err)
	}
	got, err := cl.r.ReadString('\n')
	if err != nil || got != msg+"\n" {
		t.Fatalf("echo through %s: got %q, %v; want %q", cl.g.id, got, err, msg)
	}
}

func (cl *client) close() { _ = cl.c.Close() }

// connectOnce dials, returns the backend id and closes.
func connectOnce(t testing.TB, local netip.Addr, dst netip.AddrPort) string {
	t.Helper()
	cl := dialVia(t, local, dst)
	cl.close()
	return cl.g.id
}

// udpBackend is a UDP test endpoint answering each datagram with
// "<id> <source> <payload>".
type udpBackend struct {
	id   string
	c    *net.UDPConn
	addr netip.AddrPort
	done chan struct{}
}

func startUDPBackend(t testing.TB, id string) *udpBackend {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("UDP backend listen: %v", err)
	}
	b := &udpBackend{id: id, c: c, addr: c.LocalAddr().(*net.UDPAddr).AddrPort(), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			_, _ = c.WriteToUDPAddrPort([]byte(fmt.Sprintf("%s %s %s", id, from, buf[:n])), from)
		}
	}()
	t.Cleanup(func() {
		_ = c.Close()
		<-b.done
	})
	return b
}

// udpClient sends datagrams from one local address and port.
type udpClient struct {
	c *net.UDPConn
}

func newUDPClient(t testing.TB, local netip.Addr, dst netip.AddrPort) *udpClient {
	t.Helper()
	c, err := net.DialUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(local, 0)), net.UDPAddrFromAddrPort(dst))
	if err != nil {
		t.Fatalf("UDP client: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &udpClient{c: c}
}

// ask sends msg and returns the reply fields (id, source seen by the
// backend, payload); ok is false when no reply came within wait.
func (u *udpClient) ask(t testing.TB, msg string, wait time.Duration) (id, seen, payload string, ok bool) {
	t.Helper()
	if _, err := u.c.Write([]byte(msg)); err != nil {
		t.Fatalf("UDP write: %v", err)
	}
	_ = u.c.SetReadDeadline(time.Now().Add(wait))
	buf := make([]byte, 2048)
	n, err := u.c.Read(buf)
	if err != nil {
		return "", "", "", false
	}
	f := strings.SplitN(string(buf[:n]), " ", 3)
	if len(f) != 3 {
		t.Fatalf("UDP reply %q", buf[:n])
	}
	return f[0], f[1], f[2], true
}

// listenerPlan builds a one-accelerator, one-listener plan.
func listenerPlan(addr netip.Addr, proto string, port uint16, affinity string, groups ...EndpointGroup) *Plan {
	return &Plan{Accelerators: []Accelerator{{
		ARN:       "arn:aws:globalaccelerator::123456789012:accelerator/test",
		Name:      "test",
		Enabled:   true,
		Addresses: []netip.Addr{addr},
		Listeners: []Listener{{
			ARN:            "arn:aws:globalaccelerator::123456789012:accelerator/test/listener/" + strings.ToLower(proto),
			Protocol:       proto,
			PortRanges:     []PortRange{{From: port, To: port}},
			ClientAffinity: affinity,
			Groups:         groups,
		}},
	}}}
}

// group builds an endpoint group with the given endpoints.
func group(region string, dial float64, eps ...Endpoint) EndpointGroup {
	return EndpointGroup{ARN: "eg-" + region, Region: region, TrafficDial: dial, Endpoints: eps}
}

// tcpEndpoint is an endpoint for a backend.
func tcpEndpoint(b *backend, weight int) Endpoint {
	return Endpoint{ID: b.id, Addr: b.addr.Addr(), Port: b.addr.Port(), Weight: weight, HealthCheckID: "hc-" + b.id}
}

// newProxy starts a proxy that the test closes at the end.
func newProxy(t testing.TB, cfg Config, env Env) *Proxy {
	t.Helper()
	p := New(cfg, env, quietLogger())
	t.Cleanup(p.Close)
	return p
}

// mustApply applies plan or fails the test.
func mustApply(t testing.TB, p *Proxy, plan *Plan) {
	t.Helper()
	if err := p.Apply(plan); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

// eventually polls cond until it holds or a few seconds pass.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// statsFor returns the stats of one endpoint ID.
func statsFor(p *Proxy, id string) (EndpointStats, bool) {
	for _, s := range p.Stats() {
		if s.EndpointID == id {
			return s, true
		}
	}
	return EndpointStats{}, false
}

// within reports whether got is within tol of want.
func within(got, want, tol float64) bool { return got >= want-tol && got <= want+tol }
