// Package accel is the accelerator's data plane: listeners on fixed
// addresses that proxy each new TCP connection or UDP flow to the closest
// healthy endpoint group, as AWS Global Accelerator does (spec 5.4, 5.5).
package accel

import "net/netip"

// Plan is what the data plane serves: every accelerator, compiled from the
// store. A Plan is immutable; the control plane publishes a new one on every
// change and the data plane swaps it in atomically.
type Plan struct {
	Accelerators []Accelerator
}

// Accelerator is one accelerator with its static addresses.
type Accelerator struct {
	ARN       string
	Name      string
	Enabled   bool
	Addresses []netip.Addr // the static IPs listeners bind to
	Listeners []Listener
}

// Listener accepts one protocol on a set of port ranges.
type Listener struct {
	ARN            string
	Protocol       string // "TCP" or "UDP"
	PortRanges     []PortRange
	ClientAffinity string // "NONE" or "SOURCE_IP"
	Groups         []EndpointGroup
}

// PortRange is an inclusive range of ports.
type PortRange struct{ From, To uint16 }

// EndpointGroup is the set of endpoints in one region.
type EndpointGroup struct {
	ARN                string
	Region             string
	TrafficDial        float64 // 0–100
	PortOverrides      map[uint16]uint16
	Endpoints          []Endpoint
	HealthCheckPort    uint16
	HealthCheckProto   string // TCP, HTTP or HTTPS
	HealthCheckPath    string
	HealthCheckSeconds int
	ThresholdCount     int
}

// Endpoint is one target: an address and optional port (a port overrides the
// listener port, as spec 5 "Endpoints outside AWS" describes).
type Endpoint struct {
	ID                   string // as configured: "IP" or "host:port"
	Addr                 netip.Addr
	Port                 uint16 // 0: the listener (or override) port
	Weight               int    // 0–255
	ClientIPPreservation bool   // send a PROXY protocol v2 header
	// HealthCheckID is the ID under which the health-check engine reports
	// this endpoint's status in the healthstate view.
	HealthCheckID string
}
