package health

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/healthstate"
)

// Engine runs health checks and publishes their statuses. Create it with
// New, feed it the set of checks with Update (before or while Run runs) and
// run it with Run.
type Engine struct {
	cfg    Config
	prober *Prober
	holder *healthstate.Holder
	log    *slog.Logger

	sem     chan struct{} // probe slots (MaxConcurrency)
	wake    chan struct{} // the queue's head changed
	publish chan struct{} // statuses changed

	mu      sync.Mutex
	checks  map[string]*check
	parents map[string][]string // child ID → calculated checks listing it
	names   map[string]string   // ID → Name tag
	final   map[string]bool     // final status of every known check
	pending map[string]struct{} // probing checks still on their cold-start status
	dirty   bool                // final changed since the last view
	queue   queue
	targets map[string]time.Time // target → next free probe slot
	running bool
	stats   Stats

	// noLoop makes Run probe every check on a goroutine of its own, as on
	// systems without the probe loop (benchmarks compare the two).
	noLoop bool
}

// Stats are the engine's counters, for metrics.
type Stats struct {
	Checks   int    // health checks known
	Checkers int    // checkers running
	InFlight int    // probes in flight
	Probes   uint64 // probes completed
	Deferred uint64 // probes delayed by the per-target spacing
	Views    uint64 // views published
}

// ErrRunning is returned by Run when the engine already runs.
var ErrRunning = errors.New("health: engine already running")

// New returns an engine. cfg should have passed Validate; unknown policies
// aggregate as Route 53 does.
func New(cfg Config, deps Deps) *Engine {
	cfg = cfg.withDefaults()
	e := &Engine{
		cfg:     cfg,
		prober:  NewProber(cfg, deps.Resolver),
		holder:  deps.Holder,
		log:     deps.Logger,
		sem:     make(chan struct{}, cfg.MaxConcurrency),
		wake:    make(chan struct{}, 1),
		publish: make(chan struct{}, 1),
		checks:  map[string]*check{},
		parents: map[string][]string{},
		names:   map[string]string{},
		final:   map[string]bool{},
		pending: map[string]struct{}{},
		targets: map[string]time.Time{},
	}
	if e.holder == nil {
		e.holder = healthstate.NewHolder()
	}
	if e.log == nil {
		e.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return e
}

// Holder returns the holder the engine publishes views to.
func (e *Engine) Holder() *healthstate.Holder { return e.holder }

// Run probes until ctx ends, then waits for the probes in flight and
// returns nil. Results of probes cut short by the end are discarded.
func (e *Engine) Run(ctx context.Context) error {
	e.mu.Lock()
	if e.running {
		e.mu.Unlock()
		return ErrRunning
	}
	e.running = true
	e.mu.Unlock()

	var wg sync.WaitGroup
	fp := e.startFastPath(ctx, &wg)
	pubDone := make(chan struct{})
	go e.publisher(ctx, pubDone)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for ctx.Err() == nil {
		e.mu.Lock()
		c, wait := e.next(time.Now())
		e.mu.Unlock()
		if c != nil {
			e.launch(ctx, c, &wg, fp)
			continue
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
		case <-e.wake:
		case <-timer.C:
		}
	}
	wg.Wait()
	if fp != nil {
		fp.close()
	}
	<-pubDone
	e.mu.Lock()
	e.running = false
	e.publishLocked() // a change the publisher had no time for
	e.mu.Unlock()
	return nil
}

// startFastPath starts the probe loop for this run, aborted when ctx ends;
// nil when the system has none or it cannot start (every probe then runs
// on its own goroutine).
func (e *Engine) startFastPath(ctx context.Context, wg *sync.WaitGroup) fastPath {
	if e.noLoop {
		return nil
	}
	fp, err := newFastPath(e.prober.timeouts(), func(done []probeDone) { e.completeBatch(ctx, done, wg) })
	if err != nil {
		if !errors.Is(err, errors.ErrUnsupported) {
			e.log.Warn("health: probing without the probe loop", "err", err)
		}
		return nil
	}
	context.AfterFunc(ctx, fp.cancel)
	return fp
}

// launch waits for a probe slot and starts the checker's probe: on the
// fast path when it takes the endpoint, else on a goroutine.
func (e *Engine) launch(ctx context.Context, c *checker, wg *sync.WaitGroup, fp fastPath) {
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		e.mu.Lock()
		e.schedule(c, time.Now())
		e.mu.Unlock()
		return
	}
	e.mu.Lock()
	if c.stopped {
		e.mu.Unlock()
		<-e.sem
		return
	}
	ep := c.chk.ep
	e.stats.InFlight++
	e.mu.Unlock()
	wg.Add(1)
	if fp != nil && ep.loopable() && fp.submit(ep, c) {
		return
	}
	go func() {
		defer wg.Done()
		res := e.prober.probe(ctx, ep)
		<-e.sem
		e.complete(ctx, c, res)
	}()
}

// complete applies a probe's result and queues the checker's next probe.
func (e *Engine) complete(ctx context.Context, c *checker, res Result) {
	now := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.completeLocked(ctx, c, res, now)
}

// completeBatch completes the fast path's finished probes under one lock.
func (e *Engine) completeBatch(ctx context.Context, done []probeDone, wg *sync.WaitGroup) {
	for range done {
		<-e.sem
	}
	now := time.Now()
	e.mu.Lock()
	for i := range done {
		e.completeLocked(ctx, done[i].c, done[i].res, now)
	}
	e.mu.Unlock()
	for range done {
		wg.Done()
	}
}

// completeLocked is complete with e.mu held.
func (e *Engine) completeLocked(ctx context.Context, c *checker, res Result, now time.Time) {
	e.stats.InFlight--
	e.stats.Probes++
	if c.stopped {
		return
	}
	if ctx.Err() != nil {
		// Cut short by shutdown: not a measurement.
		e.schedule(c, now)
		return
	}
	chk := c.chk
	if c.apply(res, chk.threshold, now.UTC()) && e.evaluate(chk, now) {
		e.changed(chk, now)
	}
	e.scheduleNext(c, now)
	if e.dirty {
		select {
		case e.publish <- struct{}{}:
		default:
		}
	}
}

// publisher publishes a view whenever statuses changed, coalescing bursts
// of changes into one view.
func (e *Engine) publisher(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.publish:
			e.mu.Lock()
			e.publishLocked()
			e.mu.Unlock()
		}
	}
}

// publishLocked stores a new view when statuses changed since the last.
func (e *Engine) publishLocked() {
	if !e.dirty {
		return
	}
	e.dirty = false
	e.holder.Store(healthstate.NewViewPending(e.final, e.pending))
	e.stats.Views++
}

// interval is a check's probe interval: Config.Interval when set, else its
// RequestInterval (default 30 s).
func (e *Engine) interval(c *healthcheck.Config) time.Duration {
	if e.cfg.Interval > 0 {
		return e.cfg.Interval
	}
	if c.RequestInterval != nil && *c.RequestInterval > 0 {
		return time.Duration(*c.RequestInterval) * time.Second
	}
	return 30 * time.Second
}
