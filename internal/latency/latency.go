// Package latency knows the regions traffic can go to and how far each is, in
// round-trip time, from a client: measured values beat a declared table, which
// beats an estimate from great-circle distance, which beats a configured
// default order.
package latency

import (
	"net/netip"

	"github.com/meridian-gtm/meridian/internal/geo"
)

// Region is a place endpoints live: an AWS region code such as us-east-1
// (built in) or a custom code from the configuration.
type Region struct {
	Code      string
	Latitude  float64
	Longitude float64
}

// Source says which source ranked a region for a client.
type Source uint8

// Latency sources, most trusted first.
const (
	SourceMeasured Source = iota // probes or passive RTT (fed by the cluster)
	SourceDeclared               // the configuration's latency table
	SourceEstimate               // great-circle distance from the client's coordinates
	SourceDefault                // the configured default region order
)

// String names the source for explanations.
func (s Source) String() string {
	switch s {
	case SourceMeasured:
		return "measured"
	case SourceDeclared:
		return "declared"
	case SourceEstimate:
		return "estimate"
	}
	return "default-order"
}

// RTT is the round-trip time from a client to one region and where it came
// from. Bits is the prefix length around the client address over which the
// value holds (ECS scope contribution). It is never shorter than that, even
// for estimates and the default order: a declared entry next to the client
// changes the answer there (see Table.RTT).
type RTT struct {
	Millis float64
	Source Source
	Bits   uint8
}

// Map gives the RTT from a client to a region. loc is the client's location
// (for the distance estimate). ok is false when the region is unknown.
// Implementations are immutable and safe for concurrent use; RTT must not
// allocate.
type Map interface {
	RTT(addr netip.Addr, loc geo.Location, region string) (rtt RTT, ok bool)
}
