package snapshot

import "math/rand/v2"

// Status is the outcome of picking the record sets that answer a query.
type Status uint8

// Pick outcomes.
const (
	// PickOK: at least one record set was chosen.
	PickOK Status = iota
	// PickNoData: nothing to answer (an alias whose in-zone target is
	// missing, or record sets whose values all failed to parse).
	PickNoData
	// PickServFail: the plan or an alias on the way is not served yet
	// (client-location policies, aliases to other zones) or is broken
	// (alias cycle, inconsistent group).
	PickServFail
)

// MaxMultiValue is the most record sets a multivalue answer returns.
const MaxMultiValue = 8

// maxAliasDepth bounds alias chains at query time; compilation already cuts
// cycles, so this is a second line only.
const maxAliasDepth = 16

// Picked holds the record sets chosen for one answer; a zero Picked is
// empty. It lives on the caller's stack, so picking does not allocate.
type Picked struct {
	n int
	m [MaxMultiValue]*Member
}

// Members returns the chosen record sets; the slice aliases p.
func (p *Picked) Members() []*Member { return p.m[:p.n] }

// Len returns the number of chosen record sets.
func (p *Picked) Len() int { return p.n }

func (p *Picked) add(m *Member) {
	if p.n < len(p.m) {
		p.m[p.n] = m
		p.n++
	}
}

// Pick chooses the record sets that answer one query from p, following
// in-zone aliases to their targets' own policies, and adds them to out.
// Every record set is taken as healthy for now: health checks are not
// evaluated yet.
func (p *Plan) Pick(out *Picked) Status {
	return p.pick(out, 0)
}

func (p *Plan) pick(out *Picked, depth int) Status {
	if p.Unserved != "" || depth > maxAliasDepth || len(p.Members) == 0 {
		return PickServFail
	}
	switch p.Policy {
	case PolicySimple:
		return p.Members[0].follow(out, depth)
	case PolicyWeighted:
		return p.Members[p.weightedIndex()].follow(out, depth)
	case PolicyFailover:
		return p.Members[p.failoverIndex()].follow(out, depth)
	case PolicyMultiValue:
		return p.multiValue(out, depth)
	}
	return PickServFail
}

// follow adds the member, or what its alias resolves to.
func (m *Member) follow(out *Picked, depth int) Status {
	if m.Alias == nil {
		if len(m.RRs) == 0 {
			return PickNoData
		}
		out.add(m)
		return PickOK
	}
	switch m.Alias.State {
	case AliasResolved:
		return m.Alias.Plan.pick(out, depth+1)
	case AliasMissing:
		return PickNoData
	}
	return PickServFail
}

// weightedIndex makes one weighted-random pick (spec 2.6): members with
// weight > 0 in proportion to their weights; when every weight is 0, all
// members with equal probability.
func (p *Plan) weightedIndex() int {
	t := p.weights
	if t == nil {
		return rand.IntN(len(p.Members))
	}
	r := rand.Uint64N(t.total)
	lo, hi := 0, len(t.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if r < t.cum[mid] {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return t.index[lo]
}

// failoverIndex returns the PRIMARY member (healthy, as every member is for
// now), or the only other member when no PRIMARY exists.
func (p *Plan) failoverIndex() int {
	for i := range p.Members {
		if s := p.Members[i].Source; s != nil && s.Failover == "PRIMARY" {
			return i
		}
	}
	return 0
}

// multiValue returns up to MaxMultiValue record sets chosen at random, all of
// them when there are no more; the answer is the union of their values.
func (p *Plan) multiValue(out *Picked, depth int) Status {
	n := len(p.Members)
	var chosen [MaxMultiValue]int
	k := min(n, MaxMultiValue)
	// Reservoir sampling: a uniform random subset of k members.
	for i := 0; i < n; i++ {
		if i < k {
			chosen[i] = i
		} else if j := rand.IntN(i + 1); j < k {
			chosen[j] = i
		}
	}
	status := PickNoData
	for _, i := range chosen[:k] {
		st := p.Members[i].follow(out, depth)
		switch {
		case st == PickOK:
			status = PickOK
		case st == PickServFail && status != PickOK:
			status = PickServFail
		}
	}
	return status
}
