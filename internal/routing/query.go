package routing

import (
	"net/netip"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/latency"
)

// maxHealthEvaluations bounds the member health evaluations of one query, a
// guard against pathological alias trees (a wide group aliased many levels
// deep); past it, record sets count as healthy (fail open).
const maxHealthEvaluations = 4096

// Query is the per-query context passed down a pick: who the client is, what
// is known about the world, and what the decision has depended on so far.
// Build it with NewQuery and keep it on the stack; it is not safe for
// concurrent use.
type Query struct {
	// Client is the subnet the client is located from (spec 2.3): the ECS
	// source prefix when the query carried one with a nonzero prefix, else
	// the resolver's address as /32 or /128. An invalid prefix means the
	// client is unknown: it matches only default locations.
	Client netip.Prefix
	// FromECS reports that Client came from an EDNS Client Subnet option.
	FromECS bool
	// Locator, Latency, Regions and Health are read from the Env; nil means
	// nothing known (Health: every check healthy).
	Locator geo.Locator
	Latency latency.Map
	Regions RegionCatalog
	Health  *healthstate.View
	// Explain, when not nil, receives why every decision was made. Nil on
	// the hot path.
	Explain *Explanation

	loc         geo.Location
	located     bool
	scope       uint8
	evaluations int
}

// NewQuery returns the context for one query from client (see
// Query.Client) in env, which may be nil. ex, when not nil, receives the
// explanation.
func NewQuery(env *Env, client netip.Prefix, fromECS bool, ex *Explanation) Query {
	q := Query{Client: client, FromECS: fromECS, Explain: ex}
	if env != nil {
		q.Locator, q.Latency, q.Regions = env.Locator, env.Latency, env.Regions
		if env.Health != nil {
			q.Health = env.Health.Load()
		}
	}
	if ex != nil {
		ex.Client = ClientInfo{Subnet: client.String(), Source: "resolver"}
		if !client.IsValid() {
			ex.Client.Subnet, ex.Client.Source = "", "unknown"
		} else if fromECS {
			ex.Client.Source = "ecs"
		}
	}
	return q
}

// ClientPrefix returns the subnet a query's client is located from (spec
// 2.3): the ECS subnet when ecs is valid and its prefix is nonzero, else the
// resolver address as a host prefix. It reports whether ECS was used.
func ClientPrefix(resolver netip.Addr, ecs netip.Prefix) (netip.Prefix, bool) {
	if ecs.IsValid() && ecs.Bits() > 0 {
		return ecs.Masked(), true
	}
	if !resolver.IsValid() {
		return netip.Prefix{}, false
	}
	resolver = resolver.Unmap()
	return netip.PrefixFrom(resolver, resolver.BitLen()), false
}

// Scope returns the ECS scope prefix length the decisions so far support:
// 0 when nothing depended on the client, else the longest prefix length of
// the location, latency and CIDR table entries consulted.
func (q *Query) Scope() uint8 { return q.scope }

// depend records that the answer depends on the client over a prefix of the
// given length.
func (q *Query) depend(bits uint8) {
	if bits > q.scope {
		q.scope = bits
	}
}

// locate returns the client's location, looking it up once per query, and
// whether a locator was consulted (false: nothing is known, and nothing
// about the answer depends on the client's address through it).
func (q *Query) locate() (geo.Location, bool) {
	if !q.located {
		q.located = true
		if q.Locator != nil && q.Client.IsValid() {
			q.loc = q.Locator.Locate(q.Client.Addr())
		}
	}
	return q.loc, q.Locator != nil && q.Client.IsValid()
}

// useLocation returns the client's location for a decision that depends on
// it, recording the dependency and, when explaining, the location.
func (q *Query) useLocation() geo.Location {
	loc, consulted := q.locate()
	if consulted {
		q.depend(loc.Bits)
		if q.Explain != nil && q.Explain.Location == nil {
			q.Explain.Location = locationInfo(loc)
		}
	}
	return loc
}

// Finish completes the explanation, if any, with the ECS scope and the
// client's location (looked up for display when no decision needed it; that
// does not change the scope).
func (q *Query) Finish() {
	ex := q.Explain
	if ex == nil {
		return
	}
	ex.Scope = q.scope
	if ex.Location == nil {
		if loc, consulted := q.locate(); consulted {
			ex.Location = locationInfo(loc)
			ex.Location.Used = false
		}
	}
}
