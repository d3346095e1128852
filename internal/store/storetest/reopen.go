package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/meridian-gtm/meridian/internal/store"
)

// RunReopen checks that state survives Close and reopening. open must open
// the store kept in dir (creating it when empty) and arrange for it to be
// closed when t ends, ignoring store.ErrClosed.
func RunReopen(t *testing.T, open func(t *testing.T, dir string) store.Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T, dir string) store.Store)
	}{
		{"StatePersists", testStatePersists},
		{"FailedUpdateNotPersisted", testFailedUpdateNotPersisted},
		{"ManyRevisionsPersist", testManyRevisionsPersist},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// closeStore closes s and fails the test on error.
func closeStore(t *testing.T, s store.Store) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func testStatePersists(t *testing.T, open func(t *testing.T, dir string) store.Store) {
	dir := t.TempDir()
	s := open(t, dir)
	h := newHistory()
	h.add(put(t, s, "p/a", "1", "p/b", "2", "p/c", "3"), "p/a", "p/b", "p/c")
	h.add(put(t, s, "p/a", "one"), "p/a")
	h.add(del(t, s, "p/b"), "p/b")
	last := revision(t, s)
	closeStore(t, s)

	s = open(t, dir)
	if got := revision(t, s); got != last {
		t.Fatalf("revision after reopen = %d, want %d", got, last)
	}
	want := []kv{{"p/a", "one"}, {"p/c", "3"}}
	if got := list(t, s, ""); !slices.Equal(got, want) {
		t.Fatalf("state after reopen = %v, want %v", got, want)
	}
	ch, err := s.Watch(testCtx(t), 0)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	watchUntil(t, ch, 0, last, h)
	rev := put(t, s, "p/d", "4")
	if rev != last+1 {
		t.Fatalf("first Update after reopen committed %d, want %d", rev, last+1)
	}
	h.add(rev, "p/d")
	evs := watchUntil(t, ch, last, rev, h)
	if want := (store.Event{Revision: rev, Keys: []string{"p/d"}}); len(evs) != 1 || !eventEqual(evs[0], want) {
		t.Errorf("event after reopen = %+v, want %+v", evs, want)
	}
	closeStore(t, s)

	s = open(t, dir)
	if got := revision(t, s); got != rev {
		t.Errorf("revision after second reopen = %d, want %d", got, rev)
	}
	if got, ok := get(t, s, "p/d"); !ok || got != "4" {
		t.Errorf("p/d after second reopen = %q, %v", got, ok)
	}
}

func testFailedUpdateNotPersisted(t *testing.T, open func(t *testing.T, dir string) store.Store) {
	dir := t.TempDir()
	s := open(t, dir)
	put(t, s, "k", "v")
	_, err := s.Update(testCtx(t), func(tx store.Tx) error {
		if err := tx.Put("k", []byte("changed")); err != nil {
			return err
		}
		if err := tx.Put("other", []byte("x")); err != nil {
			return err
		}
		return errSentinel
	})
	if !errors.Is(err, errSentinel) {
		t.Fatalf("Update returned %v, want the callback's error", err)
	}
	closeStore(t, s)

	s = open(t, dir)
	if want := []kv{{"k", "v"}}; !slices.Equal(list(t, s, ""), want) {
		t.Errorf("state after reopen = %v, want %v", list(t, s, ""), want)
	}
	if got := revision(t, s); got != 1 {
		t.Errorf("revision after reopen = %d, want 1", got)
	}
}

func testManyRevisionsPersist(t *testing.T, open func(t *testing.T, dir string) store.Store) {
	const n = 40
	dir := t.TempDir()
	s := open(t, dir)
	for i := 1; i <= n; i++ {
		if rev := put(t, s, fmt.Sprintf("m/%03d", i), fmt.Sprint(i)); rev != int64(i) {
			t.Fatalf("Update %d committed revision %d", i, rev)
		}
	}
	closeStore(t, s)

	s = open(t, dir)
	if got := revision(t, s); got != n {
		t.Fatalf("revision after reopen = %d, want %d", got, n)
	}
	got := list(t, s, "m/")
	if len(got) != n {
		t.Fatalf("%d keys after reopen, want %d", len(got), n)
	}
	for i, p := range got {
		if want := (kv{fmt.Sprintf("m/%03d", i+1), fmt.Sprint(i + 1)}); p != want {
			t.Errorf("key %d after reopen = %v, want %v", i, p, want)
		}
	}
}
