package snapshot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

func TestByteArena(t *testing.T) {
	a := newByteArena(0)
	var strs []string
	var bufs [][]byte
	for i := range 2000 {
		s := fmt.Sprintf("name-%d.example.com.", i)
		strs = append(strs, a.string(s))
		bufs = append(bufs, a.bytes([]byte(s)))
	}
	big := strings.Repeat("x", 3*maxArenaBlock)
	if got := a.string(big); got != big {
		t.Errorf("string larger than a block: got %d bytes", len(got))
	}
	for i := range strs {
		want := fmt.Sprintf("name-%d.example.com.", i)
		if strs[i] != want || string(bufs[i]) != want {
			t.Fatalf("entry %d: %q, %q; want %q", i, strs[i], bufs[i], want)
		}
		if cap(bufs[i]) != len(bufs[i]) {
			t.Fatalf("entry %d: capacity %d beyond its length %d", i, cap(bufs[i]), len(bufs[i]))
		}
	}
	if a.string("") != "" || a.bytes(nil) != nil {
		t.Errorf("empty input gave a non-empty result")
	}
	if a.next > maxArenaBlock {
		t.Errorf("next block %d beyond the maximum %d", a.next, maxArenaBlock)
	}
	if got, want := a.wireKey([]string{"www", "example", "com"}), wireKey([]string{"www", "example", "com"}); got != want {
		t.Errorf("wireKey %q, want %q", got, want)
	}
	if got := a.wireKey(nil); got != "\x00" {
		t.Errorf("root wireKey %q", got)
	}
}

func TestSlab(t *testing.T) {
	s := newSlab[Node](0)
	var ptrs []*Node
	for i := range 3000 {
		n := s.alloc()
		if n.name != "" || n.plans != nil || n.cut != nil {
			t.Fatalf("allocation %d is not zero", i)
		}
		n.name = fmt.Sprint(i)
		ptrs = append(ptrs, n)
	}
	for i, n := range ptrs {
		if n.name != fmt.Sprint(i) {
			t.Fatalf("node %d overwritten: %q", i, n.name)
		}
	}
	if s.next > maxSlabBlock {
		t.Errorf("next block %d beyond the maximum %d", s.next, maxSlabBlock)
	}
}

// TestAddressValues checks that A and AAAA values read without the zone
// parser give what the zone parser gives, and that whatever it does not
// take is left to the parser, errors included.
func TestAddressValues(t *testing.T) {
	for _, tc := range []struct {
		rtype uint16
		value string
		want  string // the record's rdata as text, "" for an error
	}{
		{dns.TypeA, "192.0.2.1", "192.0.2.1"},
		{dns.TypeA, " 192.0.2.1 ", "192.0.2.1"},
		{dns.TypeA, "2001:db8::1", ""},
		{dns.TypeA, "192.0.2", ""},
		{dns.TypeA, "192.0.2.256", ""},
		{dns.TypeAAAA, "2001:db8::1", "2001:db8::1"},
		{dns.TypeAAAA, "2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
		{dns.TypeAAAA, "::ffff:192.0.2.1", "::ffff:192.0.2.1"},
		{dns.TypeAAAA, "192.0.2.1", ""},
		{dns.TypeAAAA, "fe80::1%eth0", ""},
	} {
		c := &compiler{arena: newByteArena(0), as: make([]dns.A, 0, 1), aaaas: make([]dns.AAAA, 0, 1)}
		typeName := dns.TypeToString[tc.rtype]
		rr, err := c.parseValue("www.example.com.", tc.rtype, typeName, 300, tc.value)
		ref, refErr := parseValue("www.example.com.", tc.rtype, typeName, 300, tc.value)
		if (err == nil) != (refErr == nil) {
			t.Errorf("%s %q: error %v, zone parser %v", typeName, tc.value, err, refErr)
			continue
		}
		if tc.want == "" {
			if err == nil {
				t.Errorf("%s %q: accepted as %v", typeName, tc.value, rr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v", typeName, tc.value, err)
			continue
		}
		if rr.String() != ref.String() || !strings.HasSuffix(rr.String(), "\t"+tc.want) {
			t.Errorf("%s %q: %q, zone parser %q, want rdata %s", typeName, tc.value, rr.String(), ref.String(), tc.want)
		}
		a, b := make([]byte, 64), make([]byte, 64)
		na, errA := dns.PackRR(rr, a, 0, nil, false)
		nb, errB := dns.PackRR(ref, b, 0, nil, false)
		if errA != nil || errB != nil || string(a[:na]) != string(b[:nb]) {
			t.Errorf("%s %q: packs to %x (%v), zone parser's to %x (%v)", typeName, tc.value, a[:na], errA, b[:nb], errB)
		}
	}
}

// TestPackedRecords checks that each member's Packed holds its records in
// order, each as packChunk packs it, and that Wire's end offsets split it
// the same way.
func TestPackedRecords(t *testing.T) {
	s := mustBuild(t, zoneData("ZP", "example.com.", "",
		rrset("www.example.com.", "A", 300, "192.0.2.1", "192.0.2.2", "192.0.2.3"),
		rrset("www.example.com.", "TXT", 60, `"one"`, `"two three"`, `"`+strings.Repeat("x", 200)+`"`),
		rrset("www.example.com.", "MX", 60, "10 mail.example.com", "20 mx.example.net"),
		rrset("v6.example.com.", "AAAA", 60, "2001:db8::1"),
	))
	for _, q := range []struct {
		name  string
		qtype uint16
		n     int
	}{
		{"www.example.com.", dns.TypeA, 3}, {"www.example.com.", dns.TypeTXT, 3}, {"www.example.com.", dns.TypeMX, 2},
		{"v6.example.com.", dns.TypeAAAA, 1}, {"example.com.", dns.TypeNS, 2}, {"example.com.", dns.TypeSOA, 1},
	} {
		m := &lookup(t, s, q.name, q.qtype).Plan.Members[0]
		packed := m.Packed()
		wire, ends := m.Wire()
		if len(m.RRs) != q.n || len(ends) != q.n || string(wire) != string(packed) {
			t.Fatalf("%s %s: %d records, %d ends", q.name, dns.TypeToString[q.qtype], len(m.RRs), len(ends))
		}
		start := uint32(0)
		for i, rr := range m.RRs {
			want, ok := packChunk(rr)
			if !ok || string(packed[start:ends[i]]) != string(want) {
				t.Errorf("%s %s record %d: %x, want %x", q.name, dns.TypeToString[q.qtype], i, packed[start:ends[i]], want)
			}
			start = ends[i]
		}
		if int(start) != len(packed) {
			t.Errorf("%s %s: ends stop at %d of %d bytes", q.name, dns.TypeToString[q.qtype], start, len(packed))
		}
	}
	var empty Member
	if w, e := empty.Wire(); w != nil || e != nil || empty.Packed() != nil {
		t.Errorf("a member without records has wire %x, ends %v", w, e)
	}
}
