package health

import (
	"net/netip"
	"time"
)

// checker is one independent checker of one check in one region: its
// schedule and its consecutive-result state. Guarded by Engine.mu.
type checker struct {
	chk    *check
	region string
	slot   int // index within the region

	// Scheduling.
	due      time.Time
	idx      int  // position in the scheduler heap; -1 when not queued
	stopped  bool // removed from its check; results are dropped
	reserved bool // due is a reserved slot of the per-target spacing

	// State.
	reported bool // has a first result
	healthy  bool
	opposite int // consecutive results opposite to healthy

	last, lastFailure observation
}

// observation is a checker's report (spec 3.3).
type observation struct {
	status string
	at     time.Time
	src    netip.Addr
}

func (o observation) set() bool { return !o.at.IsZero() }

// newChecker returns a checker with no result yet.
func newChecker(chk *check, region string, slot int) *checker {
	return &checker{chk: chk, region: region, slot: slot, idx: -1}
}

// apply records a probe result and updates the checker's state: the first
// result sets it; after that it flips after threshold consecutive opposite
// results. A Keep result (insufficient data, last known status) leaves the
// state as it is, or healthy for a checker with no history. It reports
// whether the state changed (a first result counts as a change).
func (c *checker) apply(r Result, threshold int, at time.Time) bool {
	if r.Keep {
		r.Healthy = !c.reported || c.healthy
		if r.Healthy {
			r.Status = "Success: " + r.Status
		} else {
			r.Status = "Failure: " + r.Status
		}
	}
	c.last = observation{status: r.Status, at: at, src: c.source(r.Source)}
	if !r.Healthy {
		c.lastFailure = c.last
	}
	if !c.reported {
		c.reported, c.healthy, c.opposite = true, r.Healthy, 0
		return true
	}
	if r.Keep {
		return false
	}
	if r.Healthy == c.healthy {
		c.opposite = 0
		return false
	}
	c.opposite++
	return c.settle(threshold)
}

// settle flips the state once the opposite results reach threshold, as
// after a result or a lowered FailureThreshold; it reports a flip.
func (c *checker) settle(threshold int) bool {
	if !c.reported || c.opposite < max(threshold, 1) {
		return false
	}
	c.healthy = !c.healthy
	c.opposite = 0
	return true
}

// source is the address a report names: the probe's own, else the last
// one this checker used.
func (c *checker) source(a netip.Addr) netip.Addr {
	if a.IsValid() {
		return a
	}
	return c.last.src
}

// reset forgets the state (not the reports) for a new configuration.
func (c *checker) reset() {
	c.reported, c.healthy, c.opposite = false, false, 0
}
