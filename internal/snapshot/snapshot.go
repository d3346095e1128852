// Package snapshot compiles hosted zones into immutable, per-zone name trees
// with a precomputed answer plan for every (name, type), and publishes them
// through an atomic pointer so that the DNS server reads them without locks.
// It is pure: no I/O (apart from one log line per zone whose record sets are
// not served yet).
package snapshot

import (
	"fmt"
	"slices"
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
	cols   map[string]*zone.CidrCollection
	// maxApexLabels is the most labels of a serving zone's name: Lookup
	// skips the longer suffixes of a query name, which no zone can match.
	maxApexLabels int
}

// Build compiles every zone into a new snapshot at revision rev. The CIDR
// collections are compiled into the prefix tables of the IP-based record
// sets that name them; an IP-based group whose collection or location is
// missing is answered with SERVFAIL and listed in its zone's Problems.
func Build(rev int64, zones []ZoneData, collections []zone.CidrCollection) (*Snapshot, error) {
	s := &Snapshot{rev: rev, byID: make(map[string]*Zone, len(zones)), cols: copyCollections(collections)}
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
// compiled zone shared with s. It keeps s's CIDR collections: when a
// collection changes, compile everything again with Build.
func (s *Snapshot) With(rev int64, changed []ZoneData, removed []string) (*Snapshot, error) {
	n := &Snapshot{rev: rev, byID: make(map[string]*Zone, len(s.byID)+len(changed)), cols: s.cols}
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
	z, err := compileZone(zd, s.cols)
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
	s.maxApexLabels = 0
	for _, z := range s.byID {
		k := z.apexKey
		if cur := s.byName[k]; cur == nil || servesBefore(z, cur) {
			s.byName[k] = z
		}
		s.maxApexLabels = max(s.maxApexLabels, z.apexLen)
	}
}

func servesBefore(a, b *Zone) bool {
	if a.createdAt != b.createdAt {
		return a.createdAt < b.createdAt
	}
	return a.id < b.id
}

// copyCollections indexes the collections by ID, deeply copied so that the
// snapshot shares nothing mutable with its input.
func copyCollections(cols []zone.CidrCollection) map[string]*zone.CidrCollection {
	out := make(map[string]*zone.CidrCollection, len(cols))
	for _, c := range cols {
		cp := c
		cp.Locations = make(map[string][]string, len(c.Locations))
		for l, blocks := range c.Locations {
			cp.Locations[l] = append([]string(nil), blocks...)
		}
		out[c.ID] = &cp
	}
	return out
}

// Collections returns the CIDR collections the snapshot was built with,
// sorted by ID. They are shared: do not modify them.
func (s *Snapshot) Collections() []*zone.CidrCollection {
	out := make([]*zone.CidrCollection, 0, len(s.cols))
	for _, c := range s.cols {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *zone.CidrCollection) int { return strings.Compare(a.ID, b.ID) })
	return out
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
	h.p.Store(&Snapshot{byID: map[string]*Zone{}, byName: map[string]*Zone{}, cols: map[string]*zone.CidrCollection{}})
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
