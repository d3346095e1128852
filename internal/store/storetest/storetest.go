// Package storetest is the contract every store.Store implementation must
// pass. An implementation's tests call Run (and RunReopen for persistence):
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { … })
//	}
package storetest

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/store"
)

// Timeouts used by the suite. eventWait bounds how long an expected event
// may take; quietWait is how long the suite listens to show that no event
// arrives.
const (
	opTimeout = 20 * time.Second
	eventWait = 5 * time.Second
	quietWait = 100 * time.Millisecond
)

// contractTest is one named check run on a fresh store.
type contractTest struct {
	name string
	fn   func(t *testing.T, s store.Store)
}

// Run runs the contract on stores made by open. open must return a new,
// empty store (revision 0) for each call and arrange for it to be closed
// when t ends, ignoring store.ErrClosed: some checks close the store
// themselves.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Helper()
	var tests []contractTest
	tests = append(tests, kvTests()...)
	tests = append(tests, revisionTests()...)
	tests = append(tests, watchTests()...)
	tests = append(tests, concurrencyTests()...)
	tests = append(tests, lifecycleTests()...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// testCtx returns a context that ends with the test or after opTimeout.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), opTimeout)
	t.Cleanup(cancel)
	return ctx
}

// revision returns s's current revision.
func revision(t *testing.T, s store.Store) int64 {
	t.Helper()
	rev, err := s.Revision(testCtx(t))
	if err != nil {
		t.Fatalf("Revision: %v", err)
	}
	return rev
}

// put writes pairs (key, value, key, value, …) in one Update and returns the
// revision it committed.
func put(t *testing.T, s store.Store, pairs ...string) int64 {
	t.Helper()
	if len(pairs)%2 != 0 {
		t.Fatalf("put: odd number of arguments %q", pairs)
	}
	rev, err := s.Update(testCtx(t), func(tx store.Tx) error {
		for i := 0; i < len(pairs); i += 2 {
			if err := tx.Put(pairs[i], []byte(pairs[i+1])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Update put %q: %v", pairs, err)
	}
	return rev
}

// del deletes keys in one Update and returns the revision it returned.
func del(t *testing.T, s store.Store, keys ...string) int64 {
	t.Helper()
	rev, err := s.Update(testCtx(t), func(tx store.Tx) error {
		for _, k := range keys {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Update delete %q: %v", keys, err)
	}
	return rev
}

// get reads key in a View.
func get(t *testing.T, s store.Store, key string) (string, bool) {
	t.Helper()
	var (
		val []byte
		ok  bool
	)
	err := s.View(testCtx(t), func(tx store.ReadTx) error {
		var err error
		val, ok, err = tx.Get(key)
		return err
	})
	if err != nil {
		t.Fatalf("View get %q: %v", key, err)
	}
	return string(val), ok
}

// kv is one key and value as List reports them.
type kv struct {
	Key, Value string
}

// list lists prefix in a View.
func list(t *testing.T, s store.Store, prefix string) []kv {
	t.Helper()
	var out []kv
	err := s.View(testCtx(t), func(tx store.ReadTx) error {
		return tx.List(prefix, func(k string, v []byte) error {
			out = append(out, kv{k, string(v)})
			return nil
		})
	})
	if err != nil {
		t.Fatalf("View list %q: %v", prefix, err)
	}
	return out
}

// recv waits up to eventWait for the next event; ok is false if the channel
// closed.
func recv(t *testing.T, ch <-chan store.Event) (store.Event, bool) {
	t.Helper()
	select {
	case ev, ok := <-ch:
		return ev, ok
	case <-time.After(eventWait):
		t.Fatalf("no event within %s", eventWait)
		return store.Event{}, false
	}
}

// expectQuiet fails if an event arrives within quietWait.
func expectQuiet(t *testing.T, ch <-chan store.Event) {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if ok {
			t.Fatalf("unexpected event %+v", ev)
		}
		t.Fatalf("watch channel closed unexpectedly")
	case <-time.After(quietWait):
	}
}

// expectClosed drains ch and fails unless it closes within eventWait.
func expectClosed(t *testing.T, ch <-chan store.Event) {
	t.Helper()
	deadline := time.After(eventWait)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("watch channel not closed within %s", eventWait)
		}
	}
}

// history records which keys each revision changed, to check events.
type history struct {
	mu   sync.Mutex
	keys map[int64][]string
}

func newHistory() *history {
	return &history{keys: make(map[int64][]string)}
}

// add records that rev changed keys.
func (h *history) add(rev int64, keys ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.keys[rev] = append(h.keys[rev], keys...)
}

// union returns the sorted, de-duplicated keys changed in (from, to], and
// whether every revision in the range is recorded.
func (h *history) union(from, to int64) ([]string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for r := from + 1; r <= to; r++ {
		ks, ok := h.keys[r]
		if !ok {
			return nil, false
		}
		out = append(out, ks...)
	}
	sort.Strings(out)
	return slices.Compact(out), true
}

// watchUntil reads events from ch, which watches after `after`, until one
// reaches revision until. It checks the Event contract against h: revisions
// strictly increase and never pass until, and known Keys equal the keys
// changed since the previous event. It returns the events.
func watchUntil(t *testing.T, ch <-chan store.Event, after, until int64, h *history) []store.Event {
	t.Helper()
	var evs []store.Event
	prev := after
	for prev < until {
		ev, ok := recv(t, ch)
		if !ok {
			t.Fatalf("watch channel closed at revision %d, want events up to %d", prev, until)
		}
		evs = append(evs, ev)
		if ev.Revision <= prev {
			t.Fatalf("event revision %d does not follow %d", ev.Revision, prev)
		}
		if ev.Revision > until {
			t.Fatalf("event revision %d beyond the last committed revision %d", ev.Revision, until)
		}
		if len(ev.Keys) > 0 {
			if !slices.IsSorted(ev.Keys) || len(slices.Compact(slices.Clone(ev.Keys))) != len(ev.Keys) {
				t.Fatalf("event %d keys %q not ascending and unique", ev.Revision, ev.Keys)
			}
			if want, known := h.union(prev, ev.Revision); known && !slices.Equal(ev.Keys, want) {
				t.Fatalf("event for revisions (%d, %d] has keys %q, want %q", prev, ev.Revision, ev.Keys, want)
			}
		}
		prev = ev.Revision
	}
	return evs
}

// errSentinel is returned by callbacks to check errors pass through.
var errSentinel = errors.New("storetest: sentinel")
