package routing

import (
	"math"

	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/snapshot"
)

// Rules of the geoproximity policy.
const (
	ruleProxSingle     = "geoproximity: the only record set"
	ruleProxOnly       = "geoproximity: the only healthy record set"
	ruleProx           = "geoproximity: smallest biased distance among healthy record sets"
	ruleProxFailOpen   = "geoproximity: none healthy; fail open to the smallest biased distance"
	ruleProxNoCoords   = "geoproximity: client location has no coordinates; first healthy record set in SetIdentifier order"
	ruleProxNoCoordsFO = "geoproximity: client location has no coordinates and none healthy; the first record set"
)

// geoproximity answers the healthy record set with the smallest biased
// great-circle distance from the client (spec 2.6), failing open to the
// smallest overall. Records placed by region take its coordinates from the
// region catalog; records whose coordinates are unknown rank last. When the
// client's location has no coordinates, the deterministic fallback is
// SetIdentifier order: the first healthy record set, else the first.
func (q *Query) geoproximity(p *snapshot.Plan, depth int, st *Step) (int, string) {
	n := len(p.Members)
	if n == 1 {
		return 0, ruleProxSingle
	}
	healthy, nh, last := q.healthySet(p, depth)
	if nh == 1 && st == nil {
		return last, ruleProxOnly
	}
	var loc = q.loc
	if nh != 1 {
		loc = q.useLocation()
	} else {
		loc, _ = q.locate()
	}
	var keys []float64 // for the explanation's ranks
	if st != nil {
		keys = make([]float64, n)
	}
	var sel selector
	for i := range n {
		k := math.Inf(1)
		if loc.HasCoords {
			px := p.Proximity(i)
			lat, lon, ok := px.Latitude, px.Longitude, px.HasCoords
			if !ok && q.Regions != nil {
				if r, found := q.Regions.Region(px.Region); found {
					lat, lon, ok = r.Latitude, r.Longitude, true
				}
			}
			if ok {
				d := latency.DistanceKm(loc.Latitude, loc.Longitude, lat, lon)
				k = biasedKm(d, px.Bias)
				if st != nil {
					st.Candidates[i].DistanceKm, st.Candidates[i].BiasedKm = ptr(d), ptr(k)
				}
			}
		}
		if keys != nil {
			keys[i] = k
		}
		// Without client coordinates every key is +Inf: SetIdentifier order.
		sel.offer(i, k, healthy.has(i))
	}
	if st != nil {
		rankCandidates(st, keys)
		if nh == 1 {
			return last, ruleProxOnly
		}
	}
	switch {
	case !loc.HasCoords && sel.bestHealthy >= 0:
		return sel.bestHealthy, ruleProxNoCoords
	case !loc.HasCoords:
		return sel.best, ruleProxNoCoordsFO
	case sel.bestHealthy >= 0:
		return sel.bestHealthy, ruleProx
	}
	return sel.best, ruleProxFailOpen
}
