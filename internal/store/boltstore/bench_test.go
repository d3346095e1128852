package boltstore

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/meridian-gtm/meridian/internal/store"
)

// benchStore opens a store with n keys of 256 bytes under "b/".
func benchStore(b *testing.B, n int) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	value := make([]byte, 256)
	if _, err := s.Update(b.Context(), func(tx store.Tx) error {
		for i := range n {
			if err := tx.Put(fmt.Sprintf("b/%06d", i), value); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkUpdate measures one durable (fsynced) Update writing one key.
func BenchmarkUpdate(b *testing.B) {
	s := benchStore(b, 1000)
	value := make([]byte, 256)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		key := fmt.Sprintf("b/%06d", i%1000)
		i++
		if _, err := s.Update(b.Context(), func(tx store.Tx) error { return tx.Put(key, value) }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkView measures a View that reads one key among 1000.
func BenchmarkView(b *testing.B) {
	s := benchStore(b, 1000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		key := fmt.Sprintf("b/%06d", i%1000)
		i++
		if err := s.View(b.Context(), func(tx store.ReadTx) error {
			_, ok, err := tx.Get(key)
			if err == nil && !ok {
				err = fmt.Errorf("%s missing", key)
			}
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
