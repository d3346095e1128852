package routing

import "github.com/meridian-gtm/meridian/internal/snapshot"

// memberHealthy reports whether a record set is healthy (spec 2.5): its
// health check, if any, is healthy, and for an alias with
// EvaluateTargetHealth, its target group has at least one healthy record set
// (recursively). A target outside the zone counts as healthy (nothing is
// known of it); a missing target or a cycle as unhealthy.
func (q *Query) memberHealthy(m *snapshot.Member, depth int) bool {
	if id := m.HealthCheckID(); id != "" && !q.Health.Healthy(id) {
		return false
	}
	a := m.Alias
	if a == nil || !a.Target.EvaluateTargetHealth {
		return true
	}
	switch a.State {
	case snapshot.AliasResolved:
		return q.planHealthy(a.Plan, depth+1)
	case snapshot.AliasExternal:
		return true
	}
	return false
}

// planHealthy reports whether a group has at least one healthy record set
// (the health of an alias target, spec 2.7). A group that cannot be served
// is unhealthy, so that parents back out of it.
func (q *Query) planHealthy(p *snapshot.Plan, depth int) bool {
	if p == nil || depth > maxAliasDepth || p.Unserved != "" {
		return false
	}
	if p.AlwaysHealthy() {
		return true
	}
	for i := range p.Members {
		if q.healthy(p, i, depth) {
			return true
		}
	}
	return false
}

// healthy reports whether member i of p is healthy, counting the
// evaluation against the query's budget; past the budget everything is
// healthy.
func (q *Query) healthy(p *snapshot.Plan, i int, depth int) bool {
	if p.AlwaysHealthy() {
		return true
	}
	if q.evaluations >= maxHealthEvaluations {
		return true
	}
	q.evaluations++
	return q.memberHealthy(&p.Members[i], depth)
}
