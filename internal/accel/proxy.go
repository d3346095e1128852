package accel

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/healthstate"
)

// Proxy is the accelerator data plane: it binds every accelerator address
// and listener port of the current Plan and proxies each new TCP connection
// or UDP flow to the endpoint Choose picks. Its methods are safe for
// concurrent use.
type Proxy struct {
	cfg   Config
	env   Env
	log   *slog.Logger
	epoch time.Time // origin of now()

	ctx    context.Context // canceled by Close: aborts dials
	cancel context.CancelFunc
	dialer net.Dialer
	stop   chan struct{} // closed by Close: stops the sweeper
	wg     sync.WaitGroup

	// mu serializes Apply, Close and Stats and guards the fields below.
	mu       sync.Mutex
	closed   bool
	bindings map[bindKey]*binding
	counters map[counterKey]*endpointCounters
	// live lists the bound sockets for the sweeper, published by Apply.
	live atomic.Pointer[[]*binding]

	// flowMu guards the TCP flow registry.
	flowMu      sync.Mutex
	tcpFlows    map[*tcpFlow]struct{}
	flowsClosed bool

	udpFlows atomic.Int64 // UDP flows across all sockets
	drops    dropCounters
	lastWarn [warnKinds]atomic.Int64 // now() of the last rate-limited warning
}

// New returns a proxy serving nothing until the first Apply. A nil logger
// means slog.Default(). Leave Env fields nil rather than storing typed nil
// pointers in them.
func New(cfg Config, env Env, logger *slog.Logger) *Proxy {
	if logger == nil {
		logger = slog.Default()
	}
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	p := &Proxy{
		cfg:      cfg,
		env:      env,
		log:      logger,
		epoch:    time.Now(),
		ctx:      ctx,
		cancel:   cancel,
		dialer:   net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: -1},
		stop:     make(chan struct{}),
		bindings: make(map[bindKey]*binding),
		counters: make(map[counterKey]*endpointCounters),
		tcpFlows: make(map[*tcpFlow]struct{}),
	}
	p.live.Store(&[]*binding{})
	p.wg.Add(1)
	go p.sweepLoop()
	return p
}

// Apply makes the proxy serve plan. Sockets the new plan still needs are
// kept (their established flows carry on and new flows follow the new
// plan); new ones are bound; the rest are closed. A closed TCP listener's
// connections drain; a closed UDP socket's flows end with it. Flows of an
// accelerator the plan disables are cut (TCP with a reset). Removed
// endpoints get no new flows and their established ones drain.
//
// Apply refuses an invalid plan, one that needs more than MaxSockets
// sockets, or one whose new sockets cannot all be bound; the proxy then
// keeps serving the previous plan unchanged.
func (p *Proxy) Apply(plan *Plan) error {
	routes, listeners, err := compile(plan, p.cfg.MaxSockets)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errors.New("accel: apply: proxy is closed")
	}

	var added []*binding
	for k := range routes {
		if _, ok := p.bindings[k]; ok {
			continue
		}
		b, err := p.bind(k)
		if err != nil {
			for _, a := range added {
				a.closeSocket()
			}
			return err
		}
		added = append(added, b)
	}

	p.attachCounters(listeners)
	for _, b := range added {
		p.bindings[b.key] = b
	}
	for k, b := range p.bindings {
		r, ok := routes[k]
		if !ok {
			p.unbind(b)
			delete(p.bindings, k)
			continue
		}
		b.route.Store(r)
		if !r.acc.Enabled && b.udp != nil {
			b.dropFlows()
		}
	}
	p.abortTCPFlows(func(f *tcpFlow) bool { return !f.b.route.Load().acc.Enabled })
	for _, b := range added {
		p.wg.Add(1)
		if b.udp != nil {
			go p.serveUDP(b)
		} else {
			go p.acceptLoop(b)
		}
	}
	removed := len(*p.live.Load()) + len(added) - len(p.bindings)
	live := make([]*binding, 0, len(p.bindings))
	for _, b := range p.bindings {
		live = append(live, b)
	}
	p.live.Store(&live)
	p.pruneCounters()
	p.log.Info("accel: plan applied", "sockets", len(live), "bound", len(added), "closed", removed)
	return nil
}

// attachCounters gives every endpoint of the plan its counters, reusing
// those of the same (listener, group, endpoint) from earlier plans, and
// marks the rest removed. Callers hold p.mu.
func (p *Proxy) attachCounters(routes []*route) {
	for _, c := range p.counters {
		c.inPlan = false
	}
	for _, r := range routes {
		r.ctrs = make([][]*endpointCounters, len(r.lis.Groups))
		for gi := range r.lis.Groups {
			g := &r.lis.Groups[gi]
			r.ctrs[gi] = make([]*endpointCounters, len(g.Endpoints))
			for ei := range g.Endpoints {
				k := counterKey{listenerARN: r.lis.ARN, groupARN: g.ARN, endpointID: g.Endpoints[ei].ID}
				c := p.counters[k]
				if c == nil {
					c = &endpointCounters{}
					p.counters[k] = c
				}
				c.accARN, c.protocol, c.region, c.inPlan = r.acc.ARN, r.lis.Protocol, g.Region, true
				r.ctrs[gi][ei] = c
			}
		}
	}
}

// Close stops serving: it closes every socket, cuts every flow and waits
// for the proxy's goroutines to end. Apply fails afterwards.
func (p *Proxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	for _, b := range p.bindings {
		p.unbind(b)
	}
	p.bindings = map[bindKey]*binding{}
	p.live.Store(&[]*binding{})
	p.mu.Unlock()

	p.cancel()
	close(p.stop)
	p.flowMu.Lock()
	p.flowsClosed = true
	p.flowMu.Unlock()
	p.abortTCPFlows(func(*tcpFlow) bool { return true })
	p.wg.Wait()
}

// choose runs Choose for a new flow with the proxy's environment.
func (p *Proxy) choose(l *Listener, f Flow) Choice {
	var loc geo.Location
	if p.env.Locator != nil {
		loc = p.env.Locator.Locate(f.Src.Addr())
	}
	var view *healthstate.View
	if p.env.Health != nil {
		view = p.env.Health.Load()
	}
	c := Choose(l, f, loc, p.env.Latency, view)
	if p.log.Enabled(p.ctx, slog.LevelDebug) {
		p.log.Debug("accel: new flow", "listener", l.ARN, "protocol", f.Protocol,
			"client", f.Src.String(), "accelerator", f.Dst.String(), "choice", c.Explain(l))
	}
	return c
}

// now is the monotonic time since New, in nanoseconds.
func (p *Proxy) now() int64 { return int64(time.Since(p.epoch)) }

// Rate-limited warnings, one slot per kind.
const (
	warnUDPTableFull = iota
	warnDial
	warnAccept
	warnRead
	warnKinds
)

// warnInterval is the least time between two warnings of one kind.
const warnInterval = 10 * time.Second

// warn logs msg unless a warning of the same kind was logged within
// warnInterval, so a flood of failing flows does not flood the log.
func (p *Proxy) warn(kind int, msg string, args ...any) {
	now := p.now()
	last := p.lastWarn[kind].Load()
	if last != 0 && now-last < int64(warnInterval) {
		return
	}
	if p.lastWarn[kind].CompareAndSwap(last, max(now, 1)) {
		p.log.Warn(msg, args...)
	}
}
