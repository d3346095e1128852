package routing

import (
	"github.com/meridian-gtm/meridian/internal/snapshot"
)

// Rules of the geolocation policy.
const (
	ruleGeoDefaultOnly = "geolocation: only a default record set"
	ruleGeo            = "geolocation: most specific healthy location"
	ruleGeoAllDown     = "geolocation: every matching record set unhealthy; the most specific answers"
	ruleGeoNoMatch     = "geolocation: no record set for the client's location and no default: no answer"
)

// geolocation answers the most specific record set for the client's
// location: subdivision, then country, then continent (from the Route 53
// country→continent table, spec 8.2, else the locator's), then the default
// "*" (spec 2.6). Unhealthy ones pass to the next larger location; when all
// are unhealthy the most specific answers. No match and no default: -1
// (NODATA).
func (q *Query) geolocation(p *snapshot.Plan, depth int, st *Step) (int, string) {
	g := p.Geo()
	if g.OnlyDefault() {
		if st != nil {
			st.Candidates[g.Default()].Match = "default"
		}
		return g.Default(), ruleGeoDefaultOnly
	}
	loc := q.useLocation()
	sub, cty, cont, def := g.Match(loc.Country, loc.Subdivision, loc.Continent)
	var chain [4]int
	var kinds [4]string
	n := 0
	for k, i := range [4]int{sub, cty, cont, def} {
		if i >= 0 {
			chain[n] = i
			kinds[n] = [4]string{"subdivision", "country", "continent", "default"}[k]
			n++
		}
	}
	if st != nil {
		for j := range n {
			st.Candidates[chain[j]].Match = kinds[j]
			st.Candidates[chain[j]].Rank = j + 1
		}
	}
	if n == 0 {
		return -1, ruleGeoNoMatch
	}
	for _, i := range chain[:n] {
		if q.healthy(p, i, depth) {
			return i, ruleGeo
		}
	}
	return chain[0], ruleGeoAllDown
}
