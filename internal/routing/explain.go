package routing

import (
	"fmt"
	"strings"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/miekg/dns"
)

// Explanation says why a query got its answer: who the client was taken to
// be and where, every routing decision on the way (one Step per record set
// group, alias targets included), and the ECS scope returned. It is a plain
// value for the API and the CLI to render (JSON tags included).
type Explanation struct {
	Client   ClientInfo    `json:"client"`
	Location *LocationInfo `json:"location,omitempty"`
	Steps    []Step        `json:"steps,omitempty"`
	// Scope is the ECS scope prefix length the answer holds for: 0 when it
	// does not depend on the client.
	Scope uint8 `json:"scope"`
	// ECS is the client-subnet option of the query and the reply, filled by
	// the DNS layer when the query carried one.
	ECS *ECSInfo `json:"ecs,omitempty"`
	// Zone, Outcome and Rcode are filled by the DNS layer: the hosted zone
	// that answered, the kind of answer (answer, nodata, nxdomain, referral,
	// refused, servfail, ...) and the response code mnemonic.
	Zone    string `json:"zone,omitempty"`
	Outcome string `json:"outcome,omitempty"`
	Rcode   string `json:"rcode,omitempty"`
}

// ClientInfo is the subnet the client was located from.
type ClientInfo struct {
	// Subnet in CIDR form, e.g. 203.0.113.0/24, or 192.0.2.53/32 for a
	// resolver address.
	Subnet string `json:"subnet"`
	// Source is "ecs" (an EDNS Client Subnet option), "resolver" (the
	// resolver's address) or "unknown".
	Source string `json:"source"`
}

// LocationInfo is what the locator said about the client.
type LocationInfo struct {
	Continent   string   `json:"continent,omitempty"`
	Country     string   `json:"country,omitempty"`
	Subdivision string   `json:"subdivision,omitempty"`
	Latitude    *float64 `json:"latitude,omitempty"`
	Longitude   *float64 `json:"longitude,omitempty"`
	// Bits is the prefix length over which the location holds.
	Bits uint8 `json:"bits"`
	// Source is "declared", "geoip" or "none".
	Source string `json:"source"`
	// Used is false when no decision needed the location (it was looked up
	// for the explanation only).
	Used bool `json:"used"`
}

// ECSInfo is the client-subnet option of a query and of its reply.
type ECSInfo struct {
	Family       uint16 `json:"family"`
	Address      string `json:"address"`
	SourcePrefix uint8  `json:"sourcePrefix"`
	ScopePrefix  uint8  `json:"scopePrefix"`
}

// Step is the decision for one record set group (one owner name and type).
type Step struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Policy string `json:"policy"`
	// Depth is 0 for the queried group, n for a group reached through n
	// aliases.
	Depth      int         `json:"depth"`
	Candidates []Candidate `json:"candidates,omitempty"`
	// Rule is the policy step that chose, e.g. "nearest healthy region" or
	// "all unhealthy: fail open to the best".
	Rule string `json:"rule"`
	// Chosen lists the SetIdentifiers chosen ("" for a simple record set).
	Chosen []string `json:"chosen,omitempty"`
	// Status is "ok", "nodata" or "servfail".
	Status string `json:"status"`
}

// Candidate is one record set of a group and what the decision knew of it.
type Candidate struct {
	SetIdentifier string `json:"setIdentifier,omitempty"`
	Healthy       bool   `json:"healthy"`
	// Health says why: "no health check", "health check X healthy", and for
	// aliases that evaluate target health, what the target group said.
	Health        string `json:"health"`
	HealthCheckID string `json:"healthCheckId,omitempty"`
	// AliasTarget is "name TYPE" for an alias record set.
	AliasTarget          string `json:"aliasTarget,omitempty"`
	EvaluateTargetHealth bool   `json:"evaluateTargetHealth,omitempty"`
	// Attribute is the policy field: weight, role, region, location, CIDR
	// location or geoproximity placement.
	Attribute string `json:"attribute,omitempty"`
	// Latency: the RTT from the client to the record's region, its source
	// ("measured", "declared", "estimate", "default-order") and the prefix
	// length it holds for; RTTMillis is nil when the region is unknown.
	RTTMillis     *float64 `json:"rttMillis,omitempty"`
	LatencySource string   `json:"latencySource,omitempty"`
	LatencyBits   *uint8   `json:"latencyBits,omitempty"`
	// Geoproximity: the distance to the record's location and the distance
	// after bias; nil when either end has no coordinates.
	DistanceKm *float64 `json:"distanceKm,omitempty"`
	BiasedKm   *float64 `json:"biasedKm,omitempty"`
	// Rank is the candidate's place in the policy's order (1 = first), for
	// latency and geoproximity; Match is how a geolocation or IP-based
	// record relates to the client ("subdivision", "country", "continent",
	// "default", "cidr /16").
	Rank  int    `json:"rank,omitempty"`
	Match string `json:"match,omitempty"`
}

// locationInfo renders a location.
func locationInfo(l geo.Location) *LocationInfo {
	li := &LocationInfo{Continent: l.Continent, Country: l.Country, Subdivision: l.Subdivision, Bits: l.Bits, Source: l.Source.String(), Used: true}
	if l.HasCoords {
		lat, lon := l.Latitude, l.Longitude
		li.Latitude, li.Longitude = &lat, &lon
	}
	return li
}

// beginStep appends the step for plan p with its candidates and returns
// it; the pointer is valid until the next step is appended.
func (q *Query) beginStep(p *snapshot.Plan, depth int) *Step {
	ex := q.Explain
	ex.Steps = append(ex.Steps, Step{
		Name:   p.Owner(),
		Type:   dns.TypeToString[p.Type],
		Policy: p.Policy.String(),
		Depth:  depth,
	})
	st := &ex.Steps[len(ex.Steps)-1]
	st.Candidates = make([]Candidate, len(p.Members))
	for i := range p.Members {
		m := &p.Members[i]
		c := &st.Candidates[i]
		c.SetIdentifier = m.SetIdentifier()
		c.HealthCheckID = m.HealthCheckID()
		c.Attribute = attribute(p, i)
		if a := m.Alias; a != nil {
			c.AliasTarget = a.Target.DNSName + " " + st.Type
			c.EvaluateTargetHealth = a.Target.EvaluateTargetHealth
		}
		c.Healthy, c.Health = q.describeHealth(m, depth)
	}
	return st
}

// finishStep records the outcome of a step.
func finishStep(st *Step, p *snapshot.Plan, chosen []int, rule string, status Status) {
	if st == nil {
		return
	}
	st.Rule = rule
	st.Status = status.String()
	for _, i := range chosen {
		st.Chosen = append(st.Chosen, p.Members[i].SetIdentifier())
	}
}

// describeHealth evaluates a member's health as memberHealthy does and says
// why.
func (q *Query) describeHealth(m *snapshot.Member, depth int) (bool, string) {
	var parts []string
	healthy := true
	if id := m.HealthCheckID(); id != "" {
		if q.Health.Healthy(id) {
			parts = append(parts, "health check "+id+" healthy")
		} else {
			parts = append(parts, "health check "+id+" unhealthy")
			healthy = false
		}
	}
	if a := m.Alias; a != nil && a.Target.EvaluateTargetHealth {
		switch a.State {
		case snapshot.AliasResolved:
			if q.planHealthy(a.Plan, depth+1) {
				parts = append(parts, "alias target has a healthy record set")
			} else {
				parts = append(parts, "alias target has no healthy record set")
				healthy = false
			}
		case snapshot.AliasExternal:
			parts = append(parts, "alias target outside the zone: health unknown, taken as healthy")
		default:
			parts = append(parts, "alias target missing")
			healthy = false
		}
	}
	if len(parts) == 0 {
		return true, "no health check"
	}
	return healthy, strings.Join(parts, "; ")
}

// attribute renders member i's policy field.
func attribute(p *snapshot.Plan, i int) string {
	s := p.Members[i].Source
	if s == nil {
		return ""
	}
	switch p.Policy {
	case snapshot.PolicyWeighted:
		return fmt.Sprintf("weight %d", p.Members[i].Weight())
	case snapshot.PolicyFailover:
		return s.Failover
	case snapshot.PolicyLatency:
		return s.Region
	case snapshot.PolicyGeolocation:
		if g := s.GeoLocation; g != nil {
			switch {
			case g.CountryCode == "*":
				return "default (*)"
			case g.SubdivisionCode != "":
				return g.CountryCode + "-" + g.SubdivisionCode
			case g.CountryCode != "":
				return g.CountryCode
			}
			return "continent " + g.ContinentCode
		}
	case snapshot.PolicyGeoproximity:
		px := p.Proximity(i)
		where := px.Region
		if px.HasCoords {
			where = fmt.Sprintf("%.2f,%.2f", px.Latitude, px.Longitude)
		}
		return fmt.Sprintf("%s bias %+g", where, px.Bias)
	case snapshot.PolicyIPBased:
		if c := s.CidrRoutingConfig; c != nil {
			return c.CollectionID + "/" + c.LocationName
		}
	case snapshot.PolicyMultiValue:
		return "multivalue"
	}
	return ""
}

func ptr[T any](v T) *T { return &v }
