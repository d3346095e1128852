//go:build linux

package health

import (
	"testing"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// loopPath probes through a probe loop of the test's own, with
// fastTimeouts.
func loopPath(t *testing.T) (probePath, bool) {
	t.Helper()
	tm := fastTimeouts.withDefaults()
	l, err := newProbeLoop(&tm, nil)
	if err != nil {
		t.Fatalf("probe loop: %v", err)
	}
	t.Cleanup(l.close)
	return probePath{name: "loop", loop: true, probe: func(t *testing.T, c healthcheck.Config) Result {
		t.Helper()
		ep := newEndpoint(&c)
		if !ep.loopable() {
			t.Fatalf("the loop does not take %s checks of %q", c.Type, c.IPAddress)
		}
		r, ok := l.probe(ep)
		if !ok {
			t.Fatal("probe loop closed")
		}
		return r
	}}, true
}
