package accel

import (
	"time"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/latency"
)

// Defaults for Config's zero values.
const (
	DefaultTCPIdleTimeout = 340 * time.Second // spec 5.4
	DefaultUDPIdleTimeout = 30 * time.Second  // spec 5.4
	DefaultDialTimeout    = 10 * time.Second
	DefaultMaxSockets     = 4096
	DefaultMaxUDPFlows    = 65536
)

// Config tunes the proxy. Zero values take the defaults above.
type Config struct {
	// TCPIdleTimeout closes a TCP flow after this long without data in
	// either direction.
	TCPIdleTimeout time.Duration
	// UDPIdleTimeout forgets a UDP flow after this long without a datagram
	// in either direction.
	UDPIdleTimeout time.Duration
	// DialTimeout bounds the TCP connect to an endpoint.
	DialTimeout time.Duration
	// MaxSockets is the most listening sockets (one per accelerator
	// address, port and protocol) a plan may need; Apply refuses more.
	MaxSockets int
	// MaxUDPFlows bounds the UDP flow table across all sockets; a datagram
	// that would start a flow beyond it is dropped and counted.
	MaxUDPFlows int
	// SweepInterval is how often idle flows are looked for and live TCP
	// byte counters refreshed; zero derives it from the idle timeouts
	// (an eighth of the shorter one, between 10 ms and 5 s).
	SweepInterval time.Duration
}

// withDefaults returns c with zero fields set to the defaults.
func (c Config) withDefaults() Config {
	if c.TCPIdleTimeout <= 0 {
		c.TCPIdleTimeout = DefaultTCPIdleTimeout
	}
	if c.UDPIdleTimeout <= 0 {
		c.UDPIdleTimeout = DefaultUDPIdleTimeout
	}
	if c.DialTimeout <= 0 {
		c.DialTimeout = DefaultDialTimeout
	}
	if c.MaxSockets <= 0 {
		c.MaxSockets = DefaultMaxSockets
	}
	if c.MaxUDPFlows <= 0 {
		c.MaxUDPFlows = DefaultMaxUDPFlows
	}
	if c.SweepInterval <= 0 {
		c.SweepInterval = min(c.TCPIdleTimeout, c.UDPIdleTimeout) / 8
		c.SweepInterval = max(10*time.Millisecond, min(5*time.Second, c.SweepInterval))
	}
	return c
}

// Env is what the proxy knows about the world besides the plan. A nil
// Locator means client locations are unknown (the latency map then ranks on
// the address alone); a nil Latency ranks every region equal, so groups go
// in region-name order; a nil Health means no health checking: every
// endpoint is healthy.
//
// Proximity: the edge node and the client are the same machine here (one
// Meridian node plays every edge location), so endpoint groups are ranked by
// the client's RTT to each group's region, Latency.RTT(client address,
// client location, region), ties broken by region name.
type Env struct {
	Locator geo.Locator
	Latency latency.Map
	Health  *healthstate.Holder
}
