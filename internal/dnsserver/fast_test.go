package dnsserver

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/snapshot"
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
	return nil
}

// TestFastPathMatchesFullPath answers many queries both ways and checks the
// fast path, where it answers, says what the full path says.
func TestFastPathMatchesFullPath(t *testing.T) {
	snap := fixtureSnapshot(t)
	names := []string{
		"www.example.com.", "WwW.eXaMpLe.CoM.", "example.com.", "EXAMPLE.COM.", "nope.example.com.", "b.example.com.",
		"x.b.example.com.", "host.wild.example.com.", "HOST.Wild.example.com.", "wild.example.com.", "cname.example.com.",
		"ext.example.com.", "_sip._tcp.example.com.", "sub.example.com.", "www.sub.example.com.", "www.sub2.example.com.",
		"nope.sub2.example.com.", "sub2.example.com.", "example.org.", "w.example.com.", "lat.example.com.",
		"cf.example.com.", "big.example.com.", "huge.example.com.", "tomany.example.com.", "manya.example.com.", ".",
	}
	types := []uint16{dns.TypeA, dns.TypeAAAA, dns.TypeMX, dns.TypeTXT, dns.TypeNS, dns.TypeSOA, dns.TypeCNAME, dns.TypeDS, dns.TypeSRV, dns.TypeCAA}
	edns := []struct {
		size uint16
		do   bool
	}{{0, false}, {512, false}, {1232, true}, {4096, false}, {65000, false}}
	out1 := make([]byte, packBufSize)
	out2 := make([]byte, packBufSize)
	fast, total := 0, 0
	for _, name := range names {
		for _, qt := range types {
			for _, e := range edns {
				m := new(dns.Msg)
				m.SetQuestion(name, qt)
				m.RecursionDesired = total%2 == 0
				m.CheckingDisabled = total%3 == 0
				if e.size != 0 {
					m.SetEdns0(e.size, e.do)
				}
				pkt, err := m.Pack()
				if err != nil {
					t.Fatal(err)
				}
				for _, udp := range []bool{true, false} {
					total++
					a, ok := fastAnswer(snap, pkt, udp, out1)
					if !ok {
						continue
					}
					fast++
					b := answerFull(snap, pkt, testClient, udp, out2)
					if err := sameResponse(a, b); err != nil {
						t.Errorf("%s %s edns=%v udp=%v: %v", name, dns.TypeToString[qt], e, udp, err)
					}
				}
			}
		}
	}
	t.Logf("fast path answered %d of %d queries", fast, total)
	if fast < total/3 {
		t.Errorf("fast path answered only %d of %d queries", fast, total)
	}
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
		{"ECS option", func() *dns.Msg {
			m := base()
			m.SetEdns0(1232, false)
			m.IsEdns0().Option = []dns.EDNS0{ecsOption(1, "203.0.113.0", 24, 0)}
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
		{"additional records needed", func() *dns.Msg { m := base(); m.Question[0].Name = "cname.example.com."; return m }},
		{"servfail", func() *dns.Msg { m := base(); m.Question[0].Name = "lat.example.com."; return m }},
	}
	out := make([]byte, packBufSize)
	for _, tc := range tests {
		pkt, err := tc.msg().Pack()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := fastAnswer(snap, pkt, true, out); ok {
			t.Errorf("%s: fast path answered", tc.name)
		}
	}
	good, _ := base().Pack()
	if _, ok := fastAnswer(snap, good, true, out); !ok {
		t.Errorf("plain query not answered by the fast path")
	}
	if _, ok := fastAnswer(nil, good, true, out); ok {
		t.Errorf("nil snapshot answered")
	}
	if _, ok := fastAnswer(snap, append(good, 0), true, out); ok {
		t.Errorf("trailing byte accepted")
	}
	if _, ok := fastAnswer(snapshotEmpty(t), good, true, out); !ok {
		t.Errorf("REFUSED not answered by the fast path")
	}
}

func snapshotEmpty(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	return snapshot.NewHolder().Load()
}
