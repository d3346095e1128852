package health

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"sync"
)

// Result is the outcome of one probe.
type Result struct {
	// Healthy is the probe's verdict.
	Healthy bool
	// Keep asks the checker to keep its current state (a CloudWatch alarm
	// with insufficient data and InsufficientDataHealthStatus
	// LastKnownStatus); Healthy is then the state of a checker with no
	// history.
	Keep bool
	// Status is the Route 53-style status text ("Success: …", "Failure: …").
	Status string
	// Source is the local address the probe used, when known.
	Source netip.Addr
}

// Status texts. Route 53 documents the HTTP status and connection
// timeout wordings (spec 3.3); the rest are Meridian's own, marked so.
const (
	// statusTimeout is Route 53's observed connection timeout text; the
	// "See" link is completed with the firewall-rules page of the guide.
	statusTimeout = "Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall. See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-router-firewall-rules.html"
	// statusTCPSuccess is Meridian's wording.
	statusTCPSuccess = "Success: TCP connection established"
	// statusRefused is Meridian's wording.
	statusRefused = "Failure: Connection refused. The endpoint is reachable but nothing accepts connections on the port."
	// statusNoStatus is Meridian's wording.
	statusNoStatus = "Failure: The endpoint did not return an HTTP status code within the timeout after the connection was established."
	// statusHeaderTooLarge is Meridian's wording.
	statusHeaderTooLarge = "Failure: The response headers are larger than 16,384 bytes."
	// statusDNSFailed is Route 53's "DNS resolution failed" with Meridian's
	// detail appended.
	statusDNSFailed = "Failure: DNS resolution failed"
)

// httpStatusText renders Route 53's "Success: HTTP Status Code 200, OK" /
// "Failure: HTTP Status Code 503, Service Unavailable". The reason is the
// endpoint's own reason phrase, or the standard one when it sent none.
// Texts with the standard phrase are shared, so that thousands of checkers
// do not each hold a copy.
func httpStatusText(ok bool, code int, reason string) string {
	if reason == "" {
		reason = http.StatusText(code)
	}
	standard := reason != "" && reason == http.StatusText(code)
	key := statusKey{ok, code}
	if standard {
		if s, found := statusTexts.Load(key); found {
			return s.(string)
		}
	}
	prefix := "Failure"
	if ok {
		prefix = "Success"
	}
	s := fmt.Sprintf("%s: HTTP Status Code %d", prefix, code)
	if reason != "" {
		s += ", " + reason
	}
	if standard {
		statusTexts.Store(key, s)
	}
	return s
}

type statusKey struct {
	ok   bool
	code int
}

// statusTexts caches the texts of standard status codes (statusKey →
// string); it holds at most one entry per known code.
var statusTexts sync.Map

// reasonPhrase extracts the reason phrase from a Go response status
// ("200 OK" → "OK").
func reasonPhrase(status string) string {
	_, r, _ := strings.Cut(status, " ")
	return strings.TrimSpace(r)
}

// failure returns an unhealthy result.
func failure(status string, src netip.Addr) Result {
	return Result{Status: status, Source: src}
}
