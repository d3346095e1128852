package server

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/health"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/store"
)

// healthFeed keeps the health-check engine's set of checks, and their Name
// tags, in step with the store: checks start, change and stop with their
// configuration.
type healthFeed struct {
	store  store.Store
	engine *health.Engine
	log    *slog.Logger
}

// load hands the engine every stored check and name; it returns the
// revision it read.
func (f *healthFeed) load(ctx context.Context) (int64, error) {
	var checks []healthcheck.HealthCheck
	var names map[string]string
	var rev int64
	err := f.store.View(ctx, func(tx store.ReadTx) (err error) {
		rev = tx.Revision()
		if checks, err = control.LoadHealthChecks(tx); err != nil {
			return err
		}
		names, err = control.LoadHealthCheckNames(tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("load health checks: %w", err)
	}
	f.engine.SetNames(names)
	f.engine.Update(checks)
	return rev, nil
}

// run follows the store until ctx ends, retrying when it fails.
func (f *healthFeed) run(ctx context.Context) {
	for ctx.Err() == nil {
		if err := f.follow(ctx); err != nil && ctx.Err() == nil {
			f.log.Warn("health checks: store unavailable, keeping the current checks", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
}

func (f *healthFeed) follow(ctx context.Context) error {
	rev, err := f.load(ctx)
	if err != nil {
		return err
	}
	events, err := f.store.Watch(ctx, rev)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	for ev := range events {
		if touchesHealthChecks(ev) {
			if _, err := f.load(ctx); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// touchesHealthChecks reports whether an event may have changed a health
// check or its tags (an event without keys may have changed anything).
func touchesHealthChecks(ev store.Event) bool {
	if len(ev.Keys) == 0 {
		return true
	}
	for _, k := range ev.Keys {
		if strings.HasPrefix(k, control.HealthCheckKey("")) || strings.HasPrefix(k, "tags/"+control.ResourceHealthCheck+"/") {
			return true
		}
	}
	return false
}
