package routing

import (
	"cmp"
	"math"
	"slices"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/snapshot"
)

// Rules of the latency policy.
const (
	ruleLatencySingle   = "latency: the only record set"
	ruleLatencyOnly     = "latency: the only healthy record set"
	ruleLatency         = "latency: lowest-latency healthy region"
	ruleLatencyChina    = "latency: client located in China; cn-north-1 ranks first"
	ruleLatencyFailOpen = "latency: none healthy; fail open to the lowest-latency region"
)

// latency answers the healthy record set whose region has the lowest RTT
// from the client, failing open to the lowest overall when none is healthy
// (spec 2.6). A cn-north-1 record ranks first for clients located in China.
// Regions the latency map does not know rank last; ties and the absence of
// a latency map keep SetIdentifier order. With exactly one healthy record
// set the answer does not depend on the client and nothing is consulted.
func (q *Query) latency(p *snapshot.Plan, depth int, st *Step) (int, string) {
	n := len(p.Members)
	if n == 1 {
		return 0, ruleLatencySingle
	}
	healthy, nh, last := q.healthySet(p, depth)
	if nh == 1 && st == nil {
		return last, ruleLatencyOnly
	}
	need := nh != 1 // does the ranking decide?
	china := p.ChinaMember()
	useMap := q.Latency != nil && q.Client.IsValid()
	var loc geo.Location
	consulted := false
	switch {
	case china >= 0 && need:
		loc = q.useLocation()
		_, consulted = q.locate()
	case china >= 0 || useMap:
		loc, consulted = q.locate()
	}
	inChina := china >= 0 && consulted && loc.Country == "CN"

	var keys []float64 // for the explanation's ranks
	if st != nil {
		keys = make([]float64, n)
	}
	var sel selector
	for i := range n {
		k := math.Inf(1)
		if useMap {
			r, ok := q.Latency.RTT(q.Client.Addr(), loc, p.Members[i].Source.Region)
			if ok && !math.IsNaN(r.Millis) {
				k = r.Millis
			}
			if need && ok {
				q.depend(r.Bits)
				if r.Source == latency.SourceEstimate && consulted {
					q.useLocation() // the estimate is the location's distance
				}
			}
			if st != nil && ok {
				c := &st.Candidates[i]
				c.RTTMillis, c.LatencySource, c.LatencyBits = ptr(r.Millis), r.Source.String(), ptr(r.Bits)
			}
		}
		if inChina && i == china {
			k = math.Inf(-1)
		}
		if keys != nil {
			keys[i] = k
		}
		sel.offer(i, k, healthy.has(i))
	}
	best, bestHealthy := sel.best, sel.bestHealthy
	if st != nil {
		rankCandidates(st, keys)
		if nh == 1 {
			return last, ruleLatencyOnly
		}
	}
	switch {
	case bestHealthy >= 0 && inChina && bestHealthy == china:
		return bestHealthy, ruleLatencyChina
	case bestHealthy >= 0:
		return bestHealthy, ruleLatency
	}
	if inChina && best == china {
		return best, ruleLatencyChina
	}
	return best, ruleLatencyFailOpen
}

// selector finds the member with the smallest key, and the healthy member
// with the smallest key; ties keep the earlier member.
type selector struct {
	best, bestHealthy int
	key, keyHealthy   float64
	started           bool
}

func (s *selector) offer(i int, k float64, healthy bool) {
	if !s.started {
		s.best, s.bestHealthy, s.started = -1, -1, true
	}
	if s.best < 0 || k < s.key {
		s.best, s.key = i, k
	}
	if healthy && (s.bestHealthy < 0 || k < s.keyHealthy) {
		s.bestHealthy, s.keyHealthy = i, k
	}
}

// rankCandidates sets each candidate's Rank from its key (lower first, ties
// in member order).
func rankCandidates(st *Step, key []float64) {
	order := make([]int, len(key))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(key[a], key[b]) })
	for r, i := range order {
		st.Candidates[i].Rank = r + 1
	}
}
