package boltstore

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/store"
)

func TestCloseWaitsForView(t *testing.T) {
	s := openOpts(t, defaultOptions())
	putKey(t, s, "k")
	inView := make(chan struct{})
	release := make(chan struct{})
	viewErr := make(chan error, 1)
	go func() {
		viewErr <- s.View(t.Context(), func(tx store.ReadTx) error {
			close(inView)
			<-release
			_, _, err := tx.Get("k")
			return err
		})
	}()
	<-inView
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a View was running", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if err := <-viewErr; err != nil {
		t.Errorf("View: %v", err)
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("Close did not return after the View ended")
	}
}

func TestCloseDuringUpdates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meridian.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		acks []int64
	)
	for range 4 {
		wg.Go(func() {
			for {
				rev, err := s.Update(t.Context(), func(tx store.Tx) error { return tx.Put("k", []byte("v")) })
				if errors.Is(err, store.ErrClosed) {
					return
				}
				if err != nil {
					t.Errorf("Update: %v", err)
					return
				}
				mu.Lock()
				acks = append(acks, rev)
				mu.Unlock()
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	wg.Wait()
	s = openTest(t, path)
	rev, err := s.Revision(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if int64(len(acks)) != rev {
		t.Errorf("%d Updates acknowledged, store reopened at revision %d", len(acks), rev)
	}
}

func TestTxUnusableAfterCallback(t *testing.T) {
	s := openOpts(t, defaultOptions())
	var kept store.Tx
	if _, err := s.Update(t.Context(), func(tx store.Tx) error {
		kept = tx
		return tx.Put("k", []byte("v"))
	}); err != nil {
		t.Fatal(err)
	}
	var keptView store.ReadTx
	if err := s.View(t.Context(), func(tx store.ReadTx) error {
		keptView = tx
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	calls := map[string]error{
		"Put":       kept.Put("x", nil),
		"Delete":    kept.Delete("k"),
		"List":      kept.List("", func(string, []byte) error { return nil }),
		"View List": keptView.List("", func(string, []byte) error { return nil }),
	}
	_, _, calls["Get"] = kept.Get("k")
	_, _, calls["View Get"] = keptView.Get("k")
	for name, err := range calls {
		if !errors.Is(err, errTxDone) {
			t.Errorf("%s after the callback returned: %v, want errTxDone", name, err)
		}
	}
}
