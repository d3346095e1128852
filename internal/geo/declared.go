package geo

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/meridian-gtm/meridian/internal/geo/flat"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// DeclaredLocation places a client prefix by configuration (the `locations`
// key). Country is a Route 53 country code and gives the continent;
// Subdivision is a US state code and needs Country US. Latitude and
// Longitude are optional but go together; with them and no Country the
// entry only feeds the latency estimate.
type DeclaredLocation struct {
	Prefix      netip.Prefix
	Country     string
	Subdivision string
	Latitude    *float64
	Longitude   *float64
}

// Validate checks one declared location on its own.
func (d DeclaredLocation) Validate() error {
	if err := CheckPrefix(d.Prefix); err != nil {
		return err
	}
	if d.Country == "" && d.Subdivision == "" && d.Latitude == nil && d.Longitude == nil {
		return errors.New("needs a country or coordinates")
	}
	if d.Country != "" {
		if _, ok := zone.CountryContinent(d.Country); !ok {
			if _, ok := zone.CountryContinent(strings.ToUpper(d.Country)); ok {
				return fmt.Errorf("country %q: codes are upper case (%s)", d.Country, strings.ToUpper(d.Country))
			}
			return fmt.Errorf("country %q is not a country code Route 53 geolocation supports", d.Country)
		}
	}
	if d.Subdivision != "" {
		if d.Country != "US" {
			return fmt.Errorf("subdivision %q needs country US (Route 53 only has US subdivisions)", d.Subdivision)
		}
		if !zone.IsSubdivision("US", d.Subdivision) {
			return fmt.Errorf("subdivision %q is not a US state code", d.Subdivision)
		}
	}
	return CheckCoordinates(d.Latitude, d.Longitude)
}

// CheckPrefix reports whether p is a valid prefix written as its network
// address (10.0.0.0/8, not 10.1.2.3/8, so a typo does not silently widen).
func CheckPrefix(p netip.Prefix) error {
	if !p.IsValid() {
		return errors.New("invalid CIDR prefix")
	}
	if m := p.Masked(); m != p {
		return fmt.Errorf("prefix %s has host bits set (the network is %s)", p, m)
	}
	return nil
}

// CheckCoordinates validates an optional latitude/longitude pair: both or
// neither, latitude in -90..90 and longitude in -180..180.
func CheckCoordinates(lat, lon *float64) error {
	switch {
	case lat == nil && lon == nil:
		return nil
	case lat == nil || lon == nil:
		return errors.New("latitude and longitude must be given together")
	case !(*lat >= -90 && *lat <= 90):
		return fmt.Errorf("latitude %v is outside -90..90", *lat)
	case !(*lon >= -180 && *lon <= 180):
		return fmt.Errorf("longitude %v is outside -180..180", *lon)
	}
	return nil
}

// ValidateDeclared checks a declared location table: every entry, and no
// prefix declared twice. Errors name the entry as the configuration file
// does: locations[i] (prefix).
func ValidateDeclared(declared []DeclaredLocation) error {
	first := make(map[netip.Prefix]int, len(declared))
	for i, d := range declared {
		if err := d.Validate(); err != nil {
			return fmt.Errorf("locations[%d] (%s): %w", i, d.Prefix, err)
		}
		p := flat.Normalize(d.Prefix)
		if j, dup := first[p]; dup {
			return fmt.Errorf("locations[%d] (%s): same prefix as locations[%d]", i, d.Prefix, j)
		}
		first[p] = i
	}
	return nil
}

// location is what a valid declared entry says.
func (d DeclaredLocation) location() Location {
	loc := Location{Country: d.Country, Subdivision: d.Subdivision, Source: SourceDeclared}
	loc.Continent, _ = zone.CountryContinent(d.Country)
	if d.Latitude != nil && d.Longitude != nil {
		loc.Latitude, loc.Longitude, loc.HasCoords = *d.Latitude, *d.Longitude, true
	}
	return loc
}
