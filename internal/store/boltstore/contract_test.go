package boltstore

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/store/storetest"
)

// openTest opens a store at path and closes it when t ends.
func openTest(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil && !errors.Is(err, store.ErrClosed) {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		// A directory that does not exist yet: Open creates it.
		return openTest(t, filepath.Join(t.TempDir(), "state", "nested", "meridian.db"))
	})
}

func TestContractReopen(t *testing.T) {
	storetest.RunReopen(t, func(t *testing.T, dir string) store.Store {
		return openTest(t, filepath.Join(dir, "meridian.db"))
	})
}
