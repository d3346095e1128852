// Package config reads Meridian's declarative configuration file (YAML).
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/latency"
)

// Credential is one access key the APIs accept.
type Credential struct {
	AccessKeyID     string `yaml:"access_key_id"`
	SecretAccessKey string `yaml:"secret_access_key"`
}

// File is the configuration file passed as `meridian serve --config FILE`.
// Unknown keys are errors, so a typo never silently does nothing.
type File struct {
	// Credentials the Route 53 and Global Accelerator APIs accept. Empty:
	// MERIDIAN_ACCESS_KEY_ID/MERIDIAN_SECRET_ACCESS_KEY, else a key pair
	// generated into the data directory.
	Credentials []Credential `yaml:"credentials"`
	// NameServers are the host names of this deployment's name servers; every
	// new zone's NS record set and delegation set lists them. Empty:
	// Route 53-style generated names.
	NameServers []string `yaml:"nameservers"`
	// Hostmaster is the SOA RNAME of new zones.
	Hostmaster string `yaml:"hostmaster"`
	// Region is this node's region code (also settable with --region).
	Region string `yaml:"region"`
	// Accelerator configures the Global Accelerator data plane's addresses.
	Accelerator AcceleratorSection `yaml:"accelerator"`
	// Locations declares where client prefixes are; they override GeoIP.
	Locations []LocationEntry `yaml:"locations"`
	// Latency declares RTTs from client prefixes to regions; they beat the
	// distance estimate and lose to measurements.
	Latency []LatencyEntry `yaml:"latency"`
	// Regions are custom regions beside the built-in AWS codes.
	Regions []RegionEntry `yaml:"regions"`
	// GeoIP is the path of a MaxMind City or Country database (.mmdb),
	// relative to the working directory. Empty: no GeoIP.
	GeoIP string `yaml:"geoip"`
	// DefaultRegionOrder ranks regions, most preferred first, for clients
	// nothing else is known about.
	DefaultRegionOrder []string `yaml:"default_region_order"`
	// Health configures the health-check engine (see HealthSection).
	Health HealthSection `yaml:"health"`
	// CloudWatchAlarms define the alarms CLOUDWATCH_METRIC health checks
	// follow, each as a Prometheus query compared with a threshold.
	CloudWatchAlarms []CloudWatchAlarm `yaml:"cloudwatch_alarms"`
}

// Load reads and validates a configuration file.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	f, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return f, nil
}

// Parse decodes and validates configuration text.
func Parse(b []byte) (*File, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parse: %w", err)
	}
	for i, c := range f.Credentials {
		if c.AccessKeyID == "" || c.SecretAccessKey == "" {
			return nil, fmt.Errorf("credentials[%d]: access_key_id and secret_access_key are both required", i)
		}
	}
	if err := f.validateLocality(); err != nil {
		return nil, err
	}
	if err := f.validateHealth(); err != nil {
		return nil, err
	}
	if _, _, err := f.AcceleratorPools(); err != nil {
		return nil, err
	}
	return &f, nil
}

// LocationEntry is one `locations` item: where the clients in CIDR are, e.g.
// {cidr: 198.51.100.0/24, country: US, subdivision: VA, latitude: 38.9,
// longitude: -77.4}. It needs a country, coordinates, or both.
type LocationEntry struct {
	CIDR        string   `yaml:"cidr"`
	Country     string   `yaml:"country"`
	Subdivision string   `yaml:"subdivision"`
	Latitude    *float64 `yaml:"latitude"`
	Longitude   *float64 `yaml:"longitude"`
}

// LatencyEntry is one `latency` item: the RTT from the clients in CIDR to
// Region, e.g. {cidr: 192.0.2.128/25, region: us-west-2, rtt_ms: 5}.
type LatencyEntry struct {
	CIDR      string   `yaml:"cidr"`
	Region    string   `yaml:"region"`
	RTTMillis *float64 `yaml:"rtt_ms"`
}

// RegionEntry is one `regions` item: a custom region and where it is, e.g.
// {code: on-prem-east, latitude: 40.7, longitude: -74.0}.
type RegionEntry struct {
	Code      string   `yaml:"code"`
	Latitude  *float64 `yaml:"latitude"`
	Longitude *float64 `yaml:"longitude"`
}

// GeoConfig returns the declared client locations and the GeoIP database
// path, ready for geo.Compile. A CIDR that does not parse (only possible in a
// File not checked by Parse) becomes an invalid prefix that geo.Compile
// rejects.
func (f *File) GeoConfig() ([]geo.DeclaredLocation, string) {
	out := make([]geo.DeclaredLocation, len(f.Locations))
	for i, l := range f.Locations {
		p, _ := netip.ParsePrefix(l.CIDR)
		out[i] = geo.DeclaredLocation{Prefix: p, Country: l.Country, Subdivision: l.Subdivision, Latitude: l.Latitude, Longitude: l.Longitude}
	}
	return out, f.GeoIP
}

// LatencyConfig returns the custom regions, declared RTTs and default region
// order, ready for latency.Compile. As with GeoConfig, entries a Parse-checked
// File cannot hold (bad CIDR, missing numbers) come out in a form Compile
// rejects.
func (f *File) LatencyConfig() latency.Config {
	var c latency.Config
	for _, r := range f.Regions {
		reg := latency.Region{Code: r.Code}
		if r.Latitude != nil && r.Longitude != nil {
			reg.Latitude, reg.Longitude = *r.Latitude, *r.Longitude
		}
		c.Regions = append(c.Regions, reg)
	}
	for _, l := range f.Latency {
		p, _ := netip.ParsePrefix(l.CIDR)
		d := latency.Declared{Prefix: p, Region: l.Region, Millis: math.NaN()}
		if l.RTTMillis != nil {
			d.Millis = *l.RTTMillis
		}
		c.Declared = append(c.Declared, d)
	}
	c.DefaultOrder = append(c.DefaultOrder, f.DefaultRegionOrder...)
	return c
}

// validateLocality checks locations, latency, regions and
// default_region_order. The geo and latency packages check the meaning; here
// only what YAML loses: CIDR syntax and required numbers.
func (f *File) validateLocality() error {
	for i, l := range f.Locations {
		if _, err := netip.ParsePrefix(l.CIDR); err != nil {
			return fmt.Errorf("locations[%d]: cidr %q is not a CIDR prefix (address/length)", i, l.CIDR)
		}
	}
	decl, _ := f.GeoConfig()
	if err := geo.ValidateDeclared(decl); err != nil {
		return err
	}
	for i, r := range f.Regions {
		if r.Latitude == nil || r.Longitude == nil {
			return fmt.Errorf("regions[%d] (%s): latitude and longitude are required", i, r.Code)
		}
	}
	for i, l := range f.Latency {
		if _, err := netip.ParsePrefix(l.CIDR); err != nil {
			return fmt.Errorf("latency[%d]: cidr %q is not a CIDR prefix (address/length)", i, l.CIDR)
		}
		if l.RTTMillis == nil {
			return fmt.Errorf("latency[%d] (%s %s): rtt_ms is required", i, l.CIDR, l.Region)
		}
	}
	return f.LatencyConfig().Validate()
}
