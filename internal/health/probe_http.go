package health

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// maxHeaderBytes is Route 53's limit on the response headers.
const maxHeaderBytes = 16384

// readBufSize is the size of the response reader's buffer.
const readBufSize = 4096

// errHeaderTooLarge ends reading a header section that cannot fit.
var errHeaderTooLarge = errors.New("response headers too large")

var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, readBufSize) }}

// probeHTTP runs an HTTP, HTTPS or string-match probe: a new connection,
// one GET of the resource path, no redirects followed. With EnableSNI the
// FQDN goes in the ClientHello; when the handshake fails or the certificate
// does not name the FQDN, the probe is retried once without SNI.
func (p *Prober) probeHTTP(ctx context.Context, e *endpoint) Result {
	addr, res := p.resolve(ctx, e)
	if res != nil {
		return *res
	}
	if e.tls && e.sni && e.fqdn != "" {
		r, retry := p.httpOnce(ctx, e, addr, e.fqdn)
		if !retry {
			return r
		}
	}
	r, _ := p.httpOnce(ctx, e, addr, "")
	return r
}

// httpOnce runs one attempt with the given SNI server name ("" sends none).
// retry reports a handshake or certificate-name failure with SNI.
func (p *Prober) httpOnce(ctx context.Context, e *endpoint, addr netip.Addr, sni string) (r Result, retry bool) {
	t := p.timeouts()
	conn, src, res := dial(ctx, addr, e.port, t.Connect)
	if res != nil {
		return *res, false
	}
	defer conn.Close()
	connected := time.Now()
	if err := conn.SetDeadline(connected.Add(t.Status)); err != nil {
		return failure("Failure: "+err.Error(), src), false
	}
	// Stop blocking reads and writes when the engine stops.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()

	var rw net.Conn = conn
	if e.tls {
		tc := tls.Client(conn, &tls.Config{
			ServerName:         sni,
			InsecureSkipVerify: true, // Route 53 does not validate certificates.
			MinVersion:         tls.VersionTLS10,
		})
		if err := tc.HandshakeContext(ctx); err != nil {
			if isTimeout(err) {
				return failure(statusNoStatus, src), false
			}
			if sni != "" {
				return Result{}, true
			}
			// Meridian's wording.
			return failure("Failure: The TLS handshake failed: "+err.Error(), src), false
		}
		if sni != "" {
			certs := tc.ConnectionState().PeerCertificates
			if len(certs) == 0 || certs[0].VerifyHostname(sni) != nil {
				return Result{}, true
			}
		}
		rw = tc
	}

	if _, err := io.WriteString(rw, requestText(e)); err != nil {
		if isTimeout(err) {
			return failure(statusNoStatus, src), false
		}
		// Meridian's wording.
		return failure("Failure: Could not send the request: "+err.Error(), src), false
	}

	lr := &capReader{r: rw, left: headCap}
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(lr)
	defer func() {
		br.Reset(nil)
		readerPool.Put(br)
	}()
	resp, err := http.ReadResponse(br, nil)
	// The body is not closed: closing drains it, which a stalling endpoint
	// would stretch to the deadline. Closing the connection ends it.
	statusAt := time.Now()
	var consumed int64
	if err == nil {
		consumed = lr.read - int64(br.Buffered())
	}
	if f := headFailure(resp, err, consumed); f != "" {
		return failure(f, src), false
	}
	lr.left = -1

	r = statusResult(resp.StatusCode, reasonPhrase(resp.Status), src)
	if !r.Healthy || !e.match {
		return r, false
	}
	if err := conn.SetDeadline(statusAt.Add(t.Body)); err != nil {
		return failure("Failure: "+err.Error(), src), false
	}
	return matchBody(resp, e.search, r.Status, src), false
}

// requestText is the probe's request: HTTP/1.1, Host per spec 3.1, and
// Connection: close since every probe uses a new connection.
func requestText(e *endpoint) string {
	return string(appendRequest(make([]byte, 0, 96+len(e.path)+len(e.host)), e))
}

// appendRequest appends the probe's request (requestText) to b.
func appendRequest(b []byte, e *endpoint) []byte {
	b = append(b, "GET "...)
	b = append(b, e.path...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, e.host...)
	return append(b, "\r\nUser-Agent: "+userAgent+"\r\nAccept: */*\r\nConnection: close\r\n\r\n"...)
}

// capReader fails reads past left bytes (negative: unlimited) and counts
// what it read.
type capReader struct {
	r    io.Reader
	left int64
	read int64
}

func (c *capReader) Read(b []byte) (int, error) {
	if c.left == 0 {
		return 0, errHeaderTooLarge
	}
	if c.left > 0 && int64(len(b)) > c.left {
		b = b[:c.left]
	}
	n, err := c.r.Read(b)
	c.read += int64(n)
	if c.left > 0 {
		c.left -= int64(n)
	}
	return n, err
}
