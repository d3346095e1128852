package server

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/health"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/store"
)

// dataFeed keeps what runs beside DNS in step with the store: the
// health-check engine's set of checks (Route 53's and every accelerator
// endpoint's, with the Name tags) and the accelerator data plane's plan.
// Checks start, change and stop with their configuration.
type dataFeed struct {
	store   store.Store
	engine  *health.Engine
	proxy   *accel.Proxy
	log     *slog.Logger
	applied atomic.Int64 // revision of the plan the proxy serves
}

// load hands the engine and the proxy the state at the store's current
// revision and returns that revision.
func (f *dataFeed) load(ctx context.Context) (int64, error) {
	var checks []healthcheck.HealthCheck
	var names map[string]string
	var accs []globalaccel.Accelerator
	var rev int64
	err := f.store.View(ctx, func(tx store.ReadTx) (err error) {
		rev = tx.Revision()
		if checks, err = control.LoadHealthChecks(tx); err != nil {
			return err
		}
		if names, err = control.LoadHealthCheckNames(tx); err != nil {
			return err
		}
		accs, err = control.LoadAccelerators(tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("load health checks and accelerators: %w", err)
	}
	f.engine.SetNames(names)
	f.engine.Update(append(checks, control.HealthChecksFor(accs)...))
	if err := f.proxy.Apply(control.CompilePlan(accs)); err != nil {
		// The previous plan keeps serving; the accelerator stays IN_PROGRESS.
		f.log.Error("accelerator plan not applied", "revision", rev, "err", err)
		return rev, nil
	}
	f.applied.Store(rev)
	return rev, nil
}

// deployed reports whether the served plan includes revision rev.
func (f *dataFeed) deployed(rev int64) bool { return f.applied.Load() >= rev }

// run follows the store until ctx ends, retrying when it fails.
func (f *dataFeed) run(ctx context.Context) {
	for ctx.Err() == nil {
		if err := f.follow(ctx); err != nil && ctx.Err() == nil {
			f.log.Warn("health checks and accelerators: store unavailable, keeping the current state", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
}

func (f *dataFeed) follow(ctx context.Context) error {
	rev, err := f.load(ctx)
	if err != nil {
		return err
	}
	events, err := f.store.Watch(ctx, rev)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	for ev := range events {
		// Coalesce what is already queued: a burst of API calls costs one
		// reload, not one per call.
		stale := relevant(ev)
	drain:
		for {
			select {
			case more, ok := <-events:
				if !ok {
					break drain
				}
				stale = stale || relevant(more)
				ev = more
			default:
				break drain
			}
		}
		if !stale {
			// Nothing of ours changed: the plan is current at this revision too.
			if f.applied.Load() == rev {
				f.applied.Store(ev.Revision)
			}
			rev = ev.Revision
			continue
		}
		if rev, err = f.load(ctx); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// relevant reports whether an event may have changed a health check, its
// tags or an accelerator (an event without keys may have changed anything).
func relevant(ev store.Event) bool {
	if len(ev.Keys) == 0 {
		return true
	}
	for _, k := range ev.Keys {
		if strings.HasPrefix(k, control.HealthCheckKey("")) ||
			strings.HasPrefix(k, "tags/"+control.ResourceHealthCheck+"/") ||
			strings.HasPrefix(k, control.PrefixAccelerators) {
			return true
		}
	}
	return false
}
