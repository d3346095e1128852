package accel

import (
	"sort"
	"sync/atomic"
)

// EndpointStats are one endpoint's counters. Bytes in flow from clients to
// the endpoint, bytes out from the endpoint to clients (payload only: the
// PROXY protocol header is not counted). TCP byte counts of open flows are
// refreshed on every sweep (SweepInterval), so they lag by at most that.
type EndpointStats struct {
	AcceleratorARN   string
	ListenerARN      string
	Protocol         string
	EndpointGroupARN string
	Region           string
	EndpointID       string
	ActiveFlows      int64
	TotalFlows       uint64
	DialErrors       uint64 // TCP connects that failed or timed out
	BytesIn          uint64
	BytesOut         uint64
	// Removed says the endpoint is no longer in the plan; it stays listed
	// while its established flows drain.
	Removed bool
}

// Drops counts flows and datagrams the proxy refused, by reason.
type Drops struct {
	Disabled     uint64 // the accelerator is disabled
	NoEndpoint   uint64 // the listener has no endpoint with weight > 0
	DialFailed   uint64 // the TCP connect to the endpoint failed
	UDPTableFull uint64 // datagrams that would have started a flow beyond MaxUDPFlows
}

// counterKey identifies an endpoint across plans: the same endpoint of the
// same group keeps its counters when the plan changes around it.
type counterKey struct {
	listenerARN string
	groupARN    string
	endpointID  string
}

// endpointCounters are one endpoint's live counters. The descriptive fields
// and inPlan change only under Proxy.mu.
type endpointCounters struct {
	accARN, protocol, region string
	inPlan                   bool

	active     atomic.Int64
	total      atomic.Uint64
	dialErrors atomic.Uint64
	bytesIn    atomic.Uint64
	bytesOut   atomic.Uint64
}

// dropCounters are the live counterparts of Drops.
type dropCounters struct {
	disabled, noEndpoint, dialFailed, udpTableFull atomic.Uint64
}

// advance raises *reported to v and adds the difference to *total, so a
// byte count sampled from several places (the sweeper, the end of a copy)
// is added once. It never lowers either.
func advance(reported *atomic.Int64, total *atomic.Uint64, v int64) {
	for {
		old := reported.Load()
		if v <= old {
			return
		}
		if reported.CompareAndSwap(old, v) {
			total.Add(uint64(v - old))
			return
		}
	}
}

// Stats returns every endpoint's counters: the plan's endpoints and removed
// ones that still have flows, ordered by listener, group and endpoint.
func (p *Proxy) Stats() []EndpointStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pruneCounters()
	out := make([]EndpointStats, 0, len(p.counters))
	for k, c := range p.counters {
		out = append(out, EndpointStats{
			AcceleratorARN:   c.accARN,
			ListenerARN:      k.listenerARN,
			Protocol:         c.protocol,
			EndpointGroupARN: k.groupARN,
			Region:           c.region,
			EndpointID:       k.endpointID,
			ActiveFlows:      c.active.Load(),
			TotalFlows:       c.total.Load(),
			DialErrors:       c.dialErrors.Load(),
			BytesIn:          c.bytesIn.Load(),
			BytesOut:         c.bytesOut.Load(),
			Removed:          !c.inPlan,
		})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if a.ListenerARN != b.ListenerARN {
			return a.ListenerARN < b.ListenerARN
		}
		if a.EndpointGroupARN != b.EndpointGroupARN {
			return a.EndpointGroupARN < b.EndpointGroupARN
		}
		return a.EndpointID < b.EndpointID
	})
	return out
}

// Drops returns the refusal counters.
func (p *Proxy) Drops() Drops {
	return Drops{
		Disabled:     p.drops.disabled.Load(),
		NoEndpoint:   p.drops.noEndpoint.Load(),
		DialFailed:   p.drops.dialFailed.Load(),
		UDPTableFull: p.drops.udpTableFull.Load(),
	}
}

// pruneCounters forgets removed endpoints whose flows have all ended.
// Callers hold p.mu.
func (p *Proxy) pruneCounters() {
	for k, c := range p.counters {
		if !c.inPlan && c.active.Load() == 0 {
			delete(p.counters, k)
		}
	}
}
