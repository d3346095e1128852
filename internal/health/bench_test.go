package health

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// benchServerEnv makes the test binary serve minimalServer's answers in a
// child process, so that the load benchmark's CPU figure is the engine's
// alone.
const benchServerEnv = "MERIDIAN_HEALTH_BENCH_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(benchServerEnv) != "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			os.Exit(1)
		}
		fmt.Println(ln.Addr().String())
		serveMinimal(ln)
		return
	}
	os.Exit(m.Run())
}

// serveMinimal answers every connection with one fixed 200 and closes it.
func serveMinimal(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			buf := make([]byte, 1024)
			c.Read(buf)
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		}()
	}
}

// minimalServer starts serveMinimal in this process.
func minimalServer(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go serveMinimal(ln)
	return ln.Addr().String()
}

// childServer starts serveMinimal in a child process.
func childServer(b *testing.B) string {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchServerEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatal(err)
	}
	return strings.TrimSpace(addr)
}

func benchConfig(b *testing.B, addr string) healthcheck.Config {
	return httpCheck(b, healthcheck.TypeHTTP, addr)
}

// BenchmarkProbeHTTP is one HTTP probe on a new connection (server work
// included).
func BenchmarkProbeHTTP(b *testing.B) {
	cfg := benchConfig(b, minimalServer(b))
	p := NewProber(Config{}, nil)
	b.ReportAllocs()
	for b.Loop() {
		if r := p.Probe(context.Background(), cfg); !r.Healthy {
			b.Fatal(r.Status)
		}
	}
}

// BenchmarkKeepAliveGET is the same request over a reused connection with
// net/http, for comparison with Route 53's new connection per probe.
func BenchmarkKeepAliveGET(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	client := srv.Client()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkEngineMemory reports the heap held per idle HTTP check (one
// checker), with 10,000 checks scheduled.
func BenchmarkEngineMemory(b *testing.B) {
	const n = 10000
	for b.Loop() {
		checks := make([]healthcheck.HealthCheck, n)
		for i := range checks {
			checks[i] = healthcheck.HealthCheck{ID: fmt.Sprintf("hc-%05d", i), Config: healthcheck.Config{
				Type: healthcheck.TypeHTTP, IPAddress: fmt.Sprintf("10.0.%d.%d", i/250, i%250+1), Port: ptr(int64(80)),
				ResourcePath: "/health", RequestInterval: ptr(int64(10))}}
		}
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		e := New(Config{Regions: []string{"us-east-1"}}, Deps{})
		e.Update(checks)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "heapB/check")
		runtime.KeepAlive(e)
	}
}

// BenchmarkEngineLoad runs 1,000 HTTP checks at a 1 s interval (the probe
// rate of 10,000 checks at 10 s) for three seconds against a server in a
// child process and reports this process's CPU per wall second, on the
// probe loop and on goroutines (the path of systems without the loop).
func BenchmarkEngineLoad(b *testing.B) {
	addr := childServer(b)
	for _, path := range []struct {
		name   string
		noLoop bool
	}{{"loop", false}, {"goroutines", true}} {
		b.Run(path.name, func(b *testing.B) { engineLoad(b, addr, path.noLoop) })
	}
}

func engineLoad(b *testing.B, addr string, noLoop bool) {
	const n = 1000
	for b.Loop() {
		cfg := benchConfig(b, addr)
		checks := make([]healthcheck.HealthCheck, n)
		for i := range checks {
			checks[i] = healthcheck.HealthCheck{ID: fmt.Sprintf("hc-%05d", i), Config: cfg}
		}
		e := New(Config{Regions: []string{"us-east-1"}, Interval: time.Second, MinTargetInterval: -1}, Deps{})
		e.noLoop = noLoop
		e.Update(checks)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { e.Run(ctx); close(done) }()
		time.Sleep(time.Second) // first round
		var r0, r1 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
		p0 := e.Stats().Probes
		start := time.Now()
		time.Sleep(3 * time.Second)
		syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
		wall := time.Since(start)
		probes := e.Stats().Probes - p0
		cancel()
		<-done
		user := time.Duration(r1.Utime.Nano()-r0.Utime.Nano()) * time.Nanosecond
		sys := time.Duration(r1.Stime.Nano()-r0.Stime.Nano()) * time.Nanosecond
		cpu := user + sys
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(cpu)/float64(wall)*100, "%core")
		b.ReportMetric(float64(probes)/wall.Seconds(), "probes/s")
		b.ReportMetric(float64(cpu.Microseconds())/float64(probes), "cpuµs/probe")
		b.ReportMetric(float64(user.Microseconds())/float64(probes), "userµs/probe")
		b.ReportMetric(float64(r1.Nvcsw+r1.Nivcsw-r0.Nvcsw-r0.Nivcsw)/float64(probes), "csw/probe")
		b.ReportMetric(float64(ms.Sys)/(1<<20), "sysMB")
	}
}
