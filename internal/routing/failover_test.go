package routing

import (
	"slices"
	"strconv"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
)

func TestFailover(t *testing.T) {
	primary := rec("f.example.com.", "p", "192.0.2.1", role("PRIMARY"), hc("hcp"))
	secondary := rec("f.example.com.", "s", "192.0.2.2", role("SECONDARY"), hc("hcs"))
	bareSecondary := rec("f.example.com.", "s", "192.0.2.2", role("SECONDARY"))
	tests := []struct {
		name      string
		sets      []zone.RRSet
		unhealthy []string
		want      string
	}{
		{"primary healthy", []zone.RRSet{secondary, primary}, nil, "192.0.2.1"},
		{"primary unhealthy, secondary healthy", []zone.RRSet{primary, secondary}, []string{"hcp"}, "192.0.2.2"},
		{"both unhealthy: fail open to primary", []zone.RRSet{primary, secondary}, []string{"hcp", "hcs"}, "192.0.2.1"},
		{"secondary without check answers when primary fails", []zone.RRSet{primary, bareSecondary}, []string{"hcp"}, "192.0.2.2"},
		{"secondary unhealthy, primary healthy", []zone.RRSet{primary, secondary}, []string{"hcs"}, "192.0.2.1"},
		{"only primary, unhealthy", []zone.RRSet{primary}, []string{"hcp"}, "192.0.2.1"},
		{"only secondary, unhealthy", []zone.RRSet{secondary}, []string{"hcs"}, "192.0.2.2"},
		{"unknown check counts as healthy", []zone.RRSet{rec("f.example.com.", "p", "192.0.2.1", role("PRIMARY"), hc("gone")), secondary}, nil, "192.0.2.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := plan(t, build(t, nil, tc.sets...), "f.example.com.")
			env := &Env{Health: view(tc.unhealthy...)}
			for range 20 {
				if v, st := pickOnce(t, query(env, "192.0.2.200/32"), p); st != OK || v != tc.want {
					t.Fatalf("answered %q (%v), want %s", v, st, tc.want)
				}
			}
		})
	}
}

func TestMultiValue(t *testing.T) {
	tests := []struct {
		name      string
		records   int
		unhealthy int // the first n records' checks fail
		want      int // values per answer
		from      int // distinct records answering overall: the first one is record `first`
		first     int
	}{
		{"three healthy: all", 3, 0, 3, 3, 0},
		{"eight: all", 8, 0, 8, 8, 0},
		{"twenty: eight at random", 20, 0, 8, 20, 0},
		{"unhealthy excluded", 20, 12, 8, 8, 12},
		{"fewer than eight healthy", 20, 17, 3, 3, 17},
		{"none healthy: up to eight unhealthy", 20, 20, 8, 20, 0},
		{"none healthy, few records", 5, 5, 5, 5, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var sets []zone.RRSet
			var unhealthy []string
			for i := range tc.records {
				id := "r" + strconv.Itoa(i)
				sets = append(sets, rec("m.example.com.", id, "192.0.2."+strconv.Itoa(i+1), multi(), hc(id)))
				if i < tc.unhealthy {
					unhealthy = append(unhealthy, id)
				}
			}
			p := plan(t, build(t, nil, sets...), "m.example.com.")
			env := &Env{Health: view(unhealthy...)}
			counts := map[string]int{}
			const n = 3000
			for range n {
				var out Picked
				if st := Pick(query(env, "192.0.2.200/32"), p, &out); st != OK {
					t.Fatalf("status %v", st)
				}
				v := values(&out)
				if len(v) != tc.want {
					t.Fatalf("%d values, want %d", len(v), tc.want)
				}
				slices.Sort(v)
				if len(slices.Compact(v)) != len(v) {
					t.Fatalf("a record answered twice: %v", v)
				}
				for _, x := range v {
					counts[x]++
				}
			}
			if len(counts) != tc.from {
				t.Errorf("%d distinct records answered, want %d", len(counts), tc.from)
			}
			// Each eligible record is in an answer with probability
			// want/from, independently of the others' counts.
			for i := tc.first; i < tc.first+tc.from; i++ {
				v := "192.0.2." + strconv.Itoa(i+1)
				if !withinSigmas(counts[v], n, float64(tc.want)/float64(tc.from)) {
					t.Errorf("record %d in %d/%d answers, want about %.0f", i, counts[v], n, float64(n*tc.want)/float64(tc.from))
				}
			}
		})
	}
}
