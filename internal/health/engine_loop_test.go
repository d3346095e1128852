package health

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// enginePaths are the engine's two ways of probing plain checks.
var enginePaths = []struct {
	name   string
	noLoop bool
}{{"loop", false}, {"goroutines", true}}

// runEngine runs e until the returned stop is called; stop cancels and
// reports how long Run took to return.
func runEngine(t *testing.T, e *Engine) (stop func() time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	stopped := false
	stop = func() time.Duration {
		if stopped {
			return 0
		}
		stopped = true
		start := time.Now()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		return time.Since(start)
	}
	t.Cleanup(func() { stop() })
	return stop
}

// TestEngineManyChecks runs hundreds of checks of every plain kind, with
// string-match checks (never on the loop) among them, and leaves no
// descriptor behind.
func TestEngineManyChecks(t *testing.T) {
	up := rawServer(t, respond("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nhealthy"))
	down := rawServer(t, respond("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()
	kinds := []struct {
		typ, addr, status string
		healthy           bool
	}{
		{healthcheck.TypeHTTP, up, "Success: HTTP Status Code 200, OK", true},
		{healthcheck.TypeHTTP, down, "Failure: HTTP Status Code 503, Service Unavailable", false},
		{healthcheck.TypeTCP, up, statusTCPSuccess, true},
		{healthcheck.TypeTCP, refused, statusRefused, false},
		{healthcheck.TypeHTTPStrMatch, up, "Success: HTTP Status Code 200, OK. Found the search string in the first 5,120 bytes of the response body.", true},
	}
	for _, path := range enginePaths {
		t.Run(path.name, func(t *testing.T) {
			before, countable := openFDs(t)
			cfg := Config{Regions: []string{"us-east-1"}, MaxConcurrency: 64, Interval: 50 * time.Millisecond,
				MinTargetInterval: -1, Timeouts: fastTimeouts}
			e := New(cfg, Deps{})
			e.noLoop = path.noLoop
			const n = 250
			var checks []healthcheck.HealthCheck
			for i := 0; i < n; i++ {
				k := kinds[i%len(kinds)]
				c := httpCheck(t, k.typ, k.addr)
				c.SearchString = "health"
				c.FailureThreshold = ptr(int64(1))
				checks = append(checks, healthcheck.HealthCheck{ID: fmt.Sprintf("c%03d", i), Config: c})
			}
			e.Update(checks)
			stop := runEngine(t, e)
			waitFor(t, 5*time.Second, "every check settled", func() bool {
				for _, s := range e.Statuses() {
					if !s.Settled {
						return false
					}
				}
				return true
			})
			probes := e.Stats().Probes
			waitFor(t, 5*time.Second, "more rounds", func() bool { return e.Stats().Probes >= probes+2*n })
			for i, hc := range checks {
				k := kinds[i%len(kinds)]
				if h, _ := e.Status(hc.ID); h != k.healthy {
					t.Errorf("%s (%s %s): healthy = %v", hc.ID, k.typ, k.addr, h)
				}
				obs := e.Observations(hc.ID)
				if len(obs) != 1 || obs[0].Status != k.status || obs[0].IPAddress != "127.0.0.1" {
					t.Errorf("%s (%s): %+v, want %q", hc.ID, k.typ, obs, k.status)
				}
			}
			stop()
			if s := e.Stats(); s.InFlight != 0 {
				t.Errorf("%d probes in flight after Run", s.InFlight)
			}
			if countable {
				waitFor(t, 2*time.Second, fmt.Sprint("descriptors back to ", before), func() bool {
					n, _ := openFDs(t)
					return n <= before
				})
			}
		})
	}
}

// TestEngineShutdownMidProbe: stopping the engine while every probe waits
// for a status line returns at once; the cut probes record nothing, every
// checker stays queued and no descriptor is left.
func TestEngineShutdownMidProbe(t *testing.T) {
	var accepted atomic.Int32
	silent := rawServer(t, func(c net.Conn) {
		accepted.Add(1)
		stall("")(c)
	})
	for _, path := range enginePaths {
		t.Run(path.name, func(t *testing.T) {
			accepted.Store(0)
			before, countable := openFDs(t)
			cfg := Config{Regions: []string{"us-east-1", "eu-west-1"}, Interval: 100 * time.Millisecond, MinTargetInterval: -1,
				Timeouts: Timeouts{Connect: 5 * time.Second, Status: 5 * time.Second, TCP: 5 * time.Second}}
			e := New(cfg, Deps{})
			e.noLoop = path.noLoop
			const n = 20
			var checks []healthcheck.HealthCheck
			for i := 0; i < n; i++ {
				checks = append(checks, healthcheck.HealthCheck{ID: fmt.Sprintf("s%02d", i), Config: httpCheck(t, healthcheck.TypeHTTP, silent)})
			}
			e.Update(checks)
			goroutines := runtime.NumGoroutine()
			stop := runEngine(t, e)
			waitFor(t, 3*time.Second, "every probe waiting", func() bool {
				return accepted.Load() == 2*n && e.Stats().InFlight == 2*n
			})
			// The loop holds its probes without a goroutine each.
			more := runtime.NumGoroutine() - goroutines - 2*n // the server's
			if onLoop := !path.noLoop && runtime.GOOS == "linux"; onLoop && more > 5 || !onLoop && more < 2*n {
				t.Errorf("%d more goroutines with %d probes in flight", more, 2*n)
			}
			if d := stop(); d > time.Second {
				t.Errorf("Run took %v to return", d)
			}
			s := e.Stats()
			e.mu.Lock()
			queued := len(e.queue)
			e.mu.Unlock()
			if s.InFlight != 0 || queued != 2*n {
				t.Errorf("after stop: %d in flight, %d of %d checkers queued", s.InFlight, queued, 2*n)
			}
			for _, hc := range checks {
				if obs := e.Observations(hc.ID); len(obs) != 0 {
					t.Errorf("%s: a cut probe was recorded: %+v", hc.ID, obs)
				}
				if st := statusOf(e, hc.ID); st.Settled {
					t.Errorf("%s settled by cut probes", hc.ID)
				}
			}
			if countable {
				waitFor(t, 2*time.Second, fmt.Sprint("descriptors back to ", before), func() bool {
					n, _ := openFDs(t)
					return n <= before
				})
			}
		})
	}
}
