package zone

import "slices"

// groupKey identifies a (Name, Type) group of record sets.
type groupKey struct{ name, typ string }

// index is a lookup view of the working copy after every change applied.
type index struct {
	byName  map[string][]Key
	byGroup map[groupKey][]Key
}

func (a *applier) buildIndex() *index {
	ix := &index{byName: make(map[string][]Key), byGroup: make(map[groupKey][]Key)}
	for k := range a.sets {
		ix.byName[k.Name] = append(ix.byName[k.Name], k)
		g := groupKey{k.Name, k.Type}
		ix.byGroup[g] = append(ix.byGroup[g], k)
	}
	// Map iteration order is random; sort so messages are deterministic.
	for _, ks := range ix.byName {
		slices.SortFunc(ks, CompareKeys)
	}
	for _, ks := range ix.byGroup {
		slices.SortFunc(ks, CompareKeys)
	}
	return ix
}

// checkNetEffect runs the rules that relate record sets to each other, on the
// state after the whole batch, for every record set the batch wrote.
func (a *applier) checkNetEffect() {
	ix := a.buildIndex()
	checkedGroup := make(map[groupKey]bool)
	for _, k := range a.putOrder {
		if !a.put[k] {
			continue
		}
		r := a.sets[k]
		if !(r.Type == "CNAME" && r.Name == a.zoneName) { // the apex message covers it
			a.checkCNAMEConflicts(ix, &r)
		}
		a.checkGroupMember(ix, &r)
		g := groupKey{k.Name, k.Type}
		if !checkedGroup[g] {
			checkedGroup[g] = true
			a.checkGroupSize(ix, g)
		}
		if r.AliasTarget != nil {
			a.checkAliasTarget(ix, &r)
		}
	}
	a.checkApex(ix)
}

// checkCNAMEConflicts: a CNAME shares its name with no other type.
func (a *applier) checkCNAMEConflicts(ix *index, r *RRSet) {
	for _, other := range ix.byName[r.Name] {
		switch {
		case r.Type == "CNAME" && other.Type != "CNAME":
			a.add(msgCNAMEConflicts(r.Name, a.zoneName))
			return
		case r.Type != "CNAME" && other.Type == "CNAME":
			a.add(msgConflictingCNAME(r.Type, r.Name, a.zoneName))
			return
		}
	}
}

// checkGroupMember applies the (Name, Type) combination rules of spec 2.4 to
// r against the other members of its group. It reports at most one problem
// per record set, so a large group cannot multiply messages.
func (a *applier) checkGroupMember(ix *index, r *RRSet) {
	key := r.Key()
	p := PolicyOf(r)
	for _, ok := range ix.byGroup[groupKey{r.Name, r.Type}] {
		if ok == key {
			continue
		}
		o := a.sets[ok]
		if r.SetIdentifier == "" {
			a.add(msgWeightedExists(key))
			return
		}
		if o.SetIdentifier == "" {
			a.add(msgNonWeightedExists(key))
			return
		}
		op := PolicyOf(&o)
		if op != p {
			a.add(msgMixedPolicy(key, p, op))
			return
		}
		if what := sameLocation(r, &o, p); what != "" {
			a.add(msgDuplicateLocation(key, what, o.SetIdentifier))
			return
		}
		if p == PolicyIPBased && r.CidrRoutingConfig.CollectionID != o.CidrRoutingConfig.CollectionID {
			a.add(msgCidrCollection(key, o.CidrRoutingConfig.CollectionID))
			return
		}
	}
}

// sameLocation returns a description of the routing location r and o share
// when policy p requires it to be unique in the group, else "".
func sameLocation(r, o *RRSet, p Policy) string {
	switch p {
	case PolicyLatency:
		if r.Region == o.Region {
			return "Region " + r.Region
		}
	case PolicyGeolocation:
		if *r.GeoLocation == *o.GeoLocation {
			return "GeoLocation " + geoString(r.GeoLocation)
		}
	case PolicyFailover:
		if r.Failover == o.Failover {
			return "Failover " + r.Failover
		}
	case PolicyIPBased:
		if *r.CidrRoutingConfig == *o.CidrRoutingConfig {
			return "CIDR location " + r.CidrRoutingConfig.LocationName
		}
	}
	return ""
}

// checkGroupSize applies the 100-member cap (30 for geoproximity).
func (a *applier) checkGroupSize(ix *index, g groupKey) {
	members := ix.byGroup[g]
	if len(members) <= 1 {
		return
	}
	first := a.sets[members[0]]
	p := PolicyOf(&first)
	if p == PolicySimple || p == PolicyFailover {
		return // uniqueness rules already bound these
	}
	if limit := groupLimit(p); len(members) > limit {
		a.add(msgTooManyInGroup(g.name, g.typ, p, limit))
	}
}

// checkAliasTarget checks an alias whose target is in this zone: the target
// lies in the zone, exists with the same type, is not the alias itself, and
// does not lead back to it through other aliases.
func (a *applier) checkAliasTarget(ix *index, r *RRSet) {
	zid := bareZoneID(r.AliasTarget.HostedZoneID)
	if zid != a.zoneID {
		return
	}
	labels, err := ParseName(r.AliasTarget.DNSName)
	if err != nil {
		return // reported by checkAliasRecord
	}
	target := FormatName(labels)
	if !IsSubdomain(labels, a.apex) {
		a.add(msgAliasOutsideZone(target, r.Type, r.AliasTarget.HostedZoneID))
		return
	}
	tg := groupKey{target, r.Type}
	if tg == (groupKey{r.Name, r.Type}) {
		a.add(msgAliasSelf(target, r.Type, r.AliasTarget.HostedZoneID))
		return
	}
	if len(ix.byGroup[tg]) == 0 {
		a.add(msgAliasNotFound(target, r.Type, r.AliasTarget.HostedZoneID))
		return
	}
	if a.reaches(ix, tg, groupKey{r.Name, r.Type}) {
		a.add(msgAliasCycle(target, r.Type, r.AliasTarget.HostedZoneID, r.Name))
	}
}

// reaches reports whether following same-zone aliases from group from leads
// to group to.
func (a *applier) reaches(ix *index, from, to groupKey) bool {
	visited := map[groupKey]bool{from: true}
	queue := []groupKey{from}
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		for _, k := range ix.byGroup[g] {
			m := a.sets[k]
			if m.AliasTarget == nil || bareZoneID(m.AliasTarget.HostedZoneID) != a.zoneID {
				continue
			}
			t, err := CanonicalName(m.AliasTarget.DNSName)
			if err != nil {
				continue
			}
			next := groupKey{t, m.Type}
			if next == to {
				return true
			}
			if !visited[next] {
				visited[next] = true
				queue = append(queue, next)
			}
		}
	}
	return false
}

// checkApex enforces the apex SOA and NS on the batch's net effect, when the
// batch changed them: exactly one SOA record, at least one NS record.
func (a *applier) checkApex(ix *index) {
	soaKey := Key{Name: a.zoneName, Type: "SOA"}
	nsKey := Key{Name: a.zoneName, Type: "NS"}
	if len(a.history[soaKey]) > 0 {
		soa, ok := a.sets[soaKey]
		if !ok || len(soa.Values) != 1 || len(ix.byGroup[groupKey{a.zoneName, "SOA"}]) != 1 {
			a.add(msgExactlyOneSOA)
		}
	}
	if len(a.history[nsKey]) > 0 {
		if ns, ok := a.sets[nsKey]; !ok || len(ns.Values) == 0 {
			a.add(msgApexNS)
		}
	}
}
