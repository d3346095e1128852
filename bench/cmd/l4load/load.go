package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// loadConfig is what one run does.
type loadConfig struct {
	addr     string
	workers  int
	duration time.Duration // stop starting connections after this long
	count    int64         // start at most this many connections (0: no limit)
	rate     float64       // starts per second across all workers (0: as fast as possible)
	req      int           // request size, '\n' included
	resp     int           // expected reply size
	timeout  time.Duration // per connection, from the start of connect
}

// validate checks the bounds that keep a run finite and meaningful.
func (c loadConfig) validate() error {
	switch {
	case c.addr == "":
		return errors.New("-addr is required")
	case c.workers < 1 || c.workers > 4096:
		return fmt.Errorf("-c must be 1..4096, got %d", c.workers)
	case c.duration <= 0 || c.duration > 10*time.Minute:
		return fmt.Errorf("-d must be more than 0 and at most 10m, got %s", c.duration)
	case c.count < 0:
		return fmt.Errorf("-n must not be negative, got %d", c.count)
	case c.rate < 0:
		return fmt.Errorf("-rate must not be negative, got %g", c.rate)
	case c.req < 1 || c.req > maxRequest:
		return fmt.Errorf("-req must be 1..%d, got %d", maxRequest, c.req)
	case c.resp < 1 || c.resp > 1<<20:
		return fmt.Errorf("-resp must be 1..%d, got %d", 1<<20, c.resp)
	case c.timeout <= 0 || c.timeout > time.Minute:
		return fmt.Errorf("-timeout must be more than 0 and at most 1m, got %s", c.timeout)
	}
	return nil
}

// loadResult is what one run measured.
type loadResult struct {
	conns   int64           // connections that completed the exchange
	dial    int64           // connects that failed
	io      int64           // writes or reads that failed
	short   int64           // replies of the wrong length
	elapsed time.Duration   // from the first start to the last end
	firsts  []time.Duration // connect start to first reply byte, per success
}

func (r loadResult) errors() int64 { return r.dial + r.io + r.short }

// errKind says how one connection failed.
type errKind int

const (
	okConn errKind = iota
	dialErr
	ioErr
	shortErr
)

// runCmd parses the flags, runs the load and prints its line.
func runCmd(ctx context.Context, args []string) error {
	var c loadConfig
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", "", "HOST:PORT to connect to")
	fs.IntVar(&c.workers, "c", 32, "concurrent workers")
	fs.DurationVar(&c.duration, "d", 10*time.Second, "stop starting connections after this long")
	fs.Int64Var(&c.count, "n", 0, "start at most this many connections (0: no limit)")
	fs.Float64Var(&c.rate, "rate", 0, "connections started per second, all workers together (0: unpaced)")
	fs.IntVar(&c.req, "req", 64, "request size in bytes, the final '\\n' included")
	fs.IntVar(&c.resp, "resp", 128, "reply size the responder sends")
	fs.DurationVar(&c.timeout, "timeout", 2*time.Second, "per-connection time limit")
	check := fs.Bool("check", false, "exit 1 unless every connection succeeded")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	cpu0 := cpuTime()
	r := runLoad(ctx, c)
	cpu := cpuTime() - cpu0
	fmt.Println(formatResult(r, cpu))
	if *check && (r.errors() > 0 || r.conns == 0) {
		return fmt.Errorf("run: %d of %d connections to %s failed", r.errors(), r.errors()+r.conns, c.addr)
	}
	return nil
}

// formatResult renders a result as the line run prints.
func formatResult(r loadResult, cpu time.Duration) string {
	q := quantiles(r.firsts, 50, 90, 99, 100)
	secs := r.elapsed.Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(r.conns) / secs
	}
	return fmt.Sprintf("conns=%d errors=%d dial=%d io=%d short=%d secs=%.3f rate=%.0f "+
		"p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f mean_us=%.1f cpu_s=%.3f",
		r.conns, r.errors(), r.dial, r.io, r.short, secs, rate,
		us(q[0]), us(q[1]), us(q[2]), us(q[3]), us(mean(r.firsts)), cpu.Seconds())
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// runLoad runs c.workers workers until the duration, the count or ctx ends
// the run, and gathers what they measured.
func runLoad(ctx context.Context, c loadConfig) loadResult {
	start := time.Now()
	deadline := start.Add(c.duration)
	ctx, cancel := context.WithDeadline(ctx, deadline.Add(c.timeout))
	defer cancel()
	req := make([]byte, c.req)
	for i := range req {
		req[i] = 'q'
	}
	req[len(req)-1] = '\n'

	var next atomic.Int64 // the next connection's index
	var wg sync.WaitGroup
	var mu sync.Mutex
	var res loadResult
	var logged [shortErr + 1]atomic.Bool
	for range c.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine loadResult
			d := net.Dialer{Timeout: c.timeout}
			buf := make([]byte, 64*1024)
			for {
				k := next.Add(1) - 1
				if c.count > 0 && k >= c.count {
					break
				}
				if c.rate > 0 {
					at := start.Add(time.Duration(float64(k) / c.rate * float64(time.Second)))
					if !at.Before(deadline) || !sleepUntil(ctx, at) {
						break
					}
				} else if !time.Now().Before(deadline) || ctx.Err() != nil {
					break
				}
				first, kind, err := exchange(ctx, &d, c, req, buf)
				switch kind {
				case okConn:
					mine.conns++
					mine.firsts = append(mine.firsts, first)
				case dialErr:
					mine.dial++
				case ioErr:
					mine.io++
				case shortErr:
					mine.short++
				}
				if kind != okConn && ctx.Err() == nil && !logged[kind].Swap(true) {
					log.Printf("first failure of its kind: %v", err)
				}
			}
			mu.Lock()
			res.conns += mine.conns
			res.dial += mine.dial
			res.io += mine.io
			res.short += mine.short
			res.firsts = append(res.firsts, mine.firsts...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// sleepUntil waits until t; false when ctx ends first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// exchange runs one connection: connect, send req, read the reply to EOF,
// close. It returns the time from the start of connect to the first reply
// byte.
func exchange(ctx context.Context, d *net.Dialer, c loadConfig, req, buf []byte) (time.Duration, errKind, error) {
	t0 := time.Now()
	conn, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return 0, dialErr, fmt.Errorf("connect %s: %w", c.addr, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(t0.Add(c.timeout))
	if _, err := conn.Write(req); err != nil {
		return 0, ioErr, fmt.Errorf("write to %s: %w", c.addr, err)
	}
	var first time.Duration
	total := 0
	for {
		n, err := conn.Read(buf)
		if n > 0 && total == 0 {
			first = time.Since(t0)
		}
		total += n
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, ioErr, fmt.Errorf("read from %s after %d bytes: %w", c.addr, total, err)
		}
	}
	if total != c.resp {
		return 0, shortErr, fmt.Errorf("reply from %s: %d bytes, want %d", c.addr, total, c.resp)
	}
	return first, okConn, nil
}

// cpuTime returns the user+system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
