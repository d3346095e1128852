package storetest

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/store"
)

// revisionTests checks revision numbering and read consistency.
func revisionTests() []contractTest {
	return []contractTest{
		{"RevisionIncrementsByOne", testRevisionIncrementsByOne},
		{"UpdateWithoutWritesCommitsNothing", testUpdateWithoutWrites},
		{"ViewConsistency", testViewConsistency},
		{"ViewsSeeWholeCommits", testViewsSeeWholeCommits},
	}
}

func testRevisionIncrementsByOne(t *testing.T, s store.Store) {
	if rev := revision(t, s); rev != 0 {
		t.Fatalf("new store at revision %d, want 0", rev)
	}
	for i := int64(1); i <= 5; i++ {
		var txRev int64
		rev, err := s.Update(testCtx(t), func(tx store.Tx) error {
			txRev = tx.Revision()
			// Several writes in one Update still make one revision.
			for j := range 3 {
				if err := tx.Put(fmt.Sprintf("r/%d/%d", i, j), []byte("v")); err != nil {
					return err
				}
			}
			if got := tx.Revision(); got != txRev {
				return fmt.Errorf("tx.Revision changed from %d to %d by writes", txRev, got)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Update %d: %v", i, err)
		}
		if txRev != i-1 || rev != i {
			t.Fatalf("Update %d: tx.Revision() = %d, committed %d; want %d, %d", i, txRev, rev, i-1, i)
		}
		if got := revision(t, s); got != i {
			t.Fatalf("Revision after Update %d = %d", i, got)
		}
		err = s.View(testCtx(t), func(tx store.ReadTx) error {
			if tx.Revision() != i {
				return fmt.Errorf("View revision %d, want %d", tx.Revision(), i)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// A write of an identical value is still a write.
	put(t, s, "r/1/0", "v")
	if got := revision(t, s); got != 6 {
		t.Errorf("rewriting the same value: revision %d, want 6", got)
	}
}

func testUpdateWithoutWrites(t *testing.T, s store.Store) {
	put(t, s, "k", "v")
	before := revision(t, s)
	ch, err := s.Watch(testCtx(t), before)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	for _, tc := range []struct {
		name string
		fn   func(store.Tx) error
	}{
		{"nothing", func(store.Tx) error { return nil }},
		{"reads", func(tx store.Tx) error {
			if _, _, err := tx.Get("k"); err != nil {
				return err
			}
			return tx.List("", func(string, []byte) error { return nil })
		}},
		{"delete of a missing key", func(tx store.Tx) error { return tx.Delete("missing") }},
	} {
		rev, err := s.Update(testCtx(t), tc.fn)
		if err != nil {
			t.Fatalf("%s: Update: %v", tc.name, err)
		}
		if rev != before {
			t.Errorf("%s: Update returned %d, want the current revision %d", tc.name, rev, before)
		}
		if got := revision(t, s); got != before {
			t.Errorf("%s: revision moved %d → %d", tc.name, before, got)
		}
	}
	expectQuiet(t, ch)
}

// testViewConsistency commits an Update while a View is open: the View
// must go on seeing the state it started with. The Update may wait for the
// View (some implementations serialize them), so the View only waits a
// moment for it.
func testViewConsistency(t *testing.T, s store.Store) {
	start := put(t, s, "v/a", "1", "v/b", "1")
	ctx := testCtx(t)
	updated := make(chan error, 1)
	err := s.View(ctx, func(tx store.ReadTx) error {
		if v, _, err := tx.Get("v/a"); err != nil || string(v) != "1" {
			return fmt.Errorf("first read of v/a = %q, %v", v, err)
		}
		go func() {
			_, err := s.Update(ctx, func(w store.Tx) error {
				if err := w.Put("v/a", []byte("2")); err != nil {
					return err
				}
				if err := w.Put("v/b", []byte("2")); err != nil {
					return err
				}
				return w.Put("v/c", []byte("2"))
			})
			updated <- err
		}()
		select {
		case err := <-updated:
			if err != nil {
				return fmt.Errorf("concurrent Update: %w", err)
			}
			updated <- nil
		case <-time.After(200 * time.Millisecond):
		}
		for _, k := range []string{"v/a", "v/b"} {
			if v, _, err := tx.Get(k); err != nil || string(v) != "1" {
				return fmt.Errorf("read of %s inside the View = %q, %v; want the value from before", k, v, err)
			}
		}
		if _, ok, err := tx.Get("v/c"); err != nil || ok {
			return fmt.Errorf("View sees v/c written after it began (exists=%v, err=%v)", ok, err)
		}
		n := 0
		if err := tx.List("v/", func(string, []byte) error { n++; return nil }); err != nil {
			return err
		}
		if n != 2 {
			return fmt.Errorf("List inside the View sees %d keys, want 2", n)
		}
		if tx.Revision() != start {
			return fmt.Errorf("View revision %d, want %d", tx.Revision(), start)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	select {
	case err := <-updated:
		if err != nil {
			t.Fatalf("concurrent Update: %v", err)
		}
	case <-time.After(eventWait):
		t.Fatalf("Update did not finish after the View ended")
	}
	if v, _ := get(t, s, "v/c"); v != "2" {
		t.Errorf("after both, v/c = %q, want 2", v)
	}
}

// testViewsSeeWholeCommits runs Views against a writer that keeps keys
// x and y equal: every View must see them equal and at the revision that
// wrote them.
func testViewsSeeWholeCommits(t *testing.T, s store.Store) {
	const writes = 40
	base := put(t, s, "x", "0", "y", "0")
	ctx := testCtx(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 8)
	for range 3 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := s.View(ctx, func(tx store.ReadTx) error {
					x, _, err := tx.Get("x")
					if err != nil {
						return err
					}
					y, _, err := tx.Get("y")
					if err != nil {
						return err
					}
					if string(x) != string(y) {
						return fmt.Errorf("torn read: x=%s y=%s", x, y)
					}
					n, err := strconv.ParseInt(string(x), 10, 64)
					if err != nil {
						return err
					}
					if tx.Revision() != base+n {
						return fmt.Errorf("View at revision %d sees x=%d written at revision %d", tx.Revision(), n, base+n)
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for i := 1; i <= writes; i++ {
		n := strconv.Itoa(i)
		put(t, s, "x", n, "y", n)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
