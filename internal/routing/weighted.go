package routing

import (
	"math/rand/v2"

	"github.com/meridian-gtm/meridian/internal/snapshot"
)

// Rules of the weighted policy, as explanations name them.
const (
	ruleWeighted         = "weighted: healthy record sets with weight > 0, in proportion to weight"
	ruleWeightedZero     = "weighted: no healthy record set with weight > 0; healthy weight-0 record sets, equally"
	ruleWeightedFailOpen = "weighted: none healthy; fail open, by weight"
	ruleWeightedUniform  = "weighted: every weight 0, equally"
)

// weighted makes one weighted-random pick (spec 2.6): among healthy record
// sets with weight > 0 in proportion to weight; else among healthy ones
// with weight 0, equally; else (none healthy) fail open among all, by
// weight, or equally when every weight is 0.
func (q *Query) weighted(p *snapshot.Plan, depth int) (int, string) {
	n := len(p.Members)
	if !p.AlwaysHealthy() {
		var healthy memberSet
		var total uint64
		zeros := 0
		for i := range n {
			if !q.healthy(p, i, depth) {
				continue
			}
			healthy.add(i)
			if w := p.Members[i].Weight(); w > 0 {
				total += uint64(w)
			} else {
				zeros++
			}
		}
		if total > 0 {
			r := rand.Uint64N(total)
			for i := range n {
				if w := p.Members[i].Weight(); healthy.has(i) && w > 0 {
					if r < uint64(w) {
						return i, ruleWeighted
					}
					r -= uint64(w)
				}
			}
		}
		if zeros > 0 {
			k := rand.IntN(zeros)
			for i := range n {
				if healthy.has(i) && p.Members[i].Weight() <= 0 {
					if k == 0 {
						return i, ruleWeightedZero
					}
					k--
				}
			}
		}
		if total := p.WeightTotal(); total > 0 {
			return p.WeightedMember(rand.Uint64N(total)), ruleWeightedFailOpen
		}
		return rand.IntN(n), ruleWeightedFailOpen
	}
	if total := p.WeightTotal(); total > 0 {
		return p.WeightedMember(rand.Uint64N(total)), ruleWeighted
	}
	return rand.IntN(n), ruleWeightedUniform
}
