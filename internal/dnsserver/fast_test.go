package dnsserver

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

// sameResponse reports how the fast path's response differs from the full
// path's, ignoring record order, name compression and the spelling of names
// other than the query name.
func sameResponse(fast, full []byte) error {
	a, b := new(dns.Msg), new(dns.Msg)
	if err := a.Unpack(fast); err != nil {
		return fmt.Errorf("fast response does not unpack: %w", err)
	}
	if err := b.Unpack(full); err != nil {
		return fmt.Errorf("full response does not unpack: %w", err)
	}
	if a.MsgHdr != b.MsgHdr {
		return fmt.Errorf("header %+v, full path %+v", a.MsgHdr, b.MsgHdr)
	}
	if !slices.Equal(a.Question, b.Question) {
		return fmt.Errorf("question %v, full path %v", a.Question, b.Question)
	}
	lower := func(rrs []dns.RR) []string {
		out := normalize(rrs)
		for i := range out {
			out[i] = strings.ToLower(out[i])
		}
		return out
	}
	if !slices.Equal(normalize(a.Answer), normalize(b.Answer)) {
		return fmt.Errorf("answer %v, full path %v", normalize(a.Answer), normalize(b.Answer))
	}
	if !slices.Equal(lower(a.Ns), lower(b.Ns)) || !slices.Equal(lower(a.Extra), lower(b.Extra)) {
		return fmt.Errorf("authority/additional %v %v, full path %v %v", a.Ns, a.Extra, b.Ns, b.Extra)
	}
	oa, ob := a.IsEdns0(), b.IsEdns0()
	if (oa == nil) != (ob == nil) {
		return fmt.Errorf("OPT present %v, full path %v", oa != nil, ob != nil)
	}
	if oa != nil && (oa.UDPSize() != ob.UDPSize() || oa.Do() != ob.Do() || oa.Version() != ob.Version() || len(oa.Option) != len(ob.Option)) {
		return fmt.Errorf("OPT %v, full path %v", oa, ob)
	}
	ea, eb := responseECS(a), responseECS(b)
	if (ea == nil) != (eb == nil) {
		return fmt.Errorf("ECS present %v, full path %v", ea != nil, eb != nil)
	}
	if ea != nil && (ea.Family != eb.Family || ea.SourceNetmask != eb.SourceNetmask || ea.SourceScope != eb.SourceScope || !ea.Address.Equal(eb.Address)) {
		return fmt.Errorf("ECS %v, full path %v", ea, eb)
	}
	return nil
}

// TestFastPathMatchesFullPath answers many queries both ways, from several
// clients, with and without client-subnet options and with several health
// states, and checks the fast path, where it answers, says what the full
// path says, ECS scope included.
func TestFastPathMatchesFullPath(t *testing.T) {
	snap := fixtureSnapshot(t)
	names := []string{
		"www.example.com.", "WwW.eXaMpLe.CoM.", "example.com.", "EXAMPLE.COM.", "nope.example.com.", "b.example.com.",
		"x.b.example.com.", "host.wild.example.com.", "HOST.Wild.example.com.", "wild.example.com.", "cname.example.com.",
		"ext.example.com.", "_sip._tcp.example.com.", "sub.example.com.", "www.sub.example.com.", "www.sub2.example.com.",
		"nope.sub2.example.com.", "sub2.example.com.", "example.org.", "w.example.com.", "lat.example.com.",
		"cf.example.com.", "big.example.com.", "huge.example.com.", "tomany.example.com.", "manya.example.com.", ".",
		"geo.example.com.", "GEO.example.com.", "geonodef.example.com.", "ip.example.com.", "ipx.example.com.",
		"fo.example.com.", "mv.example.com.", "prox.example.com.", "tree.example.com.", "pool.example.com.",
	}
	types := []uint16{dns.TypeA, dns.TypeAAAA, dns.TypeMX, dns.TypeTXT, dns.TypeNS, dns.TypeSOA, dns.TypeCNAME, dns.TypeDS, dns.TypeSRV, dns.TypeCAA}
	edns := []struct {
		size uint16
		do   bool
		ecs  *dns.EDNS0_SUBNET
	}{
		{0, false, nil}, {512, false, nil}, {1232, true, nil}, {4096, false, nil}, {65000, false, nil},
		{1232, false, ecsOption(1, "203.0.113.0", 24, 0)},
		{1232, true, ecsOption(1, "203.0.113.128", 25, 0)},
		{4096, false, ecsOption(1, "203.0.0.0", 16, 0)},
		{1232, false, ecsOption(1, "198.51.100.0", 24, 0)},
		{512, false, ecsOption(1, "0.0.0.0", 0, 0)},
		{1232, false, ecsOption(2, "2001:db8:abcd::", 48, 0)},
		{1232, false, ecsOption(2, "2001:db8::", 32, 0)},
		{1232, false, ecsOption(1, "203.0.113.77", 32, 0)},
	}
	clients := []netip.Addr{testClient, netip.MustParseAddr("198.51.100.9"), netip.MustParseAddr("2001:db8::53")}
	healths := [][]string{nil, {"fo-primary", "mv1", "pool1"}}
	out1 := make([]byte, packBufSize)
	out2 := make([]byte, packBufSize)
	fast, total, scoped := 0, 0, 0
	for hi, unhealthy := range healths {
		env := testEnv(testHealth(unhealthy...))
		for _, name := range names {
			for _, qt := range types {
				for ei, e := range edns {
					m := new(dns.Msg)
					m.SetQuestion(name, qt)
					m.RecursionDesired = total%2 == 0
					m.CheckingDisabled = total%3 == 0
					if e.size != 0 {
						m.SetEdns0(e.size, e.do)
						if e.ecs != nil {
							m.IsEdns0().Option = []dns.EDNS0{e.ecs}
						}
					}
					pkt, err := m.Pack()
					if err != nil {
						t.Fatal(err)
					}
					for _, udp := range []bool{true, false} {
						client := clients[(total/2)%len(clients)]
						total++
						a, ok := fastAnswer(snap, env, pkt, client, udp, out1)
						if !ok {
							continue
						}
						fast++
						b := answerFull(snap, env, pkt, client, udp, out2)
						if err := sameResponse(a, b); err != nil {
							t.Errorf("%s %s edns=%d health=%d client=%s udp=%v: %v", name, dns.TypeToString[qt], ei, hi, client, udp, err)
						}
						if r := new(dns.Msg); r.Unpack(a) == nil && responseECS(r) != nil && responseECS(r).SourceScope > 0 {
							scoped++
						}
					}
				}
			}
		}
	}
	t.Logf("fast path answered %d of %d queries, %d with a nonzero ECS scope", fast, total, scoped)
	if fast < total/3 {
		t.Errorf("fast path answered only %d of %d queries", fast, total)
	}
	if scoped == 0 {
		t.Errorf("no fast-path answer carried an ECS scope")
	}
}

// responseECS returns the client-subnet option of a message, or nil.
func responseECS(m *dns.Msg) *dns.EDNS0_SUBNET {
	if opt := m.IsEdns0(); opt != nil {
		for _, o := range opt.Option {
			if e, ok := o.(*dns.EDNS0_SUBNET); ok {
				return e
			}
		}
	}
	return nil
}

func TestFastPathDeclines(t *testing.T) {
	snap := fixtureSnapshot(t)
	base := func() *dns.Msg {
		m := new(dns.Msg)
		m.SetQuestion("www.example.com.", dns.TypeA)
		return m
	}
	tests := []struct {
		name string
		msg  func() *dns.Msg
	}{
		{"ECS beside another option", func() *dns.Msg {
			m := base()
			m.SetEdns0(1232, false)
			m.IsEdns0().Option = []dns.EDNS0{ecsOption(1, "203.0.113.0", 24, 0), &dns.EDNS0_COOKIE{Code: dns.EDNS0COOKIE, Cookie: "0102030405060708"}}
			return m
		}},
		{"cookie option", func() *dns.Msg {
			m := base()
			m.SetEdns0(1232, false)
			m.IsEdns0().Option = []dns.EDNS0{&dns.EDNS0_COOKIE{Code: dns.EDNS0COOKIE, Cookie: "0102030405060708"}}
			return m
		}},
		{"ECS with a scope", func() *dns.Msg {
			m := base()
			m.SetEdns0(1232, false)
			m.IsEdns0().Option = []dns.EDNS0{ecsOption(1, "203.0.113.0", 24, 8)}
			return m
		}},
		{"ECS family 0", func() *dns.Msg {
			m := base()
			m.SetEdns0(1232, false)
			m.IsEdns0().Option = []dns.EDNS0{&dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET}}
			return m
		}},
		{"EDNS version 1", func() *dns.Msg {
			m := base()
			m.SetEdns0(1232, false)
			m.IsEdns0().SetVersion(1)
			return m
		}},
		{"ANY", func() *dns.Msg { m := base(); m.Question[0].Qtype = dns.TypeANY; return m }},
		{"AXFR", func() *dns.Msg { m := base(); m.Question[0].Qtype = dns.TypeAXFR; return m }},
		{"class CH", func() *dns.Msg { m := base(); m.Question[0].Qclass = dns.ClassCHAOS; return m }},
		{"opcode NOTIFY", func() *dns.Msg { m := base(); m.Opcode = dns.OpcodeNotify; return m }},
		{"referral", func() *dns.Msg { m := base(); m.Question[0].Name = "www.sub.example.com."; return m }},
		{"servfail", func() *dns.Msg { m := base(); m.Question[0].Name = "ipx.example.com."; return m }},
		{"geolocation no answer", func() *dns.Msg { m := base(); m.Question[0].Name = "geonodef.example.com."; return m }},
	}
	out := make([]byte, packBufSize)
	for _, tc := range tests {
		pkt, err := tc.msg().Pack()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := fastAnswer(snap, nil, pkt, testClient, true, out); ok {
			t.Errorf("%s: fast path answered", tc.name)
		}
	}
	good, _ := base().Pack()
	if _, ok := fastAnswer(snap, nil, good, testClient, true, out); !ok {
		t.Errorf("plain query not answered by the fast path")
	}
	if _, ok := fastAnswer(nil, nil, good, testClient, true, out); ok {
		t.Errorf("nil snapshot answered")
	}
	if _, ok := fastAnswer(snap, nil, append(good, 0), testClient, true, out); ok {
		t.Errorf("trailing byte accepted")
	}
	if _, ok := fastAnswer(snapshotEmpty(t), nil, good, testClient, true, out); !ok {
		t.Errorf("REFUSED not answered by the fast path")
	}
}

func snapshotEmpty(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	return snapshot.NewHolder().Load()
}

// TestFastPathAdditional checks the Additional section the fast path writes
// for MX, SRV and CNAME targets against the full path: owners below the
// apex, at the apex, equal to the query name, targets named twice, under a
// delegation, with several addresses and both families, and answers that
// no longer fit once the addresses are added.
func TestFastPathAdditional(t *testing.T) {
	zd := snapshot.ZoneData{
		Zone: zone.HostedZone{ID: "ZADD", Name: "example.com."},
		RRSets: []zone.RRSet{
			rrset("example.com.", "SOA", 900, "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"),
			rrset("example.com.", "NS", 172800, "ns-1.awsdns-00.com.", "ns-600.awsdns-11.net."),
			rrset("example.com.", "A", 300, "192.0.2.10"),
			rrset("example.com.", "MX", 300, "10 example.com", "20 Mail.Example.com"),
			rrset("self.example.com.", "MX", 300, "10 SELF.example.com."),
			rrset("self.example.com.", "A", 300, "192.0.2.1"),
			rrset("mx.example.com.", "MX", 300, "10 a.x.example.com", "20 b.example.com", "30 a.x.example.com", "40 out.example.net", "50 sub.example.com"),
			rrset("a.x.example.com.", "A", 300, "192.0.2.2", "192.0.2.3"),
			rrset("a.x.example.com.", "AAAA", 300, "2001:db8::2"),
			rrset("b.example.com.", "AAAA", 300, "2001:db8::3"),
			rrset("mail.example.com.", "A", 300, "192.0.2.25"),
			rrset("sub.example.com.", "NS", 300, "ns.sub.example.com"),
			rrset("sub.example.com.", "A", 300, "192.0.2.99"),
			rrset("srv.example.com.", "SRV", 300, "1 1 5060 mail.example.com"),
			rrset("alias.example.com.", "CNAME", 300, "a.x.example.com"),
			rrset("many.example.com.", "MX", 300, "10 big.example.com"),
			rrset("big.example.com.", "A", 300, manyA(40)...),
		},
	}
	snap, err := snapshot.Build(1, []snapshot.ZoneData{zd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out1 := make([]byte, packBufSize)
	out2 := make([]byte, packBufSize)
	for _, tc := range []struct {
		name  string
		qtype uint16
		size  uint16 // EDNS size, 0 for none
		fast  bool   // the fast path answers
		extra int    // additional records, OPT excluded
	}{
		{"example.com.", dns.TypeMX, 0, true, 2},
		{"self.example.com.", dns.TypeMX, 1232, true, 1},
		{"SeLf.ExAmPlE.cOm.", dns.TypeMX, 1232, true, 1},
		{"mx.example.com.", dns.TypeMX, 1232, true, 4},
		{"MX.example.com.", dns.TypeMX, 0, true, 4},
		{"srv.example.com.", dns.TypeSRV, 1232, true, 1},
		{"alias.example.com.", dns.TypeA, 1232, true, 3},
		{"alias.example.com.", dns.TypeCNAME, 0, true, 3},
		{"many.example.com.", dns.TypeMX, 4096, true, 40},
		{"many.example.com.", dns.TypeMX, 0, false, 0}, // the addresses do not fit in 512 bytes
	} {
		m := new(dns.Msg)
		m.SetQuestion(tc.name, tc.qtype)
		if tc.size != 0 {
			m.SetEdns0(tc.size, false)
		}
		pkt, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		a, ok := fastAnswer(snap, nil, pkt, testClient, true, out1)
		if ok != tc.fast {
			t.Errorf("%s %s size %d: fast path answered %v, want %v", tc.name, dns.TypeToString[tc.qtype], tc.size, ok, tc.fast)
			continue
		}
		if !ok {
			continue
		}
		if err := sameResponse(a, answerFull(snap, nil, pkt, testClient, true, out2)); err != nil {
			t.Errorf("%s %s size %d: %v", tc.name, dns.TypeToString[tc.qtype], tc.size, err)
		}
		r := new(dns.Msg)
		if err := r.Unpack(a); err != nil {
			t.Fatal(err)
		}
		extra := 0
		for _, rr := range r.Extra {
			if rr.Header().Rrtype != dns.TypeOPT {
				extra++
				if strings.EqualFold(rr.Header().Name, tc.name) && rr.Header().Name != tc.name {
					t.Errorf("%s: additional owner %s lost the query name's spelling", tc.name, rr.Header().Name)
				}
			}
		}
		if extra != tc.extra {
			t.Errorf("%s %s: %d additional records, want %d", tc.name, dns.TypeToString[tc.qtype], extra, tc.extra)
		}
		if allocs := testing.AllocsPerRun(20, func() { fastAnswer(snap, nil, pkt, testClient, true, out1) }); allocs != 0 {
			t.Errorf("%s: %.1f allocations", tc.name, allocs)
		}
	}
}
