package snapshot

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// compileRoute compiles the policy data of a routing-policy plan whose
// members are built. It returns why the plan cannot be served, or "".
func (c *compiler) compileRoute(p *Plan, sets []*zone.RRSet) string {
	where := fmt.Sprintf("%s/%s", p.Owner(), typeString(p.Type))
	if len(sets) > MaxGroupMembers {
		return fmt.Sprintf("record sets for %s: %d in one %s group, more than %d", where, len(sets), p.Policy, MaxGroupMembers)
	}
	switch p.Policy {
	case PolicyFailover:
		p.route = compileFailover(sets)
	case PolicyLatency:
		p.route = &routeData{primary: -1, secondary: -1, china: -1}
		for i, r := range sets {
			if r.Region == ChinaRegion {
				p.route.china = i
			}
		}
	case PolicyGeolocation:
		g, reason := c.compileGeo(where, sets)
		if reason != "" {
			return reason
		}
		p.route = &routeData{primary: -1, secondary: -1, china: -1, geo: g}
	case PolicyGeoproximity:
		prox, reason := compileProximity(where, sets)
		if reason != "" {
			return reason
		}
		p.route = &routeData{primary: -1, secondary: -1, china: -1, prox: prox}
	case PolicyIPBased:
		t, reason := c.compileCidr(where, sets)
		if reason != "" {
			return reason
		}
		p.route = &routeData{primary: -1, secondary: -1, china: -1, cidr: t}
	}
	return ""
}

func compileFailover(sets []*zone.RRSet) *routeData {
	r := &routeData{primary: -1, secondary: -1, china: -1}
	for i, s := range sets {
		switch {
		case s.Failover == "PRIMARY" && r.primary < 0:
			r.primary = i
		case s.Failover == "SECONDARY" && r.secondary < 0:
			r.secondary = i
		}
	}
	return r
}

// compileGeo indexes geolocation members by subdivision, country, continent
// and default. Two record sets for one location, or a code outside the
// Route 53 lists (both rejected by the API), make the group unserved.
func (c *compiler) compileGeo(where string, sets []*zone.RRSet) (*GeoIndex, string) {
	g := &GeoIndex{def: -1}
	for i, r := range sets {
		l := r.GeoLocation
		var slot *uint16
		switch {
		case l.CountryCode == "*":
			if g.def >= 0 {
				return nil, fmt.Sprintf("geolocation record sets for %s name one location twice (%q)", where, r.SetIdentifier)
			}
			g.def = i
			continue
		case l.SubdivisionCode != "":
			k := geoKey{l.CountryCode, l.SubdivisionCode}
			if _, dup := g.subdivision[k]; dup {
				return nil, fmt.Sprintf("geolocation record sets for %s name one location twice (%q)", where, r.SetIdentifier)
			}
			if g.subdivision == nil {
				g.subdivision = map[geoKey]int{}
			}
			g.subdivision[k] = i
			g.located++
			continue
		case l.CountryCode != "":
			ci := countryIndex(l.CountryCode)
			if ci < 0 {
				return nil, fmt.Sprintf("geolocation record set %s %q: unknown country code %q", where, r.SetIdentifier, l.CountryCode)
			}
			slot = &g.country[ci]
		case l.ContinentCode != "":
			k := continentIndex(l.ContinentCode)
			if k < 0 {
				return nil, fmt.Sprintf("geolocation record set %s %q: unknown continent code %q", where, r.SetIdentifier, l.ContinentCode)
			}
			slot = &g.continent[k]
		default:
			return nil, fmt.Sprintf("geolocation record set %s %q names no location", where, r.SetIdentifier)
		}
		if *slot != 0 {
			return nil, fmt.Sprintf("geolocation record sets for %s name one location twice (%q)", where, r.SetIdentifier)
		}
		*slot = uint16(i + 1)
		g.located++
	}
	return g, ""
}

// compileProximity places every geoproximity member. A LocalZoneGroup is
// placed at the AWS region its name starts with (us-west-2-den-1 → us-west-2);
// a group that starts with no known region, or unparsable coordinates,
// make the group unserved.
func compileProximity(where string, sets []*zone.RRSet) ([]Proximity, string) {
	out := make([]Proximity, len(sets))
	for i, r := range sets {
		l := r.GeoProximityLocation
		px := &out[i]
		if l.Bias != nil {
			px.Bias = float64(max(-zone.MaxBias, min(zone.MaxBias, *l.Bias)))
		}
		switch {
		case l.Coordinates != nil:
			lat, err1 := strconv.ParseFloat(strings.TrimPrefix(l.Coordinates.Latitude, "+"), 64)
			lon, err2 := strconv.ParseFloat(strings.TrimPrefix(l.Coordinates.Longitude, "+"), 64)
			if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
				return nil, fmt.Sprintf("geoproximity record set %s %q: bad coordinates %q, %q", where, r.SetIdentifier, l.Coordinates.Latitude, l.Coordinates.Longitude)
			}
			px.Latitude, px.Longitude, px.HasCoords = lat, lon, true
		case l.AWSRegion != "":
			px.Region = l.AWSRegion
		case l.LocalZoneGroup != "":
			parent := localZoneRegion(l.LocalZoneGroup)
			if parent == "" {
				return nil, fmt.Sprintf("geoproximity record set %s %q: local zone group %q is in no known region", where, r.SetIdentifier, l.LocalZoneGroup)
			}
			px.Region = parent
		default:
			return nil, fmt.Sprintf("geoproximity record set %s %q has no location", where, r.SetIdentifier)
		}
	}
	return out, ""
}

// localZoneRegion returns the AWS region a Local Zone group belongs to: the
// longest region code that the group name equals or starts with followed by
// "-", or "".
func localZoneRegion(group string) string {
	best := ""
	for _, r := range zone.LatencyRegions() {
		if (group == r || strings.HasPrefix(group, r+"-")) && len(r) > len(best) {
			best = r
		}
	}
	return best
}

// compileCidr builds the prefix table of an IP-based group from its CIDR
// collection: the blocks of every location a member names, in location name
// order (a block listed under two locations stays with the first).
func (c *compiler) compileCidr(where string, sets []*zone.RRSet) (*CidrTable, string) {
	colID := sets[0].CidrRoutingConfig.CollectionID
	for _, r := range sets[1:] {
		if r.CidrRoutingConfig.CollectionID != colID {
			return nil, fmt.Sprintf("IP-based record sets for %s name two CIDR collections (%s, %s)", where, colID, r.CidrRoutingConfig.CollectionID)
		}
	}
	col := c.cols[colID]
	if col == nil {
		return nil, fmt.Sprintf("IP-based record sets for %s: CIDR collection %s not found", where, colID)
	}
	def := -1
	byLoc := map[string]int{}
	for i, r := range sets {
		loc := r.CidrRoutingConfig.LocationName
		if _, dup := byLoc[loc]; dup || (loc == "*" && def >= 0) {
			return nil, fmt.Sprintf("IP-based record sets for %s name location %q twice", where, loc)
		}
		if loc == "*" {
			def = i
			continue
		}
		if _, ok := col.Locations[loc]; !ok {
			return nil, fmt.Sprintf("IP-based record set %s %q: location %q not found in CIDR collection %s", where, r.SetIdentifier, loc, colID)
		}
		byLoc[loc] = i
	}
	t := newCidrTable(def)
	locs := make([]string, 0, len(byLoc))
	for l := range byLoc {
		locs = append(locs, l)
	}
	slices.Sort(locs)
	for _, l := range locs {
		for _, b := range col.Locations[l] {
			pfx, err := netip.ParsePrefix(b)
			if err != nil {
				c.problem("CIDR collection %s location %q: block %q skipped: %v", colID, l, b, err)
				continue
			}
			if !t.insert(pfx, byLoc[l]) {
				c.problem("CIDR collection %s: block %s listed again under location %q; the earlier location keeps it", colID, pfx.Masked(), l)
			}
		}
	}
	t.finish()
	return t, ""
}

// markHealth sets alwaysHealthy on every plan (after aliases are resolved
// and cycles cut).
func (c *compiler) markHealth() {
	done := make(map[*Plan]bool)
	var visit func(p *Plan) bool
	visit = func(p *Plan) bool {
		if v, ok := done[p]; ok {
			return v
		}
		done[p] = true // cycles are cut already; this only guards recursion
		ok := true
		for i := range p.Members {
			m := &p.Members[i]
			if m.HealthCheckID() != "" {
				ok = false
			}
			if a := m.Alias; a != nil && a.Target.EvaluateTargetHealth {
				switch a.State {
				case AliasResolved:
					if !visit(a.Plan) {
						ok = false
					}
				case AliasMissing, AliasCycle:
					ok = false
				}
			}
		}
		done[p] = ok
		p.alwaysHealthy = ok
		return ok
	}
	for _, n := range c.z.nodes {
		for pi := range n.plans {
			visit(&n.plans[pi])
		}
	}
}
