package health

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"strings"
)

// matchWindow is how much of the (decoded) body the search string must lie
// in: spec 3.1's first 5,120 bytes.
const matchWindow = 5120

// matchBody reads up to the first 5,120 decoded bytes of the body and looks
// for search entirely inside them. gzip and deflate (zlib-wrapped or raw)
// bodies are decoded first; other encodings are searched as they are. The
// read stops as soon as the string is found. status is the status-line
// text the result builds on.
func matchBody(resp *http.Response, search, status string, src netip.Addr) Result {
	// The texts after the HTTP status are Meridian's wording.
	fail := "Failure" + strings.TrimPrefix(status, "Success") + ". "
	found := Result{Healthy: true, Status: status + ". Found the search string in the first 5,120 bytes of the response body.", Source: src}
	notFound := failure(fail+"Did not find the search string in the first 5,120 bytes of the response body.", src)
	readErr := func(err error) Result {
		switch {
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return notFound
		case isTimeout(err):
			return failure(fail+"The response body did not arrive within the timeout after the status code.", src)
		}
		return failure(fail+"Could not read the response body: "+err.Error(), src)
	}
	if search == "" {
		return found
	}
	body, err := decodedBody(resp)
	if err != nil {
		return readErr(err)
	}
	buf := make([]byte, matchWindow)
	got := 0
	needle := []byte(search)
	for got < matchWindow {
		n, err := body.Read(buf[got:])
		from := max(0, got-len(needle)+1)
		got += n
		if bytes.Contains(buf[from:got], needle) {
			return found
		}
		if err != nil {
			return readErr(err)
		}
	}
	return notFound
}

// decodedBody returns a reader of the body with its gzip or deflate
// content encoding removed.
func decodedBody(resp *http.Response) (io.Reader, error) {
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch enc {
	case "gzip", "x-gzip":
		return gzip.NewReader(resp.Body)
	case "deflate":
		// RFC 9110's deflate is zlib-wrapped; many servers send raw
		// DEFLATE. A zlib header is a CMF byte with method 8 and a CMF/FLG
		// pair divisible by 31.
		br := bufio.NewReader(resp.Body)
		h, err := br.Peek(2)
		if err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
			return zlib.NewReader(br)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		return flate.NewReader(br), nil
	}
	return resp.Body, nil
}
