package main

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestQuantiles(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // 100..1, unsorted
	}
	tests := []struct {
		name string
		in   []time.Duration
		ps   []float64
		want []time.Duration
		mean time.Duration
	}{
		{"empty", nil, []float64{50, 99}, ms(0, 0), 0},
		{"one", ms(7), []float64{50, 99, 100}, ms(7, 7, 7), 7 * time.Millisecond},
		{"two", ms(9, 1), []float64{50, 51, 100}, ms(1, 9, 9), 5 * time.Millisecond},
		{"hundred", ms(hundred...), []float64{1, 50, 90, 99, 100}, ms(1, 50, 90, 99, 100), 50500 * time.Microsecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mean(tt.in); got != tt.mean {
				t.Errorf("mean = %v, want %v", got, tt.mean)
			}
			got := quantiles(tt.in, tt.ps...)
			for i := range tt.want {
				if got[i] != tt.want[i] {
					t.Errorf("p%g = %v, want %v", tt.ps[i], got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseListener(t *testing.T) {
	tests := []struct {
		in      string
		want    listenerSpec
		wantErr string
	}{
		{"9000=127.0.0.1:5201", listenerSpec{9000, netip.MustParseAddrPort("127.0.0.1:5201"), 5201}, ""},
		{"9001=127.0.0.1:7000@7001", listenerSpec{9001, netip.MustParseAddrPort("127.0.0.1:7000"), 7001}, ""},
		{"9000", listenerSpec{}, "want FRONT=IP:PORT"},
		{"0=127.0.0.1:1", listenerSpec{}, "front port"},
		{"70000=127.0.0.1:1", listenerSpec{}, "front port"},
		{"9000=127.0.0.1", listenerSpec{}, "is not IP:PORT"},
		{"9000=127.0.0.1:0", listenerSpec{}, "is not IP:PORT"},
		{"9000=host:80", listenerSpec{}, "is not IP:PORT"},
		{"9000=127.0.0.1:80@x", listenerSpec{}, "health-check port"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseListener(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestLoadConfigValidate(t *testing.T) {
	ok := loadConfig{addr: "127.0.0.1:1", workers: 1, duration: time.Second, req: 64, resp: 128, timeout: time.Second}
	tests := []struct {
		name   string
		change func(*loadConfig)
		valid  bool
	}{
		{"ok", func(*loadConfig) {}, true},
		{"no addr", func(c *loadConfig) { c.addr = "" }, false},
		{"no workers", func(c *loadConfig) { c.workers = 0 }, false},
		{"no duration", func(c *loadConfig) { c.duration = 0 }, false},
		{"hour", func(c *loadConfig) { c.duration = time.Hour }, false},
		{"negative count", func(c *loadConfig) { c.count = -1 }, false},
		{"negative rate", func(c *loadConfig) { c.rate = -1 }, false},
		{"huge request", func(c *loadConfig) { c.req = maxRequest + 1 }, false},
		{"no reply", func(c *loadConfig) { c.resp = 0 }, false},
		{"no timeout", func(c *loadConfig) { c.timeout = 0 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.change(&c)
			if err := c.validate(); (err == nil) != tt.valid {
				t.Fatalf("validate() = %v, want valid=%v", err, tt.valid)
			}
		})
	}
}

// startResponder serves resp-byte replies on a loopback port until the test
// ends.
func startResponder(t *testing.T, resp int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = serveListener(ctx, ln, reply(resp))
	}()
	t.Cleanup(func() {
		cancel()
		_ = ln.Close()
		<-done
	})
	return ln.Addr().String()
}

func TestRunLoad(t *testing.T) {
	addr := startResponder(t, 128)
	base := loadConfig{addr: addr, workers: 4, duration: 5 * time.Second, req: 64, resp: 128, timeout: 2 * time.Second}
	tests := []struct {
		name      string
		change    func(*loadConfig)
		conns     int64
		short     int64
		minSecs   float64
		maxErrors int64
	}{
		{"count", func(c *loadConfig) { c.count = 200 }, 200, 0, 0, 0},
		{"wrong reply size", func(c *loadConfig) { c.count = 20; c.resp = 100 }, 0, 20, 0, 20},
		// 40 starts at 100/s take about 0.39 s: pacing holds the run back.
		{"paced", func(c *loadConfig) { c.count = 40; c.rate = 100 }, 40, 0, 0.35, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			tt.change(&c)
			r := runLoad(context.Background(), c)
			if r.conns != tt.conns || r.short != tt.short || r.errors() != tt.maxErrors {
				t.Fatalf("conns=%d short=%d errors=%d, want %d, %d, %d", r.conns, r.short, r.errors(), tt.conns, tt.short, tt.maxErrors)
			}
			if int64(len(r.firsts)) != r.conns {
				t.Errorf("%d first-byte times for %d connections", len(r.firsts), r.conns)
			}
			for _, d := range r.firsts {
				if d <= 0 || d > c.timeout {
					t.Errorf("first-byte time %v outside (0, %v]", d, c.timeout)
					break
				}
			}
			if s := r.elapsed.Seconds(); s < tt.minSecs {
				t.Errorf("run took %.3fs, want at least %.2fs", s, tt.minSecs)
			}
			line := formatResult(r, 0)
			if !strings.Contains(line, "conns=") || !strings.Contains(line, " p99_us=") {
				t.Errorf("result line %q lacks fields", line)
			}
		})
	}
}

func TestRunLoadDurationAndDialErrors(t *testing.T) {
	// A port nothing listens on: every connect is refused until the
	// duration ends the run.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := loadConfig{addr: addr, workers: 2, duration: 200 * time.Millisecond, req: 8, resp: 8, timeout: time.Second}
	r := runLoad(context.Background(), c)
	if r.conns != 0 || r.dial == 0 || r.io != 0 || r.short != 0 {
		t.Fatalf("conns=%d dial=%d io=%d short=%d, want only dial errors", r.conns, r.dial, r.io, r.short)
	}
	if s := r.elapsed.Seconds(); s < 0.2 || s > 2 {
		t.Errorf("run took %.3fs, want about 0.2s", s)
	}
}
