// Command hctarget is the loopback HTTP target of bench/health.sh: it
// listens on several ports of several 127.x.y.z addresses, answers every
// GET with 200 and counts the requests per health check, read from the
// request path /c/<index>. A separate stats listener reports the counts.
//
//	hctarget -first-ip 127.0.1.1 -addrs 100 -ports 5 -checks 10000 \
//	         -endpoints FILE -stats-file FILE [-max-run 15m]
//
// The endpoints file gets one ip:port per line, in listening order; the
// stats file gets the stats listener's address. GET /stats on it answers one
// line: requests=N distinct=N min=N max=N unknown=N, where distinct counts
// the checks probed at least once, min and max are the fewest and most
// requests of one check, and unknown counts requests for other paths. The
// process stops on SIGINT or SIGTERM, or by itself after -max-run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("hctarget: ")
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	firstIP := flag.String("first-ip", "127.0.1.1", "first loopback address to listen on")
	addrs := flag.Int("addrs", 100, "consecutive addresses to listen on")
	ports := flag.Int("ports", 5, "ports (chosen by the kernel) per address")
	checks := flag.Int("checks", 10000, "health checks to count (paths /c/0 … /c/N-1)")
	endpointsFile := flag.String("endpoints", "", "file to write the ip:port endpoints to (required)")
	statsFile := flag.String("stats-file", "", "file to write the stats address to (required)")
	maxRun := flag.Duration("max-run", 15*time.Minute, "stop by itself after this long")
	flag.Parse()
	if *endpointsFile == "" || *statsFile == "" {
		return errors.New("-endpoints and -stats-file are required")
	}
	if *addrs < 1 || *ports < 1 || *checks < 1 {
		return errors.New("-addrs, -ports and -checks must be positive")
	}
	ip, err := netip.ParseAddr(*firstIP)
	if err != nil || !ip.Is4() || !ip.IsLoopback() {
		return fmt.Errorf("-first-ip %q is not an IPv4 loopback address", *firstIP)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *maxRun)
	defer cancel()

	c := newCounter(*checks)
	var listeners []net.Listener
	defer func() {
		for _, ln := range listeners {
			_ = ln.Close()
		}
	}()
	var endpoints strings.Builder
	for a := 0; a < *addrs; a++ {
		if !ip.IsLoopback() {
			return fmt.Errorf("address %s is past the loopback range", ip)
		}
		for p := 0; p < *ports; p++ {
			ln, err := net.Listen("tcp", netip.AddrPortFrom(ip, 0).String())
			if err != nil {
				return fmt.Errorf("listen on %s: %w", ip, err)
			}
			listeners = append(listeners, ln)
			fmt.Fprintln(&endpoints, ln.Addr().String())
		}
		ip = ip.Next()
	}
	statsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("stats listener: %w", err)
	}
	listeners = append(listeners, statsLn)

	srv := &http.Server{Handler: c, ReadHeaderTimeout: 5 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	srv.SetKeepAlivesEnabled(false) // every probe is a new connection anyway
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, c.stats())
	})
	stats := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	for _, ln := range listeners[:len(listeners)-1] {
		go func() { _ = srv.Serve(ln) }()
	}
	go func() { _ = stats.Serve(statsLn) }()

	if err := writeFile(*endpointsFile, endpoints.String()); err != nil {
		return err
	}
	if err := writeFile(*statsFile, statsLn.Addr().String()+"\n"); err != nil {
		return err
	}
	log.Printf("%d endpoints on %d addresses from %s; stats on %s", *addrs**ports, *addrs, *firstIP, statsLn.Addr())

	<-ctx.Done()
	shut, done := context.WithTimeout(context.Background(), 2*time.Second)
	defer done()
	_ = srv.Shutdown(shut)
	_ = stats.Shutdown(shut)
	log.Printf("stopped: %s", c.stats())
	return nil
}

// writeFile writes text to path through a temporary file, so that a reader
// never sees it half written.
func writeFile(path, text string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", tmp, err)
	}
	return nil
}
