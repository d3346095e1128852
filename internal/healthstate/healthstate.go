// Package healthstate holds the current aggregated status of every health
// check as an immutable view swapped in atomically, so routing reads it on
// the hot path without locks and status changes need no zone recompilation.
package healthstate

import "sync/atomic"

// View is an immutable set of health-check statuses.
type View struct {
	status  map[string]bool
	pending map[string]struct{}
}

// NewView returns a view of the given statuses (health check ID → healthy).
// The map is copied.
func NewView(status map[string]bool) *View {
	return NewViewPending(status, nil)
}

// NewViewPending returns a view of the given statuses in which the checks
// of pending have not completed their first evaluation yet: their status is
// the cold-start one, which Route 53 routing uses but Global Accelerator
// does not (a new endpoint must pass a check before it gets traffic). The
// maps are copied.
func NewViewPending(status map[string]bool, pending map[string]struct{}) *View {
	v := &View{status: make(map[string]bool, len(status))}
	for k, h := range status {
		v.status[k] = h
	}
	if len(pending) > 0 {
		v.pending = make(map[string]struct{}, len(pending))
		for k := range pending {
			v.pending[k] = struct{}{}
		}
	}
	return v
}

// Healthy reports whether the health check is healthy. A check the view does
// not know (deleted, or not evaluated yet) counts as healthy, as Route 53
// treats record sets whose health check was deleted.
func (v *View) Healthy(id string) bool {
	if v == nil {
		return true
	}
	h, ok := v.status[id]
	return !ok || h
}

// Known reports whether the view has a status for the check.
func (v *View) Known(id string) bool {
	if v == nil {
		return false
	}
	_, ok := v.status[id]
	return ok
}

// Settled reports whether the view has a status for the check that comes
// from a completed evaluation, not from the cold start.
func (v *View) Settled(id string) bool {
	if !v.Known(id) {
		return false
	}
	_, p := v.pending[id]
	return !p
}

// Holder publishes the current View.
type Holder struct{ p atomic.Pointer[View] }

// NewHolder returns a holder whose view knows no checks (all healthy).
func NewHolder() *Holder {
	h := &Holder{}
	h.p.Store(NewView(nil))
	return h
}

// Load returns the current view.
func (h *Holder) Load() *View { return h.p.Load() }

// Store publishes a new view.
func (h *Holder) Store(v *View) { h.p.Store(v) }

// Set publishes a copy of the current view with one check's status changed
// (and settled).
func (h *Holder) Set(id string, healthy bool) {
	for {
		old := h.p.Load()
		m := make(map[string]bool, len(old.status)+1)
		for k, v := range old.status {
			m[k] = v
		}
		m[id] = healthy
		pending := old.pending
		if _, p := pending[id]; p {
			pending = make(map[string]struct{}, len(old.pending))
			for k := range old.pending {
				if k != id {
					pending[k] = struct{}{}
				}
			}
		}
		if h.p.CompareAndSwap(old, &View{status: m, pending: pending}) {
			return
		}
	}
}
