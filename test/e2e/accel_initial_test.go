package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ga "github.com/aws/aws-sdk-go-v2/service/globalaccelerator"
	gatypes "github.com/aws/aws-sdk-go-v2/service/globalaccelerator/types"
)

// listenOn listens on addr and runs serve on its own goroutine for every
// accepted connection until the test ends.
func listenOn(t *testing.T, addr string, serve func(net.Conn)) (net.Listener, error) {
	t.Helper()
	ln, err := net.Listen("tcp4", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(c)
		}
	}()
	return ln, nil
}

// answerName returns a connection handler that writes name and closes.
func answerName(name string) func(net.Conn) {
	return func(c net.Conn) {
		defer c.Close()
		_, _ = io.WriteString(c, name)
	}
}

// initialEndpoints starts endpoint A's and B's traffic listeners on
// ipA:P and ipB:P (one port P for both) and A's health listener on ipA:H,
// and returns P and H. Nothing listens on ipB:H, so B's checks fail.
func initialEndpoints(t *testing.T, ipA, ipB string) (p, h int) {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 20; attempt++ {
		lnA, err := listenOn(t, net.JoinHostPort(ipA, "0"), answerName("A"))
		if err != nil {
			t.Fatal(err)
		}
		p = lnA.Addr().(*net.TCPAddr).Port
		if _, err := listenOn(t, net.JoinHostPort(ipB, fmt.Sprint(p)), answerName("B")); err != nil {
			lastErr = err
			lnA.Close()
			continue
		}
		health, err := listenOn(t, net.JoinHostPort(ipA, "0"), func(c net.Conn) { c.Close() })
		if err != nil {
			t.Fatal(err)
		}
		return p, health.Addr().(*net.TCPAddr).Port
	}
	t.Fatalf("no port free on both %s and %s: %v", ipA, ipB, lastErr)
	return 0, 0
}

// endpointStates returns each endpoint's HealthState in a group.
func endpointStates(t *testing.T, c *ga.Client, groupARN string) map[string]gatypes.HealthState {
	t.Helper()
	out, err := c.DescribeEndpointGroup(context.Background(), &ga.DescribeEndpointGroupInput{EndpointGroupArn: aws.String(groupARN)})
	if err != nil {
		t.Fatalf("DescribeEndpointGroup: %v", err)
	}
	m := map[string]gatypes.HealthState{}
	for _, ep := range out.EndpointGroup.EndpointDescriptions {
		m[aws.ToString(ep.EndpointId)] = ep.HealthState
	}
	return m
}

// TestAcceleratorInitialEndpointGetsNoTraffic checks spec 5.4: a new
// endpoint must pass a health check before it gets traffic, and is INITIAL
// until then. Endpoint B, added with weight 255 next to a HEALTHY endpoint
// A of weight 1, would take about 99% of new flows if it counted as healthy
// before its first check (Route 53's cold start); instead every flow goes
// to A until B's checks, which fail, make it UNHEALTHY.
func TestAcceleratorInitialEndpointGetsNoTraffic(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "meridian.yaml")
	writeFile(t, cfg, "accelerator:\n  ipv4_pool: 127.0.106.0/24\n"+accelHealthConfig)
	n := startNode(t, "", "--config", cfg)
	c := n.gaClient()
	ctx := context.Background()

	arn, ips, port, listenerARN := createTCPListener(t, c, "127.0.106", "initial", gatypes.ClientAffinityNone)
	const ipA, ipB = "127.0.0.2", "127.0.0.3"
	p, h := initialEndpoints(t, ipA, ipB)
	idA, idB := net.JoinHostPort(ipA, fmt.Sprint(p)), net.JoinHostPort(ipB, fmt.Sprint(p))

	g, err := c.CreateEndpointGroup(ctx, &ga.CreateEndpointGroupInput{
		ListenerArn: aws.String(listenerARN), EndpointGroupRegion: aws.String("us-east-1"), IdempotencyToken: aws.String("initial-g"),
		HealthCheckIntervalSeconds: aws.Int32(10), ThresholdCount: aws.Int32(3), HealthCheckPort: aws.Int32(int32(h)),
		EndpointConfigurations: []gatypes.EndpointConfiguration{{EndpointId: aws.String(idA), Weight: aws.Int32(1)}},
	})
	if err != nil {
		t.Fatalf("CreateEndpointGroup: %v", err)
	}
	groupARN := aws.ToString(g.EndpointGroup.EndpointGroupArn)
	waitDeployed(t, c, arn)
	waitEndpointHealth(t, c, groupARN, map[string]gatypes.HealthState{idA: gatypes.HealthStateHealthy}, 25*time.Second)
	front := net.JoinHostPort(ips[0], fmt.Sprint(port))
	if name, err := dialName(front); err != nil || name != "A" {
		t.Fatalf("connection with A alone HEALTHY: %q %v, want A", name, err)
	}

	if _, err := c.AddEndpoints(ctx, &ga.AddEndpointsInput{
		EndpointGroupArn:       aws.String(groupARN),
		EndpointConfigurations: []gatypes.EndpointConfiguration{{EndpointId: aws.String(idB), Weight: aws.Int32(255)}},
	}); err != nil {
		t.Fatalf("AddEndpoints B: %v", err)
	}
	waitDeployed(t, c, arn)

	// Until B's first check round, and after it, B must get no new flow.
	counts := map[string]int{}
	seenB := map[gatypes.HealthState]int{}
	deadline := time.Now().Add(3 * time.Second)
	for round := 0; round == 0 || time.Now().Before(deadline); round++ {
		states := endpointStates(t, c, groupARN)
		stB, ok := states[idB]
		if !ok {
			t.Fatalf("round %d: DescribeEndpointGroup lacks the added endpoint %s: %v", round, idB, states)
		}
		seenB[stB]++
		if stB != gatypes.HealthStateInitial && stB != gatypes.HealthStateUnhealthy {
			t.Fatalf("round %d: endpoint B %s is %s right after AddEndpoints, want INITIAL or UNHEALTHY (it has passed no check)", round, idB, stB)
		}
		flows := 10
		if round == 0 {
			flows = 40
		}
		for i := 0; i < flows; i++ {
			name, err := dialName(front)
			if err != nil {
				t.Fatalf("round %d connection %d: %v", round, i, err)
			}
			counts[name]++
		}
		if counts["A"] != sum(counts) {
			t.Fatalf("round %d: connections reached %v (B is %s); want all on A, B has passed no health check (spec 5.4)", round, counts, stB)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("connections after AddEndpoints: %v; B's states seen: %v", counts, seenB)

	// B's checks on ipB:H fail: it turns UNHEALTHY, and still gets nothing.
	waitEndpointHealth(t, c, groupARN, map[string]gatypes.HealthState{idA: gatypes.HealthStateHealthy, idB: gatypes.HealthStateUnhealthy}, 25*time.Second)
	for i := 0; i < 20; i++ {
		if name, err := dialName(front); err != nil || name != "A" {
			t.Fatalf("connection %d with B UNHEALTHY: %q %v, want A", i, name, err)
		}
	}
}

// sum adds up a map's counts.
func sum(m map[string]int) int {
	s := 0
	for _, v := range m {
		s += v
	}
	return s
}
