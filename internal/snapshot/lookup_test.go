package snapshot

import (
	"testing"

	"github.com/miekg/dns"
)

func lookupFixture(t testing.TB) *Snapshot {
	t.Helper()
	parent := zoneData("ZPARENT", "example.com.", "2024-01-01T00:00:00.000Z",
		rrset("www.example.com.", "A", 300, "192.0.2.1"),
		rrset("mail.example.com.", "A", 300, "192.0.2.25"),
		rrset("example.com.", "MX", 300, "10 mail.example.com"),
		rrset("cname.example.com.", "CNAME", 300, "www.example.com"),
		rrset("a.b.c.example.com.", "TXT", 300, `"deep"`),
		rrset(`\052.wild.example.com.`, "A", 60, "10.0.0.1"),
		rrset(`\052.example.com.`, "TXT", 60, `"wildcard"`),
		rrset("sub.example.com.", "NS", 3600, "ns1.sub.example.com", "ns.example.com"),
		rrset("sub.example.com.", "DS", 3600, "12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE58D6A6F2B5F11C6A0E6A4B1C"),
		rrset("ns1.sub.example.com.", "A", 3600, "192.0.2.53"),
		rrset("www.sub.example.com.", "A", 3600, "192.0.2.99"),
		rrset("ns.example.com.", "A", 3600, "192.0.2.54"),
	)
	child := zoneData("ZCHILD", "other.example.com.", "2024-01-02T00:00:00.000Z",
		rrset("www.other.example.com.", "A", 300, "198.51.100.1"),
	)
	// Same name as child, created later: must not serve.
	twin := zoneData("ZTWIN", "other.example.com.", "2024-02-01T00:00:00.000Z",
		rrset("www.other.example.com.", "A", 300, "203.0.113.66"),
	)
	return mustBuild(t, twin, parent, child)
}

func TestLookup(t *testing.T) {
	s := lookupFixture(t)
	tests := []struct {
		name     string
		qname    string
		qtype    uint16
		kind     Kind
		zone     string
		node     string // expected Result.Node name ("" = nil)
		plan     uint16 // expected plan type (0 = nil)
		cut      string
		wildcard bool
		qnode    bool // expected QNode != nil
	}{
		{"exact", "www.example.com.", dns.TypeA, KindAnswer, "ZPARENT", "www.example.com.", dns.TypeA, "", false, true},
		{"case folded", "WwW.ExAmPlE.CoM.", dns.TypeA, KindAnswer, "ZPARENT", "www.example.com.", dns.TypeA, "", false, true},
		{"no trailing dot", "www.example.com", dns.TypeA, KindAnswer, "ZPARENT", "www.example.com.", dns.TypeA, "", false, true},
		{"nodata", "www.example.com.", dns.TypeAAAA, KindNoData, "ZPARENT", "www.example.com.", 0, "", false, true},
		{"cname for A", "cname.example.com.", dns.TypeA, KindAnswer, "ZPARENT", "cname.example.com.", dns.TypeCNAME, "", false, true},
		{"cname for MX", "cname.example.com.", dns.TypeMX, KindAnswer, "ZPARENT", "cname.example.com.", dns.TypeCNAME, "", false, true},
		{"cname for CNAME", "cname.example.com.", dns.TypeCNAME, KindAnswer, "ZPARENT", "cname.example.com.", dns.TypeCNAME, "", false, true},
		{"wildcard nodata", "nope.example.com.", dns.TypeA, KindNoData, "ZPARENT", `*.example.com.`, 0, "", true, false},
		{"wildcard answer", "nope.example.com.", dns.TypeTXT, KindAnswer, "ZPARENT", `*.example.com.`, dns.TypeTXT, "", true, false},
		{"wildcard deeper", "x.y.nope.example.com.", dns.TypeTXT, KindAnswer, "ZPARENT", `*.example.com.`, dns.TypeTXT, "", true, false},
		{"literal wildcard name", `*.example.com.`, dns.TypeTXT, KindAnswer, "ZPARENT", `*.example.com.`, dns.TypeTXT, "", false, true},
		{"empty non-terminal", "c.example.com.", dns.TypeA, KindNoData, "ZPARENT", "c.example.com.", 0, "", false, true},
		{"ENT blocks outer wildcard", "x.c.example.com.", dns.TypeTXT, KindNXDomain, "ZPARENT", "", 0, "", false, false},
		{"wildcard never matches apex", "example.com.", dns.TypeTXT, KindNoData, "ZPARENT", "example.com.", 0, "", false, true},
		{"apex MX", "example.com.", dns.TypeMX, KindAnswer, "ZPARENT", "example.com.", dns.TypeMX, "", false, true},
		{"inner wildcard", "x.wild.example.com.", dns.TypeA, KindAnswer, "ZPARENT", `*.wild.example.com.`, dns.TypeA, "", true, false},
		{"inner wildcard two labels", "a.x.wild.example.com.", dns.TypeA, KindAnswer, "ZPARENT", `*.wild.example.com.`, dns.TypeA, "", true, false},
		{"wildcard parent is ENT", "wild.example.com.", dns.TypeA, KindNoData, "ZPARENT", "wild.example.com.", 0, "", false, true},
		{"referral at cut", "sub.example.com.", dns.TypeA, KindReferral, "ZPARENT", "", 0, "sub.example.com.", false, true},
		{"referral NS at cut", "sub.example.com.", dns.TypeNS, KindReferral, "ZPARENT", "", 0, "sub.example.com.", false, true},
		{"referral below cut", "www.sub.example.com.", dns.TypeA, KindReferral, "ZPARENT", "", 0, "sub.example.com.", false, true},
		{"referral nonexistent below cut", "nope.sub.example.com.", dns.TypeA, KindReferral, "ZPARENT", "", 0, "sub.example.com.", false, false},
		{"DS at cut from parent", "sub.example.com.", dns.TypeDS, KindAnswer, "ZPARENT", "sub.example.com.", dns.TypeDS, "", false, true},
		{"DS below cut is referral", "www.sub.example.com.", dns.TypeDS, KindReferral, "ZPARENT", "", 0, "sub.example.com.", false, true},
		{"longest suffix zone", "www.other.example.com.", dns.TypeA, KindAnswer, "ZCHILD", "www.other.example.com.", dns.TypeA, "", false, true},
		{"DS at child apex from parent", "other.example.com.", dns.TypeDS, KindNoData, "ZPARENT", `*.example.com.`, 0, "", true, false},
		{"DS at apex without parent", "example.com.", dns.TypeDS, KindNoData, "ZPARENT", "example.com.", 0, "", false, true},
		{"outside every zone", "example.org.", dns.TypeA, KindRefused, "", "", 0, "", false, false},
		{"shorter than every zone", "com.", dns.TypeA, KindRefused, "", "", 0, "", false, false},
		{"root", ".", dns.TypeA, KindRefused, "", "", 0, "", false, false},
		{"far below the deepest zone", "a.b.c.www.other.example.com.", dns.TypeA, KindNXDomain, "ZCHILD", "", 0, "", false, false},
		{"suffix that is not a label boundary", "myexample.com.", dns.TypeA, KindRefused, "", "", 0, "", false, false},
		{"ANY picks A", "www.example.com.", dns.TypeANY, KindAnswer, "ZPARENT", "www.example.com.", dns.TypeA, "", false, true},
		{"ANY at ENT", "c.example.com.", dns.TypeANY, KindNoData, "ZPARENT", "c.example.com.", 0, "", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := lookup(t, s, tc.qname, tc.qtype)
			if r.Kind != tc.kind {
				t.Fatalf("kind = %v, want %v", r.Kind, tc.kind)
			}
			zid := ""
			if r.Zone != nil {
				zid = r.Zone.ID()
			}
			if zid != tc.zone {
				t.Errorf("zone = %q, want %q", zid, tc.zone)
			}
			node := ""
			if r.Node != nil {
				node = r.Node.Name()
			}
			if node != tc.node {
				t.Errorf("node = %q, want %q", node, tc.node)
			}
			var pt uint16
			if r.Plan != nil {
				pt = r.Plan.Type
			}
			if pt != tc.plan {
				t.Errorf("plan type = %d, want %d", pt, tc.plan)
			}
			cut := ""
			if r.Cut != nil {
				cut = r.Cut.Name()
			}
			if cut != tc.cut {
				t.Errorf("cut = %q, want %q", cut, tc.cut)
			}
			if r.Wildcard != tc.wildcard {
				t.Errorf("wildcard = %v, want %v", r.Wildcard, tc.wildcard)
			}
			if (r.QNode != nil) != tc.qnode {
				t.Errorf("qnode = %v, want present=%v", r.QNode, tc.qnode)
			}
		})
	}
}

func TestLookupGlueAndExtras(t *testing.T) {
	s := lookupFixture(t)
	r := lookup(t, s, "sub.example.com.", dns.TypeA)
	ns := r.Cut.Plan(dns.TypeNS)
	if ns == nil || len(ns.Members) != 1 {
		t.Fatalf("cut has no NS plan")
	}
	var got []string
	for _, n := range ns.Members[0].Extra() {
		got = append(got, n.Name())
	}
	if len(got) != 2 || got[0] != "ns1.sub.example.com." || got[1] != "ns.example.com." {
		t.Errorf("glue nodes = %v", got)
	}
	if c := s.Zone("ZPARENT").Node([]byte("\x03ns1\x03sub\x07example\x03com\x00")).Cut(); c == nil || c.Name() != "sub.example.com." {
		t.Errorf("glue node not occluded by the cut: %v", c)
	}
	mx := lookup(t, s, "example.com.", dns.TypeMX).Plan
	if ex := mx.Members[0].Extra(); len(ex) != 1 || ex[0].Name() != "mail.example.com." {
		t.Errorf("MX extras = %v", ex)
	}
	cn := lookup(t, s, "cname.example.com.", dns.TypeA).Plan
	if ex := cn.Members[0].Extra(); len(ex) != 1 || ex[0].Name() != "www.example.com." {
		t.Errorf("CNAME extras = %v", ex)
	}
}

func TestLookupDoesNotAllocate(t *testing.T) {
	s := lookupFixture(t)
	var w WireName
	names := []string{"www.example.com.", "nope.example.com.", "x.c.example.com.", "www.sub.example.com.", "example.org."}
	allocs := testing.AllocsPerRun(200, func() {
		for _, n := range names {
			w.SetPresentation(n)
			s.Lookup(&w, dns.TypeA)
		}
	})
	if allocs != 0 {
		t.Errorf("lookup allocates %.1f times per run, want 0", allocs)
	}
}
