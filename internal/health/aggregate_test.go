package health

import (
	"fmt"
	"testing"
	"time"
)

func TestPolicyQuorum(t *testing.T) {
	tests := []struct {
		policy         Policy
		healthy, total int
		want           bool
	}{
		// Route 53: more than 18% of checkers.
		{PolicyRoute53, 1, 8, false},  // 8 regions × 1: 12.5%
		{PolicyRoute53, 2, 8, true},   // 25%
		{PolicyRoute53, 2, 16, false}, // 8 regions × 2: 12.5%
		{PolicyRoute53, 3, 16, true},  // 18.75%
		{PolicyRoute53, 4, 24, false}, // 8 regions × 3: 16.7%
		{PolicyRoute53, 5, 24, true},  // 20.8%
		{PolicyRoute53, 1, 6, false},  // 3 regions × 2: 16.7%
		{PolicyRoute53, 2, 6, true},
		{PolicyRoute53, 9, 50, false}, // exactly 18% is unhealthy
		{PolicyRoute53, 10, 50, true},
		{PolicyRoute53, 18, 100, false},
		{PolicyRoute53, 19, 100, true},
		{PolicyRoute53, 0, 3, false},
		{PolicyRoute53, 1, 3, true},
		{"", 2, 8, true}, // the zero policy is Route 53's
		{"", 1, 8, false},
		{PolicyMajority, 4, 8, false},
		{PolicyMajority, 5, 8, true},
		{PolicyMajority, 2, 3, true},
		{PolicyAll, 7, 8, false},
		{PolicyAll, 8, 8, true},
		{PolicyAny, 0, 8, false},
		{PolicyAny, 1, 8, true},
		{PolicyAll, 0, 0, true}, // no checkers: nothing says unhealthy
		{PolicyRoute53, 0, 0, true},
	}
	for _, tt := range tests {
		if got := tt.policy.Healthy(tt.healthy, tt.total); got != tt.want {
			t.Errorf("%q.Healthy(%d, %d) = %v, want %v", tt.policy, tt.healthy, tt.total, got, tt.want)
		}
	}
}

func TestFinalStatus(t *testing.T) {
	tests := []struct {
		measured, disabled, inverted, want bool
	}{
		{true, false, false, true},
		{false, false, false, false},
		{true, false, true, false},
		{false, false, true, true},
		{true, true, false, true},  // disabled: healthy whatever was measured
		{false, true, false, true}, //
		{true, true, true, false},  // disabled and inverted: forced unhealthy
		{false, true, true, false},
	}
	for _, tt := range tests {
		if got := finalStatus(tt.measured, tt.disabled, tt.inverted); got != tt.want {
			t.Errorf("finalStatus(measured=%v, disabled=%v, inverted=%v) = %v, want %v", tt.measured, tt.disabled, tt.inverted, got, tt.want)
		}
	}
}

func TestCalculatedHealthy(t *testing.T) {
	// Children's final statuses; "disabled" is a disabled child (healthy),
	// "disinv" a disabled and inverted one (unhealthy), "gone" unknown.
	status := map[string]bool{
		"up1": true, "up2": true, "down": false,
		"disabled": finalStatus(false, true, false), "disinv": finalStatus(true, true, true),
	}
	lookup := func(id string) (bool, bool) { h, ok := status[id]; return h, ok }
	tests := []struct {
		threshold int
		children  []string
		healthy   int
		want      bool
	}{
		{0, []string{"down", "down"}, 0, true}, // 0: always healthy
		{0, nil, 0, true},
		{1, []string{"down", "up1"}, 1, true},
		{2, []string{"down", "up1"}, 1, false},
		{2, []string{"up1", "up2"}, 2, true},
		{3, []string{"up1", "up2"}, 2, false}, // threshold above the count
		{1, nil, 0, false},
		{2, []string{"up1", "disabled"}, 2, true},
		{2, []string{"up1", "disinv"}, 1, false},
		{2, []string{"up1", "gone"}, 2, true}, // unknown child counts healthy
	}
	for _, tt := range tests {
		h, ok := calculatedHealthy(tt.threshold, tt.children, lookup)
		if h != tt.healthy || ok != tt.want {
			t.Errorf("calculatedHealthy(%d, %v) = %d, %v; want %d, %v", tt.threshold, tt.children, h, ok, tt.healthy, tt.want)
		}
	}
}

func TestCheckerFlips(t *testing.T) {
	ok := Result{Healthy: true, Status: "Success: x"}
	bad := Result{Status: "Failure: x"}
	keep := Result{Healthy: true, Keep: true, Status: "insufficient"}
	tests := []struct {
		name      string
		threshold int
		results   []Result
		want      string // state after each result: H, U
	}{
		{"first result sets the state", 3, []Result{bad}, "U"},
		{"three failures to go down", 3, []Result{ok, bad, bad, bad, bad}, "HHHUU"},
		{"a success resets the count", 3, []Result{ok, bad, bad, ok, bad, bad, bad}, "HHHHHHU"},
		{"three successes to come up", 3, []Result{bad, ok, ok, bad, ok, ok, ok}, "UUUUUUH"},
		{"threshold one flips at once", 1, []Result{ok, bad, ok, bad}, "HUHU"},
		{"keep with no history is healthy", 3, []Result{keep, bad, keep, bad, bad}, "HHHHU"},
		{"keep holds an unhealthy state", 1, []Result{bad, keep, keep, ok}, "UUUH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChecker(&check{}, "us-east-1", 0)
			got := ""
			for i, r := range tt.results {
				c.apply(r, tt.threshold, time.Unix(int64(i), 0))
				if c.healthy {
					got += "H"
				} else {
					got += "U"
				}
			}
			if got != tt.want {
				t.Errorf("states %s, want %s", got, tt.want)
			}
		})
	}
	t.Run("observations", func(t *testing.T) {
		c := newChecker(&check{}, "us-east-1", 0)
		c.apply(bad, 1, time.Unix(1, 0))
		c.apply(keep, 1, time.Unix(2, 0))
		if c.last.status != "Failure: insufficient" || c.lastFailure.status != "Failure: insufficient" {
			t.Errorf("last %q, last failure %q", c.last.status, c.lastFailure.status)
		}
		c.apply(ok, 1, time.Unix(3, 0))
		if c.last.status != "Success: x" || !c.lastFailure.at.Equal(time.Unix(2, 0)) {
			t.Errorf("last %+v, last failure %+v", c.last, c.lastFailure)
		}
	})
	t.Run("lowered threshold settles at once", func(t *testing.T) {
		c := newChecker(&check{}, "r", 0)
		c.apply(ok, 5, time.Unix(0, 0))
		c.apply(bad, 5, time.Unix(1, 0))
		c.apply(bad, 5, time.Unix(2, 0))
		if !c.healthy || !c.settle(2) || c.healthy {
			t.Errorf("%s", fmt.Sprint(c.healthy, c.opposite))
		}
	})
}
