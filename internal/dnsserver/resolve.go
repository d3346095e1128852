package dnsserver

import (
	"math/rand/v2"
	"net/netip"
	"strings"

	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/miekg/dns"
)

// Resolve answers one query from snap the way the authoritative server does,
// with no I/O: the pure answer engine behind the DNS listeners, the API's
// TestDNSAnswer and `meridian explain`. env says what is known of client
// locations, latency, regions and health (nil: nothing; every record set
// healthy). client is the resolver's address: the client is located from
// the query's client-subnet option when it has a nonzero source prefix, else
// from client (spec 2.3). proto is "udp" or "tcp": over UDP the answer is
// truncated to the requester's size limit (TC=1).
//
// The returned message may share resource records with the snapshot; treat
// them as read-only.
func Resolve(snap *snapshot.Snapshot, env *routing.Env, req *dns.Msg, client netip.Addr, proto string) *dns.Msg {
	resp, _ := answerMsg(snap, env, req, client, proto, nil)
	return resp
}

// Explain answers like Resolve and also says why: the client subnet and its
// location, every routing decision with its candidates and their health,
// latency or distance, and the ECS scope returned.
func Explain(snap *snapshot.Snapshot, env *routing.Env, req *dns.Msg, client netip.Addr, proto string) (*dns.Msg, *routing.Explanation) {
	ex := &routing.Explanation{}
	return answerMsg(snap, env, req, client, proto, ex)
}

func answerMsg(snap *snapshot.Snapshot, env *routing.Env, req *dns.Msg, client netip.Addr, proto string, ex *routing.Explanation) (*dns.Msg, *routing.Explanation) {
	q := resolve(snap, env, req, client, false, ex)
	limit := maxTCPSize
	if strings.EqualFold(proto, "udp") {
		limit = udpLimit(q.edns)
	}
	q.fit(func(m *dns.Msg) bool { return m.Len() <= limit })
	if ex != nil {
		ex.Rcode = dns.RcodeToString[q.resp.Rcode]
		if q.resp.Truncated {
			ex.Outcome = "truncated"
		}
	}
	return q.resp, ex
}

// answer is a response under construction.
type answer struct {
	resp     *dns.Msg
	edns     ednsInfo
	echo     *dns.EDNS0_SUBNET // the client-subnet option of the response
	kind     snapshot.Kind
	referral bool
	q        routing.Query
}

// resolve builds the full response for req. badECS reports a malformed
// client-subnet option found in the raw packet. ex, when not nil, receives
// the explanation.
func resolve(snap *snapshot.Snapshot, env *routing.Env, req *dns.Msg, client netip.Addr, badECS bool, ex *routing.Explanation) *answer {
	resp := &dns.Msg{Compress: true}
	a := &answer{resp: resp}
	if req == nil {
		resp.Response, resp.Rcode = true, dns.RcodeFormatError
		return a
	}
	resp.Id = req.Id
	resp.Response = true
	resp.Opcode = req.Opcode
	resp.RecursionDesired = req.RecursionDesired
	resp.CheckingDisabled = req.CheckingDisabled
	if len(req.Question) == 1 {
		resp.Question = []dns.Question{req.Question[0]}
	}
	switch {
	case req.Response, len(req.Question) != 1:
		resp.Rcode = dns.RcodeFormatError
		return a
	case req.Opcode != dns.OpcodeQuery:
		resp.Rcode = dns.RcodeNotImplemented
		return a
	case len(req.Answer) != 0 || len(req.Ns) != 0:
		resp.Rcode = dns.RcodeFormatError
		return a
	}
	a.edns = parseEDNS(req)
	if a.edns.opt != nil {
		if a.edns.bad || badECS {
			a.edns.ecs = nil
		}
		opt := responseOPT(a.edns)
		if len(opt.Option) == 1 {
			a.echo, _ = opt.Option[0].(*dns.EDNS0_SUBNET)
		}
		resp.Extra = append(resp.Extra, opt)
	}
	switch {
	case a.edns.bad || badECS:
		resp.Rcode = dns.RcodeFormatError
		return a
	case a.edns.opt != nil && a.edns.opt.Version() != 0:
		resp.Rcode = dns.RcodeBadVers
		return a
	}
	qq := req.Question[0]
	switch {
	case qq.Qclass != dns.ClassINET:
		resp.Rcode = dns.RcodeRefused
		return a
	case qq.Qtype == dns.TypeAXFR || qq.Qtype == dns.TypeIXFR:
		resp.Rcode = dns.RcodeRefused
		return a
	}
	var name snapshot.WireName
	if !name.SetPresentation(qq.Name) {
		resp.Rcode = dns.RcodeFormatError
		return a
	}
	if snap == nil {
		resp.Rcode = dns.RcodeRefused
		return a
	}
	cp, fromECS := routing.ClientPrefix(client, ecsPrefix(a.edns.ecs))
	a.q = routing.NewQuery(env, cp, fromECS, ex)
	if ex != nil && a.edns.ecs != nil {
		ex.ECS = &routing.ECSInfo{Family: a.edns.ecs.Family, Address: a.edns.ecs.Address.String(), SourcePrefix: a.edns.ecs.SourceNetmask}
	}
	res := snap.Lookup(&name, qq.Qtype)
	a.kind = res.Kind
	a.build(res, qq.Name)
	if a.echo != nil && fromECS {
		a.echo.SourceScope = a.q.Scope()
	}
	if ex != nil {
		a.q.Finish()
		if ex.ECS != nil && a.echo != nil {
			ex.ECS.ScopePrefix = a.echo.SourceScope
		}
		if res.Zone != nil {
			ex.Zone = res.Zone.ID()
		}
		ex.Outcome = a.kind.String()
		if resp.Rcode == dns.RcodeServerFailure {
			ex.Outcome = "servfail"
		}
	}
	return a
}

// ecsPrefix returns the subnet of a client-subnet option, or an invalid
// prefix without one (or for family 0).
func ecsPrefix(e *dns.EDNS0_SUBNET) netip.Prefix {
	if e == nil {
		return netip.Prefix{}
	}
	var addr netip.Addr
	switch e.Family {
	case familyIPv4:
		a4 := e.Address.To4()
		if a4 == nil {
			return netip.Prefix{}
		}
		addr = netip.AddrFrom4([4]byte(a4))
	case familyIPv6:
		a16 := e.Address.To16()
		if a16 == nil {
			return netip.Prefix{}
		}
		addr = netip.AddrFrom16([16]byte(a16))
	default:
		return netip.Prefix{}
	}
	p, err := addr.Prefix(int(e.SourceNetmask))
	if err != nil {
		return netip.Prefix{}
	}
	return p
}

// build fills the sections for a lookup result.
func (a *answer) build(res snapshot.Result, qname string) {
	resp := a.resp
	switch res.Kind {
	case snapshot.KindRefused:
		resp.Rcode = dns.RcodeRefused
	case snapshot.KindReferral:
		a.referral = true
		a.referralSections(res, qname)
	case snapshot.KindNXDomain:
		resp.Authoritative = true
		resp.Rcode = dns.RcodeNameError
		a.negative(res, qname)
	case snapshot.KindNoData:
		resp.Authoritative = true
		a.negative(res, qname)
	case snapshot.KindMinimalANY:
		resp.Authoritative = true
		ttl := res.Zone.NegativeTTL()
		if ttl == 0 {
			ttl = 3600
		}
		resp.Answer = []dns.RR{&dns.HINFO{
			Hdr: dns.RR_Header{Name: qname, Rrtype: dns.TypeHINFO, Class: dns.ClassINET, Ttl: ttl},
			Cpu: "RFC8482",
		}}
		a.apexNS(res, qname)
	case snapshot.KindAnswer:
		a.positive(res, qname)
	}
}

// positive answers from the plan: the chosen record sets under the query
// name in random order, the apex NS in Authority, and in-zone A/AAAA for
// MX, SRV, NS and CNAME targets in Additional.
func (a *answer) positive(res snapshot.Result, qname string) {
	var picked routing.Picked
	st := routing.Pick(&a.q, res.Plan, &picked)
	members := picked.Members()
	switch st {
	case routing.ServFail:
		a.resp.Rcode = dns.RcodeServerFailure
		return
	case routing.NoData:
		a.resp.Authoritative = true
		a.kind = snapshot.KindNoData
		a.negative(res, qname)
		return
	}
	a.resp.Authoritative = true
	n := 0
	for _, m := range members {
		n += len(m.RRs)
	}
	ans := make([]dns.RR, 0, n)
	for _, m := range members {
		for _, rr := range m.RRs {
			ans = append(ans, withOwner(rr, qname))
		}
	}
	shuffle(ans)
	a.resp.Answer = ans
	if !(res.Plan.Type == dns.TypeNS && res.Node == res.Zone.Apex() && !res.Wildcard) {
		a.apexNS(res, qname)
	}
	var seen [16]*snapshot.Node
	ns := 0
	for _, m := range members {
		for _, x := range m.Extra() {
			if x.Cut() != nil || contains(seen[:ns], x) {
				continue
			}
			if ns < len(seen) {
				seen[ns] = x
				ns++
			}
			a.addAddresses(x, res, qname)
		}
	}
}

// quietPick picks for the Authority and Additional sections: like the
// answer, it may depend on the client (and counts towards the ECS scope),
// but it is left out of the explanation.
func (a *answer) quietPick(p *snapshot.Plan, out *routing.Picked) routing.Status {
	ex := a.q.Explain
	a.q.Explain = nil
	st := routing.Pick(&a.q, p, out)
	a.q.Explain = ex
	return st
}

// negative puts the zone SOA, with the negative-caching TTL, in Authority.
func (a *answer) negative(res snapshot.Result, qname string) {
	soa := res.Zone.NegativeSOA()
	if soa == nil {
		return
	}
	a.resp.Ns = append(a.resp.Ns, a.owned(soa, res.Zone.Apex(), res, qname))
}

// apexNS puts the zone's apex NS record set in Authority.
func (a *answer) apexNS(res snapshot.Result, qname string) {
	p := res.Zone.ApexNS()
	if p == nil {
		return
	}
	var picked routing.Picked
	if a.quietPick(p, &picked) != routing.OK {
		return
	}
	members := picked.Members()
	start := len(a.resp.Ns)
	for _, m := range members {
		for _, rr := range m.RRs {
			a.resp.Ns = append(a.resp.Ns, a.owned(rr, res.Zone.Apex(), res, qname))
		}
	}
	shuffle(a.resp.Ns[start:])
}

// referralSections builds a referral: AA=0, the delegation's NS records in
// Authority and in-zone glue addresses in Additional.
func (a *answer) referralSections(res snapshot.Result, qname string) {
	p := res.Cut.Plan(dns.TypeNS)
	if p == nil {
		return
	}
	for i := range p.Members {
		m := &p.Members[i]
		for _, rr := range m.RRs {
			a.resp.Ns = append(a.resp.Ns, a.owned(rr, res.Cut, res, qname))
		}
	}
	shuffle(a.resp.Ns)
	for i := range p.Members {
		for _, x := range p.Members[i].Extra() {
			a.addAddresses(x, res, qname)
		}
	}
}

// addAddresses appends node x's A and AAAA records to Additional.
func (a *answer) addAddresses(x *snapshot.Node, res snapshot.Result, qname string) {
	for _, t := range [...]uint16{dns.TypeA, dns.TypeAAAA} {
		p := x.Plan(t)
		if p == nil {
			continue
		}
		var picked routing.Picked
		if a.quietPick(p, &picked) != routing.OK {
			continue
		}
		members := picked.Members()
		start := len(a.resp.Extra)
		for _, m := range members {
			for _, rr := range m.RRs {
				a.resp.Extra = append(a.resp.Extra, a.owned(rr, x, res, qname))
			}
		}
		shuffle(a.resp.Extra[start:])
	}
}

// owned returns rr with the query name's spelling when its owner node is
// the query name, so that 0x20 case randomisation survives.
func (a *answer) owned(rr dns.RR, owner *snapshot.Node, res snapshot.Result, qname string) dns.RR {
	if res.QNode != nil && owner == res.QNode {
		return withOwner(rr, qname)
	}
	return rr
}

// fit makes the response fit a size limit: first it drops optional data
// (Additional records, then the Authority of positive answers); if the
// required data still does not fit it sends header and question only with
// TC=1. No partial record set is ever sent.
func (a *answer) fit(fits func(*dns.Msg) bool) {
	m := a.resp
	if fits(m) {
		return
	}
	opt := m.IsEdns0()
	if !a.referral && len(m.Extra) > 0 && (len(m.Extra) > 1 || opt == nil) {
		m.Extra = optOnly(opt)
		if fits(m) {
			return
		}
	}
	if a.kind == snapshot.KindAnswer && m.Rcode == dns.RcodeSuccess && len(m.Answer) > 0 && len(m.Ns) > 0 {
		m.Ns = nil
		if fits(m) {
			return
		}
	}
	m.Answer, m.Ns, m.Extra = nil, nil, optOnly(opt)
	m.Truncated = true
}

func optOnly(opt *dns.OPT) []dns.RR {
	if opt == nil {
		return nil
	}
	return []dns.RR{opt}
}

// withOwner returns rr itself when it already has the owner name, else a
// shallow copy under name (rdata is shared; records are read-only).
func withOwner(rr dns.RR, name string) dns.RR {
	if rr.Header().Name == name {
		return rr
	}
	var c dns.RR
	switch v := rr.(type) {
	case *dns.A:
		x := *v
		c = &x
	case *dns.AAAA:
		x := *v
		c = &x
	case *dns.CNAME:
		x := *v
		c = &x
	case *dns.MX:
		x := *v
		c = &x
	case *dns.NS:
		x := *v
		c = &x
	case *dns.TXT:
		x := *v
		c = &x
	case *dns.SRV:
		x := *v
		c = &x
	case *dns.SOA:
		x := *v
		c = &x
	default:
		c = dns.Copy(rr)
	}
	c.Header().Name = name
	return c
}

func shuffle(rrs []dns.RR) {
	if len(rrs) > 1 {
		rand.Shuffle(len(rrs), func(i, j int) { rrs[i], rrs[j] = rrs[j], rrs[i] })
	}
}

func contains(nodes []*snapshot.Node, n *snapshot.Node) bool {
	for _, x := range nodes {
		if x == n {
			return true
		}
	}
	return false
}
