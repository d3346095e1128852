package routing

import (
	"strconv"

	"github.com/meridian-gtm/meridian/internal/snapshot"
)

// Rules of the IP-based policy.
const (
	ruleCidrDefaultOnly = "ip-based: only the default location"
	ruleCidrMatch       = "ip-based: longest matching CIDR block"
	ruleCidrDefault     = "ip-based: no block matches; default location"
	ruleCidrFallback    = "ip-based: matched record set unhealthy; default location"
	ruleCidrFailOpen    = "ip-based: matched and default record sets unhealthy; fail open to the match"
	ruleCidrNoMatch     = "ip-based: no block matches and no default location: no answer"
)

// ipBased answers the record set of the longest CIDR block that contains
// the client subnet and is no longer than it, else the default location "*"
// (spec 2.6). An unhealthy match falls back to a healthy default, else
// fails open to the match. No match and no default: -1 (NODATA).
func (q *Query) ipBased(p *snapshot.Plan, depth int, st *Step) (int, string) {
	t := p.Cidr()
	def := t.Default()
	if t.Blocks() == 0 {
		if st != nil && def >= 0 {
			st.Candidates[def].Match = "default"
		}
		if def < 0 {
			return -1, ruleCidrNoMatch
		}
		return def, ruleCidrDefaultOnly
	}
	member, matched, scope := t.Lookup(q.Client)
	q.depend(scope)
	if st != nil {
		if member >= 0 {
			st.Candidates[member].Match = "cidr /" + strconv.Itoa(int(matched))
		}
		if def >= 0 {
			st.Candidates[def].Match = "default"
		}
	}
	switch {
	case member < 0 && def < 0:
		return -1, ruleCidrNoMatch
	case member < 0:
		return def, ruleCidrDefault
	case q.healthy(p, member, depth):
		return member, ruleCidrMatch
	case def >= 0 && q.healthy(p, def, depth):
		return def, ruleCidrFallback
	}
	return member, ruleCidrFailOpen
}
