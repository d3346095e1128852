package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/meridian-gtm/meridian/internal/store"
)

// lifecycleTests checks Close and context handling.
func lifecycleTests() []contractTest {
	return []contractTest{
		{"Close", testClose},
		{"CancelledContext", testCancelledContext},
		{"ContextEndsDuringUpdate", testContextEndsDuringUpdate},
	}
}

func testClose(t *testing.T, s store.Store) {
	put(t, s, "k", "v")
	ctx := testCtx(t)
	idle, err := s.Watch(ctx, revision(t, s))
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	unread, err := s.Watch(ctx, 0)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	expectClosed(t, idle)
	expectClosed(t, unread)
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"View", func() error {
			return s.View(ctx, func(store.ReadTx) error {
				t.Errorf("View ran its callback on a closed store")
				return nil
			})
		}},
		{"Update", func() error {
			_, err := s.Update(ctx, func(store.Tx) error {
				t.Errorf("Update ran its callback on a closed store")
				return nil
			})
			return err
		}},
		{"Revision", func() error { _, err := s.Revision(ctx); return err }},
		{"Watch", func() error { _, err := s.Watch(ctx, 0); return err }},
		{"Close", s.Close},
	} {
		if err := tc.call(); !errors.Is(err, store.ErrClosed) {
			t.Errorf("%s after Close: %v, want store.ErrClosed", tc.name, err)
		}
	}
}

func testCancelledContext(t *testing.T, s store.Store) {
	put(t, s, "k", "v")
	before := revision(t, s)
	ctx, cancel := context.WithCancel(testCtx(t))
	cancel()
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"View", func() error {
			return s.View(ctx, func(store.ReadTx) error {
				t.Errorf("View ran its callback with a cancelled context")
				return nil
			})
		}},
		{"Update", func() error {
			_, err := s.Update(ctx, func(tx store.Tx) error { return tx.Put("k", []byte("changed")) })
			return err
		}},
		{"Revision", func() error { _, err := s.Revision(ctx); return err }},
		{"Watch", func() error { _, err := s.Watch(ctx, 0); return err }},
	} {
		if err := tc.call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", tc.name, err)
		}
	}
	if got, _ := get(t, s, "k"); got != "v" {
		t.Errorf("Update with a cancelled context wrote k=%q", got)
	}
	if rev := revision(t, s); rev != before {
		t.Errorf("revision moved %d → %d", before, rev)
	}
}

// testContextEndsDuringUpdate cancels the context while fn runs: the
// Update must not commit.
func testContextEndsDuringUpdate(t *testing.T, s store.Store) {
	put(t, s, "k", "v")
	before := revision(t, s)
	ctx, cancel := context.WithCancel(testCtx(t))
	_, err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.Put("k", []byte("changed")); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update whose context ended before commit returned %v, want context.Canceled", err)
	}
	if got, _ := get(t, s, "k"); got != "v" {
		t.Errorf("Update whose context ended wrote k=%q", got)
	}
	if rev := revision(t, s); rev != before {
		t.Errorf("revision moved %d → %d", before, rev)
	}
}
