package control

import (
	"context"
	"fmt"
	"strconv"

	"github.com/meridian-gtm/meridian/internal/store"
)

// keyHealthCheckCount holds the number of stored health checks as a decimal
// integer. CreateHealthCheck and DeleteHealthCheck update it in the same
// transaction that puts or deletes the check, so the quota check reads one
// key instead of walking every check, and two concurrent creates at the
// quota cannot both pass it: store transactions are serializable, and both
// read and write this key. It lives outside the "healthchecks/" prefix so
// that walks of the checks never see it. A store written before the counter
// existed has no such key: the count is then derived once from the checks
// themselves, and the next create or delete stores it.
const keyHealthCheckCount = "counts/healthchecks"

// healthCheckCount returns the number of stored health checks: the counter
// when present, otherwise a count of the "healthchecks/" keys.
func healthCheckCount(tx store.ReadTx) (int, error) {
	b, ok, err := tx.Get(keyHealthCheckCount)
	if err != nil {
		return 0, fmt.Errorf("read health check count: %w", err)
	}
	if ok {
		n, err := strconv.Atoi(string(b))
		if err != nil || n < 0 {
			return 0, fmt.Errorf("decode %s: invalid count %q", keyHealthCheckCount, b)
		}
		return n, nil
	}
	n := 0
	if err := tx.List(HealthCheckKey(""), func(string, []byte) error { n++; return nil }); err != nil {
		return 0, fmt.Errorf("count health checks: %w", err)
	}
	return n, nil
}

// putHealthCheckCount stores the number of health checks.
func putHealthCheckCount(tx store.Tx, n int) error {
	if err := tx.Put(keyHealthCheckCount, []byte(strconv.Itoa(n))); err != nil {
		return fmt.Errorf("store health check count: %w", err)
	}
	return nil
}

// HealthCheckCount returns the number of health checks, as
// GetHealthCheckCount and GetAccountLimit report it.
func (s *Service) HealthCheckCount(ctx context.Context) (int, error) {
	var n int
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		var err error
		n, err = healthCheckCount(tx)
		return err
	})
	return n, err
}
