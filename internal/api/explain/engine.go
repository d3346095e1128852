// Package explain serves Meridian's explain endpoint, GET
// /meridian/v1/explain: it runs one query through the DNS answer engine on
// the serving snapshot and routing environment and returns, as JSON, the
// reply and why it was chosen (package routing's Explanation). Engine, the
// in-process answerer behind it, also serves the Route 53 API's
// TestDNSAnswer.
package explain

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/meridian-gtm/meridian/internal/dnsserver"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/miekg/dns"
)

// DefaultResolverIP is the resolver address simulated when a request names
// none: Route 53's TestDNSAnswer simulates a resolver in us-east-1, and this
// address lies in 3.80.0.0/12, a block AWS publishes for EC2 in us-east-1,
// so a GeoIP database places it in northern Virginia. Without one, declare
// a location and latency entries for it (or its block) in the configuration
// to say where it is; Engine.SimulatedResolver replaces it.
const DefaultResolverIP = "3.80.0.2"

var defaultResolver = netip.MustParseAddr(DefaultResolverIP)

// UDPBufferSize is the EDNS0 UDP payload size the simulated resolver
// advertises: Route 53's limit, so that only answers larger than any UDP
// reply fall back to TCP.
const UDPBufferSize = 4096

// Engine answers queries in process from the snapshot and the routing
// environment the DNS server is serving, and says why. It is safe for
// concurrent use.
type Engine struct {
	Snapshots *snapshot.Holder
	Env       *routing.EnvHolder
	// SimulatedResolver is the resolver address used when a request names
	// none; the zero value means DefaultResolverIP.
	SimulatedResolver netip.Addr
}

// DefaultResolver returns the resolver address used when a request names
// none.
func (e *Engine) DefaultResolver() netip.Addr {
	if e.SimulatedResolver.IsValid() {
		return e.SimulatedResolver
	}
	return defaultResolver
}

// Explain answers req from a resolver at client exactly as the DNS
// listeners would now, and says why: over UDP and, when that reply is
// truncated, again over TCP, as a resolver would. proto is the protocol of
// the reply returned, "UDP" or "TCP".
func (e *Engine) Explain(req *dns.Msg, client netip.Addr) (resp *dns.Msg, ex *routing.Explanation, proto string) {
	return explainAsResolver(e.Snapshots.Load(), e.Env.Load(), req, client)
}

// ExplainZone answers req like Explain, but as the name servers of hosted
// zone zoneID alone would: from that zone as it is in the serving snapshot,
// even when another zone of the same name is the one the shared listeners
// serve, and with zones below it left out (a name in a child zone is
// answered from the parent's own data: a referral when it delegates, else
// NXDOMAIN). Names outside the zone, and every name while the zone is not in
// the serving snapshot yet, are REFUSED.
func (e *Engine) ExplainZone(zoneID string, req *dns.Msg, client netip.Addr) (resp *dns.Msg, ex *routing.Explanation, proto string, err error) {
	view, err := zoneView(e.Snapshots.Load(), zoneID)
	if err != nil {
		return nil, nil, "", err
	}
	resp, ex, proto = explainAsResolver(view, e.Env.Load(), req, client)
	return resp, ex, proto, nil
}

// explainAsResolver answers over UDP and, when truncated, over TCP.
func explainAsResolver(snap *snapshot.Snapshot, env *routing.Env, req *dns.Msg, client netip.Addr) (*dns.Msg, *routing.Explanation, string) {
	resp, ex := dnsserver.Explain(snap, env, req, client, "udp")
	if !resp.Truncated {
		return resp, ex, "UDP"
	}
	resp, ex = dnsserver.Explain(snap, env, req, client, "tcp")
	return resp, ex, "TCP"
}

// zoneView returns a snapshot holding only zone id of snap (or no zone when
// snap lacks it). The compiled zone is shared, not recompiled.
func zoneView(snap *snapshot.Snapshot, id string) (*snapshot.Snapshot, error) {
	z := snap.Zone(id)
	zones := snap.Zones()
	if z != nil && len(zones) == 1 {
		return snap, nil
	}
	removed := make([]string, 0, len(zones))
	for _, o := range zones {
		if o != z {
			removed = append(removed, o.ID())
		}
	}
	view, err := snap.With(snap.Revision(), nil, removed)
	if err != nil {
		return nil, fmt.Errorf("view of zone %s: %w", id, err)
	}
	return view, nil
}

// NewQuery returns the query a resolver sends for (name, qtype): no
// recursion desired, EDNS0 with a UDPBufferSize payload and, when subnet is
// valid, an EDNS Client Subnet option for it (host bits cleared; a /0 subnet
// is RFC 7871's opt-out). name is in miekg/dns presentation form.
func NewQuery(name string, qtype uint16, subnet netip.Prefix) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = false
	m.SetEdns0(UDPBufferSize, false)
	if subnet.IsValid() {
		subnet = subnet.Masked()
		ecs := &dns.EDNS0_SUBNET{
			Code:          dns.EDNS0SUBNET,
			Family:        1,
			SourceNetmask: uint8(subnet.Bits()),
			Address:       net.IP(subnet.Addr().AsSlice()),
		}
		if subnet.Addr().Is6() {
			ecs.Family = 2
		}
		m.IsEdns0().Option = append(m.IsEdns0().Option, ecs)
	}
	return m
}
