package health

import (
	"io"
	"net/netip"
	"strings"
	"testing"
)

var testSrc = netip.MustParseAddr("127.0.0.1")

// feedHead hands data to the head scanner in chunks of size step (at most
// headCap bytes in all, as the loop reads), then ends it with EOF. It
// returns the result and whether the bytes decided it before the end.
func feedHead(data []byte, step int) (r Result, early bool) {
	if len(data) > headCap {
		data = data[:headCap]
	}
	var s headScan
	for n := min(step, len(data)); ; n = min(n+step, len(data)) {
		if r, ok := decideHead(&s, data[:n], testSrc); ok {
			return r, true
		}
		if n == len(data) {
			break
		}
	}
	r, _ = readHead(data, io.EOF, testSrc)
	return r, false
}

// netHTTPHead is how the goroutine path judges a response made of data
// and then the end of the connection.
func netHTTPHead(data []byte) Result {
	r, _ := readHead(data, io.EOF, testSrc)
	return r
}

func TestHeadScan(t *testing.T) {
	pad := func(n int) string { return "X-Pad: " + strings.Repeat("a", n) + "\r\n" }
	tests := []struct {
		name   string
		resp   string
		early  bool // decided before EOF
		plain  bool // no line needed net/http
		status string
	}{
		{"200", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true, true, "Success: HTTP Status Code 200, OK"},
		{"no reason", "HTTP/1.1 200\r\n\r\n", true, true, "Success: HTTP Status Code 200, OK"},
		{"own reason", "HTTP/1.0 503  Busy Now \r\n\r\nbody", true, true, "Failure: HTTP Status Code 503, Busy Now"},
		{"301", "HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\n\r\n", true, true, "Success: HTTP Status Code 301, Moved Permanently"},
		{"404 bare LF", "HTTP/1.1 404 Not Found\nA: b\n\n", true, true, "Failure: HTTP Status Code 404, Not Found"},
		{"unknown code", "HTTP/1.1 299 \r\n\r\n", true, true, "Success: HTTP Status Code 299"},
		{"http 2.0 line", "HTTP/2.0 200 OK\r\n\r\n", true, false, "Success: HTTP Status Code 200, OK"},
		{"signed code", "HTTP/1.1 +99 X\r\n\r\n", true, false, "Failure: HTTP Status Code 99, X"},
		{"garbage", "garbage\r\n", true, false, "Failure: The endpoint did not return a valid HTTP response: malformed HTTP response \"garbage\""},
		{"bad code", "HTTP/1.1 2000 OK\r\n", true, false, "Failure: The endpoint did not return a valid HTTP response: malformed HTTP status code \"2000\""},
		{"bad version", "HTTP/1.x 200 OK\r\n", true, false, "Failure: The endpoint did not return a valid HTTP response: malformed HTTP version \"HTTP/1.x\""},
		{"missing colon", "HTTP/1.1 200 OK\r\nnocolon\r\nA: b\r\n", true, false, "Failure: The endpoint did not return a valid HTTP response: malformed MIME header: missing colon: \"nocolon\""},
		{"continued field", "HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", true, false, "Success: HTTP Status Code 200, OK"},
		{"bad content length", "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", true, false, "Failure: The endpoint did not return a valid HTTP response: bad Content-Length \"x\""},
		{"two content lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\ncontent-length: 2\r\n\r\n", true, false, "Failure: The endpoint did not return a valid HTTP response: http: message cannot contain multiple Content-Length headers; got [\"1\" \"2\"]"},
		{"same content lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\ncontent-length:  1\r\n\r\n", true, true, "Success: HTTP Status Code 200, OK"},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n", true, true, "Success: HTTP Status Code 200, OK"},
		{"gzip coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", true, false, "Failure: The endpoint did not return a valid HTTP response: unsupported transfer encoding: \"gzip\""},
		{"empty", "", false, false, "Failure: The endpoint did not return a valid HTTP response: unexpected EOF"},
		{"status line only", "HTTP/1.1 200 OK\r\n", false, false, "Failure: The endpoint did not return a valid HTTP response: unexpected EOF"},
		{"no line end", "HTTP/1.1 200 OK", false, false, "Failure: The endpoint did not return a valid HTTP response: unexpected EOF"},
		{"headers 16384", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" + pad(16384-30) + "\r\n", true, true, "Success: HTTP Status Code 200, OK"},
		{"headers 16385", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" + pad(16384-29) + "\r\n", true, true, statusHeaderTooLarge},
		{"headers beyond the cap", "HTTP/1.1 200 OK\r\n" + pad(30000) + "\r\n", true, true, statusHeaderTooLarge},
		{"long status line", "HTTP/1.1 200 " + strings.Repeat("r", 5000) + "\r\n\r\n", true, true, "Success: HTTP Status Code 200, " + strings.Repeat("r", 5000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := netHTTPHead([]byte(tt.resp))
			if want.Status != tt.status {
				t.Fatalf("net/http says %q, table %q", want.Status, tt.status)
			}
			for _, step := range []int{1, 7, len(tt.resp) + 1} {
				r, early := feedHead([]byte(tt.resp), step)
				if r != want || early != tt.early {
					t.Errorf("step %d: %+v early=%v, want %+v early=%v", step, r, early, want, tt.early)
				}
			}
			var s headScan
			b := []byte(tt.resp)
			if len(b) > headCap {
				b = b[:headCap]
			}
			if _, ok := decideHead(&s, b, testSrc); ok && s.odd == tt.plain {
				t.Errorf("plain = %v, want %v", !s.odd, tt.plain)
			}
		})
	}
}

// TestHeadScanNoAllocs: a plain head with a standard reason phrase is
// judged without allocating.
func TestHeadScanNoAllocs(t *testing.T) {
	b := []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok")
	httpStatusText(true, 200, "OK") // cache the text
	allocs := testing.AllocsPerRun(100, func() {
		var s headScan
		if r, ok := decideHead(&s, b, testSrc); !ok || !r.Healthy {
			t.Fatalf("%+v %v", r, ok)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per head", allocs)
	}
}

// FuzzStatusLine checks the loop's head scanner against net/http: fed in
// any chunks, it reaches the verdict the goroutine path reaches with
// http.ReadResponse, and decides early only when those bytes decide it.
func FuzzStatusLine(f *testing.F) {
	seeds := []string{
		"HTTP/1.1 200 OK\r\n\r\n",
		"HTTP/1.0 404\r\nServer: x\r\n\r\n",
		"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 3\r\n\r\nbad",
		"HTTP/1.1  302 Found \r\nLocation: /\r\n\r\n",
		"HTTP/1.1 200 \xc2\x85\x85\r\n\r\n",
		"HTTP/1.1 200 OK\r\nA: b\r\n\tc\r\n\r\n",
		"HTTP/1.1 200 OK\r\n A: b\r\n\r\n",
		"HTTP/1.1 200 OK\r\nA : b\r\n\r\n",
		"HTTP/1.1 200 OK\r\nA: b\r\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 01\r\nContent-Length: 1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X\r\n\r\n",
		"HTTP/1.0 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
		"HTTP/9.9 200 OK\r\n\r\n",
		"HTTP/1.1 -12 x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: \x01\r\n\r\n",
		"HTTP/1.1 200 OK\n\r\n",
		"\r\n",
		"ICY 200 OK\r\n\r\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s), uint8(1))
		f.Add([]byte(s), uint8(200))
	}
	f.Fuzz(func(t *testing.T, data []byte, step uint8) {
		want := netHTTPHead(data)
		r, early := feedHead(data, int(step)+1)
		if r != want {
			t.Fatalf("%q in steps of %d: %+v, net/http %+v", data, int(step)+1, r, want)
		}
		if early {
			// The bytes that decided must decide whatever follows them.
			var s headScan
			for n := 1; n <= min(len(data), headCap); n++ {
				if got, ok := decideHead(&s, data[:n], testSrc); ok {
					if other := netHTTPHead(append(data[:n:n], "\r\nZ: z\r\n\r\n"...)); other != got && got.Status != statusHeaderTooLarge {
						t.Fatalf("%q decided at %d as %+v, but with more bytes net/http says %+v", data, n, got, other)
					}
					break
				}
			}
		}
	})
}
