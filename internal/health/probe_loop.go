package health

import "github.com/meridian-gtm/meridian/internal/healthcheck"

// fastPath runs the probes of plain endpoints (see endpoint.loopable)
// without a goroutine and a net.Conn each: on Linux, one event loop over
// non-blocking sockets. Results mean what the goroutine path's mean.
type fastPath interface {
	// submit starts a probe of ep for c; its result goes to the path's
	// sink. false: the path takes no probes (it failed or was closed) and
	// the caller probes on its own.
	submit(ep *endpoint, c *checker) bool
	// cancel aborts the probes in flight and every later one, promptly;
	// their results still reach the sink.
	cancel()
	// close cancels, waits for the loop to end and releases its
	// descriptors.
	close()
}

// probeDone is a finished probe of a fastPath.
type probeDone struct {
	c   *checker
	res Result
}

// loopable reports whether the fast path can probe e: plain HTTP (no TLS,
// no string match) or TCP to a configured IP address (no name to resolve).
func (e *endpoint) loopable() bool {
	if !e.ip.IsValid() || e.ip.Zone() != "" || e.port <= 0 || e.port > 65535 {
		return false
	}
	return e.typ == healthcheck.TypeHTTP || e.typ == healthcheck.TypeTCP
}
