package snapshot

import (
	"encoding/binary"

	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

// Policy is the routing policy of the record sets at one (name, type).
type Policy uint8

// The routing policies of Route 53 (spec 2.6).
const (
	PolicySimple Policy = iota
	PolicyWeighted
	PolicyFailover
	PolicyMultiValue
	PolicyLatency
	PolicyGeolocation
	PolicyGeoproximity
	PolicyIPBased
)

// String returns the policy's name as the spec writes it.
func (p Policy) String() string {
	switch p {
	case PolicySimple:
		return "simple"
	case PolicyWeighted:
		return "weighted"
	case PolicyFailover:
		return "failover"
	case PolicyMultiValue:
		return "multivalue"
	case PolicyLatency:
		return "latency"
	case PolicyGeolocation:
		return "geolocation"
	case PolicyGeoproximity:
		return "geoproximity"
	case PolicyIPBased:
		return "ip-based"
	}
	return "unknown"
}

// Plan is the precomputed answer for one (node, type): the record sets that
// share the name and type, their routing policy, and what it takes to pick
// among them. A Plan is immutable once its snapshot is published.
type Plan struct {
	Type   uint16
	Policy Policy
	// alwaysHealthy: no member, and no member of a target group reached
	// through an alias with EvaluateTargetHealth, has a health check, so
	// every member is healthy whatever the health view says.
	alwaysHealthy bool
	// Members are the record sets of the group, ordered by SetIdentifier. A
	// simple plan has exactly one.
	Members []Member
	// Unserved, when not empty, says why queries for this plan get SERVFAIL
	// (an inconsistent group, or an IP-based group whose CIDR collection or
	// location is missing).
	Unserved string
	// node is the plan's owner.
	node *Node
	// route holds the compiled data of weighted plans with a positive
	// weight and of the other routing policies; nil for simple and
	// multivalue plans.
	route *routeData
}

// weightTable supports one weighted-random pick per response.
type weightTable struct {
	cum   []uint64 // cumulative weight of members with weight > 0, in member order
	index []int    // member index for each entry of cum
	total uint64
}

// Member is one record set of a plan: either parsed values or an alias.
type Member struct {
	// RRs are the parsed values, owner name set to the node's name, TTL to
	// the record set's TTL. Shared by every response: never modify them.
	RRs []dns.RR
	// Alias is set for alias record sets.
	Alias *Alias
	// Source is the record set as stored, without its Values, for members of
	// a routing-policy group (nil for simple record sets). It carries the
	// SetIdentifier and the policy fields (weight, region, location, ...).
	Source *zone.RRSet
	// aux holds what few members have: a health check, targets for the
	// Additional section. Nil for the others.
	aux *memberAux
	// wire holds RRs pre-packed one after another (see Packed).
	wire []byte
}

// memberAux is the rarely set part of a Member.
type memberAux struct {
	// healthCheck is the record set's HealthCheckId, "" for none.
	healthCheck string
	// extra are in-zone nodes named by the values (MX, SRV, NS and CNAME
	// targets) whose A and AAAA records go into the Additional section.
	extra []*Node
}

// Packed returns the member's records pre-packed for a response, one after
// another in the order of RRs, or nil when they could not be packed. Each
// record is a two-byte compression pointer to offset 12 (the question
// name), which the writer may patch to point elsewhere, then type, class,
// TTL, RDLENGTH and RDATA, so it ends 12+RDLENGTH bytes after it starts.
// RDATA names are not compressed. The bytes are shared: do not modify them.
func (m *Member) Packed() []byte { return m.wire }

// Wire returns Packed and the end offset of each record in it: record i is
// wire[start:ends[i]], start being ends[i-1] (0 for the first). Both are nil
// when the records could not be packed. It allocates ends on every call;
// the server walks Packed instead.
func (m *Member) Wire() (wire []byte, ends []uint32) {
	if m.wire == nil {
		return nil, nil
	}
	for off := 0; off+12 <= len(m.wire); {
		off += 12 + int(binary.BigEndian.Uint16(m.wire[off+10:]))
		ends = append(ends, uint32(off))
	}
	return m.wire, ends
}

// Extra returns the in-zone nodes that the member's values name (MX, SRV, NS
// and CNAME targets).
func (m *Member) Extra() []*Node {
	if m.aux == nil {
		return nil
	}
	return m.aux.extra
}

// HealthCheckID returns the record set's health check ID, "" for none.
func (m *Member) HealthCheckID() string {
	if m.aux == nil {
		return ""
	}
	return m.aux.healthCheck
}

// SetIdentifier returns the record set's SetIdentifier, "" for a simple
// record set.
func (m *Member) SetIdentifier() string {
	if m.Source == nil {
		return ""
	}
	return m.Source.SetIdentifier
}

// Weight returns the weight of a weighted record set, 0 for others.
func (m *Member) Weight() int64 {
	if m.Source == nil || m.Source.Weight == nil {
		return 0
	}
	return *m.Source.Weight
}

// AliasState says how an alias record set resolves.
type AliasState uint8

// Alias states.
const (
	// AliasResolved: the target is a record set group in the same zone.
	AliasResolved AliasState = iota
	// AliasExternal: the target is outside the zone (an AWS resource or
	// another hosted zone); not served yet, answered with SERVFAIL.
	AliasExternal
	// AliasMissing: the target is in the zone but has no record set of the
	// alias's type; answered with NODATA.
	AliasMissing
	// AliasCycle: the alias leads back to itself; answered with SERVFAIL.
	AliasCycle
)

// Alias is an alias record set resolved at compile time.
type Alias struct {
	Target zone.AliasTarget
	State  AliasState
	// Plan is the target group when State is AliasResolved.
	Plan *Plan
}

// policyOf returns the routing policy a record set with a SetIdentifier
// declares, and whether it declares exactly one.
func policyOf(r *zone.RRSet) (Policy, bool) {
	var p Policy
	n := 0
	if r.Weight != nil {
		p, n = PolicyWeighted, n+1
	}
	if r.Failover != "" {
		p, n = PolicyFailover, n+1
	}
	if r.MultiValueAnswer != nil && *r.MultiValueAnswer {
		p, n = PolicyMultiValue, n+1
	}
	if r.Region != "" {
		p, n = PolicyLatency, n+1
	}
	if r.GeoLocation != nil {
		p, n = PolicyGeolocation, n+1
	}
	if r.GeoProximityLocation != nil {
		p, n = PolicyGeoproximity, n+1
	}
	if r.CidrRoutingConfig != nil {
		p, n = PolicyIPBased, n+1
	}
	return p, n == 1
}
