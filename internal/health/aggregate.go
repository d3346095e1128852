package health

import (
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// kind is how a check gets its measured status.
type kind int

const (
	kindProbe      kind = iota // HTTP(S), string match, TCP: checkers probe
	kindAlarm                  // CLOUDWATCH_METRIC: one checker follows the alarm
	kindCalculated             // CALCULATED: children
	kindNone                   // RECOVERY_CONTROL: not evaluated here
)

func kindOf(typ string) kind {
	switch typ {
	case healthcheck.TypeCalculated:
		return kindCalculated
	case healthcheck.TypeCloudWatchMetric:
		return kindAlarm
	case healthcheck.TypeRecoveryControl:
		return kindNone
	}
	return kindProbe
}

// check is the engine's state of one health check. Guarded by Engine.mu.
type check struct {
	hc        healthcheck.HealthCheck
	kind      kind
	ep        *endpoint
	targetKey string // per-target spacing key; "" for none
	interval  time.Duration
	threshold int
	checkers  []*checker
	disabled  bool
	inverted  bool

	measured bool      // status before disabling and inversion
	settled  bool      // every checker reported since the probing config last changed
	final    bool      // the published status
	since    time.Time // when final last changed
	healthy  int       // checkers whose state is healthy
}

// finalStatus is Inverted XOR (Disabled ? healthy : measured).
func finalStatus(measured, disabled, inverted bool) bool {
	return (disabled || measured) != inverted
}

// calculatedHealthy applies a calculated check's HealthThreshold to its
// children's final statuses: 0 is always healthy, a threshold above the
// number of children always unhealthy. status reports a child's final
// status and whether it is known; unknown children count as healthy.
func calculatedHealthy(threshold int, children []string, status func(id string) (bool, bool)) (healthy int, ok bool) {
	for _, id := range children {
		if h, known := status(id); h || !known {
			healthy++
		}
	}
	switch {
	case threshold <= 0:
		return healthy, true
	case threshold > len(children):
		return healthy, false
	}
	return healthy, healthy >= threshold
}

// evaluate recomputes a check's measured and final statuses and reports
// whether the final status changed. A probing check's measured status
// changes only when every checker has reported; until then it keeps the
// previous one (the cold-start status for a new check).
func (e *Engine) evaluate(c *check, now time.Time) bool {
	switch c.kind {
	case kindNone:
		return false
	case kindCalculated:
		c.healthy, c.measured = calculatedHealthy(c.threshold, c.hc.Config.ChildHealthChecks, e.finalOf)
		c.settled = true
	default:
		healthy, all := 0, len(c.checkers) > 0
		for _, k := range c.checkers {
			if !k.reported {
				all = false
			} else if k.healthy {
				healthy++
			}
		}
		c.healthy = healthy
		if all && !c.disabled {
			c.measured = e.policyFor(c.hc.ID).Healthy(healthy, len(c.checkers))
			c.settled = true
		}
	}
	if c.settled {
		e.unpend(c.hc.ID)
	}
	f := finalStatus(c.measured, c.disabled, c.inverted)
	if f == c.final {
		return false
	}
	c.final, c.since = f, now
	return true
}

// unpend marks a check as past its cold start in the next view.
func (e *Engine) unpend(id string) {
	if _, ok := e.pending[id]; ok {
		delete(e.pending, id)
		e.dirty = true
	}
}

// finalOf returns a check's final status and whether the engine knows it.
func (e *Engine) finalOf(id string) (bool, bool) {
	c, ok := e.checks[id]
	if !ok || c.kind == kindNone {
		return true, false
	}
	return c.final, true
}

// policyFor is the aggregation policy of a check: by ID, else by Name tag,
// else the default.
func (e *Engine) policyFor(id string) Policy {
	if p, ok := e.cfg.Policies[id]; ok && p != "" {
		return p
	}
	if n, ok := e.names[id]; ok {
		if p, ok := e.cfg.Policies[n]; ok && p != "" {
			return p
		}
	}
	return e.cfg.DefaultPolicy
}

// changed records a check's new final status for publication and
// re-evaluates the calculated checks that list it, transitively.
func (e *Engine) changed(c *check, now time.Time) {
	e.final[c.hc.ID] = c.final
	e.dirty = true
	e.log.Info("health check status changed", "id", c.hc.ID, "type", c.hc.Config.Type, "healthy", c.final)
	seen := map[string]bool{c.hc.ID: true}
	queue := append([]string(nil), e.parents[c.hc.ID]...)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		p, ok := e.checks[id]
		if !ok || !e.evaluate(p, now) {
			continue
		}
		e.final[id] = p.final
		e.log.Info("health check status changed", "id", id, "type", p.hc.Config.Type, "healthy", p.final)
		queue = append(queue, e.parents[id]...)
	}
}
