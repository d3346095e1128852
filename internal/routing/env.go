package routing

import (
	"sync/atomic"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/latency"
)

// RegionCatalog finds a region's coordinates by code (geoproximity records
// placed by AWSRegion or LocalZoneGroup).
type RegionCatalog interface {
	Region(code string) (latency.Region, bool)
}

// RegionFunc adapts a function to RegionCatalog.
type RegionFunc func(code string) (latency.Region, bool)

// Region calls f.
func (f RegionFunc) Region(code string) (latency.Region, bool) { return f(code) }

// Env is what routing knows about the world besides the snapshot. A nil
// field means nothing is known: no client locations (clients match only
// default locations), no latency data (latency records rank in
// SetIdentifier order), no region coordinates, no health checks (every
// record set is healthy). Leave a field nil rather than storing a typed nil
// pointer in it. An Env is not modified once published.
type Env struct {
	Locator geo.Locator
	Latency latency.Map
	Regions RegionCatalog
	Health  *healthstate.Holder
}

// EnvHolder publishes the current Env to the DNS server through an atomic
// pointer; the health holder inside it is swapped by the health checkers on
// its own.
type EnvHolder struct {
	p atomic.Pointer[Env]
}

// NewEnvHolder returns a holder publishing e (nil: nothing known).
func NewEnvHolder(e *Env) *EnvHolder {
	h := &EnvHolder{}
	h.p.Store(e)
	return h
}

// Load returns the current Env; nil for a nil holder or when none is set.
func (h *EnvHolder) Load() *Env {
	if h == nil {
		return nil
	}
	return h.p.Load()
}

// Store publishes e.
func (h *EnvHolder) Store(e *Env) { h.p.Store(e) }
