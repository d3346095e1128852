package healthstate

import "testing"

func TestView(t *testing.T) {
	v := NewViewPending(map[string]bool{"up": true, "down": false, "cold": true}, map[string]struct{}{"cold": {}})
	tests := []struct {
		id                     string
		known, healthy, settle bool
	}{
		{"up", true, true, true},
		{"down", true, false, true},
		{"cold", true, true, false},
		{"gone", false, true, false},
	}
	for _, tc := range tests {
		if got := v.Known(tc.id); got != tc.known {
			t.Errorf("Known(%s) = %v", tc.id, got)
		}
		if got := v.Healthy(tc.id); got != tc.healthy {
			t.Errorf("Healthy(%s) = %v", tc.id, got)
		}
		if got := v.Settled(tc.id); got != tc.settle {
			t.Errorf("Settled(%s) = %v", tc.id, got)
		}
	}
	var nilView *View
	if nilView.Known("x") || !nilView.Healthy("x") || nilView.Settled("x") {
		t.Error("a nil view knows a check, or calls it unhealthy, or settled")
	}
}

func TestViewCopiesItsInputs(t *testing.T) {
	status := map[string]bool{"a": true}
	pending := map[string]struct{}{"a": {}}
	v := NewViewPending(status, pending)
	status["a"] = false
	delete(pending, "a")
	if !v.Healthy("a") || v.Settled("a") {
		t.Error("changing the maps after NewViewPending changed the view")
	}
}

func TestHolderSet(t *testing.T) {
	h := NewHolder()
	if h.Load().Known("a") {
		t.Fatal("a new holder knows a check")
	}
	h.Store(NewViewPending(map[string]bool{"a": true, "b": true}, map[string]struct{}{"a": {}, "b": {}}))
	before := h.Load()
	h.Set("a", false)
	v := h.Load()
	if v == before || v.Healthy("a") || !v.Settled("a") {
		t.Errorf("after Set(a, false): healthy=%v settled=%v", v.Healthy("a"), v.Settled("a"))
	}
	if v.Settled("b") || !v.Healthy("b") {
		t.Error("Set(a) changed b")
	}
	if before.Healthy("a") != true || before.Settled("a") {
		t.Error("Set changed the earlier view")
	}
}
