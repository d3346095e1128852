package routing

import (
	"github.com/meridian-gtm/meridian/internal/snapshot"
)

// Status is the outcome of picking the record sets that answer a query.
type Status uint8

// Pick outcomes.
const (
	// OK: at least one record set was chosen.
	OK Status = iota
	// NoData: nothing to answer: a geolocation or IP-based group with no
	// record for the client and no default, an alias whose in-zone target
	// is missing, or record sets whose values all failed to parse.
	NoData
	// ServFail: the group or an alias on the way cannot be served (alias
	// to another zone, alias cycle, inconsistent group, IP-based group
	// without its CIDR collection).
	ServFail
)

// String names the status.
func (s Status) String() string {
	switch s {
	case OK:
		return "ok"
	case NoData:
		return "nodata"
	}
	return "servfail"
}

// MaxMultiValue is the most record sets a multivalue answer returns.
const MaxMultiValue = 8

// maxAliasDepth bounds alias chains at query time; compilation already cuts
// cycles, so this is a second line only.
const maxAliasDepth = 16

// Picked holds the record sets chosen for one answer; a zero Picked is
// empty. It lives on the caller's stack, so picking does not allocate.
type Picked struct {
	n int
	m [MaxMultiValue]*snapshot.Member
}

// Members returns the chosen record sets; the slice aliases p.
func (p *Picked) Members() []*snapshot.Member { return p.m[:p.n] }

// Len returns the number of chosen record sets.
func (p *Picked) Len() int { return p.n }

func (p *Picked) add(m *snapshot.Member) {
	if p.n < len(p.m) {
		p.m[p.n] = m
		p.n++
	}
}

// Pick chooses the record sets that answer one query from plan p for the
// client of q, following in-zone aliases to their targets' own policies
// (spec 2.8), and adds them to out.
func Pick(q *Query, p *snapshot.Plan, out *Picked) Status {
	return q.pick(p, out, 0)
}

func (q *Query) pick(p *snapshot.Plan, out *Picked, depth int) Status {
	if p == nil || depth > maxAliasDepth {
		return ServFail
	}
	var st *Step
	if q.Explain != nil {
		st = q.beginStep(p, depth)
	}
	if p.Unserved != "" || len(p.Members) == 0 {
		finishStep(st, p, nil, "not served: "+p.Unserved, ServFail)
		return ServFail
	}
	var i int
	var rule string
	switch p.Policy {
	case snapshot.PolicySimple:
		i, rule = 0, "simple: the only record set (health has no effect)"
	case snapshot.PolicyWeighted:
		i, rule = q.weighted(p, depth)
	case snapshot.PolicyFailover:
		i, rule = q.failover(p, depth)
	case snapshot.PolicyMultiValue:
		return q.multiValue(p, out, depth, st)
	case snapshot.PolicyLatency:
		i, rule = q.latency(p, depth, st)
	case snapshot.PolicyGeolocation:
		i, rule = q.geolocation(p, depth, st)
	case snapshot.PolicyGeoproximity:
		i, rule = q.geoproximity(p, depth, st)
	case snapshot.PolicyIPBased:
		i, rule = q.ipBased(p, depth, st)
	default:
		finishStep(st, p, nil, "unknown policy", ServFail)
		return ServFail
	}
	if i < 0 {
		finishStep(st, p, nil, rule, NoData)
		return NoData
	}
	if st != nil {
		finishStep(st, p, []int{i}, rule, q.followStatus(&p.Members[i]))
	}
	return q.follow(&p.Members[i], out, depth)
}

// followStatus predicts the status of following m without following it, so
// that a step is complete before the steps of its alias target are added.
func (q *Query) followStatus(m *snapshot.Member) Status {
	if m.Alias == nil {
		if len(m.RRs) == 0 {
			return NoData
		}
		return OK
	}
	switch m.Alias.State {
	case snapshot.AliasResolved:
		return OK // the target's own step says how it ended
	case snapshot.AliasMissing:
		return NoData
	}
	return ServFail
}

// follow adds the member, or what its alias resolves to.
func (q *Query) follow(m *snapshot.Member, out *Picked, depth int) Status {
	if m.Alias == nil {
		if len(m.RRs) == 0 {
			return NoData
		}
		out.add(m)
		return OK
	}
	switch m.Alias.State {
	case snapshot.AliasResolved:
		return q.pick(m.Alias.Plan, out, depth+1)
	case snapshot.AliasMissing:
		return NoData
	}
	return ServFail
}
