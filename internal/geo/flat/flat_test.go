package flat

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

type entry struct {
	prefix string
	value  uint32
}

func build(t *testing.T, layers ...[]entry) *Table {
	t.Helper()
	ls := make([]*Layer, len(layers))
	for i, es := range layers {
		ls[i] = new(Layer)
		for _, e := range es {
			if err := ls[i].Add(netip.MustParsePrefix(e.prefix), e.value); err != nil {
				t.Fatal(err)
			}
		}
	}
	tab, err := Build(ls...)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestLookup(t *testing.T) {
	nested := [][]entry{{{"10.0.0.0/8", 1}, {"10.1.0.0/16", 2}}}
	layered := [][]entry{
		{{"192.0.2.0/25", 1}, {"2001:db8:1::/48", 1}},
		{{"192.0.0.0/16", 2}, {"192.0.2.0/24", 3}, {"2001:db8::/32", 2}},
	}
	type query struct {
		addr  string
		value uint32
		scope uint8
	}
	tests := []struct {
		name    string
		layers  [][]entry
		queries []query
	}{
		{
			name:   "empty",
			layers: nil,
			queries: []query{
				{"1.2.3.4", 0, 0}, {"2001:db8::1", 0, 0},
			},
		},
		{
			name:   "nested",
			layers: nested,
			queries: []query{
				{"10.200.0.0", 1, 9},    // 10.128.0.0/9
				{"10.0.0.1", 1, 16},     // 10.0.0.0/16
				{"10.2.3.4", 1, 15},     // 10.2.0.0/15
				{"10.1.99.1", 2, 16},    // the /16 itself
				{"11.0.0.0", 0, 8},      // 11.0.0.0/8
				{"9.255.255.255", 0, 7}, // 8.0.0.0/7
				{"0.0.0.0", 0, 5},       // 0.0.0.0/5
				{"255.255.255.255", 0, 1},
				{"::ffff:10.200.0.0", 1, 9}, // mapped addresses are IPv4
				{"2001:db8::1", 0, 0},       // IPv6 is its own space
			},
		},
		{
			name:   "earlier layer wins over a longer prefix",
			layers: layered,
			queries: []query{
				{"192.0.2.1", 1, 25},
				{"192.0.2.200", 3, 25},
				{"192.0.3.0", 2, 24},
				{"192.0.128.0", 2, 17},
				{"2001:db8:1::1", 1, 48},
				{"2001:db8:2::1", 2, 47},
				{"2001:db9::", 0, 32},
			},
		},
		{
			name:   "same value merges across layers",
			layers: [][]entry{{{"10.1.0.0/16", 7}}, {{"10.0.0.0/8", 7}}},
			queries: []query{
				{"10.1.2.3", 7, 8}, {"10.200.0.0", 7, 8},
			},
		},
		{
			name:   "adjacent equal values merge",
			layers: [][]entry{{{"10.0.0.0/9", 4}, {"10.128.0.0/9", 4}, {"10.128.0.0/10", 5}}},
			queries: []query{
				{"10.1.0.0", 4, 9}, {"10.192.0.0", 4, 10}, {"10.130.0.0", 5, 10},
			},
		},
		{
			name: "edges of the address space",
			layers: [][]entry{{
				{"0.0.0.0/0", 1}, {"255.255.255.255/32", 2}, {"0.0.0.0/32", 3},
				{"::/0", 1}, {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 2}, {"::/128", 3},
			}},
			queries: []query{
				{"255.255.255.255", 2, 32}, {"255.255.255.254", 1, 32}, {"0.0.0.0", 3, 32},
				{"0.0.0.1", 1, 32}, {"128.0.0.0", 1, 2},
				{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 2, 128}, {"::", 3, 128}, {"::1", 1, 128},
				{"8000::", 1, 2}, {"ffff:ffff:ffff:ffff::", 1, 65},
			},
		},
		{
			name:   "mapped prefix stored as IPv4",
			layers: [][]entry{{{"::ffff:198.51.100.0/120", 9}}},
			queries: []query{
				{"198.51.100.7", 9, 24}, {"::ffff:198.51.100.7", 9, 24},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := build(t, tt.layers...)
			for _, q := range tt.queries {
				v, s := tab.Lookup(netip.MustParseAddr(q.addr))
				if v != q.value || s != q.scope {
					t.Errorf("Lookup(%s) = %d/%d, want %d/%d", q.addr, v, s, q.value, q.scope)
				}
			}
		})
	}
}

func TestNilAndInvalid(t *testing.T) {
	var tab *Table
	if v, s := tab.Lookup(netip.MustParseAddr("1.2.3.4")); v != 0 || s != 0 {
		t.Errorf("nil table = %d/%d", v, s)
	}
	tab = build(t, []entry{{"0.0.0.0/0", 1}})
	if v, s := tab.Lookup(netip.Addr{}); v != 0 || s != 0 {
		t.Errorf("invalid addr = %d/%d", v, s)
	}
	if a, b := tab.Ranges(); a != 1 || b != 1 {
		t.Errorf("Ranges = %d, %d", a, b)
	}
}

func TestBuildErrors(t *testing.T) {
	var l Layer
	if err := l.Add(netip.Prefix{}, 1); err == nil {
		t.Error("invalid prefix accepted")
	}
	if err := l.Add(netip.MustParsePrefix("10.0.0.0/8"), 0); err == nil {
		t.Error("value 0 accepted")
	}
	for _, p := range []string{"10.0.0.0/8", "10.1.2.3/8"} { // same network once masked
		if err := l.Add(netip.MustParsePrefix(p), 1); err != nil {
			t.Fatal(err)
		}
	}
	if l.Len() != 2 {
		t.Errorf("Len = %d", l.Len())
	}
	if _, err := Build(&l); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("err = %v, want duplicate", err)
	}
}

// TestRandomAgainstBruteForce compares Lookup on random nested layers inside
// a 4096-address universe with a brute-force longest-prefix match and a
// brute-force search for the widest uniform prefix.
func TestRandomAgainstBruteForce(t *testing.T) {
	for _, fam := range []struct {
		name     string
		universe netip.Prefix // 12 host bits
		sentinel netip.Prefix // next block: a value found nowhere else
		cover    []string     // prefixes around the universe
	}{
		{"v4", netip.MustParsePrefix("10.0.0.0/20"), netip.MustParsePrefix("10.0.16.0/20"), []string{"10.0.0.0/8", "0.0.0.0/0"}},
		{"v6", netip.MustParsePrefix("2001:db8::/116"), netip.MustParsePrefix("2001:db8::1000/116"), []string{"2001:db8::/32", "::/0"}},
	} {
		t.Run(fam.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(fam.name))))
			for iter := 0; iter < 40; iter++ {
				checkRandom(t, rng, fam.universe, fam.sentinel, fam.cover)
			}
		})
	}
}

type layerEntry struct {
	prefix netip.Prefix
	value  uint32
}

func checkRandom(t *testing.T, rng *rand.Rand, universe, sentinel netip.Prefix, cover []string) {
	t.Helper()
	const size = 4096
	base := universe.Bits()
	layers := make([][]layerEntry, 3)
	layers[0] = append(layers[0], layerEntry{sentinel, 99})
	seen := map[[2]any]bool{}
	for _, c := range cover {
		if rng.IntN(2) == 0 {
			l := 1 + rng.IntN(2)
			layers[l] = append(layers[l], layerEntry{netip.MustParsePrefix(c), uint32(1 + rng.IntN(4))})
		}
	}
	for n := rng.IntN(30); n > 0; n-- {
		bits := base + rng.IntN(13)
		p, err := addrAt(universe.Addr(), rng.IntN(size)).Prefix(bits)
		if err != nil {
			t.Fatal(err)
		}
		l := rng.IntN(3)
		if seen[[2]any{l, p}] {
			continue
		}
		seen[[2]any{l, p}] = true
		layers[l] = append(layers[l], layerEntry{p, uint32(1 + rng.IntN(4))})
	}
	ls := make([]*Layer, len(layers))
	for i, es := range layers {
		ls[i] = new(Layer)
		for _, e := range es {
			if err := ls[i].Add(e.prefix, e.value); err != nil {
				t.Fatal(err)
			}
		}
	}
	tab, err := Build(ls...)
	if err != nil {
		t.Fatal(err)
	}
	want := func(a netip.Addr) uint32 {
		for _, es := range layers {
			best, v := -1, uint32(0)
			for _, e := range es {
				if e.prefix.Contains(a) && e.prefix.Bits() > best {
					best, v = e.prefix.Bits(), e.value
				}
			}
			if best >= 0 {
				return v
			}
		}
		return 0
	}
	// uniform[d][i]: block i of 2^d addresses has one value (d = 0..12).
	vals := make([]uint32, size)
	for i := range vals {
		vals[i] = want(addrAt(universe.Addr(), i))
	}
	uniform := make([][]bool, 13)
	uniform[0] = make([]bool, size)
	for i := range uniform[0] {
		uniform[0][i] = true
	}
	for d := 1; d <= 12; d++ {
		uniform[d] = make([]bool, size>>d)
		for i := range uniform[d] {
			l, r := 2*i, 2*i+1
			uniform[d][i] = uniform[d-1][l] && uniform[d-1][r] && vals[l<<(d-1)] == vals[r<<(d-1)]
		}
	}
	for i := 0; i < size; i++ {
		a := addrAt(universe.Addr(), i)
		wantScope := a.BitLen()
		for d := 12; d >= 0; d-- {
			if uniform[d][i>>d] {
				wantScope = a.BitLen() - d
				break
			}
		}
		v, s := tab.Lookup(a)
		if v != vals[i] || int(s) != wantScope {
			t.Fatalf("layers %v: Lookup(%s) = %d/%d, want %d/%d", layers, a, v, s, vals[i], wantScope)
		}
	}
}

// addrAt returns base + i for i < 65536.
func addrAt(base netip.Addr, i int) netip.Addr {
	b := base.As16()
	sum := int(b[14])<<8 | int(b[15]) + i
	b[14], b[15] = byte(sum>>8), byte(sum)
	a := netip.AddrFrom16(b)
	if base.Is4() {
		return a.Unmap()
	}
	return a
}

func BenchmarkLookup(b *testing.B) {
	var l Layer
	rng := rand.New(rand.NewPCG(7, 7))
	seen := map[netip.Prefix]bool{}
	for i := 0; i < 100000; i++ {
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), 0}), 24)
		if !seen[p] {
			seen[p] = true
			if err := l.Add(p, uint32(1+i%50)); err != nil {
				b.Fatal(err)
			}
		}
	}
	tab, err := Build(&l)
	if err != nil {
		b.Fatal(err)
	}
	addr := netip.MustParseAddr("198.51.100.7")
	b.ReportAllocs()
	for b.Loop() {
		tab.Lookup(addr)
	}
}
