package routing

import (
	"math/rand/v2"

	"github.com/meridian-gtm/meridian/internal/snapshot"
)

// Rules of the multivalue policy.
const (
	ruleMultiValue         = "multivalue: healthy record sets, up to 8 at random"
	ruleMultiValueFailOpen = "multivalue: none healthy; up to 8 unhealthy at random"
)

// multiValue answers up to MaxMultiValue healthy record sets chosen at
// random (all of them when there are no more), or, when none is healthy,
// up to MaxMultiValue of the unhealthy ones (spec 2.6). The answer is the
// union of their values.
func (q *Query) multiValue(p *snapshot.Plan, out *Picked, depth int, st *Step) Status {
	n := len(p.Members)
	healthy, k, _ := q.healthySet(p, depth)
	rule := ruleMultiValue
	if k == 0 {
		k, rule = n, ruleMultiValueFailOpen
	}
	// cand lists the k candidates; only its first min(k, 8) entries are
	// chosen, so it is filled lazily by selection sampling instead of
	// shuffling all of them: each candidate is taken with probability
	// (still needed)/(still left).
	var cand [MaxMultiValue]int
	chosen := min(k, MaxMultiValue)
	need, left, c := chosen, k, 0
	for i := 0; i < n && need > 0; i++ {
		if k != n && !healthy.has(i) {
			continue
		}
		if rand.IntN(left) < need {
			cand[c] = i
			c++
			need--
		}
		left--
	}
	if st != nil {
		idx := make([]int, chosen)
		predicted := NoData
		for j := range chosen {
			idx[j] = cand[j]
			predicted = combine(predicted, q.followStatus(&p.Members[cand[j]]))
		}
		finishStep(st, p, idx, rule, predicted)
	}
	status := NoData
	for _, i := range cand[:chosen] {
		status = combine(status, q.follow(&p.Members[i], out, depth))
	}
	return status
}

// combine merges the statuses of several record sets of one answer: OK if
// any answered, else SERVFAIL if any failed, else NODATA.
func combine(a, b Status) Status {
	switch {
	case a == OK || b == OK:
		return OK
	case a == ServFail || b == ServFail:
		return ServFail
	}
	return NoData
}
