package health

import (
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// trickle reads the request and writes resp in pieces of n bytes, with a
// pause after each.
func trickle(resp string, n int) func(c net.Conn) {
	return func(c net.Conn) {
		readRequest(c)
		for rest := resp; len(rest) > 0; {
			k := min(n, len(rest))
			if _, err := io.WriteString(c, rest[:k]); err != nil {
				return
			}
			rest = rest[k:]
			time.Sleep(time.Millisecond)
		}
	}
}

// resetAfter reads the request, writes prefix and resets the connection.
func resetAfter(prefix string) func(c net.Conn) {
	return func(c net.Conn) {
		readRequest(c)
		io.WriteString(c, prefix)
		time.Sleep(10 * time.Millisecond)
		c.(*net.TCPConn).SetLinger(0)
	}
}

var ports = regexp.MustCompile(`:\d+`)

// TestProbePathsAgree: the probe loop and the goroutine path reach the
// same result for the same endpoint behaviour.
func TestProbePathsAgree(t *testing.T) {
	long := "HTTP/1.1 200 OK\r\nX-A: " + strings.Repeat("b", 3000) + "\r\nContent-Length: 2\r\n\r\nok"
	tests := []struct {
		name   string
		handle func(c net.Conn)
		status string // the result's status, ports as ":P"
		racy   bool   // the paths may see different errors of the same kind
	}{
		{"200 with a body", respond("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), "Success: HTTP Status Code 200, OK", false},
		{"404 without reason", respond("HTTP/1.0 404\r\n\r\n"), "Failure: HTTP Status Code 404, Not Found", false},
		{"split into bytes", trickle("HTTP/1.1 503 Slow Down\r\nContent-Length: 0\r\nX-Y: z\r\n\r\n", 1), "Failure: HTTP Status Code 503, Slow Down", false},
		{"split into pieces", trickle(long, 700), "Success: HTTP Status Code 200, OK", false},
		{"garbage", respond("SSH-2.0-OpenSSH_9.6\r\n"), `Failure: The endpoint did not return a valid HTTP response: malformed HTTP response "SSH-2.0-OpenSSH_9.6"`, false},
		{"garbage then stall", stall("garbage\r\n"), `Failure: The endpoint did not return a valid HTTP response: malformed HTTP response "garbage"`, false},
		{"bad status code then stall", stall("HTTP/1.1 2xx OK\r\n"), `Failure: The endpoint did not return a valid HTTP response: malformed HTTP status code "2xx"`, false},
		{"bad field then stall", stall("HTTP/1.1 200 OK\r\nno colon\r\nA: b\r\n"), `Failure: The endpoint did not return a valid HTTP response: malformed MIME header: missing colon: "no colon"`, false},
		{"continued field", respond("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n"), "Success: HTTP Status Code 200, OK", false},
		{"bad content length", respond("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"), `Failure: The endpoint did not return a valid HTTP response: bad Content-Length "-1"`, false},
		{"close without a response", func(c net.Conn) { readRequest(c) }, "Failure: The endpoint did not return a valid HTTP response: unexpected EOF", false},
		// The request may meet the closed socket (a reset) or not.
		{"close before the request", func(c net.Conn) {}, "Failure: The endpoint did not return a valid HTTP response: ", true},
		{"close mid-head", respond("HTTP/1.1 200 OK\r\nA: b\r\n"), "Failure: The endpoint did not return a valid HTTP response: unexpected EOF", false},
		{"status line without end, then close", respond("HTTP/1.1 301 Moved"), "Failure: The endpoint did not return a valid HTTP response: unexpected EOF", false},
		{"partial status line, then stall", stall("HTTP/1.1 200 OK"), statusNoStatus, false},
		// net/http's reading passes over the reset and then meets the end.
		{"reset mid-head", resetAfter("HTTP/1.1 200 OK\r\n"), "Failure: The endpoint did not return a valid HTTP response: unexpected EOF", false},
		{"reset mid-line", resetAfter("HTTP/1.1 200 OK\r\nA: b"), "Failure: The endpoint did not return a valid HTTP response: unexpected EOF", false},
	}
	paths := probePaths(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := rawServer(t, tt.handle)
			c := httpCheck(t, healthcheck.TypeHTTP, addr)
			var first Result
			for i, path := range paths {
				r := path.probe(t, c)
				r.Status = ports.ReplaceAllString(r.Status, ":P")
				if tt.racy && strings.HasPrefix(r.Status, tt.status) {
					continue
				}
				if r.Status != tt.status || r.Healthy != strings.HasPrefix(tt.status, "Success") {
					t.Errorf("%s: %v %q, want %q", path.name, r.Healthy, r.Status, tt.status)
				}
				if i == 0 {
					first = r
				} else if r != first {
					t.Errorf("%s: %+v, %s %+v", path.name, r, paths[0].name, first)
				}
			}
		})
	}
}
