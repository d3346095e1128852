package snapshot

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

// ipBased builds an IP-based record set.
func ipBased(name, id, collection, location string, values ...string) zone.RRSet {
	r := rrset(name, "A", 60, values...)
	r.SetIdentifier, r.CidrRoutingConfig = id, &zone.CidrRoutingConfig{CollectionID: collection, LocationName: location}
	return r
}

// testCollection has nested blocks in both families.
func testCollection() zone.CidrCollection {
	return zone.CidrCollection{ID: "c1", Name: "one", Locations: map[string][]string{
		"a":   {"10.0.0.0/8", "not-a-cidr"},
		"b":   {"10.1.0.0/16"},
		"c":   {"10.1.2.0/24", "10.1.0.0/16"}, // the /16 stays with "b"
		"d":   {"2001:db8::/32"},
		"e":   {"2001:db8:1234::/48"},
		"off": {"172.16.0.0/12"}, // no record names it
	}}
}

func cidrPlan(t *testing.T) (*Plan, *Zone) {
	t.Helper()
	z := zoneData("Z1", "example.com.", "",
		ipBased("ip.example.com.", "ra", "c1", "a", "192.0.2.1"),
		ipBased("ip.example.com.", "rb", "c1", "b", "192.0.2.2"),
		ipBased("ip.example.com.", "rc", "c1", "c", "192.0.2.3"),
		ipBased("ip.example.com.", "rd", "c1", "d", "192.0.2.4"),
		ipBased("ip.example.com.", "re", "c1", "e", "192.0.2.5"),
		ipBased("ip.example.com.", "rz", "c1", "*", "192.0.2.9"),
	)
	s, err := Build(1, []ZoneData{z}, []zone.CidrCollection{testCollection()})
	if err != nil {
		t.Fatal(err)
	}
	p := lookup(t, s, "ip.example.com.", dns.TypeA).Plan
	if p == nil || p.Policy != PolicyIPBased || p.Unserved != "" {
		t.Fatalf("plan %+v", p)
	}
	return p, s.Zone("Z1")
}

func TestCidrLookup(t *testing.T) {
	p, z := cidrPlan(t)
	tab := p.Cidr()
	if tab.Default() != 5 || tab.Blocks() != 5 {
		t.Fatalf("default %d blocks %d, want 5 and 5", tab.Default(), tab.Blocks())
	}
	problems := strings.Join(z.Problems(), "\n")
	for _, want := range []string{`block "not-a-cidr" skipped`, `block 10.1.0.0/16 listed again under location "c"`} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}
	tests := []struct {
		client  string
		member  string // SetIdentifier, "" for no match
		matched uint8
		scope   uint8
	}{
		{"10.1.2.0/24", "rc", 24, 24},
		{"10.1.2.77/32", "rc", 24, 24},
		{"10.1.3.0/24", "rb", 16, 24},   // a /23 would cover 10.1.2.0/24
		{"10.1.128.0/24", "rb", 16, 17}, // 10.1.128.0/17 holds no longer block
		{"10.1.0.0/16", "rb", 16, 16},   // the /24 is longer than the subnet
		{"10.0.0.0/12", "ra", 8, 8},
		{"10.200.0.0/24", "ra", 8, 9},
		{"11.0.0.0/24", "", 0, 8},
		{"192.0.2.1/32", "", 0, 1},
		{"172.16.0.0/16", "", 0, 1}, // location "off" has no record
		{"0.0.0.0/0", "", 0, 0},
		{"2001:db8::/32", "rd", 32, 32}, // spec: the /48 does not match a /32
		{"2001:db8:1234::/56", "re", 48, 48},
		{"2001:db8:ffff::/48", "rd", 32, 33},
		{"2001:db8::/31", "", 0, 0}, // no block is as short as /31
		{"::1/128", "", 0, 3},
	}
	for _, tc := range tests {
		member, matched, scope := tab.Lookup(netip.MustParsePrefix(tc.client).Masked())
		got := ""
		if member >= 0 {
			got = p.Members[member].SetIdentifier()
		}
		if got != tc.member || matched != tc.matched || scope != tc.scope {
			t.Errorf("%s: member %q matched /%d scope /%d, want %q /%d /%d", tc.client, got, matched, scope, tc.member, tc.matched, tc.scope)
		}
	}
	allocs := testing.AllocsPerRun(100, func() { tab.Lookup(netip.MustParsePrefix("10.1.3.0/24")) })
	if allocs != 0 {
		t.Errorf("Lookup allocates %.1f times", allocs)
	}
}

// TestCidrScopeIsExact checks, for every IPv4 /8../24 subnet in a small
// space, that every other subnet of the same length within the returned
// scope gets the same member, and that one step wider would not hold.
func TestCidrScopeIsExact(t *testing.T) {
	tab := newCidrTable(-1)
	blocks := []string{"10.0.0.0/8", "10.64.0.0/10", "10.64.0.0/12", "10.96.0.0/11", "10.100.4.0/22", "10.100.6.0/24", "10.128.0.0/9"}
	for i, b := range blocks {
		tab.insert(netip.MustParsePrefix(b), i)
	}
	tab.finish()
	for bits := 8; bits <= 24; bits += 4 {
		for x := 0; x < 256; x += 3 {
			addr := netip.AddrFrom4([4]byte{10, byte(x), byte(x * 7), 0})
			client := netip.PrefixFrom(addr, bits).Masked()
			m, _, scope := tab.Lookup(client)
			// Every same-length subnet inside client/scope gets m.
			outer := netip.PrefixFrom(addr, int(scope)).Masked()
			for y := 0; y < 64; y++ {
				b := outer.Addr().As4()
				v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
				if scope < 32 {
					v |= (uint32(y) * 2654435761) & (1<<(32-scope) - 1)
				}
				other := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), bits).Masked()
				if om, _, _ := tab.Lookup(other); om != m {
					t.Fatalf("%s: member %d with scope /%d, but %s in that scope gets %d", client, m, scope, other, om)
				}
			}
		}
	}
}

func TestCidrUnserved(t *testing.T) {
	col := testCollection()
	tests := []struct {
		name string
		sets []zone.RRSet
		cols []zone.CidrCollection
		want string
	}{
		{"collection missing", []zone.RRSet{ipBased("ip.example.com.", "a", "c1", "a", "192.0.2.1")}, nil, "CIDR collection c1 not found"},
		{"location missing", []zone.RRSet{ipBased("ip.example.com.", "a", "c1", "nowhere", "192.0.2.1")}, []zone.CidrCollection{col}, `location "nowhere" not found in CIDR collection c1`},
		{"two collections", []zone.RRSet{ipBased("ip.example.com.", "a", "c1", "a", "192.0.2.1"), ipBased("ip.example.com.", "b", "c2", "b", "192.0.2.2")},
			[]zone.CidrCollection{col}, "name two CIDR collections"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Build(1, []ZoneData{zoneData("Z1", "example.com.", "", tc.sets...)}, tc.cols)
			if err != nil {
				t.Fatal(err)
			}
			p := lookup(t, s, "ip.example.com.", dns.TypeA).Plan
			if !strings.Contains(p.Unserved, tc.want) || p.Cidr() != nil {
				t.Errorf("unserved %q, want %q", p.Unserved, tc.want)
			}
			if !strings.Contains(strings.Join(s.Zone("Z1").Problems(), "\n"), tc.want) {
				t.Errorf("problems lack %q", tc.want)
			}
		})
	}
	// A group naming only the default location still needs its collection.
	s, err := Build(1, []ZoneData{zoneData("Z1", "example.com.", "", ipBased("ip.example.com.", "z", "gone", "*", "192.0.2.1"))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := lookup(t, s, "ip.example.com.", dns.TypeA).Plan; !strings.Contains(p.Unserved, "CIDR collection gone not found") {
		t.Errorf("default-only group without its collection: unserved %q", p.Unserved)
	}
	s, err = Build(1, []ZoneData{zoneData("Z1", "example.com.", "", ipBased("ip.example.com.", "z", "c1", "*", "192.0.2.1"))}, []zone.CidrCollection{col})
	if err != nil {
		t.Fatal(err)
	}
	if p := lookup(t, s, "ip.example.com.", dns.TypeA).Plan; p.Unserved != "" || p.Cidr().Default() != 0 || p.Cidr().Blocks() != 0 {
		t.Errorf("default-only group: unserved %q", p.Unserved)
	}
}

func TestCollectionsKeptAndCopied(t *testing.T) {
	col := testCollection()
	s, err := Build(1, []ZoneData{zoneData("Z1", "example.com.", "")}, []zone.CidrCollection{col})
	if err != nil {
		t.Fatal(err)
	}
	col.Locations["a"][0] = "192.0.2.0/24"
	s2, err := s.With(2, []ZoneData{zoneData("Z1", "example.com.", "", ipBased("ip.example.com.", "ra", "c1", "a", "192.0.2.1"))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cs := s2.Collections(); len(cs) != 1 || cs[0].Locations["a"][0] != "10.0.0.0/8" {
		t.Fatalf("collections after With: %+v", cs)
	}
	p := lookup(t, s2, "ip.example.com.", dns.TypeA).Plan
	if m, _, _ := p.Cidr().Lookup(netip.MustParsePrefix("10.9.0.0/16")); p.Unserved != "" || m != 0 {
		t.Errorf("With did not compile against the kept collection: unserved %q member %d", p.Unserved, m)
	}
	if n := len(NewHolder().Load().Collections()); n != 0 {
		t.Errorf("empty snapshot has %d collections", n)
	}
}
