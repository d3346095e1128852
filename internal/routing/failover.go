package routing

import "github.com/meridian-gtm/meridian/internal/snapshot"

// Rules of the failover policy.
const (
	ruleFailoverPrimary   = "failover: PRIMARY healthy"
	ruleFailoverSecondary = "failover: PRIMARY unhealthy, SECONDARY healthy"
	ruleFailoverFailOpen  = "failover: both unhealthy; fail open to PRIMARY"
	ruleFailoverOnly      = "failover: the only record set"
)

// failover answers PRIMARY when healthy, else SECONDARY when healthy, else
// PRIMARY (fail open); a group with only one side answers it (spec 2.6).
func (q *Query) failover(p *snapshot.Plan, depth int) (int, string) {
	pri, sec := p.Failover()
	switch {
	case pri >= 0 && sec >= 0:
		if q.healthy(p, pri, depth) {
			return pri, ruleFailoverPrimary
		}
		if q.healthy(p, sec, depth) {
			return sec, ruleFailoverSecondary
		}
		return pri, ruleFailoverFailOpen
	case pri >= 0:
		return pri, ruleFailoverOnly
	case sec >= 0:
		return sec, ruleFailoverOnly
	}
	return 0, ruleFailoverOnly
}
