package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/store"
)

// watchTests checks Watch.
func watchTests() []contractTest {
	return []contractTest{
		{"WatchFromZero", testWatchFromZero},
		{"WatchFromCurrent", testWatchFromCurrent},
		{"WatchFromFuture", testWatchFromFuture},
		{"WatchKeysSortedWithDeletes", testWatchKeysSortedWithDeletes},
		{"WatchOrderUnderConcurrentUpdates", testWatchOrderConcurrent},
		{"WatchSlowReaderDoesNotBlockUpdate", testWatchSlowReader},
		{"WatchStopsWithContext", testWatchStopsWithContext},
	}
}

func testWatchFromZero(t *testing.T, s store.Store) {
	h := newHistory()
	h.add(put(t, s, "z/1", "a"), "z/1")
	h.add(put(t, s, "z/2", "b", "z/0", "c"), "z/0", "z/2")
	h.add(del(t, s, "z/1"), "z/1")
	ch, err := s.Watch(testCtx(t), 0)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	watchUntil(t, ch, 0, 3, h)
	h.add(put(t, s, "z/3", "d"), "z/3")
	evs := watchUntil(t, ch, 3, 4, h)
	if want := (store.Event{Revision: 4, Keys: []string{"z/3"}}); len(evs) != 1 || !eventEqual(evs[0], want) {
		t.Errorf("live event after catching up = %+v, want %+v", evs, want)
	}
	expectQuiet(t, ch)
}

func testWatchFromCurrent(t *testing.T, s store.Store) {
	put(t, s, "c/old", "1")
	cur := revision(t, s)
	ch, err := s.Watch(testCtx(t), cur)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	expectQuiet(t, ch)
	// A reader that keeps up gets exactly one event per revision.
	for i := range 5 {
		key := fmt.Sprintf("c/%d", i)
		rev := put(t, s, key, "v")
		ev, ok := recv(t, ch)
		if want := (store.Event{Revision: rev, Keys: []string{key}}); !ok || !eventEqual(ev, want) {
			t.Fatalf("event = %+v (open=%v), want %+v", ev, ok, want)
		}
	}
	expectQuiet(t, ch)
}

func testWatchFromFuture(t *testing.T, s store.Store) {
	put(t, s, "f/0", "v")
	cur := revision(t, s)
	ch, err := s.Watch(testCtx(t), cur+2)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	put(t, s, "f/1", "v")
	put(t, s, "f/2", "v")
	expectQuiet(t, ch)
	rev := put(t, s, "f/3", "v")
	ev, ok := recv(t, ch)
	if want := (store.Event{Revision: rev, Keys: []string{"f/3"}}); !ok || !eventEqual(ev, want) {
		t.Fatalf("first event = %+v (open=%v), want %+v", ev, ok, want)
	}
}

func testWatchKeysSortedWithDeletes(t *testing.T, s store.Store) {
	put(t, s, "k/c", "1", "k/x", "1")
	cur := revision(t, s)
	ch, err := s.Watch(testCtx(t), cur)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	rev, err := s.Update(testCtx(t), func(tx store.Tx) error {
		for _, k := range []string{"k/d", "k/b", "k/d", "k/a"} {
			if err := tx.Put(k, []byte("v")); err != nil {
				return err
			}
		}
		if err := tx.Delete("k/c"); err != nil {
			return err
		}
		return tx.Delete("k/missing")
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	ev, ok := recv(t, ch)
	want := store.Event{Revision: rev, Keys: []string{"k/a", "k/b", "k/c", "k/d"}}
	if !ok || !eventEqual(ev, want) {
		t.Fatalf("event = %+v (open=%v), want %+v", ev, ok, want)
	}
}

// testWatchOrderConcurrent runs several writers and watchers at once: every
// watcher sees revisions in order, up to the last, with the right keys.
func testWatchOrderConcurrent(t *testing.T, s store.Store) {
	const writers, perWriter, watchers = 4, 15, 3
	start := put(t, s, "w/start", "v")
	ctx := testCtx(t)
	chans := make([]<-chan store.Event, watchers)
	for i := range chans {
		ch, err := s.Watch(ctx, start)
		if err != nil {
			t.Fatalf("Watch: %v", err)
		}
		chans[i] = ch
	}
	h := newHistory()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for g := range writers {
		wg.Go(func() {
			for i := range perWriter {
				key := fmt.Sprintf("w/%d/%02d", g, i)
				rev, err := s.Update(ctx, func(tx store.Tx) error {
					return tx.Put(key, []byte("v"))
				})
				if err != nil {
					errs <- err
					return
				}
				h.add(rev, key)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Update: %v", err)
	}
	end := start + writers*perWriter
	if got := revision(t, s); got != end {
		t.Fatalf("revision after %d Updates = %d, want %d", writers*perWriter, got, end)
	}
	for _, ch := range chans {
		watchUntil(t, ch, start, end, h)
	}
}

// testWatchSlowReader commits many revisions while a watcher reads nothing;
// Updates must not wait for it, and it must still account for every
// revision, in order, when it reads.
func testWatchSlowReader(t *testing.T, s store.Store) {
	const updates = 300
	ctx := testCtx(t)
	ch, err := s.Watch(ctx, 0)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	h := newHistory()
	done := make(chan error, 1)
	go func() {
		for i := range updates {
			key := fmt.Sprintf("s/%03d", i)
			rev, err := s.Update(ctx, func(tx store.Tx) error { return tx.Put(key, []byte("v")) })
			if err != nil {
				done <- err
				return
			}
			h.add(rev, key)
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
	case <-time.After(opTimeout):
		t.Fatalf("%d Updates did not finish while a watcher was not reading", updates)
	}
	watchUntil(t, ch, 0, updates, h)
	expectQuiet(t, ch)
}

func testWatchStopsWithContext(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(testCtx(t))
	ch, err := s.Watch(ctx, 0)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	put(t, s, "x", "1")
	cancel()
	expectClosed(t, ch)
	// The store carries on for others.
	other, err := s.Watch(testCtx(t), revision(t, s))
	if err != nil {
		t.Fatalf("Watch after another was cancelled: %v", err)
	}
	rev := put(t, s, "y", "1")
	if ev, ok := recv(t, other); !ok || ev.Revision != rev {
		t.Fatalf("event = %+v (open=%v), want revision %d", ev, ok, rev)
	}
}

// eventEqual compares events, treating nil and empty Keys alike.
func eventEqual(a, b store.Event) bool {
	return a.Revision == b.Revision && slices.Equal(a.Keys, b.Keys)
}
