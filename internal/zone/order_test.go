package zone

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestCompareKeys(t *testing.T) {
	cases := []struct {
		a, b Key
		want int
	}{
		{Key{Name: "a-b.example.com.", Type: "A"}, Key{Name: "a.example.com.", Type: "A"}, -1},
		{Key{Name: "example.com.", Type: "SOA"}, Key{Name: "a.example.com.", Type: "A"}, -1},
		{Key{Name: "example.com.", Type: "NS"}, Key{Name: "example.com.", Type: "SOA"}, -1},
		{Key{Name: "example.com.", Type: "MX"}, Key{Name: "example.com.", Type: "NS"}, -1},
		{Key{Name: `\052.example.com.`, Type: "A"}, Key{Name: "a.example.com.", Type: "A"}, -1},
		{Key{Name: "z.example.com.", Type: "A"}, Key{Name: "a.b.example.com.", Type: "A"}, 1},
		{Key{Name: "w.example.com.", Type: "A", SetIdentifier: "b"}, Key{Name: "w.example.com.", Type: "A", SetIdentifier: "a"}, 1},
		{Key{Name: "w.example.com.", Type: "A"}, Key{Name: "w.example.com.", Type: "A", SetIdentifier: "a"}, -1},
		{Key{Name: "w.example.com.", Type: "A", SetIdentifier: "x"}, Key{Name: "w.example.com.", Type: "A", SetIdentifier: "x"}, 0},
	}
	for _, tc := range cases {
		got := CompareKeys(tc.a, tc.b)
		if sign(got) != tc.want {
			t.Errorf("CompareKeys(%v, %v) = %d, want sign %d", tc.a, tc.b, got, tc.want)
		}
		if sign(CompareKeys(tc.b, tc.a)) != -tc.want {
			t.Errorf("CompareKeys(%v, %v) is not antisymmetric", tc.b, tc.a)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func TestSortRRSets(t *testing.T) {
	want := []Key{
		{Name: "example.com.", Type: "MX"},
		{Name: "example.com.", Type: "NS"},
		{Name: "example.com.", Type: "SOA"},
		{Name: `\052.example.com.`, Type: "A"},
		{Name: "a-b.example.com.", Type: "A"},
		{Name: "a.example.com.", Type: "A"},
		{Name: "a.example.com.", Type: "AAAA"},
		{Name: "b.a.example.com.", Type: "TXT"},
		{Name: "api.example.com.", Type: "A", SetIdentifier: "eu"},
		{Name: "api.example.com.", Type: "A", SetIdentifier: "us"},
		{Name: "www.example.com.", Type: "CNAME"},
	}
	rs := make([]RRSet, len(want))
	for i, k := range want {
		rs[i] = RRSet{Name: k.Name, Type: k.Type, SetIdentifier: k.SetIdentifier}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 20; round++ {
		rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
		SortRRSets(rs)
		var got []Key
		for _, r := range rs {
			got = append(got, r.Key())
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: SortRRSets order\n got %v\nwant %v", round, got, want)
		}
	}
}
