package boltstore

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/store"
)

func TestMergeKeys(t *testing.T) {
	tests := []struct {
		name  string
		a, b  []string
		limit int
		want  []string
	}{
		{"disjoint", []string{"a", "c"}, []string{"b", "d"}, 10, []string{"a", "b", "c", "d"}},
		{"overlap", []string{"a", "b"}, []string{"b", "c"}, 10, []string{"a", "b", "c"}},
		{"same", []string{"a"}, []string{"a"}, 10, []string{"a"}},
		{"left tail", []string{"x", "y", "z"}, []string{"a"}, 10, []string{"a", "x", "y", "z"}},
		{"at limit", []string{"a", "b"}, []string{"c"}, 3, []string{"a", "b", "c"}},
		{"over limit", []string{"a", "b"}, []string{"c", "d"}, 3, nil},
		{"unknown left", nil, []string{"a"}, 10, nil},
		{"unknown right", []string{"a"}, []string{}, 10, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := slices.Clone(tc.a), slices.Clone(tc.b)
			got := mergeKeys(a, b, tc.limit)
			if !slices.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
				t.Errorf("mergeKeys(%q, %q, %d) = %q, want %q", tc.a, tc.b, tc.limit, got, tc.want)
			}
			if !slices.Equal(a, tc.a) || !slices.Equal(b, tc.b) {
				t.Errorf("mergeKeys modified its inputs")
			}
		})
	}
}

// ev builds an event for revision rev changing one key named after it.
func ev(rev int64) store.Event {
	return store.Event{Revision: rev, Keys: []string{fmt.Sprintf("k%d", rev)}}
}

func TestEventLog(t *testing.T) {
	big := store.Event{Revision: 0, Keys: []string{"a", "b", "c", "d", "e"}}
	tests := []struct {
		name      string
		start     int64
		appends   []store.Event
		maxEvents int
		maxKeys   int
		after     int64
		want      []store.Event
	}{
		{"empty, from start", 5, nil, 4, 100, 5, nil},
		{"empty, older than start", 5, nil, 4, 100, 2, []store.Event{{Revision: 5}}},
		{"empty, new store", 0, nil, 4, 100, 0, nil},
		{"all logged", 0, []store.Event{ev(1), ev(2), ev(3)}, 4, 100, 0, []store.Event{ev(1), ev(2), ev(3)}},
		{"tail", 0, []store.Event{ev(1), ev(2), ev(3)}, 4, 100, 2, []store.Event{ev(3)}},
		{"future", 0, []store.Event{ev(1), ev(2)}, 4, 100, 9, nil},
		{"event limit collapses", 0, []store.Event{ev(1), ev(2), ev(3), ev(4), ev(5), ev(6)}, 4, 100, 0,
			[]store.Event{{Revision: 2}, ev(3), ev(4), ev(5), ev(6)}},
		{"event limit, from the boundary", 0, []store.Event{ev(1), ev(2), ev(3), ev(4), ev(5), ev(6)}, 4, 100, 2,
			[]store.Event{ev(3), ev(4), ev(5), ev(6)}},
		{"key limit collapses", 10, []store.Event{ev(11), {Revision: 12, Keys: big.Keys}, ev(13)}, 100, 6, 10,
			[]store.Event{{Revision: 11}, {Revision: 12, Keys: big.Keys}, ev(13)}},
		{"one event over the key limit", 10, []store.Event{ev(11), {Revision: 12, Keys: big.Keys}}, 100, 3, 10,
			[]store.Event{{Revision: 12}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var l eventLog
			l.reset(tc.start)
			for _, e := range tc.appends {
				l.append(e, tc.maxEvents, tc.maxKeys)
			}
			got := l.since(tc.after)
			if !slices.EqualFunc(got, tc.want, eventsEqual) {
				t.Errorf("since(%d) = %+v, want %+v", tc.after, got, tc.want)
			}
			n := 0
			for _, e := range l.events {
				n += len(e.Keys)
			}
			if n != l.keys || len(l.events) > tc.maxEvents || l.keys > tc.maxKeys {
				t.Errorf("log holds %d events, %d keys (counted %d); limits %d, %d", len(l.events), n, l.keys, tc.maxEvents, tc.maxKeys)
			}
		})
	}
}

func eventsEqual(a, b store.Event) bool {
	return a.Revision == b.Revision && slices.Equal(a.Keys, b.Keys)
}

// openOpts opens a store with custom limits and closes it when t ends.
func openOpts(t *testing.T, opts options) *Store {
	t.Helper()
	s, err := openWith(filepath.Join(t.TempDir(), "meridian.db"), opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// putKey commits one Update writing key and returns its revision.
func putKey(t *testing.T, s *Store, key string) int64 {
	t.Helper()
	rev, err := s.Update(t.Context(), func(tx store.Tx) error { return tx.Put(key, []byte("v")) })
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	return rev
}

// readEvents reads events until one reaches revision until.
func readEvents(t *testing.T, ch <-chan store.Event, until int64) []store.Event {
	t.Helper()
	var evs []store.Event
	for len(evs) == 0 || evs[len(evs)-1].Revision < until {
		select {
		case e, ok := <-ch:
			if !ok {
				t.Fatalf("channel closed after %+v", evs)
			}
			evs = append(evs, e)
		case <-time.After(5 * time.Second):
			t.Fatalf("no event after %+v", evs)
		}
	}
	return evs
}

func TestWatchCollapsesHistoryOlderThanLog(t *testing.T) {
	opts := defaultOptions()
	opts.logEvents = 4
	s := openOpts(t, opts)
	for i := 1; i <= 10; i++ {
		putKey(t, s, fmt.Sprintf("k%d", i))
	}
	tests := []struct {
		after int64
		want  []store.Event
	}{
		{0, []store.Event{{Revision: 6}, ev(7), ev(8), ev(9), ev(10)}},
		{5, []store.Event{{Revision: 6}, ev(7), ev(8), ev(9), ev(10)}},
		{6, []store.Event{ev(7), ev(8), ev(9), ev(10)}},
		{9, []store.Event{ev(10)}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint("after ", tc.after), func(t *testing.T) {
			ch, err := s.Watch(t.Context(), tc.after)
			if err != nil {
				t.Fatalf("Watch: %v", err)
			}
			if got := readEvents(t, ch, 10); !slices.EqualFunc(got, tc.want, eventsEqual) {
				t.Errorf("Watch(%d) = %+v, want %+v", tc.after, got, tc.want)
			}
		})
	}
}

func TestWatchAfterReopenCollapses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meridian.db")
	s := openTest(t, path)
	for i := 1; i <= 3; i++ {
		putKey(t, s, fmt.Sprintf("k%d", i))
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s = openTest(t, path)
	ch, err := s.Watch(t.Context(), 1)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	putKey(t, s, "k4")
	want := []store.Event{{Revision: 3}, ev(4)}
	if got := readEvents(t, ch, 4); !slices.EqualFunc(got, want, eventsEqual) {
		t.Errorf("events = %+v, want %+v", got, want)
	}
}

func TestWatchCoalescesForSlowReader(t *testing.T) {
	tests := []struct {
		name       string
		mergedKeys int
		unknown    bool // the merged event's keys exceed the limit
	}{
		{"keys kept", 100, false},
		{"keys over limit", 3, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const pending, updates = 4, 20
			opts := defaultOptions()
			opts.watchPending = pending
			opts.mergedKeys = tc.mergedKeys
			s := openOpts(t, opts)
			ch, err := s.Watch(t.Context(), 0)
			if err != nil {
				t.Fatalf("Watch: %v", err)
			}
			for i := 1; i <= updates; i++ {
				putKey(t, s, fmt.Sprintf("k%02d", i))
			}
			evs := readEvents(t, ch, updates)
			// At most one event in flight plus a full queue.
			if len(evs) > pending+1 {
				t.Fatalf("%d events for a reader with a queue of %d: %+v", len(evs), pending, evs)
			}
			prev := int64(0)
			merged := false
			for _, e := range evs {
				if e.Revision <= prev {
					t.Fatalf("revision %d after %d", e.Revision, prev)
				}
				var want []string
				for r := prev + 1; r <= e.Revision; r++ {
					want = append(want, fmt.Sprintf("k%02d", r))
				}
				if e.Revision-prev > 1 {
					merged = true
					if tc.unknown {
						want = nil
					}
				}
				if !slices.Equal(e.Keys, want) {
					t.Errorf("event for (%d, %d] keys %q, want %q", prev, e.Revision, e.Keys, want)
				}
				prev = e.Revision
			}
			if !merged {
				t.Errorf("no event was merged: %+v", evs)
			}
		})
	}
}

func TestWatchKeysAreNotShared(t *testing.T) {
	s := openOpts(t, defaultOptions())
	a, err := s.Watch(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Watch(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	putKey(t, s, "key")
	ea := readEvents(t, a, 1)
	ea[0].Keys[0] = "changed"
	eb := readEvents(t, b, 1)
	if eb[0].Keys[0] != "key" {
		t.Errorf("one watcher's change reached another: %q", eb[0].Keys)
	}
	c, err := s.Watch(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if ec := readEvents(t, c, 1); ec[0].Keys[0] != "key" {
		t.Errorf("a watcher's change reached the log: %q", ec[0].Keys)
	}
}

func TestWatchGoroutinesExit(t *testing.T) {
	s := openOpts(t, defaultOptions())
	ctx, cancel := context.WithCancel(t.Context())
	for range 5 {
		if _, err := s.Watch(ctx, 0); err != nil {
			t.Fatal(err)
		}
	}
	putKey(t, s, "k")
	cancel()
	done := make(chan struct{})
	go func() {
		s.watchWG.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("watcher goroutines still running after their context ended")
	}
	s.mu.Lock()
	n := len(s.watchers)
	s.mu.Unlock()
	if n != 0 {
		t.Errorf("%d watchers still registered", n)
	}
}
