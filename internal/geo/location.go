// Package geo locates clients: continent, country, subdivision and
// coordinates, from a declared CIDR table that overrides an optional MaxMind
// GeoIP database. Lookups read compiled, immutable tables and do not allocate.
package geo

import "net/netip"

// Source says where a Location came from.
type Source uint8

// Location sources, most trusted first.
const (
	SourceNone     Source = iota // nothing known about the address
	SourceDeclared               // the configuration's locations table
	SourceGeoIP                  // the GeoIP database
)

// String names the source for explanations.
func (s Source) String() string {
	switch s {
	case SourceDeclared:
		return "declared"
	case SourceGeoIP:
		return "geoip"
	}
	return "none"
}

// Location is what is known about where an address is. Empty strings mean
// unknown. Bits is the prefix length around the address over which this
// Location holds unchanged (the answer's ECS scope contribution): it is never
// shorter than needed to exclude a more specific entry with another location.
type Location struct {
	Continent   string // AF AN AS EU NA OC SA
	Country     string // ISO 3166-1 alpha-2
	Subdivision string // e.g. US state code; only with Country
	Latitude    float64
	Longitude   float64
	HasCoords   bool
	Bits        uint8
	Source      Source
}

// Locator finds the Location of an address. Implementations are immutable
// and safe for concurrent use; Locate must not allocate.
type Locator interface {
	Locate(addr netip.Addr) Location
}
