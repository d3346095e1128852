package snapshot

import (
	"strings"
	"sync"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

func TestBuildProblemsDoNotBreakZone(t *testing.T) {
	ttl := int64(60)
	s := mustBuild(t, zoneData("Z1", "example.com.", "",
		rrset("ok.example.com.", "A", 60, "192.0.2.1", "not-an-ip", "192.0.2.2"),
		rrset("bad.example.com.", "A", 60, "999.1.1.1"),
		rrset("inject.example.com.", "TXT", 60, "\"a\"\nevil.example.com. 60 IN A 192.0.2.66"),
		rrset("www.example.org.", "A", 60, "192.0.2.3"),
		zone.RRSet{Name: "odd.example.com.", Type: "BOGUS", TTL: &ttl, Values: []string{"x"}},
	))
	z := s.Zone("Z1")
	problems := strings.Join(z.Problems(), "\n")
	for _, want := range []string{`"not-an-ip" skipped`, `"999.1.1.1" skipped`, "line break", "not within zone example.com.", "BOGUS: unknown type"} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}
	p := lookup(t, s, "ok.example.com.", dns.TypeA).Plan
	if p == nil || len(p.Members[0].RRs) != 2 {
		t.Fatalf("good values of a record set with one bad value not served: %+v", p)
	}
	if p := lookup(t, s, "bad.example.com.", dns.TypeA).Plan; p == nil || len(p.Members) != 1 || len(p.Members[0].RRs) != 0 {
		t.Errorf("record set without valid values: plan %+v, want one member without records", p)
	}
	if r := lookup(t, s, "evil.example.com.", dns.TypeA); r.Kind != KindNXDomain {
		t.Errorf("a value with a line break injected a record: %v", r.Kind)
	}
	if z.NegativeTTL() != 900 {
		t.Errorf("negative TTL = %d, want min(900, 86400)", z.NegativeTTL())
	}
}

func TestBuildRejectsBadInput(t *testing.T) {
	tests := []struct {
		name  string
		zones []ZoneData
		want  string
	}{
		{"duplicate id", []ZoneData{zoneData("Z1", "a.com.", ""), zoneData("Z1", "b.com.", "")}, "listed twice"},
		{"missing id", []ZoneData{zoneData("", "a.com.", "")}, "no ID"},
		{"bad name", []ZoneData{zoneData("Z1", "a..com.", "")}, "name"},
		{"root", []ZoneData{zoneData("Z1", ".", "")}, "root"},
	}
	for _, tc := range tests {
		if _, err := Build(1, tc.zones, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestValueFormats(t *testing.T) {
	s := mustBuild(t, zoneData("Z1", "example.com.", "",
		rrset("t.example.com.", "TXT", 60, `"star \052 and quote \" here" "second"`),
		rrset("mx.example.com.", "MX", 60, "10 mail.example.com", "20 mail2.example.net."),
		rrset("srv.example.com.", "SRV", 60, "1 2 443 host.example.com"),
		rrset("c.example.com.", "CNAME", 60, "Target.Example.NET"),
		rrset("caa.example.com.", "CAA", 60, `0 issue "ca.example.net"`),
		rrset("six.example.com.", "AAAA", 60, "2001:db8::1"),
		rrset(`\052.x.example.com.`, "A", 60, "192.0.2.1"),
	))
	tests := []struct {
		name  string
		qtype uint16
		want  []string
	}{
		{"t.example.com.", dns.TypeTXT, []string{`t.example.com.	60	IN	TXT	"star * and quote \" here" "second"`}},
		{"mx.example.com.", dns.TypeMX, []string{"mx.example.com.\t60\tIN\tMX\t10 mail.example.com.", "mx.example.com.\t60\tIN\tMX\t20 mail2.example.net."}},
		{"srv.example.com.", dns.TypeSRV, []string{"srv.example.com.\t60\tIN\tSRV\t1 2 443 host.example.com."}},
		{"c.example.com.", dns.TypeCNAME, []string{"c.example.com.\t60\tIN\tCNAME\tTarget.Example.NET."}},
		{"caa.example.com.", dns.TypeCAA, []string{"caa.example.com.\t60\tIN\tCAA\t0 issue \"ca.example.net\""}},
		{"six.example.com.", dns.TypeAAAA, []string{"six.example.com.\t60\tIN\tAAAA\t2001:db8::1"}},
		{"*.x.example.com.", dns.TypeA, []string{"*.x.example.com.\t60\tIN\tA\t192.0.2.1"}},
	}
	for _, tc := range tests {
		p := lookup(t, s, tc.name, tc.qtype).Plan
		if p == nil {
			t.Errorf("%s: no plan; problems %v", tc.name, s.Zone("Z1").Problems())
			continue
		}
		var got []string
		for _, rr := range p.Members[0].RRs {
			got = append(got, rr.String())
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestWithSharesUnchangedZones(t *testing.T) {
	a := zoneData("ZA", "a.com.", "", rrset("www.a.com.", "A", 60, "192.0.2.1"))
	b := zoneData("ZB", "b.com.", "", rrset("www.b.com.", "A", 60, "192.0.2.2"))
	c := zoneData("ZC", "c.com.", "", rrset("www.c.com.", "A", 60, "192.0.2.3"))
	s1, err := Build(5, []ZoneData{a, b, c}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b2 := zoneData("ZB", "b.com.", "", rrset("www.b.com.", "A", 60, "192.0.2.22"))
	d := zoneData("ZD", "d.com.", "", rrset("www.d.com.", "A", 60, "192.0.2.4"))
	s2, err := s1.With(6, []ZoneData{b2, d}, []string{"ZC"})
	if err != nil {
		t.Fatal(err)
	}
	if s1.Revision() != 5 || s2.Revision() != 6 {
		t.Errorf("revisions %d %d", s1.Revision(), s2.Revision())
	}
	if s2.Zone("ZA") != s1.Zone("ZA") {
		t.Errorf("unchanged zone recompiled")
	}
	if s2.Zone("ZB") == s1.Zone("ZB") {
		t.Errorf("changed zone not recompiled")
	}
	if s2.Zone("ZC") != nil || lookup(t, s2, "www.c.com.", dns.TypeA).Kind != KindRefused {
		t.Errorf("removed zone still served")
	}
	if lookup(t, s1, "www.c.com.", dns.TypeA).Kind != KindAnswer {
		t.Errorf("old snapshot changed")
	}
	ms := lookup(t, s2, "www.b.com.", dns.TypeA).Plan.Members
	if got := ms[0].RRs[0].(*dns.A).A.String(); got != "192.0.2.22" {
		t.Errorf("changed zone answers %s", got)
	}
	if lookup(t, s2, "www.d.com.", dns.TypeA).Kind != KindAnswer {
		t.Errorf("added zone not served")
	}
	if _, err := s1.With(7, []ZoneData{b2, b2}, nil); err == nil {
		t.Errorf("zone listed twice accepted")
	}
}

func TestSharedZoneNameFirstCreatedServes(t *testing.T) {
	older := zoneData("ZOLD", "x.com.", "2024-01-01T00:00:00.000Z", rrset("www.x.com.", "A", 60, "192.0.2.1"))
	newer := zoneData("ZNEW", "x.com.", "2024-06-01T00:00:00.000Z", rrset("www.x.com.", "A", 60, "192.0.2.2"))
	tieB := zoneData("ZB", "y.com.", "2024-01-01T00:00:00.000Z")
	tieA := zoneData("ZA", "y.com.", "2024-01-01T00:00:00.000Z")
	s := mustBuild(t, newer, older, tieB, tieA)
	if r := lookup(t, s, "www.x.com.", dns.TypeA); r.Zone.ID() != "ZOLD" {
		t.Errorf("zone %s serves, want ZOLD", r.Zone.ID())
	}
	if r := lookup(t, s, "y.com.", dns.TypeSOA); r.Zone.ID() != "ZA" {
		t.Errorf("zone %s serves, want ZA (same CreatedAt, smaller ID)", r.Zone.ID())
	}
	if s.Serving(s.Zone("ZNEW")) || !s.Serving(s.Zone("ZOLD")) {
		t.Errorf("Serving reports the wrong zone")
	}
	// Deleting the older zone lets the newer one serve.
	s2, err := s.With(2, nil, []string{"ZOLD"})
	if err != nil {
		t.Fatal(err)
	}
	if r := lookup(t, s2, "www.x.com.", dns.TypeA); r.Zone.ID() != "ZNEW" {
		t.Errorf("after delete zone %s serves, want ZNEW", r.Zone.ID())
	}
}

func TestHolder(t *testing.T) {
	h := NewHolder()
	if s := h.Load(); s == nil || s.Revision() != 0 || lookup(t, s, "a.com.", dns.TypeA).Kind != KindRefused {
		t.Fatalf("new holder: %+v", s)
	}
	s := mustBuild(t, zoneData("Z1", "a.com.", ""))
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				if h.Load() == nil {
					t.Error("Load returned nil")
					return
				}
			}
		}()
	}
	h.Store(s)
	h.Store(nil)
	wg.Wait()
	if h.Load() != s {
		t.Errorf("Store(nil) replaced the snapshot")
	}
}

func TestWireName(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	tests := []struct {
		in   string
		ok   bool
		wire string
	}{
		{".", true, "\x00"},
		{"", true, "\x00"},
		{"Example.COM.", true, "\x07example\x03com\x00"},
		{"example.com", true, "\x07example\x03com\x00"},
		{`a\.b.com.`, true, "\x03a.b\x03com\x00"},
		{`\065\042.com.`, true, "\x02a*\x03com\x00"},
		{`\256.com.`, false, ""},
		{"a..com.", false, ""},
		{".com.", false, ""},
		{`a\`, false, ""},
		{long63 + ".com.", true, "\x3f" + long63 + "\x03com\x00"},
		{long63 + "a.com.", false, ""},
		{strings.Repeat(long63+".", 3) + strings.Repeat("a", 61) + ".", true, ""},
		{strings.Repeat(long63+".", 3) + strings.Repeat("a", 62) + ".", false, ""},
		{strings.Repeat("a.", 127), true, ""},
		{strings.Repeat("a.", 128), false, ""},
	}
	for _, tc := range tests {
		var w WireName
		ok := w.SetPresentation(tc.in)
		if ok != tc.ok {
			t.Errorf("SetPresentation(%.20q) = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if ok && tc.wire != "" && string(w.Bytes()) != tc.wire {
			t.Errorf("SetPresentation(%q) = %q, want %q", tc.in, w.Bytes(), tc.wire)
		}
		if ok {
			var w2 WireName
			if !w2.SetWire(w.Bytes()) || string(w2.Bytes()) != string(w.Bytes()) || w2.Labels() != w.Labels() {
				t.Errorf("SetWire round trip of %q failed", tc.in)
			}
		}
	}
	var w WireName
	for _, bad := range []string{"", "\x03ab", "\x40" + strings.Repeat("a", 64) + "\x00", "\x01a\x00\x00", "\x01a"} {
		if w.SetWire([]byte(bad)) {
			t.Errorf("SetWire(%q) accepted", bad)
		}
	}
	if !w.SetWire([]byte("\x03WwW\x00")) || string(w.Bytes()) != "\x03www\x00" {
		t.Errorf("SetWire does not fold case: %q", w.Bytes())
	}
}

func TestSnapshotSharesNothingMutableWithInput(t *testing.T) {
	set := weighted("w.example.com.", "A", "a", 7, "192.0.2.1")
	zd := zoneData("Z1", "example.com.", "", set)
	s := mustBuild(t, zd)
	*zd.RRSets[2].Weight = 99
	zd.RRSets[2].Values[0] = "192.0.2.200"
	m := lookup(t, s, "w.example.com.", dns.TypeA).Plan.Members[0]
	if *m.Source.Weight != 7 || m.RRs[0].(*dns.A).A.String() != "192.0.2.1" {
		t.Errorf("snapshot changed with its input: weight %d value %v", *m.Source.Weight, m.RRs[0])
	}
}
