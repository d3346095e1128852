package health

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

func encode(t *testing.T, enc string, body []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	var w io.WriteCloser
	switch enc {
	case "":
		return body
	case "gzip":
		w = gzip.NewWriter(&b)
	case "deflate":
		w = zlib.NewWriter(&b)
	case "raw-deflate":
		fw, err := flate.NewWriter(&b, flate.DefaultCompression)
		if err != nil {
			t.Fatal(err)
		}
		w = fw
	}
	if _, err := w.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestStringMatchWindow(t *testing.T) {
	const needle = "NEEDLE"
	// end is the offset just past the needle's last byte: it must be at
	// most 5,120 for the needle to lie entirely in the window.
	for _, enc := range []string{"", "gzip", "deflate", "raw-deflate"} {
		for _, end := range []int{len(needle), 5119, 5120, 5121, 9000} {
			t.Run(fmt.Sprintf("%s/%d", enc, end), func(t *testing.T) {
				body := []byte(strings.Repeat("a", end-len(needle)) + needle + strings.Repeat("b", 3000))
				wire := encode(t, enc, body)
				header := strings.TrimPrefix(enc, "raw-")
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if header != "" {
						w.Header().Set("Content-Encoding", header)
					}
					w.Write(wire)
				}))
				defer srv.Close()
				c := httpCheck(t, healthcheck.TypeHTTPStrMatch, srv.Listener.Addr().String())
				c.SearchString = needle
				r := fastProber().Probe(context.Background(), c)
				want := end <= matchWindow
				if r.Healthy != want {
					t.Errorf("healthy = %v (%q), want %v", r.Healthy, r.Status, want)
				}
				wantText := "Success: HTTP Status Code 200, OK. Found the search string in the first 5,120 bytes of the response body."
				if !want {
					wantText = "Failure: HTTP Status Code 200, OK. Did not find the search string in the first 5,120 bytes of the response body."
				}
				if r.Status != wantText {
					t.Errorf("status %q", r.Status)
				}
			})
		}
	}
}

func TestStringMatchCases(t *testing.T) {
	tests := []struct {
		name, resp, search string
		healthy            bool
		status             string
	}{
		{"found before the body stalls", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello ready", "ready", true,
			"Success: HTTP Status Code 200, OK. Found the search string in the first 5,120 bytes of the response body."},
		{"case sensitive", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nREADY", "ready", false,
			"Failure: HTTP Status Code 200, OK. Did not find the search string in the first 5,120 bytes of the response body."},
		{"bad status skips the body", "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\nready", "ready", false,
			"Failure: HTTP Status Code 500, Internal Server Error"},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nrea\r\n2\r\ndy\r\n0\r\n\r\n", "ready", true,
			"Success: HTTP Status Code 200, OK. Found the search string in the first 5,120 bytes of the response body."},
		{"corrupt gzip", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\nnot gzip at all", "ready", false,
			"Failure: HTTP Status Code 200, OK. Could not read the response body: gzip: invalid header"},
		{"empty body", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "ready", false,
			"Failure: HTTP Status Code 200, OK. Did not find the search string in the first 5,120 bytes of the response body."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := rawServer(t, stall(tt.resp))
			c := httpCheck(t, healthcheck.TypeHTTPStrMatch, addr)
			c.SearchString = tt.search
			r := fastProber().Probe(context.Background(), c)
			if r.Healthy != tt.healthy || r.Status != tt.status {
				t.Errorf("got %v %q, want %v %q", r.Healthy, r.Status, tt.healthy, tt.status)
			}
		})
	}
}

// tlsServer starts an HTTPS server with a certificate for certName that
// records the SNI of every ClientHello and the Host of every request. With
// requireSNI it refuses handshakes without SNI.
func tlsServer(t *testing.T, certName string, requireSNI bool) (srv *httptest.Server, snis func() []string, hosts chan string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	hosts = make(chan string, 4)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hosts <- r.Host
		io.WriteString(w, "service ready")
	}))
	srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{selfSigned(t, certName)},
		GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
			mu.Lock()
			seen = append(seen, h.ServerName)
			mu.Unlock()
			if requireSNI && h.ServerName == "" {
				return nil, fmt.Errorf("SNI required")
			}
			return nil, nil
		},
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}, hosts
}

func TestHTTPSAndSNI(t *testing.T) {
	tests := []struct {
		name       string
		certName   string
		requireSNI bool
		enableSNI  bool
		typ        string
		wantSNIs   []string
		healthy    bool
		status     string
	}{
		{"sni, certificate names the fqdn", "app.test", false, true, healthcheck.TypeHTTPS, []string{"app.test"}, true, "Success: HTTP Status Code 200, OK"},
		{"sni, certificate for another name: retry without", "other.test", false, true, healthcheck.TypeHTTPS, []string{"app.test", ""}, true, "Success: HTTP Status Code 200, OK"},
		{"no sni", "other.test", false, false, healthcheck.TypeHTTPS, []string{""}, true, "Success: HTTP Status Code 200, OK"},
		{"retry without sni fails the handshake", "other.test", true, true, healthcheck.TypeHTTPS, []string{"app.test", ""}, false, "Failure: The TLS handshake failed: "},
		{"string match over https", "app.test", false, true, healthcheck.TypeHTTPSStrMatch, []string{"app.test"}, true, "Success: HTTP Status Code 200, OK. Found the search string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, snis, hosts := tlsServer(t, tt.certName, tt.requireSNI)
			c := httpCheck(t, tt.typ, srv.Listener.Addr().String())
			c.FullyQualifiedDomainName = "app.test"
			c.EnableSNI = ptr(tt.enableSNI)
			c.SearchString = "ready"
			r := fastProber().Probe(context.Background(), c)
			if r.Healthy != tt.healthy || !strings.HasPrefix(r.Status, tt.status) {
				t.Errorf("got %v %q, want %v %q…", r.Healthy, r.Status, tt.healthy, tt.status)
			}
			if got := snis(); fmt.Sprint(got) != fmt.Sprint(tt.wantSNIs) {
				t.Errorf("SNIs = %q, want %q", got, tt.wantSNIs)
			}
			if tt.healthy {
				_, port := hostPort(t, srv.Listener.Addr().String())
				if h := <-hosts; h != fmt.Sprintf("app.test:%d", port) {
					t.Errorf("Host = %q", h)
				}
			}
		})
	}
}
