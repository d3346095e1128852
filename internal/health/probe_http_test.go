package health

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

func fastProber() *Prober { return NewProber(Config{Timeouts: fastTimeouts}, nil) }

func TestHTTPStatusCodes(t *testing.T) {
	tests := []struct {
		line    string
		healthy bool
		status  string
	}{
		{"199 Odd", false, "Failure: HTTP Status Code 199, Odd"},
		{"200 OK", true, "Success: HTTP Status Code 200, OK"},
		{"200", true, "Success: HTTP Status Code 200, OK"},
		{"204 No Content", true, "Success: HTTP Status Code 204, No Content"},
		{"301 Moved Permanently", true, "Success: HTTP Status Code 301, Moved Permanently"},
		{"301", true, "Success: HTTP Status Code 301, Moved Permanently"},
		{"301 Gone Elsewhere", true, "Success: HTTP Status Code 301, Gone Elsewhere"},
		{"399 Odd", true, "Success: HTTP Status Code 399, Odd"},
		{"400 Bad Request", false, "Failure: HTTP Status Code 400, Bad Request"},
		{"404 Not Found", false, "Failure: HTTP Status Code 404, Not Found"},
		{"404", false, "Failure: HTTP Status Code 404, Not Found"},
		{"503 Service Unavailable", false, "Failure: HTTP Status Code 503, Service Unavailable"},
		{"503 ", false, "Failure: HTTP Status Code 503, Service Unavailable"},
		{"503 Down For Maintenance", false, "Failure: HTTP Status Code 503, Down For Maintenance"},
	}
	for _, path := range probePaths(t) {
		for _, tt := range tests {
			t.Run(path.name+"/"+tt.line, func(t *testing.T) {
				addr := rawServer(t, respond("HTTP/1.1 "+tt.line+"\r\nContent-Length: 0\r\n\r\n"))
				r := path.probe(t, httpCheck(t, healthcheck.TypeHTTP, addr))
				if r.Healthy != tt.healthy || r.Status != tt.status {
					t.Errorf("got %v %q, want %v %q", r.Healthy, r.Status, tt.healthy, tt.status)
				}
				if r.Source != netip.MustParseAddr("127.0.0.1") {
					t.Errorf("source = %v, want 127.0.0.1", r.Source)
				}
			})
		}
	}
}

func TestHTTPRedirectNotFollowed(t *testing.T) {
	var followed atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			followed.Add(1)
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, "/down", http.StatusFound)
	}))
	defer srv.Close()
	r := fastProber().Probe(context.Background(), httpCheck(t, healthcheck.TypeHTTP, srv.Listener.Addr().String()))
	if !r.Healthy || r.Status != "Success: HTTP Status Code 302, Found" {
		t.Errorf("got %v %q", r.Healthy, r.Status)
	}
	if n := followed.Load(); n != 0 {
		t.Errorf("redirect followed %d times", n)
	}
}

func TestHostHeaderAndPath(t *testing.T) {
	reqs := make(chan string, 1)
	addr := rawServer(t, func(c net.Conn) {
		reqs <- readRequest(c)
		fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
	})
	ip, port := hostPort(t, addr)
	tests := []struct {
		name      string
		fqdn      string
		path      string
		wantHost  string
		wantStart string
	}{
		{"fqdn on another port", "app.test", "/health", fmt.Sprintf("app.test:%d", port), "GET /health HTTP/1.1\r\n"},
		{"ip when no fqdn", "", "", fmt.Sprintf("127.0.0.1:%d", port), "GET / HTTP/1.1\r\n"},
		{"path without slash", "app.test.", "status?full=1", fmt.Sprintf("app.test:%d", port), "GET /status?full=1 HTTP/1.1\r\n"},
	}
	for _, path := range probePaths(t) {
		for _, tt := range tests {
			t.Run(path.name+"/"+tt.name, func(t *testing.T) {
				c := healthcheck.Config{Type: healthcheck.TypeHTTP, IPAddress: ip, Port: ptr(port),
					FullyQualifiedDomainName: tt.fqdn, ResourcePath: tt.path}
				if r := path.probe(t, c); !r.Healthy {
					t.Fatalf("probe: %q", r.Status)
				}
				req := <-reqs
				if !strings.HasPrefix(req, tt.wantStart) {
					t.Errorf("request line: %q, want prefix %q", req, tt.wantStart)
				}
				if !strings.Contains(req, "\r\nHost: "+tt.wantHost+"\r\n") {
					t.Errorf("request %q lacks Host: %s", req, tt.wantHost)
				}
				if want := requestText(newEndpoint(&c)); req != want {
					t.Errorf("request %q, want %q", req, want)
				}
			})
		}
	}
}

func TestHostHeaderRules(t *testing.T) {
	v4 := netip.MustParseAddr("192.0.2.10")
	v6 := netip.MustParseAddr("2001:db8::1")
	tests := []struct {
		fqdn          string
		ip            netip.Addr
		port, defPort int
		want          string
	}{
		{"app.example.com", v4, 80, 80, "app.example.com"},
		{"app.example.com", v4, 443, 443, "app.example.com"},
		{"app.example.com", v4, 443, 80, "app.example.com:443"}, // HTTP on 443
		{"app.example.com", v4, 80, 443, "app.example.com:80"},  // HTTPS on 80
		{"app.example.com", v4, 8080, 80, "app.example.com:8080"},
		{"", v4, 80, 80, "192.0.2.10"},
		{"", v4, 8443, 443, "192.0.2.10:8443"},
		{"", v6, 80, 80, "[2001:db8::1]"},
		{"", v6, 8080, 80, "[2001:db8::1]:8080"},
	}
	for _, tt := range tests {
		if got := hostHeader(tt.fqdn, tt.ip, tt.port, tt.defPort); got != tt.want {
			t.Errorf("hostHeader(%q, %v, %d, %d) = %q, want %q", tt.fqdn, tt.ip, tt.port, tt.defPort, got, tt.want)
		}
	}
	for in, want := range map[string]string{"": "/", "x": "/x", "/a b": "/a%20b", "/ok?q=1": "/ok?q=1", "/\r\nX: y": "/%0D%0AX:%20y"} {
		if got := requestTarget(in); got != want {
			t.Errorf("requestTarget(%q) = %q, want %q", in, got, want)
		}
	}
	// Port defaults: 80 for HTTP, 443 for HTTPS.
	for typ, want := range map[string]int{healthcheck.TypeHTTP: 80, healthcheck.TypeHTTPStrMatch: 80, healthcheck.TypeHTTPS: 443, healthcheck.TypeHTTPSStrMatch: 443} {
		e := newEndpoint(&healthcheck.Config{Type: typ, FullyQualifiedDomainName: "a.example.com"})
		if e.port != want || e.host != "a.example.com" {
			t.Errorf("%s: port %d host %q", typ, e.port, e.host)
		}
	}
}

func TestHTTPHeaderSize(t *testing.T) {
	// The header section after the status line is 30+n bytes:
	// "Content-Length: 0\r\n" + "X-Pad: "+pad+"\r\n" + "\r\n".
	tests := []struct {
		pad     int
		healthy bool
	}{
		{16384 - 30, true},
		{16384 - 29, false},
		{100000, false},
	}
	for _, path := range probePaths(t) {
		for _, tt := range tests {
			t.Run(fmt.Sprint(path.name, "/", tt.pad), func(t *testing.T) {
				resp := "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: " + strings.Repeat("a", tt.pad) + "\r\n\r\n"
				addr := rawServer(t, respond(resp))
				r := path.probe(t, httpCheck(t, healthcheck.TypeHTTP, addr))
				if r.Healthy != tt.healthy {
					t.Errorf("healthy = %v (%q), want %v", r.Healthy, r.Status, tt.healthy)
				}
				if !tt.healthy && r.Status != statusHeaderTooLarge {
					t.Errorf("status %q", r.Status)
				}
			})
		}
	}
}

func TestHTTPTimeouts(t *testing.T) {
	refused := func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		return addr
	}
	tests := []struct {
		name   string
		addr   func(t *testing.T) string
		typ    string
		status string
	}{
		{"connect timeout", blackhole, healthcheck.TypeHTTP, statusTimeout},
		{"connection refused", refused, healthcheck.TypeHTTP, statusRefused},
		{"accepts and never answers", func(t *testing.T) string { return rawServer(t, stall("")) }, healthcheck.TypeHTTP, statusNoStatus},
		{"half a header section", func(t *testing.T) string { return rawServer(t, stall("HTTP/1.1 200 OK\r\nX-A: b\r\n")) }, healthcheck.TypeHTTP, statusNoStatus},
		{"https accepts and never answers", func(t *testing.T) string { return rawServer(t, stall("")) }, healthcheck.TypeHTTPS, statusNoStatus},
		{"body stalls", func(t *testing.T) string {
			return rawServer(t, stall("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nnot yet"))
		}, healthcheck.TypeHTTPStrMatch, "Failure: HTTP Status Code 200, OK. The response body did not arrive within the timeout after the status code."},
		{"tcp connect timeout", blackhole, healthcheck.TypeTCP, statusTimeout},
		{"tcp refused", refused, healthcheck.TypeTCP, statusRefused},
	}
	for _, path := range probePaths(t) {
		for _, tt := range tests {
			t.Run(path.name+"/"+tt.name, func(t *testing.T) {
				c := httpCheck(t, tt.typ, tt.addr(t))
				c.SearchString = "needle"
				if !path.takes(c) {
					t.Skip("not a probe of this path")
				}
				start := time.Now()
				r := path.probe(t, c)
				if r.Healthy || r.Status != tt.status {
					t.Errorf("got %v %q, want failure %q", r.Healthy, r.Status, tt.status)
				}
				// The status and connect limits are 300 ms.
				if d := time.Since(start); d > time.Second || (tt.status != statusRefused && d < 250*time.Millisecond) {
					t.Errorf("probe took %v", d)
				}
				if !r.Source.IsLoopback() {
					t.Errorf("source %v", r.Source)
				}
			})
		}
	}
}

func TestTCPProbe(t *testing.T) {
	for _, path := range probePaths(t) {
		t.Run(path.name, func(t *testing.T) {
			var sent atomic.Int32
			addr := rawServer(t, func(c net.Conn) {
				c.SetReadDeadline(time.Now().Add(time.Second))
				buf := make([]byte, 16)
				n, _ := c.Read(buf)
				sent.Add(int32(n))
			})
			r := path.probe(t, httpCheck(t, healthcheck.TypeTCP, addr))
			if !r.Healthy || r.Status != "Success: TCP connection established" || r.Source != netip.MustParseAddr("127.0.0.1") {
				t.Errorf("got %+v", r)
			}
			time.Sleep(50 * time.Millisecond)
			if n := sent.Load(); n != 0 {
				t.Errorf("TCP probe sent %d bytes", n)
			}
		})
	}
}

func TestFQDNResolution(t *testing.T) {
	hosts := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hosts <- r.Host }))
	defer srv.Close()
	_, port := hostPort(t, srv.Listener.Addr().String())
	res := dnsServer(t, map[string]string{"app.test.": "127.0.0.1", "v6only.test.": ""})
	p := NewProber(Config{Timeouts: fastTimeouts}, res)
	tests := []struct {
		fqdn    string
		typ     string
		healthy bool
		status  string
	}{
		{"app.test", healthcheck.TypeHTTP, true, "Success: HTTP Status Code 200, OK"},
		{"APP.test.", healthcheck.TypeTCP, true, statusTCPSuccess},
		{"missing.test", healthcheck.TypeHTTP, false, "Failure: DNS resolution failed for missing.test: "},
		{"v6only.test", healthcheck.TypeTCP, false, "Failure: DNS resolution failed for v6only.test: "},
	}
	for _, tt := range tests {
		t.Run(tt.fqdn, func(t *testing.T) {
			r := p.Probe(context.Background(), healthcheck.Config{Type: tt.typ, FullyQualifiedDomainName: tt.fqdn, Port: ptr(port)})
			if r.Healthy != tt.healthy || !strings.HasPrefix(r.Status, tt.status) {
				t.Errorf("got %v %q, want %v %q…", r.Healthy, r.Status, tt.healthy, tt.status)
			}
		})
	}
	if h := <-hosts; h != fmt.Sprintf("app.test:%d", port) {
		t.Errorf("Host = %q", h)
	}
}
