package health

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/netip"
)

// headCap is how many bytes of a response an HTTP probe reads at most
// while looking for the end of the header section: Route 53's header limit
// plus room for the status line and a read buffer.
const headCap = maxHeaderBytes + readBufSize + 1024

// errNeedMore ends the bytes handed to readHead: the head is not complete.
var errNeedMore = errors.New("response head incomplete")

// headFailure is the failure status of reading a response head with
// http.ReadResponse: the error's, or the header limit's when the head read
// (consumed bytes, status line included) is too large; "" when the head is
// fine.
func headFailure(resp *http.Response, err error, consumed int64) string {
	if err != nil {
		switch {
		case errors.Is(err, errHeaderTooLarge):
			return statusHeaderTooLarge
		case isTimeout(err):
			return statusNoStatus
		}
		// Meridian's wording.
		return "Failure: The endpoint did not return a valid HTTP response: " + err.Error()
	}
	statusLine := len(resp.Proto) + 1 + len(resp.Status) + 2
	if consumed-int64(statusLine) > maxHeaderBytes {
		return statusHeaderTooLarge
	}
	return ""
}

// statusResult is the result of a response head with the given code and
// reason phrase: 2xx and 3xx are healthy.
func statusResult(code int, reason string, src netip.Addr) Result {
	ok := code >= 200 && code < 400
	return Result{Healthy: ok, Status: httpStatusText(ok, code, reason), Source: src}
}

// tailReader reads b, then fails with err, and with then at every later
// read.
type tailReader struct {
	b         []byte
	err, then error
}

func (t *tailReader) Read(p []byte) (int, error) {
	if len(t.b) == 0 {
		err := t.err
		t.err = t.then
		return 0, err
	}
	n := copy(p, t.b)
	t.b = t.b[n:]
	return n, nil
}

// readHead judges the bytes b of a response that then ended with tail (the
// connection's error: io.EOF, a timeout, errHeaderTooLarge at the cap, or
// errNeedMore when more may come) exactly as an HTTP probe's reading with
// http.ReadResponse does. decided is false when net/http needs the bytes
// after b (tail is errNeedMore).
func readHead(b []byte, tail error, src netip.Addr) (r Result, decided bool) {
	return readHeadThen(b, tail, tail, src)
}

// readHeadThen is readHead for a connection whose reads fail with tail
// once and with then after that, as a socket's after a reset.
func readHeadThen(b []byte, tail, then error, src netip.Addr) (r Result, decided bool) {
	lr := &capReader{r: &tailReader{b: b, err: tail, then: then}, left: headCap}
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(lr)
	defer func() {
		br.Reset(nil)
		readerPool.Put(br)
	}()
	resp, err := http.ReadResponse(br, nil)
	if err != nil && errors.Is(err, errNeedMore) {
		return Result{}, false
	}
	var consumed int64
	if err == nil {
		consumed = lr.read - int64(br.Buffered())
	}
	if f := headFailure(resp, err, consumed); f != "" {
		return failure(f, src), true
	}
	return statusResult(resp.StatusCode, reasonPhrase(resp.Status), src), true
}

// headScan reads a response head incrementally, line by line, without
// allocating. It decides plain heads itself (an HTTP/1.0 or 1.1 status
// line with a three-digit code, header fields that net/http takes as they
// are) and hands any other head to readHead, so that every verdict is the
// one http.ReadResponse gives. Offsets refer to the bytes of the response
// from its first byte; each call passes all bytes read so far.
type headScan struct {
	next    int  // offset of the first line not yet scanned
	from    int  // offset where the search for the next line end resumes
	status  bool // the status line is scanned
	est     int  // the status line's length as httpOnce estimates it
	code    int
	rs, re  int  // the reason phrase
	http11  bool // the version is HTTP/1.1
	cls     int  // the first Content-Length value; 0: none
	cle     int  // its end
	te      bool // a Transfer-Encoding field was seen
	odd     bool // net/http decides the head
	suspect bool // an odd header field awaits an early check
	checks  int  // early checks run
	end     int  // offset after the blank line; 0 until seen
}

// maxEarlyChecks bounds the early checks of one response, so that an
// endpoint trickling odd header fields costs little; the verdict then
// waits for the end of the head.
const maxEarlyChecks = 4

// headStep is what a scan found.
type headStep int

const (
	headMore  headStep = iota // the head goes on
	headEnd                   // the head ends at headScan.end
	headCheck                 // net/http may reject b[:headScan.next] already
)

// scan scans the complete lines of b it has not seen.
func (s *headScan) scan(b []byte) headStep {
	for s.end == 0 {
		// An odd field is judged once the next line shows that it is not
		// continued.
		if s.suspect && s.next < len(b) && b[s.next] != ' ' && b[s.next] != '\t' {
			s.suspect = false
			if s.checks < maxEarlyChecks {
				s.checks++
				return headCheck
			}
		}
		i := bytes.IndexByte(b[s.from:], '\n')
		if i < 0 {
			s.from = len(b)
			break
		}
		start, stop := s.next, s.from+i
		s.next, s.from = stop+1, stop+1
		if stop > start && b[stop-1] == '\r' {
			stop--
		}
		if !s.status {
			s.status = true
			if !s.statusLine(b, start, stop) {
				s.odd = true
				// net/http judges the status line before reading on.
				return headCheck
			}
			continue
		}
		if stop == start {
			s.end = s.next
			break
		}
		if !s.field(b, start, stop) {
			s.odd, s.suspect = true, true
		}
	}
	if s.end > 0 {
		return headEnd
	}
	return headMore
}

// statusLine scans a status line "HTTP/1.x NNN reason"; false: not plain.
func (s *headScan) statusLine(b []byte, start, stop int) bool {
	line := b[start:stop]
	const v = len("HTTP/1.1")
	if len(line) < v+1 || line[v] != ' ' || !bytes.HasPrefix(line, []byte("HTTP/1.")) || (line[v-1] != '0' && line[v-1] != '1') {
		return false
	}
	s.http11 = line[v-1] == '1'
	i := v + 1
	for i < len(line) && line[i] == ' ' {
		i++
	}
	status := line[i:] // net/http's Response.Status
	if len(status) < 3 || !isDigit(status[0]) || !isDigit(status[1]) || !isDigit(status[2]) || (len(status) > 3 && status[3] != ' ') {
		return false
	}
	s.code = int(status[0]-'0')*100 + int(status[1]-'0')*10 + int(status[2]-'0')
	s.est = v + 1 + len(status) + 2
	s.rs, s.re = start+i+3, start+i+3
	if len(status) > 3 {
		// TrimSpace returns a subslice: its offset is the difference
		// of the capacities.
		x := status[4:]
		if r := bytes.TrimSpace(x); len(r) > 0 {
			s.rs = start + i + 4 + cap(x) - cap(r)
			s.re = s.rs + len(r)
		}
	}
	return true
}

// field scans a header field line; false: net/http must judge it (a
// continuation, bytes it may refuse, a Content-Length or
// Transfer-Encoding it may refuse, Trailer).
func (s *headScan) field(b []byte, start, stop int) bool {
	line := b[start:stop]
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return false
	}
	key, val := line[:colon], line[colon+1:]
	for _, c := range key {
		if !isTokenByte(c) {
			return false
		}
	}
	for _, c := range val {
		if !isFieldByte(c) {
			return false
		}
	}
	switch {
	case equalFoldASCII(key, "Content-Length"):
		lo, hi := trimBlank(val)
		if hi-lo == 0 || hi-lo > 18 {
			return false
		}
		for _, c := range val[lo:hi] {
			if !isDigit(c) {
				return false
			}
		}
		vs := start + colon + 1 + lo
		ve := vs + hi - lo
		if s.cls == 0 {
			s.cls, s.cle = vs, ve
			return true
		}
		return bytes.Equal(b[s.cls:s.cle], b[vs:ve])
	case equalFoldASCII(key, "Transfer-Encoding"):
		if !s.http11 {
			return true // ignored in HTTP/1.0
		}
		lo, hi := trimBlank(val)
		if s.te || !equalFoldASCII(val[lo:hi], "chunked") {
			return false
		}
		s.te = true
	case equalFoldASCII(key, "Trailer"):
		return false
	}
	return true
}

// result is the verdict of a plain head that ends at s.end.
func (s *headScan) result(b []byte, src netip.Addr) Result {
	if s.end-s.est > maxHeaderBytes {
		return failure(statusHeaderTooLarge, src)
	}
	reason := ""
	if r := b[s.rs:s.re]; len(r) > 0 {
		if std := http.StatusText(s.code); string(r) == std {
			reason = std
		} else {
			reason = string(r)
		}
	}
	return statusResult(s.code, reason, src)
}

// decideHead scans b, all bytes of a response read so far (at most
// headCap), and returns the probe's result once the bytes decide it.
func decideHead(s *headScan, b []byte, src netip.Addr) (Result, bool) {
	for {
		switch s.scan(b) {
		case headCheck:
			if r, ok := readHead(b[:s.next], errNeedMore, src); ok {
				return r, true
			}
		case headEnd:
			if !s.odd {
				return s.result(b, src), true
			}
			if r, ok := readHead(b, errNeedMore, src); ok {
				return r, true
			}
			// Unreachable with a complete head; decide all the same.
			r, _ := readHead(b, io.ErrUnexpectedEOF, src)
			return r, true
		default:
			if len(b) >= headCap {
				r, _ := readHead(b, errHeaderTooLarge, src)
				return r, true
			}
			return Result{}, false
		}
	}
}

// trimBlank returns the bounds of v without leading and trailing spaces
// and tabs.
func trimBlank(v []byte) (lo, hi int) {
	lo, hi = 0, len(v)
	for lo < hi && (v[lo] == ' ' || v[lo] == '\t') {
		lo++
	}
	for hi > lo && (v[hi-1] == ' ' || v[hi-1] == '\t') {
		hi--
	}
	return lo, hi
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isTokenByte reports whether c may appear in a header field name (RFC
// 9110 tchar).
func isTokenByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', isDigit(c):
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// isFieldByte reports whether c may appear in a header field value (RFC
// 9110: visible characters, space, tab and obs-text).
func isFieldByte(c byte) bool {
	return c == '\t' || (c >= ' ' && c != 0x7f)
}

// equalFoldASCII reports whether b equals s ignoring ASCII case.
func equalFoldASCII(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
