package control

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/store"
)

// parentStep is one operation of a parent index scenario, on checks named
// symbolically ("c1", "p1", ...).
type parentStep struct {
	op       string   // "delete", "update" or "create"
	check    string   // the check deleted, updated or created
	children []string // update/create: the new children (nil with reset: none)
	reset    bool     // update: reset ChildHealthChecks
	refused  []string // delete: the parents expected to refuse it (nil: it succeeds)
	code     string   // update/create: the error code expected ("" : success)
}

// legacyIDs are the IDs of the checks written as a store from before the
// parent index: the parents' ID order is the reverse of their names'.
var legacyIDs = map[string]string{
	"c1": "3c1a0000-0000-4000-8000-000000000001",
	"c2": "3c2a0000-0000-4000-8000-000000000002",
	"c3": "3c3a0000-0000-4000-8000-000000000003",
	"p1": "fa1a0000-0000-4000-8000-000000000004",
	"p2": "1a2a0000-0000-4000-8000-000000000005",
}

// parentSetup is every scenario's starting point: three HTTP checks, p1
// with children c1 and c2, p2 with child c1.
var parentSetup = []struct {
	name     string
	children []string // nil: an HTTP check
}{
	{"c1", nil}, {"c2", nil}, {"c3", nil},
	{"p1", []string{"c1", "c2"}},
	{"p2", []string{"c1"}},
}

// writeLegacyCheck stores a check exactly as CreateHealthCheck did before
// the parent index existed: caller reference, check and counter.
func (e *testEnv) writeLegacyCheck(t *testing.T, id, ref string, cfg healthcheck.Config) {
	t.Helper()
	healthcheck.Defaults(&cfg)
	_, err := e.st.Update(context.Background(), func(tx store.Tx) error {
		n, err := healthCheckCount(tx)
		if err != nil {
			return err
		}
		if err := tx.Put(healthCheckRefKey(ref), []byte(id)); err != nil {
			return err
		}
		if err := putJSON(tx, HealthCheckKey(id), healthcheck.HealthCheck{ID: id, CallerReference: ref, Config: cfg, Version: 1}); err != nil {
			return err
		}
		return putHealthCheckCount(tx, n+1)
	})
	if err != nil {
		t.Fatalf("write legacy check %s: %v", id, err)
	}
}

// parentIndex returns the stored parent index (child ID to parent IDs, in
// key order) and whether its marker is present.
func (e *testEnv) parentIndex(t *testing.T) (map[string][]string, bool) {
	t.Helper()
	index := map[string][]string{}
	var built bool
	err := e.st.View(context.Background(), func(tx store.ReadTx) error {
		var err error
		if _, built, err = tx.Get(keyHealthCheckParentsBuilt); err != nil {
			return err
		}
		return tx.List(prefixHealthCheckParents, func(key string, value []byte) error {
			child, parent, ok := strings.Cut(strings.TrimPrefix(key, prefixHealthCheckParents), "/")
			if !ok {
				return fmt.Errorf("malformed index key %q", key)
			}
			child, err1 := url.PathUnescape(child)
			parent, err2 := url.PathUnescape(parent)
			if err1 != nil || err2 != nil || parent != string(value) {
				return fmt.Errorf("index entry %q = %q", key, value)
			}
			index[child] = append(index[child], parent)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return index, built
}

// derivedParents returns the parent index as a scan of the stored checks
// derives it.
func (e *testEnv) derivedParents(t *testing.T) map[string][]string {
	t.Helper()
	index := map[string][]string{}
	err := e.st.View(context.Background(), func(tx store.ReadTx) error {
		all, err := LoadHealthChecks(tx)
		for _, hc := range all {
			for _, c := range indexedChildren(hc.Config) {
				index[c] = append(index[c], hc.ID)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return index
}

// checkParentIndex fails unless a stored index (marker present) matches the
// checks; wantBuilt requires the marker.
func (e *testEnv) checkParentIndex(t *testing.T, wantBuilt bool) {
	t.Helper()
	got, built := e.parentIndex(t)
	if !built {
		if wantBuilt {
			t.Fatal("the parent index marker is missing")
		}
		return
	}
	want := e.derivedParents(t)
	eq := maps.EqualFunc(got, want, func(a, b []string) bool {
		return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
	})
	if !eq {
		t.Fatalf("parent index = %v\nderived      %v", got, want)
	}
}

func TestHealthCheckParentIndex(t *testing.T) {
	cases := []struct {
		name  string
		steps []parentStep
	}{
		{"referenced children are refused, parents in ID order", []parentStep{
			{op: "delete", check: "c1", refused: []string{"p1", "p2"}},
			{op: "delete", check: "c2", refused: []string{"p1"}},
			{op: "delete", check: "c3"},
		}},
		{"an update that drops a child frees it", []parentStep{
			{op: "update", check: "p1", children: []string{"c2"}},
			{op: "delete", check: "c1", refused: []string{"p2"}},
			{op: "update", check: "p2", reset: true},
			{op: "delete", check: "c1"},
			{op: "delete", check: "c2", refused: []string{"p1"}},
		}},
		{"an update that adds a child protects it", []parentStep{
			{op: "update", check: "p2", children: []string{"c3", "c1"}},
			{op: "delete", check: "c3", refused: []string{"p2"}},
			{op: "update", check: "p1", children: []string{"c3"}},
			{op: "delete", check: "c3", refused: []string{"p1", "p2"}},
			{op: "delete", check: "c2"},
		}},
		{"deleting the parents frees the children", []parentStep{
			{op: "delete", check: "p1"},
			{op: "delete", check: "c2"},
			{op: "delete", check: "c1", refused: []string{"p2"}},
			{op: "delete", check: "p2"},
			{op: "delete", check: "c1"},
		}},
		{"a new parent protects its children", []parentStep{
			{op: "create", check: "p3", children: []string{"c3", "c2"}},
			{op: "delete", check: "c3", refused: []string{"p3"}},
			{op: "delete", check: "c2", refused: []string{"p1", "p3"}},
			{op: "delete", check: "p3"},
			{op: "delete", check: "c3"},
		}},
		{"a refused update changes nothing", []parentStep{
			{op: "update", check: "p1", children: []string{"c3", "p2"}, code: "InvalidInput"},
			{op: "create", check: "p3", children: []string{"c3", "p1"}, code: "InvalidInput"},
			{op: "delete", check: "c3"},
			{op: "delete", check: "c2", refused: []string{"p1"}},
		}},
	}
	for _, legacy := range []bool{false, true} {
		for _, tc := range cases {
			name := "indexed/" + tc.name
			if legacy {
				name = "legacy/" + tc.name
			}
			t.Run(name, func(t *testing.T) {
				runParentScenario(t, legacy, tc.steps)
			})
		}
	}
}

// runParentScenario sets up parentSetup, through the service or (legacy)
// as a store from before the parent index, and runs steps.
func runParentScenario(t *testing.T, legacy bool, steps []parentStep) {
	ctx := context.Background()
	e := newEnv(t, Config{})
	ids := map[string]string{}
	idsOf := func(names []string) []string {
		out := []string{}
		for _, n := range names {
			out = append(out, ids[n])
		}
		return out
	}
	for _, c := range parentSetup {
		cfg := httpConfig("93.184.216.34")
		if c.children != nil {
			cfg = calcConfig(1, idsOf(c.children)...)
		}
		if legacy {
			ids[c.name] = legacyIDs[c.name]
			e.writeLegacyCheck(t, ids[c.name], "ref-"+c.name, cfg)
		} else {
			ids[c.name] = e.createCheck(t, "ref-"+c.name, cfg).ID
		}
	}
	if index, built := e.parentIndex(t); legacy == built || (legacy && len(index) > 0) {
		t.Fatalf("after setup: index %v, marker %v", index, built)
	}
	e.checkParentIndex(t, !legacy)

	for i, s := range steps {
		var err error
		switch s.op {
		case "delete":
			before := e.healthCheckCount(t)
			err = e.svc.DeleteHealthCheck(ctx, ids[s.check])
			if s.refused != nil {
				parents := idsOf(s.refused)
				slices.Sort(parents)
				wantMessage(t, err, "InvalidInput", "Health check "+ids[s.check]+
					" is still referenced from parent health check(s): "+strings.Join(parents, ", "))
				if _, gerr := e.svc.GetHealthCheck(ctx, ids[s.check]); gerr != nil || e.healthCheckCount(t) != before {
					t.Fatalf("step %d: a refused delete removed the check: %v", i, gerr)
				}
				// The index a refused delete needed is kept.
				e.checkParentIndex(t, true)
				continue
			}
			if err == nil && e.healthCheckCount(t) != before-1 {
				t.Fatalf("step %d: count %d after deleting, had %d", i, e.healthCheckCount(t), before)
			}
		case "update":
			u := healthcheck.Update{}
			if s.reset {
				u.ResetElements = []string{healthcheck.ResetChildHealthChecks}
			} else {
				u.ChildHealthChecks = idsOf(s.children)
			}
			_, err = e.svc.UpdateHealthCheck(ctx, ids[s.check], u)
		case "create":
			var hc healthcheck.HealthCheck
			hc, err = e.svc.CreateHealthCheck(ctx, "ref-"+s.check, calcConfig(1, idsOf(s.children)...))
			ids[s.check] = hc.ID
		default:
			t.Fatalf("step %d: unknown op %q", i, s.op)
		}
		if s.code != "" {
			wantCode(t, err, s.code)
		} else if err != nil {
			t.Fatalf("step %d: %s %s: %v", i, s.op, s.check, err)
		}
		e.checkParentIndex(t, false)
	}
	e.checkParentIndex(t, true)
}

// TestHealthCheckParentIndexUntrustedWithoutMarker: entries found without
// the marker (an index whose build never completed, or a store restored
// without it) are rebuilt from the checks, not trusted.
func TestHealthCheckParentIndexUntrustedWithoutMarker(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, Config{})
	child := e.createCheck(t, "c", httpConfig("93.184.216.34"))
	kept := e.createCheck(t, "k", httpConfig("93.184.216.35"))
	parent := e.createCheck(t, "p", calcConfig(1, kept.ID))
	_, err := e.st.Update(ctx, func(tx store.Tx) error {
		if err := tx.Delete(keyHealthCheckParentsBuilt); err != nil {
			return err
		}
		if err := tx.Delete(healthCheckParentKey(kept.ID, parent.ID)); err != nil {
			return err
		}
		return tx.Put(healthCheckParentKey(child.ID, "gone"), []byte("gone"))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = e.svc.DeleteHealthCheck(ctx, kept.ID)
	wantMessage(t, err, "InvalidInput", "Health check "+kept.ID+" is still referenced from parent health check(s): "+parent.ID)
	e.checkParentIndex(t, true)
	if err := e.svc.DeleteHealthCheck(ctx, child.ID); err != nil {
		t.Fatalf("delete of a check only a stale entry names: %v", err)
	}
	e.checkParentIndex(t, true)
}

// TestHealthCheckParentsEscapedIDs: index keys escape IDs, which can
// reorder them ("p!" escapes to "p%21", after "p$"); the message still lists
// the parents in ID order. Only stores written by hand hold such IDs.
func TestHealthCheckParentsEscapedIDs(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		t.Run(fmt.Sprintf("legacy=%v", legacy), func(t *testing.T) {
			e := newEnv(t, Config{})
			const child = "c;1"
			e.writeLegacyCheck(t, child, "c", httpConfig("93.184.216.34"))
			if !legacy {
				// Build the index first so that the parents below are
				// indexed as they are written.
				if _, err := e.st.Update(context.Background(), func(tx store.Tx) error {
					return ensureHealthCheckParents(tx)
				}); err != nil {
					t.Fatal(err)
				}
			}
			for _, p := range []string{"p$", "p!", "p/x"} {
				hc, err := e.svc.CreateHealthCheck(context.Background(), "ref-"+p, calcConfig(1, child))
				if err != nil {
					t.Fatal(err)
				}
				// Rename the created check to p, as a hand-written store might.
				if _, err := e.st.Update(context.Background(), func(tx store.Tx) error {
					if err := tx.Delete(HealthCheckKey(hc.ID)); err != nil {
						return err
					}
					if err := tx.Delete(healthCheckParentKey(child, hc.ID)); err != nil {
						return err
					}
					hc.ID = p
					if err := putJSON(tx, HealthCheckKey(p), hc); err != nil {
						return err
					}
					if legacy {
						return tx.Delete(keyHealthCheckParentsBuilt)
					}
					return tx.Put(healthCheckParentKey(child, p), []byte(p))
				}); err != nil {
					t.Fatal(err)
				}
			}
			err := e.svc.DeleteHealthCheck(context.Background(), child)
			wantMessage(t, err, "InvalidInput", "Health check c;1 is still referenced from parent health check(s): p!, p$, p/x")
			e.checkParentIndex(t, true)
		})
	}
}

// TestHealthCheckDeleteScale deletes 2,000 checks one by one, 200 of them
// calculated parents of 600 others: no delete may read a stored check but
// its own. The store is in memory so that the run time is the control
// plane's.
func TestHealthCheckDeleteScale(t *testing.T) {
	const n, parents, perParent = 2000, 200, 3
	ctx := context.Background()
	mem := &memStore{kv: map[string][]byte{}}
	counting := &walkCountingStore{Store: mem}
	svc := New(Config{Store: counting, MaxHealthChecks: n})
	var children, calculated []string
	for i := range n - parents {
		hc, err := svc.CreateHealthCheck(ctx, "c"+strconv.Itoa(i), httpConfig("93.184.216.34"))
		if err != nil {
			t.Fatalf("create child %d: %v", i, err)
		}
		children = append(children, hc.ID)
	}
	for i := range parents {
		hc, err := svc.CreateHealthCheck(ctx, "p"+strconv.Itoa(i), calcConfig(1, children[i*perParent:(i+1)*perParent]...))
		if err != nil {
			t.Fatalf("create parent %d: %v", i, err)
		}
		calculated = append(calculated, hc.ID)
	}
	if v := counting.visited.Load(); v != 0 {
		t.Fatalf("creates walked %d stored health checks, want 0", v)
	}

	start := time.Now()
	err := svc.DeleteHealthCheck(ctx, children[0])
	wantMessage(t, err, "InvalidInput", "Health check "+children[0]+" is still referenced from parent health check(s): "+calculated[0])
	for _, id := range append(calculated, children...) {
		if err := svc.DeleteHealthCheck(ctx, id); err != nil {
			t.Fatalf("delete %s: %v", id, err)
		}
	}
	elapsed := time.Since(start)
	t.Logf("deleted %d health checks in %s", n, elapsed)
	if v := counting.visited.Load(); v != 0 {
		t.Errorf("deletes walked %d stored health checks, want 0", v)
	}
	if elapsed > 20*time.Second {
		t.Errorf("deleting %d checks took %s", n, elapsed)
	}
	for k := range mem.kv {
		if strings.HasPrefix(k, HealthCheckKey("")) || strings.HasPrefix(k, prefixHealthCheckParents) {
			t.Errorf("left behind: %s", k)
		}
	}
	if _, ok := mem.kv[keyHealthCheckParentsBuilt]; !ok {
		t.Error("the parent index marker is missing")
	}
}
