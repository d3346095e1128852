package latency

import (
	"errors"
	"fmt"
	"math"
	"net/netip"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/geo/flat"
)

// Declared is one RTT from the clients in Prefix to Region, in milliseconds.
// The configuration's latency table and the measured layer both use it.
type Declared struct {
	Prefix netip.Prefix
	Region string
	Millis float64
}

// Config is what Compile builds a Table from.
type Config struct {
	// Regions are custom regions beside the built-in AWS ones. A custom code
	// may not shadow a built-in one.
	Regions []Region
	// Declared RTTs; they beat the distance estimate and lose to
	// measurements. For one region the longest prefix wins; an entry for one
	// region never hides another region's RTTs.
	Declared []Declared
	// DefaultOrder lists region codes, most preferred first, for clients
	// nothing else is known about.
	DefaultOrder []string
}

// Validate checks the configuration. Errors name entries by the
// configuration file's keys: regions[i], latency[i], default_region_order[i].
func (c Config) Validate() error {
	known := make(map[string]int, len(c.Regions))
	for i, r := range c.Regions {
		if err := checkCustomRegion(r); err != nil {
			return fmt.Errorf("regions[%d] (%s): %w", i, r.Code, err)
		}
		if j, dup := known[r.Code]; dup {
			return fmt.Errorf("regions[%d] (%s): same code as regions[%d]", i, r.Code, j)
		}
		known[r.Code] = i
	}
	isKnown := func(code string) bool { _, custom := known[code]; return custom || IsBuiltin(code) }
	type key struct {
		p      netip.Prefix
		region string
	}
	seen := make(map[key]int, len(c.Declared))
	for i, d := range c.Declared {
		if err := d.validate(isKnown); err != nil {
			return fmt.Errorf("latency[%d] (%s %s): %w", i, d.Prefix, d.Region, err)
		}
		k := key{flat.Normalize(d.Prefix), d.Region}
		if j, dup := seen[k]; dup {
			return fmt.Errorf("latency[%d] (%s %s): same prefix and region as latency[%d]", i, d.Prefix, d.Region, j)
		}
		seen[k] = i
	}
	listed := make(map[string]int, len(c.DefaultOrder))
	for i, code := range c.DefaultOrder {
		if !isKnown(code) {
			return fmt.Errorf("default_region_order[%d]: unknown region %q", i, code)
		}
		if j, dup := listed[code]; dup {
			return fmt.Errorf("default_region_order[%d]: %s is already default_region_order[%d]", i, code, j)
		}
		listed[code] = i
	}
	return nil
}

// validate checks one entry; isKnown says which region codes exist.
func (d Declared) validate(isKnown func(string) bool) error {
	if err := geo.CheckPrefix(d.Prefix); err != nil {
		return err
	}
	switch {
	case d.Region == "":
		return errors.New("region is required")
	case !isKnown(d.Region):
		return fmt.Errorf("unknown region %q (neither a built-in AWS region nor under regions)", d.Region)
	case !(d.Millis >= 0) || math.IsInf(d.Millis, 1):
		return fmt.Errorf("rtt_ms %v must be a finite number >= 0", d.Millis)
	}
	return nil
}

// checkCustomRegion checks a custom region: a code of 1 to 64 lower-case
// letters, digits and inner hyphens that is not a built-in AWS code, and
// valid coordinates.
func checkCustomRegion(r Region) error {
	if !validCode(r.Code) {
		return fmt.Errorf("code %q: want 1 to 64 lower-case letters, digits and hyphens, not starting or ending with a hyphen", r.Code)
	}
	if IsBuiltin(r.Code) {
		return errors.New("code is a built-in AWS region; custom regions may not redefine one")
	}
	return geo.CheckCoordinates(&r.Latitude, &r.Longitude)
}

func validCode(s string) bool {
	if len(s) == 0 || len(s) > 64 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
