package routing

import (
	"math"
	"slices"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// Statistical tests draw a fixed number of picks and accept counts within
// sigmas standard deviations of the expectation: a false failure has
// probability about 2e-9 per check.
const (
	draws  = 20000
	sigmas = 6
)

// withinSigmas reports whether count is within sigmas standard deviations
// of draws*prob (binomial).
func withinSigmas(count, n int, prob float64) bool {
	mean := float64(n) * prob
	sd := math.Sqrt(float64(n) * prob * (1 - prob))
	return math.Abs(float64(count)-mean) <= sigmas*sd
}

// TestWeightedTruthTable is the table of spec 2.6: R1 and R2 weight 1, R3
// weight 0.
func TestWeightedTruthTable(t *testing.T) {
	tests := []struct {
		name      string
		r3Check   bool     // R3 has a health check
		unhealthy []string // checks that fail
		want      []string // answers that may appear, each about equally often
	}{
		{"R1 R2 unhealthy, R3 healthy", true, []string{"hc1", "hc2"}, []string{"R3"}},
		{"all unhealthy: fail open to R1 R2", true, []string{"hc1", "hc2", "hc3"}, []string{"R1", "R2"}},
		{"R2 healthy only", true, []string{"hc1", "hc3"}, []string{"R2"}},
		{"R1 R2 healthy, R3 unhealthy", true, []string{"hc3"}, []string{"R1", "R2"}},
		{"R1 R2 R3 healthy", true, nil, []string{"R1", "R2"}},
		{"R1 R2 healthy, R3 without check", false, nil, []string{"R1", "R2"}},
		{"R1 R2 unhealthy, R3 without check", false, []string{"hc1", "hc2"}, []string{"R3"}},
	}
	ip := map[string]string{"192.0.2.1": "R1", "192.0.2.2": "R2", "192.0.2.3": "R3"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r3 := rec("w.example.com.", "R3", "192.0.2.3", weight(0))
			if tc.r3Check {
				r3.HealthCheckID = "hc3"
			}
			s := build(t, nil,
				rec("w.example.com.", "R1", "192.0.2.1", weight(1), hc("hc1")),
				rec("w.example.com.", "R2", "192.0.2.2", weight(1), hc("hc2")),
				r3)
			p := plan(t, s, "w.example.com.")
			env := &Env{Health: view(tc.unhealthy...)}
			counts := map[string]int{}
			const n = 4000
			for range n {
				v, st := pickOnce(t, query(env, "192.0.2.200/32"), p)
				if st != OK {
					t.Fatalf("status %v", st)
				}
				counts[ip[v]]++
			}
			for name, c := range counts {
				if !slices.Contains(tc.want, name) {
					t.Errorf("%s answered %d times, want never", name, c)
				}
			}
			for _, name := range tc.want {
				if !withinSigmas(counts[name], n, 1/float64(len(tc.want))) {
					t.Errorf("%s answered %d/%d times, want about %d", name, counts[name], n, n/len(tc.want))
				}
			}
		})
	}
}

func TestWeightedDistribution(t *testing.T) {
	tests := []struct {
		name      string
		weights   []int64
		unhealthy []string // by SetIdentifier, which is also the check ID
		want      []float64
	}{
		{"proportional", []int64{1, 3, 0, 6}, nil, []float64{0.1, 0.3, 0, 0.6}},
		{"unhealthy excluded, rest renormalised", []int64{1, 3, 0, 6}, []string{"r3"}, []float64{0.25, 0.75, 0, 0}},
		{"all zero: uniform", []int64{0, 0, 0, 0}, nil, []float64{0.25, 0.25, 0.25, 0.25}},
		{"healthy zeros only: uniform among them", []int64{2, 0, 0, 5}, []string{"r0", "r3"}, []float64{0, 0.5, 0.5, 0}},
		{"all unhealthy: fail open by weight", []int64{1, 1, 0, 2}, []string{"r0", "r1", "r2", "r3"}, []float64{0.25, 0.25, 0, 0.5}},
		{"all unhealthy, all zero: uniform", []int64{0, 0, 0, 0}, []string{"r0", "r1", "r2", "r3"}, []float64{0.25, 0.25, 0.25, 0.25}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var sets []zone.RRSet
			for i, w := range tc.weights {
				id := "r" + string(rune('0'+i))
				sets = append(sets, rec("w.example.com.", id, "192.0.2."+string(rune('1'+i)), weight(w), hc(id)))
			}
			p := plan(t, build(t, nil, sets...), "w.example.com.")
			env := &Env{Health: view(tc.unhealthy...)}
			counts := make([]int, len(tc.weights))
			for range draws {
				v, _ := pickOnce(t, query(env, "192.0.2.200/32"), p)
				counts[v[len(v)-1]-'1']++
			}
			for i, prob := range tc.want {
				if (prob == 0 && counts[i] != 0) || !withinSigmas(counts[i], draws, prob) {
					t.Errorf("r%d answered %d/%d, want %.0f", i, counts[i], draws, prob*draws)
				}
			}
		})
	}
}
