package storetest

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/meridian-gtm/meridian/internal/store"
)

// concurrencyTests checks that concurrent Updates are serializable.
func concurrencyTests() []contractTest {
	return []contractTest{
		{"ConcurrentCounter", testConcurrentCounter},
	}
}

// testConcurrentCounter has many goroutines read-increment-write one key.
// Serializable Updates lose no increment, and each gets its own revision.
func testConcurrentCounter(t *testing.T, s store.Store) {
	const goroutines, each = 8, 20
	start := put(t, s, "counter", "0")
	ctx := testCtx(t)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		revs []int64
	)
	errs := make(chan error, goroutines)
	for range goroutines {
		wg.Go(func() {
			for range each {
				rev, err := s.Update(ctx, func(tx store.Tx) error {
					v, ok, err := tx.Get("counter")
					if err != nil {
						return err
					}
					if !ok {
						return fmt.Errorf("counter missing")
					}
					n, err := strconv.Atoi(string(v))
					if err != nil {
						return err
					}
					return tx.Put("counter", []byte(strconv.Itoa(n+1)))
				})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				revs = append(revs, rev)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Update: %v", err)
	}
	const total = goroutines * each
	if got, _ := get(t, s, "counter"); got != strconv.Itoa(total) {
		t.Errorf("counter = %s after %d increments", got, total)
	}
	slices.Sort(revs)
	for i, rev := range revs {
		if want := start + int64(i) + 1; rev != want {
			t.Fatalf("Update revisions are not %d..%d: position %d holds %d", start+1, start+total, i, rev)
		}
	}
	if got := revision(t, s); got != start+total {
		t.Errorf("revision = %d, want %d", got, start+total)
	}
}
