package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	ga "github.com/aws/aws-sdk-go-v2/service/globalaccelerator"
	gatypes "github.com/aws/aws-sdk-go-v2/service/globalaccelerator/types"
)

// accelHealthConfig lets the accelerator's endpoint checks probe loopback
// targets every second. Each test here also sets its own ipv4_pool, which
// keeps its accelerator off the addresses other tests' accelerators get.
const accelHealthConfig = `health:
  checker_regions: [us-east-1, eu-west-1, ap-southeast-1]
  allow_private_targets: true
  min_request_interval: 1
  min_target_interval: 0s
`

// dialSpillConfig puts the clients of 127.0.0.0/25 in Virginia (next to
// us-east-1) and those of 127.0.0.128/25 in Oregon (next to us-west-2).
const dialSpillConfig = `locations:
  - {cidr: 127.0.0.0/25, country: US, subdivision: VA, latitude: 38.9, longitude: -77.4}
  - {cidr: 127.0.0.128/25, country: US, subdivision: OR, latitude: 45.5, longitude: -122.7}
accelerator:
  ipv4_pool: 127.0.102.0/24
` + accelHealthConfig

// udpEcho is a UDP endpoint: it answers every datagram with "name|payload".
// Beside it a TCP listener on the same address and port answers the
// accelerator's health checks (spec 5.4: endpoints behind a UDP listener
// are checked with TCP on the listener port).
type udpEcho struct {
	name   string
	pc     net.PacketConn
	health net.Listener
	once   sync.Once
}

// startUDPEcho starts an echo endpoint on ip:port, or fails when either
// socket cannot be bound there.
func startUDPEcho(name, ip string, port int) (*udpEcho, error) {
	addr := net.JoinHostPort(ip, fmt.Sprint(port))
	pc, err := net.ListenPacket("udp4", addr)
	if err != nil {
		return nil, fmt.Errorf("udp echo %s: %w", name, err)
	}
	ln, err := net.Listen("tcp4", addr)
	if err != nil {
		pc.Close()
		return nil, fmt.Errorf("udp echo %s health port: %w", name, err)
	}
	e := &udpEcho{name: name, pc: pc, health: ln}
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			_, _ = pc.WriteTo(append([]byte(name+"|"), buf[:n]...), from)
		}
	}()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return e, nil
}

// stopHealth closes the TCP health port only: the endpoint still echoes
// UDP, so a flow the proxy still sends to it is visible.
func (e *udpEcho) stopHealth() { e.once.Do(func() { e.health.Close() }) }

func (e *udpEcho) close() {
	e.stopHealth()
	e.pc.Close()
}

// udpListenerPort finds a port that is free for UDP on both accelerator
// addresses and starts the echo endpoints on it at the given addresses, so
// the listener port is also each endpoint's port and health-check port.
func udpListenerPort(t *testing.T, accIPs []string, names, ips []string) (int, []*udpEcho) {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 20; attempt++ {
		probe, err := net.ListenPacket("udp4", net.JoinHostPort(accIPs[0], "0"))
		if err != nil {
			t.Fatalf("bind the accelerator address %s: %v", accIPs[0], err)
		}
		port := probe.LocalAddr().(*net.UDPAddr).Port
		held := []io.Closer{probe}
		var echoes []*udpEcho
		ok := true
		for _, ip := range accIPs[1:] {
			pc, err := net.ListenPacket("udp4", net.JoinHostPort(ip, fmt.Sprint(port)))
			if err != nil {
				lastErr, ok = err, false
				break
			}
			held = append(held, pc)
		}
		for i := 0; ok && i < len(names); i++ {
			e, err := startUDPEcho(names[i], ips[i], port)
			if err != nil {
				lastErr, ok = err, false
				break
			}
			echoes = append(echoes, e)
		}
		for _, c := range held {
			c.Close()
		}
		if ok {
			t.Cleanup(func() {
				for _, e := range echoes {
					e.close()
				}
			})
			return port, echoes
		}
		for _, e := range echoes {
			e.close()
		}
	}
	t.Fatalf("no port free on the accelerator and endpoint addresses: %v", lastErr)
	return 0, nil
}

// udpFlow is one client flow: a UDP socket bound to a loopback source
// address, connected to the accelerator, with the bytes it moved.
type udpFlow struct {
	c        *net.UDPConn
	sent     int
	received int
	seq      int
}

func newUDPFlow(t *testing.T, src string, front *net.UDPAddr) *udpFlow {
	t.Helper()
	c, err := net.DialUDP("udp4", &net.UDPAddr{IP: net.ParseIP(src)}, front)
	if err != nil {
		t.Fatalf("UDP socket from %s: %v", src, err)
	}
	t.Cleanup(func() { c.Close() })
	return &udpFlow{c: c}
}

// exchange sends one datagram with a payload unique to the flow and
// returns the name of the endpoint that echoed it.
func (f *udpFlow) exchange() (string, error) {
	f.seq++
	payload := fmt.Sprintf("%s#%d", f.c.LocalAddr(), f.seq)
	if _, err := f.c.Write([]byte(payload)); err != nil {
		return "", fmt.Errorf("send from %s: %w", f.c.LocalAddr(), err)
	}
	f.sent += len(payload)
	_ = f.c.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 2048)
	n, err := f.c.Read(buf)
	if err != nil {
		return "", fmt.Errorf("reply to %s: %w", f.c.LocalAddr(), err)
	}
	f.received += n
	name, echoed, ok := strings.Cut(string(buf[:n]), "|")
	if !ok || echoed != payload {
		return "", fmt.Errorf("flow %s: reply %q does not echo %q", f.c.LocalAddr(), buf[:n], payload)
	}
	return name, nil
}

// waitEndpointHealth polls DescribeEndpointGroup until every endpoint named
// in want has the wanted health state.
func waitEndpointHealth(t *testing.T, c *ga.Client, groupARN string, want map[string]gatypes.HealthState, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last []string
	for {
		out, err := c.DescribeEndpointGroup(context.Background(), &ga.DescribeEndpointGroupInput{EndpointGroupArn: aws.String(groupARN)})
		if err != nil {
			last = []string{err.Error()}
		} else {
			last = last[:0]
			matched := 0
			for _, ep := range out.EndpointGroup.EndpointDescriptions {
				id := aws.ToString(ep.EndpointId)
				last = append(last, id+"="+string(ep.HealthState))
				if w, ok := want[id]; ok && ep.HealthState == w {
					matched++
				}
			}
			if matched == len(want) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for endpoint health %v; last seen %v", timeout, want, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitDeployed polls DescribeAccelerator until the data plane serves the
// accelerator's last change.
func waitDeployed(t *testing.T, c *ga.Client, arn string) {
	t.Helper()
	waitFor(t, 10*time.Second, "the accelerator to be DEPLOYED", func() bool {
		out, err := c.DescribeAccelerator(context.Background(), &ga.DescribeAcceleratorInput{AcceleratorArn: aws.String(arn)})
		if err == nil && out.Accelerator.Status == gatypes.AcceleratorStatusDeployed {
			return true
		}
		time.Sleep(50 * time.Millisecond)
		return false
	})
}

// accelStatsEndpoint is one endpoint's counters as GET
// /meridian/v1/accelerator-stats returns them.
type accelStatsEndpoint struct {
	Protocol    string `json:"protocol"`
	Region      string `json:"region"`
	EndpointID  string `json:"endpointId"`
	ActiveFlows int64  `json:"activeFlows"`
	TotalFlows  uint64 `json:"totalFlows"`
	BytesIn     uint64 `json:"bytesIn"`
	BytesOut    uint64 `json:"bytesOut"`
}

// accelStats fetches an accelerator's endpoint counters from the node's
// statistics endpoint with a SigV4-signed GET.
func (n *node) accelStats(t *testing.T, arn string) map[string]accelStatsEndpoint {
	t.Helper()
	ctx := context.Background()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, n.APIURL+"/meridian/v1/accelerator-stats?accelerator="+url.QueryEscape(arn), nil)
	if err != nil {
		t.Fatal(err)
	}
	const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptySHA256, "globalaccelerator", "us-west-2", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET accelerator-stats: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET accelerator-stats: %d %v\n%s", resp.StatusCode, err, body)
	}
	var out struct {
		Endpoints []accelStatsEndpoint `json:"endpoints"`
	}
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&out); err != nil {
		t.Fatalf("accelerator-stats answer: %v\n%s", err, body)
	}
	m := map[string]accelStatsEndpoint{}
	for _, e := range out.Endpoints {
		m[e.EndpointID] = e
	}
	return m
}

// TestAcceleratorUDP sends UDP flows through an accelerator's static
// address to two weighted echo endpoints: replies come back, a flow stays
// on one endpoint, flows split by weight, the statistics count them, and
// when an endpoint's TCP health port closes new flows avoid it while its
// established flow stays.
func TestAcceleratorUDP(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "meridian.yaml")
	writeFile(t, cfg, "accelerator:\n  ipv4_pool: 127.0.101.0/24\n"+accelHealthConfig)
	n := startNode(t, "", "--config", cfg)
	c := n.gaClient()
	ctx := context.Background()

	acc := createAccelerator(t, c, "127.0.101", "udp")
	arn, ips := aws.ToString(acc.AcceleratorArn), acc.IpSets[0].IpAddresses
	// Endpoints without a port: flows go to the listener port, and so do
	// the TCP health checks.
	const lightIP, heavyIP = "127.0.0.2", "127.0.0.3"
	port, echoes := udpListenerPort(t, ips, []string{"light", "heavy"}, []string{lightIP, heavyIP})
	l, err := c.CreateListener(ctx, &ga.CreateListenerInput{
		AcceleratorArn: aws.String(arn), Protocol: gatypes.ProtocolUdp, IdempotencyToken: aws.String("udp-l"),
		PortRanges: []gatypes.PortRange{{FromPort: aws.Int32(int32(port)), ToPort: aws.Int32(int32(port))}},
	})
	if err != nil {
		t.Fatalf("CreateListener UDP: %v", err)
	}
	g, err := c.CreateEndpointGroup(ctx, &ga.CreateEndpointGroupInput{
		ListenerArn: l.Listener.ListenerArn, EndpointGroupRegion: aws.String("us-east-1"), IdempotencyToken: aws.String("udp-g"),
		HealthCheckIntervalSeconds: aws.Int32(1), ThresholdCount: aws.Int32(1),
		EndpointConfigurations: []gatypes.EndpointConfiguration{
			{EndpointId: aws.String(lightIP), Weight: aws.Int32(1)},
			{EndpointId: aws.String(heavyIP), Weight: aws.Int32(3)},
		},
	})
	if err != nil {
		t.Fatalf("CreateEndpointGroup: %v", err)
	}
	groupARN := aws.ToString(g.EndpointGroup.EndpointGroupArn)
	waitDeployed(t, c, arn)
	waitEndpointHealth(t, c, groupARN, map[string]gatypes.HealthState{lightIP: gatypes.HealthStateHealthy, heavyIP: gatypes.HealthStateHealthy}, 15*time.Second)

	front := &net.UDPAddr{IP: net.ParseIP(ips[0]), Port: port}
	// Client flows from 50 source addresses, several ports each; every flow
	// sends four datagrams, which must all reach the same endpoint.
	const flows, perFlow = 200, 4
	counts := map[string]int{}
	type sum struct{ flows, in, out int }
	sums := map[string]*sum{"light": {}, "heavy": {}}
	var pinned *udpFlow // an established flow on the heavy endpoint
	for i := 0; i < flows; i++ {
		f := newUDPFlow(t, fmt.Sprintf("127.0.0.%d", 10+i%50), front)
		first := ""
		for k := 0; k < perFlow; k++ {
			name, err := f.exchange()
			if err != nil {
				t.Fatalf("flow %d datagram %d: %v", i, k, err)
			}
			if k == 0 {
				first = name
			} else if name != first {
				t.Fatalf("flow %s moved from endpoint %s to %s", f.c.LocalAddr(), first, name)
			}
		}
		s := sums[first]
		if s == nil {
			t.Fatalf("reply from unknown endpoint %q", first)
		}
		counts[first]++
		s.flows++
		s.in += f.sent
		s.out += f.received
		// Every socket stays open until the test ends: a closed one's port
		// could be reused by a later flow from the same address, which the
		// proxy would rightly take for the same flow.
		if first == "heavy" && pinned == nil {
			pinned = f
		}
	}
	t.Logf("weights 1/3: %v", counts)
	share := float64(counts["heavy"]) / flows
	if share < 0.62 || share > 0.88 { // expected 0.75; ±0.13 is over 4 sigma at n=200
		t.Errorf("weight 3 of 4 got %.2f of the UDP flows (%v), want about 0.75", share, counts)
	}

	// The statistics endpoint counts exactly the flows and bytes sent.
	stats := n.accelStats(t, arn)
	for id, name := range map[string]string{lightIP: "light", heavyIP: "heavy"} {
		st, ok := stats[id]
		want := sums[name]
		switch {
		case !ok:
			t.Errorf("accelerator-stats lacks endpoint %s: %v", id, stats)
		case st.Protocol != "UDP" || st.Region != "us-east-1":
			t.Errorf("endpoint %s: protocol %q region %q, want UDP us-east-1", id, st.Protocol, st.Region)
		case st.TotalFlows != uint64(want.flows) || st.BytesIn != uint64(want.in) || st.BytesOut != uint64(want.out):
			t.Errorf("endpoint %s: flows %d bytes in %d out %d, want %d, %d, %d",
				id, st.TotalFlows, st.BytesIn, st.BytesOut, want.flows, want.in, want.out)
		case st.ActiveFlows <= 0:
			t.Errorf("endpoint %s: %d active flows right after its flows ran, want > 0 (UDP idle timeout is 30 s)", id, st.ActiveFlows)
		}
	}
	if out, err := n.meridianCLI(t, "accel", "stats", arn); err != nil || !strings.Contains(out, "UDP") ||
		!strings.Contains(out, lightIP) || !strings.Contains(out, heavyIP) {
		t.Errorf("meridian accel stats: %v\n%s", err, out)
	}

	// The heavy endpoint's health port closes: it turns UNHEALTHY and new
	// flows go to the light one only, while the established flow stays.
	echoes[1].stopHealth()
	waitEndpointHealth(t, c, groupARN, map[string]gatypes.HealthState{lightIP: gatypes.HealthStateHealthy, heavyIP: gatypes.HealthStateUnhealthy}, 15*time.Second)
	// The data plane's health view follows the API's within moments.
	src := 0
	waitFor(t, 5*time.Second, "a new flow to reach the healthy endpoint", func() bool {
		src++
		name, err := newUDPFlow(t, fmt.Sprintf("127.0.0.%d", 100+src%50), front).exchange()
		return err == nil && name == "light"
	})
	after := map[string]int{}
	for i := 0; i < 40; i++ {
		name, err := newUDPFlow(t, fmt.Sprintf("127.0.0.%d", 150+i%50), front).exchange()
		if err != nil {
			t.Fatalf("new flow %d after the failure: %v", i, err)
		}
		after[name]++
	}
	if after["light"] != 40 {
		t.Errorf("new flows after the heavy endpoint turned UNHEALTHY: %v, want all 40 on light", after)
	}
	if pinned == nil {
		t.Fatal("no flow reached the heavy endpoint")
	}
	if name, err := pinned.exchange(); err != nil || name != "heavy" {
		t.Errorf("established flow after its endpoint turned UNHEALTHY: %q %v, want it to stay on heavy (spec 5.4)", name, err)
	}
}

// dialNameFrom connects to addr from the loopback address src and returns
// what the endpoint says.
func dialNameFrom(src, addr string) (string, error) {
	d := net.Dialer{Timeout: 2 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	c, err := d.Dial("tcp4", addr)
	if err != nil {
		return "", fmt.Errorf("dial %s from %s: %w", addr, src, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	b, err := io.ReadAll(c)
	if err != nil {
		return "", fmt.Errorf("read from %s via %s: %w", addr, src, err)
	}
	return string(b), nil
}

// spillCounts opens flows TCP connections, alternating between the two
// client halves (127.0.0.0/25 is "east", 127.0.0.128/25 "west"), and
// returns, per half, how many reached each endpoint.
func spillCounts(t *testing.T, front string, flows int) map[string]map[string]int {
	t.Helper()
	counts := map[string]map[string]int{"east": {}, "west": {}}
	for i := 0; i < flows; i++ {
		half, src := "east", fmt.Sprintf("127.0.0.%d", 2+(i/2)%120)
		if i%2 == 1 {
			half, src = "west", fmt.Sprintf("127.0.0.%d", 130+(i/2)%120)
		}
		name, err := dialNameFrom(src, front)
		if err != nil {
			t.Fatalf("flow %d: %v", i, err)
		}
		counts[half][name]++
	}
	return counts
}

// TestAcceleratorTrafficDialSpill checks the spec 5.4 worked example
// through real TCP flows: with two groups at dial 50, each client half
// (one near us-east-1, one near us-west-2) sends about half of its flows to
// each region; at dial 100 each half stays in its closest region.
func TestAcceleratorTrafficDialSpill(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "meridian.yaml")
	writeFile(t, cfg, dialSpillConfig)
	n := startNode(t, "", "--config", cfg)
	c := n.gaClient()
	ctx := context.Background()

	arn, ips, port, listenerARN := createTCPListener(t, c, "127.0.102", "dial", gatypes.ClientAffinityNone)
	east, west := newTCPBackend(t, "us-east-1"), newTCPBackend(t, "us-west-2")
	groups := map[string]string{} // region -> group ARN
	for _, b := range []*tcpBackend{east, west} {
		g, err := c.CreateEndpointGroup(ctx, &ga.CreateEndpointGroupInput{
			ListenerArn: aws.String(listenerARN), EndpointGroupRegion: aws.String(b.name), IdempotencyToken: aws.String("dial-" + b.name),
			HealthCheckIntervalSeconds: aws.Int32(1), ThresholdCount: aws.Int32(1), TrafficDialPercentage: aws.Float32(50),
			EndpointConfigurations: []gatypes.EndpointConfiguration{{EndpointId: aws.String(b.addr())}},
		})
		if err != nil {
			t.Fatalf("CreateEndpointGroup %s: %v", b.name, err)
		}
		groups[b.name] = aws.ToString(g.EndpointGroup.EndpointGroupArn)
	}
	waitDeployed(t, c, arn)
	for _, b := range []*tcpBackend{east, west} {
		waitEndpointHealth(t, c, groups[b.name], map[string]gatypes.HealthState{b.addr(): gatypes.HealthStateHealthy}, 15*time.Second)
	}
	front := net.JoinHostPort(ips[0], fmt.Sprint(port))

	// Dials 50/50: each half splits about evenly, so each region gets
	// about half of all flows.
	const flows = 400
	counts := spillCounts(t, front, flows)
	t.Logf("dials 50/50: %v", counts)
	for half, near := range map[string]string{"east": "us-east-1", "west": "us-west-2"} {
		got := counts[half]
		if got["us-east-1"]+got["us-west-2"] != flows/2 {
			t.Fatalf("%s half: flows reached %v, want only the two regions", half, got)
		}
		share := float64(got[near]) / (flows / 2)
		if share < 0.38 || share > 0.62 { // expected 0.50; ±0.12 is over 3 sigma at n=200
			t.Errorf("dials 50/50: the %s half sent %.2f of its flows to its closest region %s (%v), want about 0.50", half, share, near, got)
		}
	}
	total := float64(counts["east"]["us-east-1"]+counts["west"]["us-east-1"]) / flows
	if total < 0.40 || total > 0.60 {
		t.Errorf("dials 50/50: us-east-1 got %.2f of all flows (%v), want about 0.50", total, counts)
	}

	// Dials 100/100: proximity alone decides, so each half stays in its
	// closest region.
	for _, region := range []string{"us-east-1", "us-west-2"} {
		if _, err := c.UpdateEndpointGroup(ctx, &ga.UpdateEndpointGroupInput{
			EndpointGroupArn: aws.String(groups[region]), TrafficDialPercentage: aws.Float32(100),
		}); err != nil {
			t.Fatalf("UpdateEndpointGroup %s: %v", region, err)
		}
	}
	waitDeployed(t, c, arn)
	for region, arn := range groups {
		out, err := c.DescribeEndpointGroup(ctx, &ga.DescribeEndpointGroupInput{EndpointGroupArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if d := aws.ToFloat32(out.EndpointGroup.TrafficDialPercentage); d != 100 || len(out.EndpointGroup.EndpointDescriptions) != 1 {
			t.Fatalf("group %s after the update: dial %v, endpoints %d; want 100 and its endpoint kept", region, d, len(out.EndpointGroup.EndpointDescriptions))
		}
	}
	counts = spillCounts(t, front, flows)
	if counts["east"]["us-east-1"] != flows/2 || counts["west"]["us-west-2"] != flows/2 {
		t.Errorf("dials 100/100: %v, want every east flow on us-east-1 and every west flow on us-west-2", counts)
	}
}
