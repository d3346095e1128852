//go:build linux

package health

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// testLoop starts a probe loop with the given timeouts, closed when the
// test ends.
func testLoop(t testing.TB, tm Timeouts) *probeLoop {
	t.Helper()
	tm = tm.withDefaults()
	l, err := newProbeLoop(&tm, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.close)
	return l
}

// counting wraps a handler and counts the connections it was given.
func counting(n *atomic.Int32, h func(c net.Conn)) func(c net.Conn) {
	return func(c net.Conn) {
		n.Add(1)
		h(c)
	}
}

// TestLoopNoFDLeak: every kind of ending closes the probe's socket, and
// closing the loop closes its own descriptors.
func TestLoopNoFDLeak(t *testing.T) {
	up := rawServer(t, respond("HTTP/1.1 200 OK\r\n\r\n"))
	silent := rawServer(t, stall(""))
	hole := blackhole(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()
	before, ok := openFDs(t)
	if !ok {
		t.Skip("cannot count descriptors")
	}

	tm := fastTimeouts.withDefaults()
	l, err := newProbeLoop(&tm, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		for _, c := range []healthcheck.Config{
			httpCheck(t, healthcheck.TypeHTTP, up), httpCheck(t, healthcheck.TypeTCP, up),
			httpCheck(t, healthcheck.TypeHTTP, silent), httpCheck(t, healthcheck.TypeHTTP, hole),
			httpCheck(t, healthcheck.TypeHTTP, refused),
		} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, ok := l.probe(newEndpoint(&c)); !ok {
					t.Error("loop closed")
				}
			}()
		}
	}
	wg.Wait()
	// Probes cut short by close.
	for i := 0; i < 5; i++ {
		c := httpCheck(t, healthcheck.TypeHTTP, silent)
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.probe(newEndpoint(&c))
		}()
	}
	time.Sleep(50 * time.Millisecond)
	l.close()
	wg.Wait()
	// The servers' ends of the connections close once they see ours go.
	waitFor(t, 2*time.Second, "descriptors back to "+fmt.Sprint(before), func() bool { n, _ := openFDs(t); return n <= before })
}

// TestLoopCancel: cancel ends the probes in flight at once and every
// later one, and close then refuses probes.
func TestLoopCancel(t *testing.T) {
	var accepted atomic.Int32
	silent := rawServer(t, counting(&accepted, stall("")))
	l := testLoop(t, Timeouts{Connect: 5 * time.Second, Status: 5 * time.Second})
	const n = 8
	results := make(chan Result, n)
	for i := 0; i < n; i++ {
		c := httpCheck(t, healthcheck.TypeHTTP, silent)
		go func() {
			r, _ := l.probe(newEndpoint(&c))
			results <- r
		}()
	}
	waitFor(t, 2*time.Second, "probes in flight", func() bool { return accepted.Load() == n })
	time.Sleep(20 * time.Millisecond) // the requests are out
	start := time.Now()
	l.cancel()
	for i := 0; i < n; i++ {
		if r := <-results; r.Healthy || r.Status != statusNoStatus {
			t.Errorf("cancelled probe: %+v", r)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("cancel took %v", d)
	}
	c := httpCheck(t, healthcheck.TypeHTTP, silent)
	r, ok := l.probe(newEndpoint(&c))
	if !ok || !strings.HasSuffix(r.Status, ": operation was canceled") || !strings.HasPrefix(r.Status, "Failure: Could not connect to the endpoint: dial tcp 127.0.0.1:") {
		t.Errorf("probe after cancel: %v %+v", ok, r)
	}
	l.close()
	if _, ok := l.probe(newEndpoint(&c)); ok {
		t.Error("a closed loop took a probe")
	}
	l.cancel() // after close: harmless
}

// TestLoopConcurrent: many probes at once, each with its own result.
func TestLoopConcurrent(t *testing.T) {
	const n = 300
	l := testLoop(t, fastTimeouts)
	up := rawServer(t, respond("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
	down := rawServer(t, trickle("HTTP/1.1 503 Busy\r\n\r\n", 4))
	var wg sync.WaitGroup
	var bad atomic.Int32
	for i := 0; i < n; i++ {
		c, want := httpCheck(t, healthcheck.TypeHTTP, up), "Success: HTTP Status Code 200, OK"
		switch i % 3 {
		case 1:
			c, want = httpCheck(t, healthcheck.TypeHTTP, down), "Failure: HTTP Status Code 503, Busy"
		case 2:
			c, want = httpCheck(t, healthcheck.TypeTCP, up), statusTCPSuccess
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, _ := l.probe(newEndpoint(&c)); r.Status != want {
				if bad.Add(1) < 5 {
					t.Errorf("%s: %q, want %q", c.Type, r.Status, want)
				}
			}
		}()
	}
	wg.Wait()
}

// TestLoopIPv6 probes [::1].
func TestLoopIPv6(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	defer ln.Close()
	go serveMinimal(ln)
	port := ln.Addr().(*net.TCPAddr).Port
	l := testLoop(t, fastTimeouts)
	for _, typ := range []string{healthcheck.TypeHTTP, healthcheck.TypeTCP} {
		c := healthcheck.Config{Type: typ, IPAddress: "::1", Port: ptr(int64(port))}
		r, _ := l.probe(newEndpoint(&c))
		if !r.Healthy || r.Source.String() != "::1" {
			t.Errorf("%s: %+v", typ, r)
		}
	}
}

// TestLoopOutOfDescriptors: with no descriptor to spare, a probe fails
// with the reason, and an engine cannot start its loop and probes on
// goroutines instead.
func TestLoopOutOfDescriptors(t *testing.T) {
	l := testLoop(t, fastTimeouts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := httpCheck(t, healthcheck.TypeHTTP, ln.Addr().String())
	ln.Close()
	e := New(Config{}, Deps{})

	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	// The lowest free descriptor number (the one dup returns) becomes the
	// limit.
	low, err := syscall.Dup(0)
	if err != nil {
		t.Fatal(err)
	}
	syscall.Close(low)
	short := lim
	short.Cur = uint64(low)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &short); err != nil {
		t.Skipf("cannot lower the descriptor limit: %v", err)
	}
	r, _ := l.probe(newEndpoint(&c))
	fp := e.startFastPath(context.Background(), &sync.WaitGroup{})
	_, loopErr := newProbeLoop(&fastTimeouts, nil)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	if want := "Failure: Could not connect to the endpoint: dial tcp " + ln.Addr().String() + ": socket: too many open files"; r.Status != want {
		t.Errorf("probe: %q, want %q", r.Status, want)
	}
	if fp != nil {
		fp.close()
		t.Error("the engine started a loop without descriptors")
	}
	if loopErr == nil || !strings.Contains(loopErr.Error(), "too many open files") {
		t.Errorf("newProbeLoop: %v", loopErr)
	}
	// The loop works again.
	ok := rawServer(t, respond("HTTP/1.1 200 OK\r\n\r\n"))
	c = httpCheck(t, healthcheck.TypeHTTP, ok)
	if r, _ := l.probe(newEndpoint(&c)); !r.Healthy {
		t.Errorf("after the limit: %+v", r)
	}
}

// BenchmarkLoopProbeHTTP is BenchmarkProbeHTTP on the probe loop: one
// HTTP probe on a new connection (server work included).
func BenchmarkLoopProbeHTTP(b *testing.B) {
	cfg := benchConfig(b, minimalServer(b))
	l := testLoop(b, Timeouts{})
	ep := newEndpoint(&cfg)
	b.ReportAllocs()
	for b.Loop() {
		if r, _ := l.probe(ep); !r.Healthy {
			b.Fatal(r.Status)
		}
	}
}
