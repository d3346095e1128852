package geo

import (
	"fmt"
	"net/netip"

	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/meridian-gtm/meridian/internal/geo/flat"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// mmdbRecord is the part of a MaxMind City or Country record Meridian uses.
// A Country database has no subdivisions or location; the fields stay empty.
type mmdbRecord struct {
	Continent struct {
		Code string `maxminddb:"code"`
	} `maxminddb:"continent"`
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	Subdivisions []struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"subdivisions"`
	Location struct {
		Latitude  *float64 `maxminddb:"latitude"`
		Longitude *float64 `maxminddb:"longitude"`
	} `maxminddb:"location"`
}

// readGeoIP walks every network of the database at path and returns them as
// a layer of location ids registered in ix. Records are decoded once per
// data offset (networks share records heavily); networks whose record holds
// no continent, country or coordinates are left out, as unknown.
func readGeoIP(path string, ix *locIndex) (*flat.Layer, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open GeoIP database %s: %w", path, err)
	}
	defer r.Close()
	var (
		layer    flat.Layer
		byOffset = make(map[uintptr]uint32)
		networks int
	)
	for res := range r.Networks() {
		if err := res.Err(); err != nil {
			return nil, fmt.Errorf("read GeoIP database %s: %w", path, err)
		}
		networks++
		id, seen := byOffset[res.Offset()]
		if !seen {
			var rec mmdbRecord
			if err := res.Decode(&rec); err != nil {
				return nil, fmt.Errorf("read GeoIP database %s: network %s: %w", path, res.Prefix(), err)
			}
			if loc, ok := rec.location(); ok {
				id = ix.add(loc)
			}
			byOffset[res.Offset()] = id
		}
		if id == 0 {
			continue
		}
		p := res.Prefix()
		if err := layer.Add(p, id); err != nil {
			return nil, fmt.Errorf("read GeoIP database %s: network %s: %w", path, p, err)
		}
		// A record above the IPv4 subtree (::/96) of an IPv6 database covers
		// all of IPv4, which this package keeps as its own address space.
		if p.Addr().Is6() && p.Bits() <= 96 && p.Addr().IsUnspecified() {
			if err := layer.Add(ipv4All, id); err != nil {
				return nil, fmt.Errorf("read GeoIP database %s: %w", path, err)
			}
		}
	}
	if layer.Len() == 0 {
		return nil, fmt.Errorf("GeoIP database %s (type %q, %d networks) holds no continent, country or coordinates: "+
			"use a City or Country database", path, r.Metadata.DatabaseType, networks)
	}
	return &layer, nil
}

// ipv4All is 0.0.0.0/0.
var ipv4All = netip.PrefixFrom(netip.IPv4Unspecified(), 0)

// location converts a record; ok is false when it says nothing usable. The
// continent follows Route 53's country table (spec 8.2), which differs from
// MaxMind's in places; the record's own continent code is used only for a
// country Route 53 does not list, or when there is no country. Only US
// subdivisions are kept, as Route 53 has no others.
func (rec *mmdbRecord) location() (Location, bool) {
	loc := Location{Source: SourceGeoIP, Country: rec.Country.ISOCode}
	if cont, ok := zone.CountryContinent(loc.Country); ok {
		loc.Continent = cont
	} else if zone.IsContinent(rec.Continent.Code) {
		loc.Continent = rec.Continent.Code
	}
	if loc.Country == "US" && len(rec.Subdivisions) > 0 && zone.IsSubdivision("US", rec.Subdivisions[0].ISOCode) {
		loc.Subdivision = rec.Subdivisions[0].ISOCode
	}
	if lat, lon := rec.Location.Latitude, rec.Location.Longitude; lat != nil && lon != nil && CheckCoordinates(lat, lon) == nil {
		loc.Latitude, loc.Longitude, loc.HasCoords = *lat, *lon, true
	}
	return loc, loc.Continent != "" || loc.Country != "" || loc.HasCoords
}
