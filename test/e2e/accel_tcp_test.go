package e2e

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ga "github.com/aws/aws-sdk-go-v2/service/globalaccelerator"
	gatypes "github.com/aws/aws-sdk-go-v2/service/globalaccelerator/types"
	proxyproto "github.com/pires/go-proxyproto"
)

// tcpAccel is an accelerator with one TCP listener and one endpoint group
// in us-east-1, created through the Global Accelerator SDK client on a
// node of its own.
type tcpAccel struct {
	c           *ga.Client
	arn         string
	listenerARN string
	groupARN    string
	ips         []string
	port        int32
}

// createAccelerator creates an accelerator (idempotency token name-acc)
// whose two static IPs must come from pool (three octets, e.g. "127.0.103").
func createAccelerator(t *testing.T, c *ga.Client, pool, name string) *gatypes.Accelerator {
	t.Helper()
	out, err := c.CreateAccelerator(context.Background(), &ga.CreateAcceleratorInput{Name: aws.String(name), IdempotencyToken: aws.String(name + "-acc")})
	if err != nil {
		t.Fatalf("CreateAccelerator: %v", err)
	}
	ips := out.Accelerator.IpSets[0].IpAddresses
	if len(ips) != 2 || !strings.HasPrefix(ips[0], pool+".") || !strings.HasPrefix(ips[1], pool+".") {
		t.Fatalf("static IPs = %v, want two from %s.0/24", ips, pool)
	}
	return out.Accelerator
}

// createTCPListener creates an accelerator whose two static IPs must come
// from pool (three octets, e.g. "127.0.103") and a TCP listener on one free
// port with the given affinity. It returns the accelerator's ARN and IPs,
// the port and the listener's ARN.
func createTCPListener(t *testing.T, c *ga.Client, pool, name string, affinity gatypes.ClientAffinity) (arn string, ips []string, port int32, listenerARN string) {
	t.Helper()
	ctx := context.Background()
	acc := createAccelerator(t, c, pool, name)
	arn, ips = aws.ToString(acc.AcceleratorArn), acc.IpSets[0].IpAddresses
	port = freeTCPPort(t)
	l, err := c.CreateListener(ctx, &ga.CreateListenerInput{
		AcceleratorArn: aws.String(arn), Protocol: gatypes.ProtocolTcp, ClientAffinity: affinity,
		IdempotencyToken: aws.String(name + "-l"),
		PortRanges:       []gatypes.PortRange{{FromPort: aws.Int32(port), ToPort: aws.Int32(port)}},
	})
	if err != nil {
		t.Fatalf("CreateListener: %v", err)
	}
	if l.Listener.ClientAffinity != affinity {
		t.Fatalf("CreateListener answered ClientAffinity %q, want %q", l.Listener.ClientAffinity, affinity)
	}
	return arn, ips, port, aws.ToString(l.Listener.ListenerArn)
}

// newTCPAccel starts a node whose accelerator pool is pool (three octets,
// e.g. "127.0.103"), creates an accelerator with a TCP listener of the
// given affinity and one endpoint group holding eps (checked every second,
// threshold 1), and waits until it is deployed and every endpoint is
// HEALTHY: new endpoints are INITIAL and get no traffic until their first
// check passes (spec 5.4).
func newTCPAccel(t *testing.T, pool, name string, affinity gatypes.ClientAffinity, eps []gatypes.EndpointConfiguration) *tcpAccel {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "meridian.yaml")
	writeFile(t, cfg, "accelerator:\n  ipv4_pool: "+pool+".0/24\n"+accelHealthConfig)
	n := startNode(t, "", "--config", cfg)
	a := &tcpAccel{c: n.gaClient()}
	a.arn, a.ips, a.port, a.listenerARN = createTCPListener(t, a.c, pool, name, affinity)
	ctx := context.Background()
	g, err := a.c.CreateEndpointGroup(ctx, &ga.CreateEndpointGroupInput{
		ListenerArn: aws.String(a.listenerARN), EndpointGroupRegion: aws.String("us-east-1"), IdempotencyToken: aws.String(name + "-g"),
		HealthCheckIntervalSeconds: aws.Int32(1), ThresholdCount: aws.Int32(1),
		EndpointConfigurations: eps,
	})
	if err != nil {
		t.Fatalf("CreateEndpointGroup: %v", err)
	}
	a.groupARN = aws.ToString(g.EndpointGroup.EndpointGroupArn)
	waitDeployed(t, a.c, a.arn)
	healthy := map[string]gatypes.HealthState{}
	for _, e := range eps {
		healthy[aws.ToString(e.EndpointId)] = gatypes.HealthStateHealthy
	}
	waitEndpointHealth(t, a.c, a.groupARN, healthy, 15*time.Second)
	return a
}

// front returns the listener address at the accelerator's i-th static IP.
func (a *tcpAccel) front(i int) string { return net.JoinHostPort(a.ips[i], fmt.Sprint(a.port)) }

// TestAcceleratorSourceIPAffinity checks client affinity through the real
// data plane (spec 5.4): with SOURCE_IP every connection of one client
// address reaches the same endpoint whatever its source port, while
// different clients spread over the endpoints; after UpdateListener sets
// NONE, one client's connections spread by their 5-tuple.
func TestAcceleratorSourceIPAffinity(t *testing.T) {
	backends := []*tcpBackend{newTCPBackend(t, "aff-1"), newTCPBackend(t, "aff-2"), newTCPBackend(t, "aff-3")}
	var eps []gatypes.EndpointConfiguration
	known := map[string]bool{}
	for _, b := range backends {
		eps = append(eps, gatypes.EndpointConfiguration{EndpointId: aws.String(b.addr())})
		known[b.name] = true
	}
	a := newTCPAccel(t, "127.0.103", "affinity", gatypes.ClientAffinitySourceIp, eps)
	front := a.front(0)

	const sources, perSource = 20, 5
	used := map[string]int{} // backend -> client addresses pinned to it
	for s := 0; s < sources; s++ {
		src := fmt.Sprintf("127.0.0.%d", 20+s)
		first := ""
		for k := 0; k < perSource; k++ {
			name, err := dialNameFrom(src, front)
			if err != nil {
				t.Fatalf("SOURCE_IP: connection %d from %s: %v", k, src, err)
			}
			if !known[name] {
				t.Fatalf("SOURCE_IP: connection %d from %s answered %q, not an endpoint's name", k, src, name)
			}
			if k == 0 {
				first = name
			} else if name != first {
				t.Fatalf("SOURCE_IP: client %s reached %s, then %s on connection %d; want one endpoint for all its connections", src, first, name, k)
			}
		}
		used[first]++
	}
	t.Logf("SOURCE_IP: client addresses per endpoint: %v", used)
	if len(used) < 2 {
		t.Errorf("SOURCE_IP: all %d client addresses reached one endpoint (%v); want them spread over at least 2 of 3", sources, used)
	}

	// Affinity NONE: the 5-tuple decides, so one client's connections from
	// fresh source ports spread over the endpoints.
	out, err := a.c.UpdateListener(context.Background(), &ga.UpdateListenerInput{
		ListenerArn: aws.String(a.listenerARN), ClientAffinity: gatypes.ClientAffinityNone,
	})
	if err != nil {
		t.Fatalf("UpdateListener ClientAffinity NONE: %v", err)
	}
	if out.Listener.ClientAffinity != gatypes.ClientAffinityNone || len(out.Listener.PortRanges) != 1 || out.Listener.Protocol != gatypes.ProtocolTcp {
		t.Fatalf("UpdateListener answered affinity %q, ports %v, protocol %q; want NONE with the port and protocol kept",
			out.Listener.ClientAffinity, out.Listener.PortRanges, out.Listener.Protocol)
	}
	waitDeployed(t, a.c, a.arn)
	const flows = 30
	const src = "127.0.0.20"
	spread := map[string]int{}
	for i := 0; i < flows; i++ {
		name, err := dialNameFrom(src, front)
		if err != nil {
			t.Fatalf("NONE: connection %d from %s: %v", i, src, err)
		}
		if !known[name] {
			t.Fatalf("NONE: connection %d answered %q, not an endpoint's name", i, name)
		}
		spread[name]++
	}
	t.Logf("NONE: %d connections from %s: %v", flows, src, spread)
	if len(spread) < 2 {
		t.Errorf("NONE: all %d connections from %s reached one endpoint (%v); want 5-tuple hashing to use more than one", flows, src, spread)
	}
}

// proxyBackend is an endpoint that reads an optional PROXY protocol header
// and then one request line, and answers with one line:
// "name|header|source|destination|request", where header is
// "v<version>-<command>-<transport>" (and the addresses are the header's) or
// "none" (and they are "-").
type proxyBackend struct {
	name string
	ln   net.Listener
}

func newProxyBackend(t *testing.T, name string) *proxyBackend {
	t.Helper()
	b := &proxyBackend{name: name}
	b.ln = serveTCP(t, b.serve)
	t.Cleanup(func() { b.ln.Close() })
	return b
}

// serve answers one connection. Health checks connect and close without
// sending anything; they get no answer.
func (b *proxyBackend) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(c)
	header, src, dst := "none", "-", "-"
	h, err := proxyproto.Read(br)
	switch {
	case err == nil:
		transport := "other"
		if h.TransportProtocol == proxyproto.TCPv4 {
			transport = "TCPv4"
		}
		header = fmt.Sprintf("v%d-%s-%s", h.Version, commandName(h.Command), transport)
		src, dst = h.SourceAddr.String(), h.DestinationAddr.String()
	case !errors.Is(err, proxyproto.ErrNoProxyProtocol):
		header = "bad:" + err.Error()
	}
	line, err := br.ReadString('\n')
	if err != nil {
		return
	}
	_, _ = fmt.Fprintf(c, "%s|%s|%s|%s|%s\n", b.name, header, src, dst, strings.TrimSuffix(line, "\n"))
}

func (b *proxyBackend) addr() string { return b.ln.Addr().String() }

// commandName spells a PROXY header's command.
func commandName(c proxyproto.ProtocolVersionAndCommand) string {
	switch {
	case c.IsProxy():
		return "PROXY"
	case c.IsLocal():
		return "LOCAL"
	}
	return fmt.Sprintf("0x%02x", byte(c))
}

// TestAcceleratorClientIPPreservation checks that an endpoint with
// ClientIPPreservationEnabled gets a PROXY protocol v2 header naming the
// client's address and port and the accelerator address and listener port
// it reached, ahead of the client's bytes; and that an endpoint without it
// gets the client's bytes only (spec 5.4 "Client IP preservation").
func TestAcceleratorClientIPPreservation(t *testing.T) {
	keep, plain := newProxyBackend(t, "keep"), newProxyBackend(t, "plain")
	a := newTCPAccel(t, "127.0.104", "preserve", gatypes.ClientAffinityNone, []gatypes.EndpointConfiguration{
		{EndpointId: aws.String(keep.addr()), ClientIPPreservationEnabled: aws.Bool(true)},
		{EndpointId: aws.String(plain.addr()), ClientIPPreservationEnabled: aws.Bool(false)},
	})
	desc, err := a.c.DescribeEndpointGroup(context.Background(), &ga.DescribeEndpointGroupInput{EndpointGroupArn: aws.String(a.groupARN)})
	if err != nil {
		t.Fatal(err)
	}
	for _, ep := range desc.EndpointGroup.EndpointDescriptions {
		want := aws.ToString(ep.EndpointId) == keep.addr()
		if aws.ToBool(ep.ClientIPPreservationEnabled) != want {
			t.Errorf("endpoint %s: ClientIPPreservationEnabled %v, want %v", aws.ToString(ep.EndpointId), aws.ToBool(ep.ClientIPPreservationEnabled), want)
		}
	}

	// Connections from 127.0.0.77 alternate between the two static IPs;
	// 5-tuple hashing sends them to both endpoints.
	const client = "127.0.0.77"
	seen := map[string]int{}
	for i := 0; i < 40; i++ {
		front := a.front(i % 2)
		d := net.Dialer{Timeout: 2 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(client)}}
		c, err := d.Dial("tcp4", front)
		if err != nil {
			t.Fatalf("connection %d from %s to %s: %v", i, client, front, err)
		}
		_ = c.SetDeadline(time.Now().Add(3 * time.Second))
		request := fmt.Sprintf("client-request-%02d", i)
		if _, err := io.WriteString(c, request+"\n"); err != nil {
			c.Close()
			t.Fatalf("connection %d: send: %v", i, err)
		}
		reply, err := bufio.NewReader(c).ReadString('\n')
		local := c.LocalAddr().String()
		c.Close()
		if err != nil {
			t.Fatalf("connection %d from %s: reply: %v", i, local, err)
		}
		f := strings.Split(strings.TrimSuffix(reply, "\n"), "|")
		if len(f) != 5 {
			t.Fatalf("connection %d: malformed reply %q", i, reply)
		}
		name, header, src, dst, got := f[0], f[1], f[2], f[3], f[4]
		seen[name]++
		if got != request {
			t.Errorf("connection %d to %s: the endpoint read %q after the header, want the client's %q", i, name, got, request)
		}
		switch name {
		case "keep":
			if header != "v2-PROXY-TCPv4" || src != local || dst != front {
				t.Errorf("connection %d from %s to %s: the preserving endpoint saw header %q source %s destination %s; want v2-PROXY-TCPv4 %s %s",
					i, local, front, header, src, dst, local, front)
			}
		case "plain":
			if header != "none" {
				t.Errorf("connection %d from %s: the endpoint without client IP preservation saw header %q (source %s), want none", i, local, header, src)
			}
		default:
			t.Fatalf("connection %d: reply from unknown endpoint %q", i, name)
		}
	}
	t.Logf("connections per endpoint: %v", seen)
	if seen["keep"] == 0 || seen["plain"] == 0 {
		t.Errorf("40 connections reached %v; want both endpoints", seen)
	}
}

// lineBackend answers every line of a connection with "name|line" and keeps
// the connection open. stopAccepting closes its listener only: the
// connections it accepted are still served, as an endpoint that fails its
// health checks may still serve its established flows.
type lineBackend struct {
	name  string
	ln    net.Listener
	once  sync.Once
	mu    sync.Mutex
	conns []net.Conn
}

func newLineBackend(t *testing.T, name string) *lineBackend {
	t.Helper()
	b := &lineBackend{name: name}
	b.ln = serveTCP(t, func(c net.Conn) {
		b.mu.Lock()
		b.conns = append(b.conns, c)
		b.mu.Unlock()
		b.serve(c)
	})
	t.Cleanup(func() {
		b.stopAccepting()
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, c := range b.conns {
			c.Close()
		}
	})
	return b
}

func (b *lineBackend) serve(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		if _, err := fmt.Fprintf(c, "%s|%s", b.name, line); err != nil {
			return
		}
	}
}

func (b *lineBackend) stopAccepting() { b.once.Do(func() { b.ln.Close() }) }
func (b *lineBackend) addr() string   { return b.ln.Addr().String() }

// lineClient is a long-lived client connection to a lineBackend through
// the accelerator.
type lineClient struct {
	c   net.Conn
	br  *bufio.Reader
	seq int
}

func dialLineClient(src, addr string) (*lineClient, error) {
	d := net.Dialer{Timeout: 2 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	c, err := d.Dial("tcp4", addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s from %s: %w", addr, src, err)
	}
	return &lineClient{c: c, br: bufio.NewReader(c)}, nil
}

// ask sends one line and returns the name of the endpoint that echoed it.
func (l *lineClient) ask() (string, error) {
	l.seq++
	msg := fmt.Sprintf("%s#%d", l.c.LocalAddr(), l.seq)
	_ = l.c.SetDeadline(time.Now().Add(3 * time.Second))
	if _, err := io.WriteString(l.c, msg+"\n"); err != nil {
		return "", fmt.Errorf("send on %s: %w", l.c.LocalAddr(), err)
	}
	reply, err := l.br.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("reply on %s: %w", l.c.LocalAddr(), err)
	}
	name, echoed, ok := strings.Cut(strings.TrimSuffix(reply, "\n"), "|")
	if !ok || echoed != msg {
		return "", fmt.Errorf("connection %s: reply %q does not echo %q", l.c.LocalAddr(), reply, msg)
	}
	return name, nil
}

// TestAcceleratorEstablishedFlowsSurviveFailover checks spec 5.4: when an
// endpoint turns UNHEALTHY, new connections go to the healthy one, while
// established connections stay where they are, both the one to the healthy
// endpoint and the one to the failed endpoint, which still serves it.
func TestAcceleratorEstablishedFlowsSurviveFailover(t *testing.T) {
	epA, epB := newLineBackend(t, "A"), newLineBackend(t, "B")
	a := newTCPAccel(t, "127.0.105", "failover", gatypes.ClientAffinityNone, []gatypes.EndpointConfiguration{
		{EndpointId: aws.String(epA.addr())}, {EndpointId: aws.String(epB.addr())},
	})
	front := a.front(0)

	// Open connections until one is established on each endpoint.
	held := map[string]*lineClient{}
	for i := 0; i < 40 && len(held) < 2; i++ {
		lc, err := dialLineClient(fmt.Sprintf("127.0.0.%d", 30+i), front)
		if err != nil {
			t.Fatal(err)
		}
		name, err := lc.ask()
		if err != nil {
			lc.c.Close()
			t.Fatalf("connection %d: %v", i, err)
		}
		if name != "A" && name != "B" {
			lc.c.Close()
			t.Fatalf("connection %d: reply from unknown endpoint %q", i, name)
		}
		if held[name] != nil {
			lc.c.Close()
			continue
		}
		held[name] = lc
		t.Cleanup(func() { lc.c.Close() })
	}
	if held["A"] == nil || held["B"] == nil {
		t.Fatalf("40 connections did not reach both endpoints: A held %v, B held %v", held["A"] != nil, held["B"] != nil)
	}

	// A stops accepting: its health checks fail and it turns UNHEALTHY.
	epA.stopAccepting()
	waitEndpointHealth(t, a.c, a.groupARN, map[string]gatypes.HealthState{
		epA.addr(): gatypes.HealthStateUnhealthy, epB.addr(): gatypes.HealthStateHealthy,
	}, 15*time.Second)

	// New connections all go to B (the API reports the health view the
	// data plane routes by).
	after := map[string]int{}
	for i := 0; i < 30; i++ {
		lc, err := dialLineClient(fmt.Sprintf("127.0.0.%d", 80+i%20), front)
		if err != nil {
			t.Fatalf("new connection %d after A failed: %v", i, err)
		}
		name, err := lc.ask()
		lc.c.Close()
		if err != nil {
			t.Fatalf("new connection %d after A failed: %v", i, err)
		}
		after[name]++
	}
	if after["B"] != 30 {
		t.Errorf("new connections after A turned UNHEALTHY: %v, want all 30 on B", after)
	}

	// Established flows are not moved: both still reach their endpoint.
	for _, want := range []string{"B", "A"} {
		for k := 0; k < 2; k++ {
			name, err := held[want].ask()
			if err != nil || name != want {
				t.Errorf("established connection to %s after A turned UNHEALTHY (line %d): got %q, %v; want it kept on %s (spec 5.4)", want, k, name, err, want)
			}
		}
	}
}
