package health

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

var _ healthcheck.Observer = (*Engine)(nil)

// checkedTimeLayout is CheckedTime's format: RFC 3339 UTC with
// milliseconds.
const checkedTimeLayout = "2006-01-02T15:04:05.000Z"

// Observations returns every checker's latest report for a check, ordered
// by region and checker; nil for a check the engine does not know or that
// has no checkers (CALCULATED).
func (e *Engine) Observations(id string) []healthcheck.Observation {
	return e.observations(id, func(k *checker) observation { return k.last })
}

// LastFailures returns every checker's most recent failure report.
func (e *Engine) LastFailures(id string) []healthcheck.Observation {
	return e.observations(id, func(k *checker) observation { return k.lastFailure })
}

func (e *Engine) observations(id string, pick func(*checker) observation) []healthcheck.Observation {
	e.mu.Lock()
	defer e.mu.Unlock()
	c, ok := e.checks[id]
	if !ok {
		return nil
	}
	ks := slices.Clone(c.checkers)
	slices.SortFunc(ks, func(a, b *checker) int {
		return cmp.Or(cmp.Compare(a.region, b.region), cmp.Compare(a.slot, b.slot))
	})
	var out []healthcheck.Observation
	for _, k := range ks {
		o := pick(k)
		if !o.set() {
			continue
		}
		ip := ""
		if o.src.IsValid() {
			ip = o.src.String()
		}
		out = append(out, healthcheck.Observation{
			Region:      k.region,
			IPAddress:   ip,
			Status:      o.status,
			CheckedTime: o.at.UTC().Format(checkedTimeLayout),
		})
	}
	return out
}

// Status returns a check's final status and whether the engine knows it
// (RECOVERY_CONTROL checks and unknown IDs are not known; routing treats
// them as healthy).
func (e *Engine) Status(id string) (healthy bool, known bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.finalOf(id)
}

// CheckStatus is one check's state, for the CLI, dashboards and metrics.
type CheckStatus struct {
	ID       string
	Type     string
	Healthy  bool // final status, as routing sees it
	Known    bool // false for checks the engine does not evaluate
	Measured bool // before disabling and inversion
	// Settled is false while a new or changed check waits for its first
	// full round (its status is then the cold-start or previous one).
	Settled         bool
	Disabled        bool
	Inverted        bool
	Policy          Policy // aggregation of probing checks
	HealthyCheckers int    // checkers (children, for CALCULATED) saying healthy
	Checkers        int    // checkers (children, for CALCULATED)
	Since           time.Time
}

// Statuses returns every check's state, ordered by ID.
func (e *Engine) Statuses() []CheckStatus {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]CheckStatus, 0, len(e.checks))
	for _, id := range slices.Sorted(maps.Keys(e.checks)) {
		c := e.checks[id]
		s := CheckStatus{
			ID: id, Type: c.hc.Config.Type, Healthy: c.final, Known: c.kind != kindNone,
			Measured: c.measured, Settled: c.settled, Disabled: c.disabled, Inverted: c.inverted,
			HealthyCheckers: c.healthy, Checkers: len(c.checkers), Since: c.since,
		}
		switch c.kind {
		case kindProbe:
			s.Policy = e.policyFor(id)
		case kindCalculated:
			s.Checkers = len(c.hc.Config.ChildHealthChecks)
		case kindNone:
			s.Healthy = true
		}
		out = append(out, s)
	}
	return out
}

// Stats returns the engine's counters.
func (e *Engine) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.stats
	s.Checks = len(e.checks)
	for _, c := range e.checks {
		for _, k := range c.checkers {
			if !k.stopped {
				s.Checkers++
			}
		}
	}
	return s
}
