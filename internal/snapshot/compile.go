package snapshot

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

// groupKey identifies the record sets of one (owner, type).
type groupKey struct {
	owner string // wire form
	rtype uint16
}

// compiler holds the state of compiling one zone.
type compiler struct {
	z        *Zone
	apexLen  int // labels in the apex name
	groups   map[groupKey][]*zone.RRSet
	order    []groupKey
	unserved []string
	cols     map[string]*zone.CidrCollection // by ID

	// Where the zone's objects are placed (see arena.go). plans, members,
	// rrs, as and aaaas are sized exactly before they are filled.
	arena   byteArena
	nodes   slab[Node]
	plans   []Plan
	members []Member
	rrs     []dns.RR
	as      []dns.A
	aaaas   []dns.AAAA
}

// compileZone compiles one hosted zone. Problems with single record sets or
// values are recorded in the zone's Problems and do not fail the zone.
func compileZone(zd *ZoneData, cols map[string]*zone.CidrCollection) (*Zone, error) {
	apex, err := zone.ParseName(zd.Zone.Name)
	if err != nil {
		return nil, fmt.Errorf("zone %s: name: %w", zd.Zone.ID, err)
	}
	if len(apex) == 0 {
		return nil, fmt.Errorf("zone %s: the root cannot be a hosted zone", zd.Zone.ID)
	}
	c := &compiler{
		z: &Zone{
			id:        zd.Zone.ID,
			name:      zone.FormatName(apex),
			createdAt: zd.Zone.CreatedAt,
			apexKey:   wireKey(apex),
			apexLen:   len(apex),
			nodes:     make(map[string]*Node, len(zd.RRSets)+1),
		},
		apexLen: len(apex),
		groups:  make(map[groupKey][]*zone.RRSet, len(zd.RRSets)),
		cols:    cols,
		arena:   newByteArena(64 * len(zd.RRSets)),
		nodes:   newSlab[Node](len(zd.RRSets) / 4),
	}
	c.z.apex = c.ensureNode(apex)
	for i := range zd.RRSets {
		c.add(&zd.RRSets[i], apex)
	}
	c.sizeSlabs()
	c.buildPlans()
	c.markCuts()
	c.linkExtras()
	c.resolveAliases()
	c.markHealth()
	c.setSOA()
	c.packWire()
	if len(c.unserved) > 0 {
		logUnserved(c.z, c.unserved)
	}
	return c.z, nil
}

func (c *compiler) problem(format string, args ...any) {
	c.z.problems = append(c.z.problems, fmt.Sprintf(format, args...))
}

// servfail records a problem that makes queries get SERVFAIL; these are
// logged once when the zone is compiled.
func (c *compiler) servfail(reason string) {
	c.z.problems = append(c.z.problems, reason)
	c.unserved = append(c.unserved, reason)
}

// add files one record set under its (owner, type) group, creating its node
// and any empty non-terminals between it and the apex.
func (c *compiler) add(r *zone.RRSet, apex []string) {
	labels, err := zone.ParseName(r.Name)
	if err != nil {
		c.problem("record set %q %s: %v", r.Name, r.Type, err)
		return
	}
	if !zone.IsSubdomain(labels, apex) {
		c.problem("record set %s %s: not within zone %s", zone.FormatName(labels), r.Type, c.z.name)
		return
	}
	rtype, ok := dns.StringToType[r.Type]
	if !ok || rtype == dns.TypeANY || rtype == dns.TypeOPT {
		c.problem("record set %s %s: unknown type", zone.FormatName(labels), r.Type)
		return
	}
	c.ensureNode(labels)
	k := groupKey{owner: wireKey(labels), rtype: rtype}
	if _, seen := c.groups[k]; !seen {
		c.order = append(c.order, k)
	}
	c.groups[k] = append(c.groups[k], r)
}

// ensureNode returns the node for labels, creating it and its missing
// ancestors down to the apex.
func (c *compiler) ensureNode(labels []string) *Node {
	var first *Node
	var scratch [maxWireLen + 1]byte
	for j := 0; j <= len(labels)-c.apexLen; j++ {
		if n := c.z.nodes[string(appendWireKey(scratch[:0], labels[j:]))]; n != nil {
			if first == nil {
				first = n
			}
			break // its ancestors exist already
		}
		n := c.nodes.alloc()
		n.name = c.arena.string(zone.DNSName(labels[j:]))
		c.z.nodes[c.arena.wireKey(labels[j:])] = n
		if first == nil {
			first = n
		}
	}
	return first
}

// sizeSlabs allocates the plans, members and parsed records of the zone,
// now that the groups say how many there will be.
func (c *compiler) sizeSlabs() {
	var members, values, as, aaaas int
	for _, sets := range c.groups {
		members += len(sets)
		for _, r := range sets {
			if r.AliasTarget != nil {
				continue
			}
			values += len(r.Values)
			switch r.Type {
			case "A":
				as += len(r.Values)
			case "AAAA":
				aaaas += len(r.Values)
			}
		}
	}
	c.plans = make([]Plan, 0, len(c.order))
	c.members = make([]Member, 0, members)
	c.rrs = make([]dns.RR, 0, values)
	c.as = make([]dns.A, 0, as)
	c.aaaas = make([]dns.AAAA, 0, aaaas)
}

// buildPlans compiles every group into its node's plans. Groups are
// compiled in (owner, type) order, so the plans of one node are adjacent
// in the zone's plan slab and already sorted by type.
func (c *compiler) buildPlans() {
	slices.SortFunc(c.order, func(a, b groupKey) int {
		if d := strings.Compare(a.owner, b.owner); d != 0 {
			return d
		}
		return cmp.Compare(a.rtype, b.rtype)
	})
	for i := 0; i < len(c.order); {
		n := c.z.nodes[c.order[i].owner]
		start := len(c.plans)
		for ; i < len(c.order) && c.z.nodes[c.order[i].owner] == n; i++ {
			c.plans = append(c.plans, c.buildPlan(n, c.order[i].rtype, c.groups[c.order[i]]))
		}
		n.plans = c.plans[start:len(c.plans):len(c.plans)]
	}
	c.groups, c.order = nil, nil
}

// buildPlan compiles the record sets of one (owner, type).
func (c *compiler) buildPlan(n *Node, rtype uint16, sets []*zone.RRSet) Plan {
	typeName := dns.TypeToString[rtype]
	slices.SortFunc(sets, func(a, b *zone.RRSet) int { return strings.Compare(a.SetIdentifier, b.SetIdentifier) })
	start := len(c.members)
	c.members = c.members[:start+len(sets)]
	p := Plan{Type: rtype, Members: c.members[start : start+len(sets) : start+len(sets)], node: n}
	if len(sets) > 1 || sets[0].SetIdentifier != "" {
		p.Policy, p.Unserved = c.groupPolicy(n, typeName, sets)
	}
	for i, r := range sets {
		m := &p.Members[i]
		if r.HealthCheckID != "" {
			m.aux = &memberAux{healthCheck: r.HealthCheckID}
		}
		if p.Policy != PolicySimple || r.SetIdentifier != "" {
			m.Source = policyFields(r)
		}
		if r.AliasTarget != nil {
			m.Alias = &Alias{Target: *r.AliasTarget}
			continue
		}
		m.RRs = c.parseValues(n, rtype, typeName, r)
	}
	if p.Unserved == "" && p.Policy != PolicySimple {
		if reason := c.compileRoute(&p, sets); reason != "" {
			c.servfail(reason)
			p.Unserved = reason
		}
	}
	if p.Policy == PolicyWeighted && p.Unserved == "" {
		if t := buildWeights(p.Members); t != nil {
			p.route = &routeData{primary: -1, secondary: -1, china: -1, weights: *t}
		}
	}
	return p
}

// groupPolicy determines the policy of a group with SetIdentifiers, and
// whether (and why) it cannot be served.
func (c *compiler) groupPolicy(n *Node, typeName string, sets []*zone.RRSet) (Policy, string) {
	var pol Policy
	for i, r := range sets {
		if r.SetIdentifier == "" {
			reason := fmt.Sprintf("record sets for %s/%s mix simple and routing-policy record sets", n.name, typeName)
			c.servfail(reason)
			return PolicySimple, reason
		}
		p, ok := policyOf(r)
		if !ok {
			reason := fmt.Sprintf("record set %s/%s %q does not name exactly one routing policy", n.name, typeName, r.SetIdentifier)
			c.servfail(reason)
			return PolicySimple, reason
		}
		if i > 0 && p != pol {
			reason := fmt.Sprintf("record sets for %s/%s mix routing policies %s and %s", n.name, typeName, pol, p)
			c.servfail(reason)
			return pol, reason
		}
		pol = p
	}
	return pol, ""
}

// parseValues parses the values of one record set; values that fail are
// skipped and recorded as problems.
func (c *compiler) parseValues(n *Node, rtype uint16, typeName string, r *zone.RRSet) []dns.RR {
	var ttl uint32
	if r.TTL != nil && *r.TTL > 0 {
		ttl = uint32(min(*r.TTL, 1<<31-1))
	}
	start := len(c.rrs)
	for _, v := range r.Values {
		rr, err := c.parseValue(n.name, rtype, typeName, ttl, v)
		if err != nil {
			c.problem("record set %s/%s value %q skipped: %v", n.name, typeName, v, err)
			continue
		}
		c.rrs = append(c.rrs, rr)
	}
	if len(c.rrs) == start {
		return nil
	}
	return c.rrs[start:len(c.rrs):len(c.rrs)]
}

// parseValue parses one value like parseValue, placing A and AAAA records
// in the zone's slabs.
func (c *compiler) parseValue(owner string, rtype uint16, typeName string, ttl uint32, value string) (dns.RR, error) {
	hdr := dns.RR_Header{Name: owner, Rrtype: rtype, Class: dns.ClassINET, Ttl: ttl}
	switch rtype {
	case dns.TypeA:
		if a, ok := parseAddr(value); ok && a.Is4() && len(c.as) < cap(c.as) {
			b := a.As4()
			c.as = append(c.as, dns.A{Hdr: hdr, A: c.arena.bytes(b[:])})
			return &c.as[len(c.as)-1], nil
		}
	case dns.TypeAAAA:
		if a, ok := parseAddr(value); ok && a.Is6() && len(c.aaaas) < cap(c.aaaas) {
			b := a.As16()
			c.aaaas = append(c.aaaas, dns.AAAA{Hdr: hdr, AAAA: c.arena.bytes(b[:])})
			return &c.aaaas[len(c.aaaas)-1], nil
		}
	}
	return parseValue(owner, rtype, typeName, ttl, value)
}

// parseAddr reads an address value the way the zone parser would accept it
// for A and AAAA records: plain dotted quad or IPv6 text, no zone. Others
// are left to the zone parser.
func parseAddr(v string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(v)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a, true
}

// buildWeights precomputes the weighted-random table; nil when every weight
// is 0 (then members are chosen uniformly).
func buildWeights(ms []Member) *weightTable {
	t := &weightTable{}
	for i := range ms {
		w := int64(0)
		if ms[i].Source != nil && ms[i].Source.Weight != nil {
			w = *ms[i].Source.Weight
		}
		if w <= 0 {
			continue
		}
		t.total += uint64(w)
		t.cum = append(t.cum, t.total)
		t.index = append(t.index, i)
	}
	if t.total == 0 {
		return nil
	}
	return t
}

// markCuts sets every node's highest delegation point between the apex
// (exclusive) and the node (inclusive).
func (c *compiler) markCuts() {
	apexKeyLen := len(c.z.apexKey)
	for k, n := range c.z.nodes {
		// Walk the label offsets of k; ancestors below the apex are the
		// suffixes longer than the apex key. The highest cut wins.
		var offs [128]int
		cnt := 0
		for i := 0; i < len(k)-apexKeyLen; i += int(k[i]) + 1 {
			offs[cnt] = i
			cnt++
		}
		for j := cnt - 1; j >= 0; j-- {
			a := c.z.nodes[k[offs[j]:]]
			if a != nil && a.Plan(dns.TypeNS) != nil {
				n.cut = a
				break
			}
		}
	}
}

// linkExtras records, for each member, the in-zone nodes its values name.
func (c *compiler) linkExtras() {
	var w WireName
	for _, n := range c.z.nodes {
		for pi := range n.plans {
			switch n.plans[pi].Type {
			case dns.TypeMX, dns.TypeSRV, dns.TypeNS, dns.TypeCNAME:
			default:
				continue
			}
			for mi := range n.plans[pi].Members {
				m := &n.plans[pi].Members[mi]
				for _, rr := range m.RRs {
					t, ok := targetName(rr)
					if !ok || !w.SetPresentation(t) {
						continue
					}
					tn := c.z.nodes[string(w.Bytes())]
					if tn == nil || slices.Contains(m.Extra(), tn) {
						continue
					}
					if tn.Plan(dns.TypeA) == nil && tn.Plan(dns.TypeAAAA) == nil {
						continue
					}
					if m.aux == nil {
						m.aux = &memberAux{}
					}
					m.aux.extra = append(m.aux.extra, tn)
				}
			}
		}
	}
}

// resolveAliases points each in-zone alias at its target plan, and marks
// aliases to other zones, missing targets and cycles.
func (c *compiler) resolveAliases() {
	for _, n := range c.z.nodes {
		for pi := range n.plans {
			p := &n.plans[pi]
			for mi := range p.Members {
				a := p.Members[mi].Alias
				if a == nil {
					continue
				}
				typeName := dns.TypeToString[p.Type]
				if strings.TrimPrefix(a.Target.HostedZoneID, "/hostedzone/") != c.z.id {
					a.State = AliasExternal
					c.servfail(fmt.Sprintf("alias %s/%s to %s in zone %s not yet served", n.name, typeName, a.Target.DNSName, a.Target.HostedZoneID))
					continue
				}
				labels, err := zone.ParseName(a.Target.DNSName)
				var target *Node
				if err == nil {
					target = c.z.nodes[wireKey(labels)]
				}
				if target != nil {
					a.Plan = target.Plan(p.Type)
				}
				if a.Plan == nil {
					a.State = AliasMissing
					c.problem("alias %s/%s: target %s/%s not found in the zone", n.name, typeName, a.Target.DNSName, typeName)
				}
			}
		}
	}
	// Cut cycles: a depth-first walk over alias edges.
	state := make(map[*Plan]uint8) // 1 visiting, 2 done
	var visit func(p *Plan)
	visit = func(p *Plan) {
		state[p] = 1
		for mi := range p.Members {
			a := p.Members[mi].Alias
			if a == nil || a.State != AliasResolved {
				continue
			}
			switch state[a.Plan] {
			case 1:
				a.State, a.Plan = AliasCycle, nil
				c.servfail(fmt.Sprintf("alias cycle through %s/%s", a.Target.DNSName, dns.TypeToString[p.Type]))
			case 0:
				visit(a.Plan)
			}
		}
		state[p] = 2
	}
	for _, n := range c.z.nodes {
		for pi := range n.plans {
			if state[&n.plans[pi]] == 0 {
				visit(&n.plans[pi])
			}
		}
	}
}

// setSOA precomputes the SOA used in negative answers.
func (c *compiler) setSOA() {
	p := c.z.apex.Plan(dns.TypeSOA)
	if p == nil || len(p.Members) == 0 || len(p.Members[0].RRs) == 0 {
		c.problem("zone %s has no valid SOA record", c.z.name)
		return
	}
	soa, ok := p.Members[0].RRs[0].(*dns.SOA)
	if !ok {
		c.problem("zone %s has no valid SOA record", c.z.name)
		return
	}
	neg := *soa
	neg.Hdr.Ttl = min(soa.Hdr.Ttl, soa.Minttl)
	c.z.negSOA = &neg
	if c.z.apex.Plan(dns.TypeNS) == nil {
		c.problem("zone %s has no apex NS record set", c.z.name)
	}
}

// logUnserved logs, once per compiled zone, the record sets answered with
// SERVFAIL: alias targets not served yet, broken groups, IP-based groups
// without their CIDR collection or location, and alias cycles.
func logUnserved(z *Zone, reasons []string) {
	const show = 5
	shown := reasons
	if len(shown) > show {
		shown = shown[:show]
	}
	slog.Default().Warn("zone has record sets answered with SERVFAIL",
		"zone", z.name, "id", z.id, "count", len(reasons), "reasons", strings.Join(shown, "; "))
}

// packWire pre-packs every member's records, and the negative SOA, for the
// server's fast path.
func (c *compiler) packWire() {
	var wire []byte // scratch
	for pi := range c.plans {
		for mi := range c.plans[pi].Members {
			m := &c.plans[pi].Members[mi]
			if len(m.RRs) == 0 {
				continue
			}
			wire = wire[:0]
			packed := true
			for _, rr := range m.RRs {
				b, ok := packChunk(rr)
				if !ok {
					packed = false
					break
				}
				wire = append(wire, b...)
			}
			if packed {
				m.wire = c.arena.bytes(wire)
			}
		}
	}
	if c.z.negSOA != nil {
		if b, ok := packChunk(c.z.negSOA); ok {
			c.z.negSOAWire = c.arena.bytes(b)
		}
	}
}

// packChunk packs rr with a compression pointer to offset 12 as its owner.
func packChunk(rr dns.RR) ([]byte, bool) {
	cp := dns.Copy(rr)
	cp.Header().Name = "."
	buf := make([]byte, dns.Len(cp)+2)
	n, err := dns.PackRR(cp, buf, 0, nil, false)
	if err != nil || n < 11 {
		return nil, false
	}
	out := make([]byte, n+1)
	out[0], out[1] = 0xC0, 0x0C
	copy(out[2:], buf[1:n])
	return out, true
}

// policyFields copies a record set without its values, deeply, so that the
// snapshot shares nothing mutable with its input.
func policyFields(r *zone.RRSet) *zone.RRSet {
	c := *r
	c.Values = nil
	c.Weight = clonePtr(r.Weight)
	c.TTL = clonePtr(r.TTL)
	c.MultiValueAnswer = clonePtr(r.MultiValueAnswer)
	c.GeoLocation = clonePtr(r.GeoLocation)
	c.AliasTarget = clonePtr(r.AliasTarget)
	c.CidrRoutingConfig = clonePtr(r.CidrRoutingConfig)
	if r.GeoProximityLocation != nil {
		g := *r.GeoProximityLocation
		g.Coordinates = clonePtr(g.Coordinates)
		g.Bias = clonePtr(g.Bias)
		c.GeoProximityLocation = &g
	}
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// typeString names a record type.
func typeString(t uint16) string {
	if s, ok := dns.TypeToString[t]; ok {
		return s
	}
	return "TYPE" + strconv.Itoa(int(t))
}
