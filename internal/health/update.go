package health

import (
	"maps"
	"slices"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// Update replaces the set of health checks. New checks start (healthy, or
// unhealthy when inverted, until their first full round); deleted checks
// stop probing and their observations and status are forgotten; changed
// checks restart with the new configuration when what is probed changes
// (keeping their measured status until the new checkers have all
// reported), and keep their checkers' state when only thresholds,
// inversion, children or regions change. Statuses are republished when
// they change.
func (e *Engine) Update(checks []healthcheck.HealthCheck) {
	now := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	want := make(map[string]int, len(checks))
	for i := range checks {
		want[checks[i].ID] = i
	}
	for id, c := range e.checks {
		if _, ok := want[id]; !ok {
			e.remove(c)
		}
	}
	for i := range checks {
		hc := checks[i]
		if want[hc.ID] != i {
			continue // a later entry with the same ID wins
		}
		c, ok := e.checks[hc.ID]
		switch {
		case !ok:
			e.add(hc, now)
		case kindOf(hc.Config.Type) != c.kind:
			e.remove(c)
			e.add(hc, now)
		default:
			e.modify(c, hc, now)
		}
	}
	e.parents = map[string][]string{}
	for id, c := range e.checks {
		if c.kind == kindCalculated {
			for _, child := range c.hc.Config.ChildHealthChecks {
				if !slices.Contains(e.parents[child], id) {
					e.parents[child] = append(e.parents[child], id)
				}
			}
		}
	}
	e.reevaluate(now)
	e.publishLocked()
}

// SetNames tells the engine the checks' Name tags (ID → name), so that
// Config.Policies may name checks by tag; aggregates are recomputed.
func (e *Engine) SetNames(names map[string]string) {
	now := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.names = maps.Clone(names)
	e.reevaluate(now)
	e.publishLocked()
}

// reevaluate recomputes every check, probing ones before calculated ones
// (whose children they are), and records the changes.
func (e *Engine) reevaluate(now time.Time) {
	ids := slices.Sorted(maps.Keys(e.checks))
	for pass := 0; pass < 2; pass++ {
		for _, id := range ids {
			c := e.checks[id]
			if (c.kind == kindCalculated) != (pass == 1) {
				continue
			}
			if e.evaluate(c, now) {
				e.changed(c, now)
			}
		}
	}
}

// add starts a new check.
func (e *Engine) add(hc healthcheck.HealthCheck, now time.Time) {
	c := &check{kind: kindOf(hc.Config.Type), since: now}
	e.configure(c, hc)
	c.measured = !e.cfg.ColdStartUnhealthy
	c.final = finalStatus(c.measured, c.disabled, c.inverted)
	e.checks[hc.ID] = c
	if c.kind != kindNone {
		e.final[hc.ID] = c.final
		e.dirty = true
	}
	if (c.kind == kindProbe || c.kind == kindAlarm) && !c.disabled {
		e.pending[hc.ID] = struct{}{}
	}
	e.startCheckers(c, now)
}

// remove stops a check and forgets it.
func (e *Engine) remove(c *check) {
	for _, k := range c.checkers {
		e.unschedule(k)
	}
	c.checkers = nil
	delete(e.checks, c.hc.ID)
	delete(e.pending, c.hc.ID)
	if _, ok := e.final[c.hc.ID]; ok {
		delete(e.final, c.hc.ID)
		e.dirty = true
	}
}

// modify applies a new configuration of an existing check.
func (e *Engine) modify(c *check, hc healthcheck.HealthCheck, now time.Time) {
	old := c.hc.Config
	wasDisabled := c.disabled
	e.configure(c, hc)
	switch {
	case c.disabled:
		// Probing stops; the reports stay visible. A disabled check's
		// status is settled: healthy, before inversion.
		e.unpend(c.hc.ID)
		for _, k := range c.checkers {
			e.unschedule(k)
		}
	case wasDisabled || !sameProbe(&old, &hc.Config):
		e.restart(c, now)
	default:
		e.reconcileRegions(c, now)
		for _, k := range c.checkers {
			k.settle(c.threshold)
		}
	}
}

// configure sets the parts of a check derived from its configuration.
func (e *Engine) configure(c *check, hc healthcheck.HealthCheck) {
	cfg := &hc.Config
	c.hc = hc
	c.disabled = cfg.Disabled != nil && *cfg.Disabled
	c.inverted = cfg.Inverted != nil && *cfg.Inverted
	switch c.kind {
	case kindCalculated:
		c.threshold = 0
		if cfg.HealthThreshold != nil {
			c.threshold = int(*cfg.HealthThreshold)
		}
	case kindAlarm:
		c.threshold = 1 // the alarm state is followed as it is
	default:
		c.threshold = 3
		if cfg.FailureThreshold != nil && *cfg.FailureThreshold > 0 {
			c.threshold = int(*cfg.FailureThreshold)
		}
	}
	if c.kind == kindProbe || c.kind == kindAlarm {
		c.ep = newEndpoint(cfg)
		c.interval = e.interval(cfg)
		if c.kind == kindProbe {
			c.targetKey = c.ep.targetKey()
		}
	}
}

// restart replaces a check's checkers with new ones; the measured status
// is kept until they have all reported.
func (e *Engine) restart(c *check, now time.Time) {
	for _, k := range c.checkers {
		e.unschedule(k)
	}
	c.checkers = nil
	c.settled = false
	e.startCheckers(c, now)
}

// startCheckers creates and schedules a check's checkers.
func (e *Engine) startCheckers(c *check, now time.Time) {
	if c.disabled {
		return
	}
	for _, s := range e.slots(c) {
		k := newChecker(c, s.region, s.slot)
		c.checkers = append(c.checkers, k)
		e.scheduleFirst(k, now)
	}
}

// reconcileRegions keeps the checkers of regions the check still uses,
// stops the others and starts the new ones.
func (e *Engine) reconcileRegions(c *check, now time.Time) {
	want := e.slots(c)
	have := map[slot]*checker{}
	for _, k := range c.checkers {
		have[slot{k.region, k.slot}] = k
	}
	var next []*checker
	for _, s := range want {
		if k, ok := have[s]; ok {
			next = append(next, k)
			delete(have, s)
			continue
		}
		k := newChecker(c, s.region, s.slot)
		next = append(next, k)
		e.scheduleFirst(k, now)
	}
	for _, k := range have {
		e.unschedule(k)
	}
	c.checkers = next
}

// slot identifies a checker of a check.
type slot struct {
	region string
	slot   int
}

// slots lists the checkers a check should have: CheckersPerRegion in each
// of its regions this node runs, one for an alarm, none for other kinds.
func (e *Engine) slots(c *check) []slot {
	switch c.kind {
	case kindAlarm:
		return []slot{{region: c.ep.alarmRegion}}
	case kindProbe:
	default:
		return nil
	}
	var out []slot
	for _, r := range e.regionsFor(&c.hc.Config) {
		for i := 0; i < e.cfg.CheckersPerRegion; i++ {
			out = append(out, slot{r, i})
		}
	}
	return out
}

// regionsFor is the check's Regions that this node runs, or all of this
// node's regions when it runs none of them. A check that lists no Regions
// is checked from every region: the node's own when it has any, else
// Route 53's eight.
func (e *Engine) regionsFor(cfg *healthcheck.Config) []string {
	listed := cfg.Regions
	if len(listed) == 0 {
		listed = DefaultRegions
		if len(e.cfg.Regions) > 0 {
			listed = e.cfg.Regions
		}
	}
	var out []string
	for _, r := range listed {
		if slices.Contains(out, r) {
			continue
		}
		if len(e.cfg.Regions) == 0 || slices.Contains(e.cfg.Regions, r) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		out = append(out, e.cfg.Regions...)
	}
	return out
}

// sameProbe reports whether two configurations probe the same way, so that
// checker state carries over.
func sameProbe(a, b *healthcheck.Config) bool {
	return a.Type == b.Type && a.IPAddress == b.IPAddress && i64(a.Port) == i64(b.Port) &&
		a.ResourcePath == b.ResourcePath && a.FullyQualifiedDomainName == b.FullyQualifiedDomainName &&
		a.SearchString == b.SearchString && flag(a.EnableSNI) == flag(b.EnableSNI) &&
		i64(a.RequestInterval) == i64(b.RequestInterval) && alarmOf(a) == alarmOf(b)
}

func i64(p *int64) int64 {
	if p == nil {
		return -1
	}
	return *p
}

func flag(p *bool) bool { return p != nil && *p }

func alarmOf(c *healthcheck.Config) healthcheck.AlarmIdentifier {
	if c.AlarmIdentifier == nil {
		return healthcheck.AlarmIdentifier{}
	}
	return *c.AlarmIdentifier
}
