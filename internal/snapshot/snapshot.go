// Package snapshot compiles hosted zones into immutable, per-zone name trees
// with a precomputed answer plan for every (name, type), and publishes them
// through an atomic pointer so that the DNS server reads them without locks.
// It is pure: no I/O (apart from one log line per zone whose record sets are
// not served yet).
package snapshot

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// ZoneData is one hosted zone and its record sets as stored; names are in
// canonical form (zone.CanonicalName).
type ZoneData struct {
	Zone   zone.HostedZone
	RRSets []zone.RRSet
}

// Snapshot is an immutable, compiled view of every hosted zone at one store
// revision.
type Snapshot struct {
	rev    int64
	byID   map[string]*Zone
	byName map[string]*Zone // serving zone per lowercase wire-format apex
}

// Build compiles every zone into a new snapshot at revision rev.
func Build(rev int64, zones []ZoneData) (*Snapshot, error) {
	s := &Snapshot{rev: rev, byID: make(map[string]*Zone, len(zones))}
	for i := range zones {
		if err := s.put(&zones[i]); err != nil {
			return nil, fmt.Errorf("build snapshot %d: %w", rev, err)
		}
	}
	s.index()
	return s, nil
}

// With returns a new snapshot at revision rev in which the changed zones are
// recompiled (or added), the removed zone IDs dropped, and every other
// compiled zone shared with s.
func (s *Snapshot) With(rev int64, changed []ZoneData, removed []string) (*Snapshot, error) {
	n := &Snapshot{rev: rev, byID: make(map[string]*Zone, len(s.byID)+len(changed))}
	for id, z := range s.byID {
		n.byID[id] = z
	}
	for _, id := range removed {
		delete(n.byID, id)
	}
	seen := make(map[string]bool, len(changed))
	for i := range changed {
		id := changed[i].Zone.ID
		if seen[id] {
			return nil, fmt.Errorf("update snapshot %d: zone %s listed twice", rev, id)
		}
		seen[id] = true
		delete(n.byID, id)
		if err := n.put(&changed[i]); err != nil {
			return nil, fmt.Errorf("update snapshot %d: %w", rev, err)
		}
	}
	n.index()
	return n, nil
}

// put compiles one zone into s.byID.
func (s *Snapshot) put(zd *ZoneData) error {
	if zd.Zone.ID == "" {
		return fmt.Errorf("zone %q has no ID", zd.Zone.Name)
	}
	if _, dup := s.byID[zd.Zone.ID]; dup {
		return fmt.Errorf("zone %s listed twice", zd.Zone.ID)
	}
	z, err := compileZone(zd)
	if err != nil {
		return err
	}
	s.byID[z.id] = z
	return nil
}

// index chooses the serving zone for every zone name: when several zones
// share a name, the one created first (smaller CreatedAt, then ID) serves.
func (s *Snapshot) index() {
	s.byName = make(map[string]*Zone, len(s.byID))
	for _, z := range s.byID {
		k := z.apexKey
		if cur := s.byName[k]; cur == nil || servesBefore(z, cur) {
			s.byName[k] = z
		}
	}
}

func servesBefore(a, b *Zone) bool {
	if a.createdAt != b.createdAt {
		return a.createdAt < b.createdAt
	}
	return a.id < b.id
}

// Revision returns the store revision the snapshot reflects.
func (s *Snapshot) Revision() int64 { return s.rev }

// Zone returns the compiled zone with the given ID, served or not, or nil.
func (s *Snapshot) Zone(id string) *Zone { return s.byID[strings.TrimPrefix(id, "/hostedzone/")] }

// Zones returns every compiled zone, in no particular order.
func (s *Snapshot) Zones() []*Zone {
	out := make([]*Zone, 0, len(s.byID))
	for _, z := range s.byID {
		out = append(out, z)
	}
	return out
}

// Serving reports whether z is the zone that answers for its name.
func (s *Snapshot) Serving(z *Zone) bool {
	return s.byName[z.apexKey] == z
}

// Holder publishes the current snapshot to readers through an atomic pointer.
type Holder struct {
	p atomic.Pointer[Snapshot]
}

// NewHolder returns a holder with an empty snapshot at revision 0.
func NewHolder() *Holder {
	h := &Holder{}
	h.p.Store(&Snapshot{byID: map[string]*Zone{}, byName: map[string]*Zone{}})
	return h
}

// Load returns the current snapshot; never nil for a holder from NewHolder.
func (h *Holder) Load() *Snapshot { return h.p.Load() }

// Store publishes s; a nil s is ignored so that Load never returns nil.
func (h *Holder) Store(s *Snapshot) {
	if s != nil {
		h.p.Store(s)
	}
}
