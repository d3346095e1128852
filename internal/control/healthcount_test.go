package control

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/store"
)

// walkCountingStore wraps a store and counts the health check keys that
// List walks visit, so a test can tell a quota check that reads a counter
// from one that walks every check.
type walkCountingStore struct {
	store.Store
	visited atomic.Int64
}

type walkCountingTx struct {
	store.Tx
	visited *atomic.Int64
}

func (t walkCountingTx) List(prefix string, fn func(string, []byte) error) error {
	return t.Tx.List(prefix, func(k string, v []byte) error {
		if strings.HasPrefix(k, HealthCheckKey("")) {
			t.visited.Add(1)
		}
		return fn(k, v)
	})
}

func (s *walkCountingStore) Update(ctx context.Context, fn func(store.Tx) error) (int64, error) {
	return s.Store.Update(ctx, func(tx store.Tx) error { return fn(walkCountingTx{tx, &s.visited}) })
}

// storedCounts returns the counter key's value ("" when absent) and the
// number of health checks actually stored.
func (e *testEnv) storedCounts(t *testing.T) (counter string, checks int) {
	t.Helper()
	err := e.st.View(context.Background(), func(tx store.ReadTx) error {
		b, _, err := tx.Get(keyHealthCheckCount)
		counter = string(b)
		if err != nil {
			return err
		}
		return tx.List(HealthCheckKey(""), func(string, []byte) error { checks++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return counter, checks
}

// healthCheckCount returns HealthCheckCount, which must succeed.
func (e *testEnv) healthCheckCount(t *testing.T) int {
	t.Helper()
	n, err := e.svc.HealthCheckCount(context.Background())
	if err != nil {
		t.Fatalf("health check count: %v", err)
	}
	return n
}

// memStore is an in-memory store.Store for tests that measure the control
// plane's own cost rather than the disk's (bbolt fsyncs every Update).
// Updates run one at a time, excluding Views, and are undone when fn fails;
// it does not watch.
type memStore struct {
	mu  sync.RWMutex
	kv  map[string][]byte
	rev int64
}

// memTx is a memStore transaction; undo holds the prior state of every key
// it changed (nil: the key did not exist).
type memTx struct {
	s    *memStore
	undo map[string][]byte
}

func (t *memTx) Get(key string) ([]byte, bool, error) {
	v, ok := t.s.kv[key]
	return slices.Clone(v), ok, nil
}

func (t *memTx) List(prefix string, fn func(string, []byte) error) error {
	var keys []string
	for k := range t.s.kv {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if v, ok := t.s.kv[k]; ok {
			if err := fn(k, slices.Clone(v)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *memTx) Revision() int64 { return t.s.rev }

func (t *memTx) remember(key string) {
	if _, seen := t.undo[key]; !seen {
		t.undo[key] = t.s.kv[key]
	}
}

func (t *memTx) Put(key string, value []byte) error {
	if key == "" {
		return errors.New("memstore: put: empty key")
	}
	t.remember(key)
	t.s.kv[key] = append([]byte{}, value...)
	return nil
}

func (t *memTx) Delete(key string) error {
	if _, ok := t.s.kv[key]; ok {
		t.remember(key)
		delete(t.s.kv, key)
	}
	return nil
}

func (s *memStore) View(ctx context.Context, fn func(store.ReadTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(&memTx{s: s})
}

func (s *memStore) Update(ctx context.Context, fn func(store.Tx) error) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tx := &memTx{s: s, undo: map[string][]byte{}}
	if err := fn(tx); err != nil {
		for k, v := range tx.undo {
			if v == nil {
				delete(s.kv, k)
			} else {
				s.kv[k] = v
			}
		}
		return 0, err
	}
	if len(tx.undo) > 0 {
		s.rev++
	}
	return s.rev, nil
}

func (s *memStore) Revision(context.Context) (int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rev, nil
}

func (s *memStore) Watch(context.Context, int64) (<-chan store.Event, error) {
	return nil, errors.New("memstore: no watch")
}

func (s *memStore) Close() error { return nil }

// TestHealthCheckCreateScale creates 2,000 checks one by one: each create
// must read the counter rather than walk the checks already stored. The
// store is in memory so that the run time is the control plane's.
func TestHealthCheckCreateScale(t *testing.T) {
	const n = 2000
	ctx := context.Background()
	counting := &walkCountingStore{Store: &memStore{kv: map[string][]byte{}}}
	svc := New(Config{Store: counting, MaxHealthChecks: n})
	start := time.Now()
	for i := range n {
		if _, err := svc.CreateHealthCheck(ctx, fmt.Sprintf("ref-%d", i), httpConfig("93.184.216.34")); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	t.Logf("created %d health checks in %s", n, time.Since(start))
	_, err := svc.CreateHealthCheck(ctx, "one-too-many", httpConfig("93.184.216.34"))
	wantCode(t, err, "TooManyHealthChecks")
	if v := counting.visited.Load(); v != 0 {
		t.Errorf("creates walked %d stored health checks, want 0", v)
	}
	if got, err := svc.HealthCheckCount(ctx); err != nil || got != n {
		t.Errorf("HealthCheckCount = %d, %v; want %d", got, err, n)
	}
	page, err := svc.ListHealthChecks(ctx, "", MaxHealthCheckPageSize)
	if err != nil || len(page.HealthChecks) != MaxHealthCheckPageSize || page.NextMarker == "" {
		t.Fatalf("ListHealthChecks: %d checks, next %q, %v", len(page.HealthChecks), page.NextMarker, err)
	}
}

func TestHealthCheckQuotaBoundary(t *testing.T) {
	for _, max := range []int{1, 2, 5} {
		t.Run(fmt.Sprintf("max=%d", max), func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, Config{MaxHealthChecks: max})
			var ids []string
			for i := range max {
				ids = append(ids, e.createCheck(t, fmt.Sprintf("r%d", i), httpConfig("93.184.216.34")).ID)
				if got := e.healthCheckCount(t); got != i+1 {
					t.Fatalf("count after %d creates = %d", i+1, got)
				}
			}
			_, err := e.svc.CreateHealthCheck(ctx, "over", httpConfig("93.184.216.34"))
			wantMessage(t, err, "TooManyHealthChecks", "You have reached the maximum number of active health checks for an Amazon Web Services account. To request a higher limit, create a case with the Amazon Web Services Support Center.")
			// A refused create leaves no trace: the reference stays free.
			if e.hasKey(t, healthCheckRefKey("over")) {
				t.Fatal("a refused create stored its caller reference")
			}
			// An idempotent retry answers at the quota and counts nothing.
			if again := e.createCheck(t, "r0", httpConfig("93.184.216.34")); again.ID != ids[0] {
				t.Fatalf("retry at quota = %s, want %s", again.ID, ids[0])
			}
			// A failed delete counts nothing either.
			wantCode(t, e.svc.DeleteHealthCheck(ctx, "no-such-check"), "NoSuchHealthCheck")
			if got := e.healthCheckCount(t); got != max {
				t.Fatalf("count at quota = %d, want %d", got, max)
			}
			// Delete then create: the freed slot is usable exactly once.
			if err := e.svc.DeleteHealthCheck(ctx, ids[max-1]); err != nil {
				t.Fatal(err)
			}
			if got := e.healthCheckCount(t); got != max-1 {
				t.Fatalf("count after delete = %d, want %d", got, max-1)
			}
			e.createCheck(t, "over", httpConfig("93.184.216.34"))
			_, err = e.svc.CreateHealthCheck(ctx, "over-again", httpConfig("93.184.216.34"))
			wantCode(t, err, "TooManyHealthChecks")
			// Deleting everything brings the count to zero.
			for _, hc := range e.listAllChecks(t) {
				if err := e.svc.DeleteHealthCheck(ctx, hc); err != nil {
					t.Fatal(err)
				}
			}
			if counter, checks := e.storedCounts(t); counter != "0" || checks != 0 || e.healthCheckCount(t) != 0 {
				t.Fatalf("after deleting all: counter %q, %d checks", counter, checks)
			}
		})
	}
}

// listAllChecks returns the IDs of every stored check.
func (e *testEnv) listAllChecks(t *testing.T) []string {
	t.Helper()
	page, err := e.svc.ListHealthChecks(context.Background(), "", MaxHealthCheckPageSize)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, hc := range page.HealthChecks {
		ids = append(ids, hc.ID)
	}
	return ids
}

// TestHealthCheckQuotaConcurrentCreates races several creates for the last
// free slot: exactly one may win.
func TestHealthCheckQuotaConcurrentCreates(t *testing.T) {
	const max, racers, rounds = 3, 6, 4
	ctx := context.Background()
	e := newEnv(t, Config{MaxHealthChecks: max})
	for i := range max - 1 {
		e.createCheck(t, fmt.Sprintf("base-%d", i), httpConfig("93.184.216.34"))
	}
	for round := range rounds {
		var wg sync.WaitGroup
		var won, refused atomic.Int64
		var winner atomic.Value
		for r := range racers {
			wg.Go(func() {
				hc, err := e.svc.CreateHealthCheck(ctx, fmt.Sprintf("round-%d-racer-%d", round, r), httpConfig("93.184.216.34"))
				switch {
				case err == nil:
					won.Add(1)
					winner.Store(hc.ID)
				case errCode(err) == "TooManyHealthChecks":
					refused.Add(1)
				default:
					t.Errorf("create: %v", err)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 || refused.Load() != racers-1 {
			t.Fatalf("round %d: %d creates won, %d refused; want 1 and %d", round, won.Load(), refused.Load(), racers-1)
		}
		if counter, checks := e.storedCounts(t); counter != fmt.Sprint(max) || checks != max {
			t.Fatalf("round %d: counter %q, %d checks; want %d", round, counter, checks, max)
		}
		if err := e.svc.DeleteHealthCheck(ctx, winner.Load().(string)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestHealthCheckCountConcurrentCreatesDeletes mixes creates and deletes: the
// counter must end equal to the checks stored, never above the quota.
func TestHealthCheckCountConcurrentCreatesDeletes(t *testing.T) {
	const max, workers, ops = 8, 4, 30
	ctx := context.Background()
	e := newEnv(t, Config{MaxHealthChecks: max})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var mine []string
			for i := range ops {
				if i%3 == 2 && len(mine) > 0 {
					if err := e.svc.DeleteHealthCheck(ctx, mine[0]); err != nil {
						t.Errorf("delete: %v", err)
						return
					}
					mine = mine[1:]
					continue
				}
				hc, err := e.svc.CreateHealthCheck(ctx, fmt.Sprintf("w%d-%d", w, i), httpConfig("93.184.216.34"))
				switch {
				case err == nil:
					mine = append(mine, hc.ID)
				case errCode(err) != "TooManyHealthChecks":
					t.Errorf("create: %v", err)
					return
				}
				if n, err := e.svc.HealthCheckCount(ctx); err != nil || n > max {
					t.Errorf("count = %d, %v; quota %d", n, err, max)
					return
				}
			}
		})
	}
	wg.Wait()
	counter, checks := e.storedCounts(t)
	if counter != fmt.Sprint(checks) || checks > max {
		t.Fatalf("counter %q, %d checks stored, quota %d", counter, checks, max)
	}
}

// TestHealthCheckCountWithoutCounter opens state written before the counter
// existed: the count is derived from the checks and stored by the next
// create or delete.
func TestHealthCheckCountWithoutCounter(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, Config{MaxHealthChecks: 3})
	a := e.createCheck(t, "a", httpConfig("93.184.216.34"))
	e.createCheck(t, "b", httpConfig("93.184.216.34"))
	dropCounter := func() {
		t.Helper()
		if _, err := e.st.Update(ctx, func(tx store.Tx) error { return tx.Delete(keyHealthCheckCount) }); err != nil {
			t.Fatal(err)
		}
	}
	dropCounter()
	if got := e.healthCheckCount(t); got != 2 {
		t.Fatalf("derived count = %d, want 2", got)
	}
	e.createCheck(t, "c", httpConfig("93.184.216.34"))
	if counter, _ := e.storedCounts(t); counter != "3" {
		t.Fatalf("counter after create = %q, want 3", counter)
	}
	_, err := e.svc.CreateHealthCheck(ctx, "d", httpConfig("93.184.216.34"))
	wantCode(t, err, "TooManyHealthChecks")

	dropCounter()
	if err := e.svc.DeleteHealthCheck(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if counter, checks := e.storedCounts(t); counter != "2" || checks != 2 {
		t.Fatalf("after delete: counter %q, %d checks; want 2", counter, checks)
	}

	// A damaged counter is reported, not trusted.
	if _, err := e.st.Update(ctx, func(tx store.Tx) error { return tx.Put(keyHealthCheckCount, []byte("many")) }); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.HealthCheckCount(ctx); err == nil || !strings.Contains(err.Error(), keyHealthCheckCount) {
		t.Fatalf("count with a damaged counter: %v", err)
	}
}
