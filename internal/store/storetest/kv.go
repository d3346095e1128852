package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/meridian-gtm/meridian/internal/store"
)

// kvTests checks reads and writes.
func kvTests() []contractTest {
	return []contractTest{
		{"PutGetDelete", testPutGetDelete},
		{"EmptyValue", testEmptyValue},
		{"ValuesAreCopies", testValuesAreCopies},
		{"ListPrefixOrder", testListPrefixOrder},
		{"ListStopsOnError", testListStopsOnError},
		{"ReadYourWrites", testReadYourWrites},
		{"ListInUpdateMayWrite", testListInUpdateMayWrite},
		{"FnErrorWritesNothing", testFnErrorWritesNothing},
		{"EmptyKeyRejected", testEmptyKeyRejected},
	}
}

func testPutGetDelete(t *testing.T, s store.Store) {
	if _, ok := get(t, s, "zones/a"); ok {
		t.Fatalf("Get on empty store: key exists")
	}
	put(t, s, "zones/a", "one", "zones/b", "two")
	put(t, s, "zones/a", "uno")
	for _, tc := range []struct {
		key, want string
		ok        bool
	}{
		{"zones/a", "uno", true},
		{"zones/b", "two", true},
		{"zones/c", "", false},
		{"zones/", "", false},
		{"zones", "", false},
	} {
		got, ok := get(t, s, tc.key)
		if ok != tc.ok || got != tc.want {
			t.Errorf("Get(%q) = %q, %v; want %q, %v", tc.key, got, ok, tc.want, tc.ok)
		}
	}
	del(t, s, "zones/a")
	if _, ok := get(t, s, "zones/a"); ok {
		t.Errorf("Get after Delete: key exists")
	}
	if got, ok := get(t, s, "zones/b"); !ok || got != "two" {
		t.Errorf("Delete removed a neighbour: Get(zones/b) = %q, %v", got, ok)
	}
}

func testEmptyValue(t *testing.T, s store.Store) {
	_, err := s.Update(testCtx(t), func(tx store.Tx) error {
		if err := tx.Put("nil", nil); err != nil {
			return err
		}
		return tx.Put("empty", []byte{})
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	for _, k := range []string{"nil", "empty"} {
		got, ok := get(t, s, k)
		if !ok || got != "" {
			t.Errorf("Get(%q) = %q, %v; want empty value that exists", k, got, ok)
		}
	}
	if got := list(t, s, ""); len(got) != 2 {
		t.Errorf("List sees %d keys with empty values, want 2: %v", len(got), got)
	}
}

func testValuesAreCopies(t *testing.T, s store.Store) {
	buf := []byte("original")
	_, err := s.Update(testCtx(t), func(tx store.Tx) error {
		if err := tx.Put("k", buf); err != nil {
			return err
		}
		copy(buf, "CHANGED!") // the caller reuses its buffer inside the tx
		return nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	copy(buf, "changed!")
	err = s.View(testCtx(t), func(tx store.ReadTx) error {
		v, _, err := tx.Get("k")
		if err != nil {
			return err
		}
		if string(v) != "original" {
			return fmt.Errorf("value changed with the caller's buffer: %q", v)
		}
		copy(v, "XXXXXXXX")
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	if got, _ := get(t, s, "k"); got != "original" {
		t.Errorf("modifying a returned value changed the store: %q", got)
	}
	var kept []byte
	err = s.View(testCtx(t), func(tx store.ReadTx) error {
		return tx.List("k", func(_ string, v []byte) error {
			kept = v
			return nil
		})
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	put(t, s, "k", "replaced")
	if string(kept) != "original" {
		t.Errorf("value kept from List changed after the transaction: %q", kept)
	}
}

func testListPrefixOrder(t *testing.T, s store.Store) {
	keys := []string{"b/x", "a/c", "a", "a/b/c", "a/", "a0", "a/b", "a/B", "c", "a/b/"}
	pairs := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		pairs = append(pairs, k, "v:"+k)
	}
	// Two Updates so ordering does not depend on insertion order.
	put(t, s, pairs[:10]...)
	put(t, s, pairs[10:]...)
	sorted := slices.Sorted(slices.Values(keys))
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"", sorted},
		{"a/", []string{"a/", "a/B", "a/b", "a/b/", "a/b/c", "a/c"}},
		{"a/b", []string{"a/b", "a/b/", "a/b/c"}},
		{"a/b/", []string{"a/b/", "a/b/c"}},
		{"a", []string{"a", "a/", "a/B", "a/b", "a/b/", "a/b/c", "a/c", "a0"}},
		{"b/", []string{"b/x"}},
		{"d", nil},
		{"a/b/c/", nil},
	} {
		var got []string
		for _, p := range list(t, s, tc.prefix) {
			if p.Value != "v:"+p.Key {
				t.Errorf("List(%q): key %q has value %q", tc.prefix, p.Key, p.Value)
			}
			got = append(got, p.Key)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("List(%q) = %q, want %q", tc.prefix, got, tc.want)
		}
	}
}

func testListStopsOnError(t *testing.T, s store.Store) {
	put(t, s, "l/1", "a", "l/2", "b", "l/3", "c")
	var seen []string
	err := s.View(testCtx(t), func(tx store.ReadTx) error {
		return tx.List("l/", func(k string, _ []byte) error {
			seen = append(seen, k)
			if k == "l/2" {
				return errSentinel
			}
			return nil
		})
	})
	if !errors.Is(err, errSentinel) {
		t.Fatalf("View returned %v, want the List callback's error", err)
	}
	if !slices.Equal(seen, []string{"l/1", "l/2"}) {
		t.Errorf("List visited %q after the error, want [l/1 l/2]", seen)
	}
}

func testReadYourWrites(t *testing.T, s store.Store) {
	put(t, s, "r/old", "1", "r/gone", "2")
	_, err := s.Update(testCtx(t), func(tx store.Tx) error {
		if err := tx.Put("r/new", []byte("3")); err != nil {
			return err
		}
		if err := tx.Put("r/old", []byte("changed")); err != nil {
			return err
		}
		if err := tx.Delete("r/gone"); err != nil {
			return err
		}
		for _, c := range []struct {
			key, want string
			ok        bool
		}{
			{"r/new", "3", true},
			{"r/old", "changed", true},
			{"r/gone", "", false},
		} {
			v, ok, err := tx.Get(c.key)
			if err != nil {
				return err
			}
			if ok != c.ok || string(v) != c.want {
				return fmt.Errorf("in-tx Get(%q) = %q, %v; want %q, %v", c.key, v, ok, c.want, c.ok)
			}
		}
		var keys []string
		if err := tx.List("r/", func(k string, _ []byte) error {
			keys = append(keys, k)
			return nil
		}); err != nil {
			return err
		}
		if want := []string{"r/new", "r/old"}; !slices.Equal(keys, want) {
			return fmt.Errorf("in-tx List = %q, want %q", keys, want)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	want := []kv{{"r/new", "3"}, {"r/old", "changed"}}
	if got := list(t, s, "r/"); !slices.Equal(got, want) {
		t.Errorf("after commit List = %v, want %v", got, want)
	}
}

func testListInUpdateMayWrite(t *testing.T, s store.Store) {
	var pairs []string
	for i := range 50 {
		pairs = append(pairs, fmt.Sprintf("p/%03d", i), "v")
	}
	put(t, s, append(pairs, "q/keep", "v")...)
	before := revision(t, s)
	var visited int
	rev, err := s.Update(testCtx(t), func(tx store.Tx) error {
		return tx.List("p/", func(k string, _ []byte) error {
			visited++
			if err := tx.Delete(k); err != nil {
				return err
			}
			// A key added under the prefix during the walk is not visited.
			if err := tx.Put("p/~"+k, []byte("v")); err != nil {
				return err
			}
			return tx.Put("moved/"+k, []byte("v"))
		})
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if visited != 50 {
		t.Errorf("List visited %d keys while writing, want 50", visited)
	}
	if rev != before+1 {
		t.Errorf("Update committed revision %d, want %d", rev, before+1)
	}
	if got := list(t, s, "p/0"); len(got) != 0 {
		t.Errorf("%d keys left under p/0 after deleting during List", len(got))
	}
	if got := list(t, s, "p/~"); len(got) != 50 {
		t.Errorf("%d keys under p/~ added during List, want 50", len(got))
	}
	if got := list(t, s, "moved/p/"); len(got) != 50 {
		t.Errorf("%d keys under moved/p/, want 50", len(got))
	}
	if _, ok := get(t, s, "q/keep"); !ok {
		t.Errorf("key outside the prefix was lost")
	}
}

func testFnErrorWritesNothing(t *testing.T, s store.Store) {
	put(t, s, "a/keep", "1", "a/del", "2")
	before := revision(t, s)
	ch, err := s.Watch(testCtx(t), before)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	_, err = s.Update(testCtx(t), func(tx store.Tx) error {
		if err := tx.Put("a/new", []byte("x")); err != nil {
			return err
		}
		if err := tx.Put("a/keep", []byte("changed")); err != nil {
			return err
		}
		if err := tx.Delete("a/del"); err != nil {
			return err
		}
		return fmt.Errorf("validation failed: %w", errSentinel)
	})
	if !errors.Is(err, errSentinel) {
		t.Fatalf("Update returned %v, want the callback's error", err)
	}
	want := []kv{{"a/del", "2"}, {"a/keep", "1"}}
	if got := list(t, s, "a/"); !slices.Equal(got, want) {
		t.Errorf("after failed Update List = %v, want %v", got, want)
	}
	if rev := revision(t, s); rev != before {
		t.Errorf("failed Update moved revision %d → %d", before, rev)
	}
	expectQuiet(t, ch)
	// The next successful Update takes the very next revision.
	if rev := put(t, s, "a/after", "1"); rev != before+1 {
		t.Errorf("Update after a failed one committed %d, want %d", rev, before+1)
	}
}

func testEmptyKeyRejected(t *testing.T, s store.Store) {
	before := revision(t, s)
	var putErr error
	_, err := s.Update(testCtx(t), func(tx store.Tx) error {
		if err := tx.Put("ok", []byte("1")); err != nil {
			return err
		}
		putErr = tx.Put("", []byte("x"))
		return putErr
	})
	if putErr == nil {
		t.Fatalf("Put with an empty key succeeded")
	}
	if !errors.Is(err, putErr) {
		t.Errorf("Update returned %v, want the Put error %v", err, putErr)
	}
	if _, ok := get(t, s, "ok"); ok {
		t.Errorf("a write from the failed Update was kept")
	}
	if rev := revision(t, s); rev != before {
		t.Errorf("revision moved %d → %d", before, rev)
	}
}
