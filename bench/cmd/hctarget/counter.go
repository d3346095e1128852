package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// counter counts requests per health check index and answers each with 200.
type counter struct {
	perCheck []atomic.Uint32
	total    atomic.Uint64
	unknown  atomic.Uint64
}

func newCounter(checks int) *counter {
	return &counter{perCheck: make([]atomic.Uint32, checks)}
}

// body is every answer's body.
var body = []byte("ok\n")

// ServeHTTP counts the request under the index in its path /c/<index> and
// answers 200.
func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.total.Add(1)
	i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/c/"))
	if err != nil || !strings.HasPrefix(r.URL.Path, "/c/") || i < 0 || i >= len(c.perCheck) {
		c.unknown.Add(1)
	} else {
		c.perCheck[i].Add(1)
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// stats renders the counts as one line of key=value pairs.
func (c *counter) stats() string {
	distinct := 0
	lo, hi := uint32(0), uint32(0)
	for i := range c.perCheck {
		n := c.perCheck[i].Load()
		if n > 0 {
			distinct++
		}
		if i == 0 || n < lo {
			lo = n
		}
		hi = max(hi, n)
	}
	return fmt.Sprintf("requests=%d distinct=%d min=%d max=%d unknown=%d",
		c.total.Load(), distinct, lo, hi, c.unknown.Load())
}
