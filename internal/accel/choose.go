package accel

import (
	"math"
	"net/netip"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/latency"
)

// Listener protocols and client affinities as the plan spells them.
const (
	ProtocolTCP      = "TCP"
	ProtocolUDP      = "UDP"
	AffinityNone     = "NONE"
	AffinitySourceIP = "SOURCE_IP"
)

// MaxGroups is the most endpoint groups a listener may have. GA allows 42
// per accelerator; Choose ranks only the first MaxGroups groups of a
// listener and Apply refuses plans with more.
const MaxGroups = 64

// failoverGroups is how many of the closest groups failover searches
// (spec 5.4 "Failover and fail-open" 2).
const failoverGroups = 3

// Flow is a new flow as the listener socket sees it: Dst is the accelerator
// address and listener port the client reached.
type Flow struct {
	Protocol string // ProtocolTCP or ProtocolUDP
	Src      netip.AddrPort
	Dst      netip.AddrPort
}

// Rule says which step of the reference algorithm (spec 5.5) picked the
// endpoint.
type Rule uint8

// Rules, in the order the algorithm tries them.
const (
	RuleNone     Rule = iota // no endpoint with weight > 0 anywhere: drop the flow
	RuleDial                 // a healthy endpoint of the group proximity and the dial chose
	RuleFailover             // that group had none; one of the three closest groups did
	RuleFailOpen             // nothing healthy in the three closest groups: the closest group, ignoring health
)

// String names the rule for explanations and logs.
func (r Rule) String() string {
	switch r {
	case RuleDial:
		return "dial"
	case RuleFailover:
		return "failover"
	case RuleFailOpen:
		return "fail-open"
	}
	return "none"
}

// GroupRank is one endpoint group's place in the client's proximity order.
type GroupRank struct {
	Group     int            // index in Listener.Groups
	RTTMillis float64        // +Inf when the latency map does not know the region
	Source    latency.Source // which latency source ranked it; meaningful when Known
	Known     bool           // the latency map knew the region
}

// Choice is the outcome of Choose with everything needed to explain it.
// Indexes refer to the Listener passed to Choose.
type Choice struct {
	Rule Rule
	// Key is the flow-hash key (FlowKey) and DialDraw u(key, "dial"), the
	// draw compared with the closest group's traffic dial.
	Key      uint64
	DialDraw float64
	// Ranked holds the groups closest first; NumRanked of them are valid
	// (see Ranking).
	Ranked    [MaxGroups]GroupRank
	NumRanked int
	// Dialed is the group proximity and the traffic dial picked (-1 when
	// the listener has no groups); Spilled says the closest group's dial
	// shed the flow to the next-closest group with a dial above zero.
	Dialed  int
	Spilled bool
	// Group and Endpoint locate the chosen endpoint (-1 for RuleNone), and
	// Port is the destination port at it: the endpoint's own port, else the
	// group's override of the listener port, else the listener port.
	Group    int
	Endpoint int
	Port     uint16
}

// Ranking returns the proximity order, closest first.
func (c *Choice) Ranking() []GroupRank { return c.Ranked[:c.NumRanked] }

// Target returns the chosen endpoint and the address to connect to; ok is
// false for RuleNone. l must be the listener c was chosen on.
func (c *Choice) Target(l *Listener) (ep *Endpoint, addr netip.AddrPort, ok bool) {
	if c.Rule == RuleNone {
		return nil, netip.AddrPort{}, false
	}
	ep = &l.Groups[c.Group].Endpoints[c.Endpoint]
	return ep, netip.AddrPortFrom(ep.Addr, c.Port), true
}

// Choose picks the endpoint for a new flow f on listener l, following the
// reference algorithm of spec 5.5 exactly:
//
//  1. the flow key is the 5-tuple, or the 2-tuple for SOURCE_IP affinity
//     (so a client's flows all reach the same group and endpoint);
//  2. groups are ranked by the client's RTT to their region (lat, with loc
//     the client's location), ties by region name;
//  3. the closest group keeps the flow when u(key,"dial") < dial/100,
//     otherwise it spills to the next-closest group with a dial above zero,
//     which does not dial again (with no such group it stays);
//  4. within that group, weighted rendezvous hashing over the healthy
//     endpoints with weight > 0: the highest -w/ln(u(key, endpoint ID));
//  5. if there is none, the same pick over each of the three closest groups
//     in order, ignoring dials (failover);
//  6. if there is still none, fail open to the closest group: the same pick
//     ignoring health. Spec 5.4 says a random endpoint; the flow hash is
//     random across flows and keeps SOURCE_IP clients on one endpoint. A
//     group without an endpoint of weight > 0 is skipped (weight 0 is the
//     operator's "no traffic", not a health state), so the next-closest one
//     that has such an endpoint serves instead.
//
// An endpoint is healthy when view has a settled status of its health check
// and reports it healthy. One whose check the view does not know yet, or
// knows only by its cold-start status, is INITIAL (spec 5.4: a new endpoint
// must pass a check first) and is used only by fail-open. An
// endpoint without a HealthCheckID is not health checked and counts as
// healthy, and a nil view means no health checking at all.
//
// Choose does not allocate. It is pure: the same inputs give the same
// Choice.
func Choose(l *Listener, f Flow, loc geo.Location, lat latency.Map, view *healthstate.View) (c Choice) {
	c.Dialed, c.Group, c.Endpoint = -1, -1, -1
	c.Key = FlowKey(l.ClientAffinity, f)
	c.DialDraw = unit(c.Key, saltDial)
	n := rankGroups(&c, l, f.Src.Addr(), loc, lat)
	if n == 0 {
		return
	}
	ranked := c.Ranked[:n]

	g0 := ranked[0].Group
	c.Dialed = g0
	if d := dialPercent(l.Groups[g0].TrafficDial); d < 100 && c.DialDraw >= d/100 {
		// The closest group sheds this flow. Where it goes when no other
		// group has a dial above zero is unconfirmed (spec 9.10); both
		// branches of the reference pseudocode keep it on g0.
		for _, r := range ranked[1:] {
			if dialPercent(l.Groups[r.Group].TrafficDial) > 0 {
				c.Dialed, c.Spilled = r.Group, true
				break
			}
		}
	}

	if e := pickWeighted(&l.Groups[c.Dialed], c.Key, view, true); e >= 0 {
		finish(&c, l, f, RuleDial, c.Dialed, e)
		return
	}
	for _, r := range ranked[:min(failoverGroups, n)] {
		if r.Group == c.Dialed {
			continue
		}
		if e := pickWeighted(&l.Groups[r.Group], c.Key, view, true); e >= 0 {
			finish(&c, l, f, RuleFailover, r.Group, e)
			return
		}
	}
	for _, r := range ranked {
		if e := pickWeighted(&l.Groups[r.Group], c.Key, view, false); e >= 0 {
			finish(&c, l, f, RuleFailOpen, r.Group, e)
			return
		}
	}
	return
}

// finish records the chosen endpoint and its destination port in c.
func finish(c *Choice, l *Listener, f Flow, rule Rule, g, e int) {
	c.Rule, c.Group, c.Endpoint = rule, g, e
	grp := &l.Groups[g]
	c.Port = f.Dst.Port()
	if p, ok := grp.PortOverrides[c.Port]; ok {
		c.Port = p
	}
	if p := grp.Endpoints[e].Port; p != 0 {
		c.Port = p
	}
}

// rankGroups fills c.Ranked with the first MaxGroups groups of l, closest
// to the client first, and returns how many there are.
func rankGroups(c *Choice, l *Listener, client netip.Addr, loc geo.Location, lat latency.Map) int {
	n := min(len(l.Groups), MaxGroups)
	for i := range n {
		r := GroupRank{Group: i, RTTMillis: math.Inf(1)}
		if lat != nil {
			if rtt, ok := lat.RTT(client, loc, l.Groups[i].Region); ok && !math.IsNaN(rtt.Millis) {
				r.RTTMillis, r.Source, r.Known = rtt.Millis, rtt.Source, true
			}
		}
		// Insertion sort: a listener has a handful of groups.
		j := i
		for j > 0 && closer(l, r, c.Ranked[j-1]) {
			c.Ranked[j] = c.Ranked[j-1]
			j--
		}
		c.Ranked[j] = r
	}
	c.NumRanked = n
	return n
}

// closer orders groups by RTT, then region name, then position.
func closer(l *Listener, a, b GroupRank) bool {
	if a.RTTMillis != b.RTTMillis {
		return a.RTTMillis < b.RTTMillis
	}
	ra, rb := l.Groups[a.Group].Region, l.Groups[b.Group].Region
	if ra != rb {
		return ra < rb
	}
	return a.Group < b.Group
}

// dialPercent clamps a traffic dial to 0–100; NaN counts as 100 (the
// default).
func dialPercent(d float64) float64 {
	switch {
	case math.IsNaN(d) || d > 100:
		return 100
	case d < 0:
		return 0
	}
	return d
}

// pickWeighted runs weighted rendezvous hashing over g's endpoints with
// weight > 0 (and, when needHealthy, healthy ones only) and returns the
// winner's index, or -1.
func pickWeighted(g *EndpointGroup, key uint64, view *healthstate.View, needHealthy bool) int {
	best, bestScore := -1, math.Inf(-1)
	for i := range g.Endpoints {
		ep := &g.Endpoints[i]
		if ep.Weight <= 0 || needHealthy && !endpointHealthy(view, ep.HealthCheckID) {
			continue
		}
		// u in (0,1), so ln(u) < 0 and the score is positive; its
		// distribution makes P(win) = w / Σw.
		score := -float64(ep.Weight) / math.Log(unit(key, fnv64a(ep.ID)))
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// endpointHealthy says whether an endpoint may take new flows outside
// fail-open: its check is known and healthy, or it has no check, or there
// is no health view at all.
func endpointHealthy(view *healthstate.View, id string) bool {
	if view == nil || id == "" {
		return true
	}
	return view.Settled(id) && view.Healthy(id)
}

// EndpointState is the health state GA reports for an endpoint: INITIAL,
// HEALTHY or UNHEALTHY, by the same rules Choose uses.
func EndpointState(view *healthstate.View, ep *Endpoint) string {
	switch {
	case view == nil || ep.HealthCheckID == "":
		return "HEALTHY"
	case !view.Settled(ep.HealthCheckID):
		return "INITIAL"
	case view.Healthy(ep.HealthCheckID):
		return "HEALTHY"
	}
	return "UNHEALTHY"
}
