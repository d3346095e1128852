package geo

import (
	"fmt"
	"net/netip"

	"github.com/meridian-gtm/meridian/internal/geo/flat"
)

// Table is a compiled Locator: the declared locations over an optional GeoIP
// database, flattened into disjoint address ranges (package flat). Compile
// reads the whole database once, decoding each distinct record a single
// time, so Locate never touches the database, never decodes and never
// allocates. A nil or zero Table knows nothing: every address is SourceNone
// with Bits 0.
type Table struct {
	locs  []Location // index 0 is the unknown location
	table *flat.Table
}

// Compile builds a Table from declared locations and, when geoipPath is not
// empty, a MaxMind City or Country database (mmdb). Declared entries win over
// the database whatever the prefix lengths; among declared entries the
// longest prefix wins.
//
// Memory and time scale with the database: each of its networks becomes at
// most one range (neighbouring networks with the same location merge), about
// 8 bytes per IPv4 range and 20 per IPv6 range. A full GeoLite2-City takes a
// few seconds and tens of megabytes; a Country database far less.
func Compile(declared []DeclaredLocation, geoipPath string) (*Table, error) {
	if err := ValidateDeclared(declared); err != nil {
		return nil, err
	}
	ix := newLocIndex()
	var decl flat.Layer
	for i, d := range declared {
		if err := decl.Add(d.Prefix, ix.add(d.location())); err != nil {
			return nil, fmt.Errorf("locations[%d] (%s): %w", i, d.Prefix, err)
		}
	}
	var db *flat.Layer
	if geoipPath != "" {
		var err error
		if db, err = readGeoIP(geoipPath, ix); err != nil {
			return nil, err
		}
	}
	tab, err := flat.Build(&decl, db)
	if err != nil {
		return nil, fmt.Errorf("compile locations: %w", err)
	}
	return &Table{locs: ix.locs, table: tab}, nil
}

// Locate returns what the table knows about addr, with Bits the length of
// the largest prefix around addr over which Locate returns the same
// Location. IPv4-mapped IPv6 addresses are located as IPv4. It does not
// allocate.
func (t *Table) Locate(addr netip.Addr) Location {
	if t == nil || len(t.locs) == 0 {
		return Location{}
	}
	i, bits := t.table.Lookup(addr)
	loc := t.locs[i]
	loc.Bits = bits
	return loc
}

// Close releases the table. Compile has already read and closed the GeoIP
// file, so nothing is left to release and Close returns nil; it lets owners
// close a Table like their other resources.
func (t *Table) Close() error { return nil }

// locIndex numbers distinct Locations; 0 is the unknown location.
type locIndex struct {
	locs []Location
	ids  map[Location]uint32
}

func newLocIndex() *locIndex {
	return &locIndex{locs: []Location{{}}, ids: map[Location]uint32{{}: 0}}
}

func (x *locIndex) add(l Location) uint32 {
	if id, ok := x.ids[l]; ok {
		return id
	}
	id := uint32(len(x.locs))
	x.locs = append(x.locs, l)
	x.ids[l] = id
	return id
}
