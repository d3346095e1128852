package routing

import "github.com/meridian-gtm/meridian/internal/snapshot"

// memberSet is a set of member indexes of one group, small enough to clear
// and copy cheaply on every query.
type memberSet [snapshot.MaxGroupMembers / 64]uint64

func (s *memberSet) add(i int)      { s[i>>6] |= 1 << uint(i&63) }
func (s *memberSet) has(i int) bool { return s[i>>6]&(1<<uint(i&63)) != 0 }

// healthySet evaluates the health of every member of p and returns the
// healthy ones, how many, and the last one.
func (q *Query) healthySet(p *snapshot.Plan, depth int) (set memberSet, count, last int) {
	last = -1
	for i := range p.Members {
		if q.healthy(p, i, depth) {
			set.add(i)
			count++
			last = i
		}
	}
	return set, count, last
}
