package health

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// endpointServer is an HTTP endpoint whose status code can be switched, and
// that counts requests per path and the most requests in flight.
type endpointServer struct {
	*httptest.Server
	code          atomic.Int32
	hits          atomic.Int64
	delay         time.Duration
	inFlight, max atomic.Int32
	mu            sync.Mutex
	paths         map[string]int
	times         []time.Time
}

func newEndpointServer(t *testing.T, delay time.Duration) *endpointServer {
	s := &endpointServer{delay: delay, paths: map[string]int{}}
	s.code.Store(200)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		for {
			m := s.max.Load()
			if n <= m || s.max.CompareAndSwap(m, n) {
				break
			}
		}
		s.hits.Add(1)
		s.mu.Lock()
		s.paths[r.URL.Path]++
		s.times = append(s.times, time.Now())
		s.mu.Unlock()
		if s.delay > 0 {
			time.Sleep(s.delay)
		}
		w.WriteHeader(int(s.code.Load()))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *endpointServer) pathHits(p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paths[p]
}

// hc is an HTTP health check of the server.
func (s *endpointServer) hc(t *testing.T, id string, mod func(c *healthcheck.Config)) healthcheck.HealthCheck {
	c := httpCheck(t, healthcheck.TypeHTTP, s.Listener.Addr().String())
	c.FailureThreshold = ptr(int64(1))
	if mod != nil {
		mod(&c)
	}
	return healthcheck.HealthCheck{ID: id, Config: c, Version: 1}
}

// testEngine returns an engine with short intervals and Route 53's probe
// logic, and a function that runs it until the test ends.
func testEngine(t *testing.T, cfg Config) (*Engine, func()) {
	t.Helper()
	if cfg.Interval == 0 {
		cfg.Interval = 40 * time.Millisecond
	}
	if cfg.MinTargetInterval == 0 {
		cfg.MinTargetInterval = -1
	}
	cfg.Timeouts = fastTimeouts
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	e := New(cfg, Deps{})
	e.noLoop = testNoLoop
	run := func() {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	return e, run
}

var testNoLoop bool

func statusOf(e *Engine, id string) CheckStatus {
	for _, s := range e.Statuses() {
		if s.ID == id {
			return s
		}
	}
	return CheckStatus{}
}

func settled(e *Engine, id string) func() bool {
	return func() bool { return statusOf(e, id).Settled }
}

func TestEngineColdStart(t *testing.T) {
	srv := newEndpointServer(t, 0)
	srv.code.Store(503)
	e, run := testEngine(t, Config{Regions: []string{"us-east-1", "eu-west-1", "ap-southeast-1"}, CheckersPerRegion: 2, Interval: 100 * time.Millisecond})
	e.Update([]healthcheck.HealthCheck{
		srv.hc(t, "plain", func(c *healthcheck.Config) { c.FailureThreshold = ptr(int64(3)) }),
		srv.hc(t, "inverted", func(c *healthcheck.Config) { c.Inverted = ptr(true) }),
	})
	// Before the first round: healthy, and unhealthy when inverted.
	v := e.Holder().Load()
	if !v.Known("plain") || !v.Healthy("plain") || !v.Known("inverted") || v.Healthy("inverted") {
		t.Fatalf("cold view: plain %v/%v inverted %v/%v", v.Known("plain"), v.Healthy("plain"), v.Known("inverted"), v.Healthy("inverted"))
	}
	if v.Settled("plain") || v.Settled("inverted") {
		t.Fatal("the cold view reports cold-start statuses as settled")
	}
	if s := statusOf(e, "plain"); s.Settled || s.Checkers != 6 {
		t.Fatalf("cold status %+v", s)
	}
	run()
	// One full round decides, without waiting for FailureThreshold results.
	start := time.Now()
	waitFor(t, 2*time.Second, "first round", settled(e, "plain"))
	if d := time.Since(start); d > time.Second {
		t.Errorf("first round took %v", d)
	}
	waitFor(t, time.Second, "inverted settles", settled(e, "inverted"))
	if h, known := e.Status("plain"); h || !known {
		t.Errorf("plain after the round: healthy=%v known=%v", h, known)
	}
	if h, _ := e.Status("inverted"); !h {
		t.Errorf("inverted after the round is unhealthy")
	}
	waitFor(t, time.Second, "a view with both settled", func() bool {
		v := e.Holder().Load()
		return v.Settled("plain") && v.Settled("inverted")
	})
	v = e.Holder().Load()
	if v.Healthy("plain") || !v.Healthy("inverted") {
		t.Errorf("view after the round: plain %v inverted %v", v.Healthy("plain"), v.Healthy("inverted"))
	}
}

// TestEngineSettledView: a healthy endpoint's check leaves the pending set
// when its first round completes (the published view changes even though
// the status stays healthy); a disabled check is never pending; a probing
// config change does not send a settled check back to pending.
func TestEngineSettledView(t *testing.T) {
	srv := newEndpointServer(t, 0)
	e, run := testEngine(t, Config{Regions: []string{"us-east-1", "eu-west-1"}, Interval: 100 * time.Millisecond})
	e.Update([]healthcheck.HealthCheck{
		srv.hc(t, "up", nil),
		srv.hc(t, "off", func(c *healthcheck.Config) { c.Disabled = ptr(true) }),
	})
	v := e.Holder().Load()
	if v.Settled("up") || !v.Healthy("up") || !v.Settled("off") {
		t.Fatalf("cold view: up settled=%v healthy=%v, off settled=%v", v.Settled("up"), v.Healthy("up"), v.Settled("off"))
	}
	run()
	waitFor(t, 2*time.Second, "up settles in the view", func() bool { return e.Holder().Load().Settled("up") })
	e.Update([]healthcheck.HealthCheck{
		srv.hc(t, "up", func(c *healthcheck.Config) { c.ResourcePath = "/other" }),
		srv.hc(t, "off", func(c *healthcheck.Config) { c.Disabled = ptr(true) }),
	})
	if s := statusOf(e, "up"); s.Settled {
		t.Fatalf("status right after a probe change is settled: %+v", s)
	}
	if !e.Holder().Load().Settled("up") {
		t.Error("a probe change sent the check back to its cold start in the view")
	}
}

func TestEngineColdStartUnhealthy(t *testing.T) {
	srv := newEndpointServer(t, 0)
	e, run := testEngine(t, Config{Regions: []string{"us-east-1"}, ColdStartUnhealthy: true})
	e.Update([]healthcheck.HealthCheck{srv.hc(t, "a", nil)})
	if e.Holder().Load().Healthy("a") {
		t.Fatal("fail-closed cold start is healthy")
	}
	run()
	waitFor(t, 2*time.Second, "healthy after the first round", func() bool { return e.Holder().Load().Healthy("a") })
}

func TestEngineFailureThreshold(t *testing.T) {
	srv := newEndpointServer(t, 0)
	e, run := testEngine(t, Config{Regions: []string{"us-east-1"}, Interval: 30 * time.Millisecond})
	e.Update([]healthcheck.HealthCheck{srv.hc(t, "a", func(c *healthcheck.Config) { c.FailureThreshold = ptr(int64(3)) })})
	run()
	waitFor(t, 2*time.Second, "settled", settled(e, "a"))
	before := srv.hits.Load()
	srv.code.Store(500)
	waitFor(t, 3*time.Second, "unhealthy", func() bool { h, _ := e.Status("a"); return !h })
	// Three failed probes are needed; the third request was answered
	// before its result flipped the checker.
	if n := srv.hits.Load() - before; n < 3 {
		t.Errorf("went unhealthy after %d failing probes, want ≥ 3", n)
	}
	before = srv.hits.Load()
	srv.code.Store(200)
	waitFor(t, 3*time.Second, "healthy again", func() bool { h, _ := e.Status("a"); return h })
	if n := srv.hits.Load() - before; n < 3 {
		t.Errorf("came back after %d good probes, want ≥ 3", n)
	}
}

func TestEngineLifecycle(t *testing.T) {
	srv := newEndpointServer(t, 0)
	e, run := testEngine(t, Config{Regions: []string{"us-east-1", "eu-west-1"}})
	run()
	e.Update([]healthcheck.HealthCheck{srv.hc(t, "a", func(c *healthcheck.Config) { c.ResourcePath = "/v1" })})
	waitFor(t, 2*time.Second, "probes of /v1", func() bool { return srv.pathHits("/v1") >= 4 })

	// Thresholds and inversion only: same checkers, state kept.
	e.mu.Lock()
	first := slices.Clone(e.checks["a"].checkers)
	e.mu.Unlock()
	e.Update([]healthcheck.HealthCheck{srv.hc(t, "a", func(c *healthcheck.Config) {
		c.ResourcePath = "/v1"
		c.FailureThreshold = ptr(int64(5))
		c.Inverted = ptr(true)
	})})
	e.mu.Lock()
	same := slices.Equal(first, e.checks["a"].checkers)
	e.mu.Unlock()
	if !same {
		t.Error("a threshold/inversion change replaced the checkers")
	}
	if s := statusOf(e, "a"); !s.Settled || s.Healthy {
		t.Errorf("after inverting: %+v", s)
	}

	// What is probed changes: new checkers on the new path, and the old
	// path is no longer probed.
	e.Update([]healthcheck.HealthCheck{srv.hc(t, "a", func(c *healthcheck.Config) { c.ResourcePath = "/v2" })})
	waitFor(t, 2*time.Second, "probes of /v2", func() bool { return srv.pathHits("/v2") >= 4 })
	time.Sleep(50 * time.Millisecond) // probes of /v1 in flight finish
	v1 := srv.pathHits("/v1")
	time.Sleep(150 * time.Millisecond)
	if n := srv.pathHits("/v1"); n != v1 {
		t.Errorf("/v1 probed %d more times after the change", n-v1)
	}

	// Deleted: probing stops, observations and status are forgotten.
	if len(e.Observations("a")) == 0 {
		t.Fatal("no observations before the delete")
	}
	e.Update(nil)
	time.Sleep(50 * time.Millisecond)
	hits := srv.hits.Load()
	time.Sleep(200 * time.Millisecond)
	if n := srv.hits.Load(); n != hits {
		t.Errorf("deleted check probed %d more times", n-hits)
	}
	if obs := e.Observations("a"); obs != nil {
		t.Errorf("observations of a deleted check: %v", obs)
	}
	if _, known := e.Status("a"); known || e.Holder().Load().Known("a") {
		t.Error("deleted check still known")
	}
	if s := e.Stats(); s.Checks != 0 || s.Checkers != 0 || len(e.queue) != 0 {
		t.Errorf("stats after delete: %+v, queue %d", s, len(e.queue))
	}
}

func TestEngineDisabled(t *testing.T) {
	srv := newEndpointServer(t, 0)
	srv.code.Store(500)
	e, run := testEngine(t, Config{Regions: []string{"us-east-1"}})
	run()
	e.Update([]healthcheck.HealthCheck{
		srv.hc(t, "off", func(c *healthcheck.Config) { c.Disabled = ptr(true) }),
		srv.hc(t, "forced-down", func(c *healthcheck.Config) { c.Disabled = ptr(true); c.Inverted = ptr(true) }),
	})
	time.Sleep(200 * time.Millisecond)
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("disabled checks probed %d times", n)
	}
	v := e.Holder().Load()
	if !v.Healthy("off") || v.Healthy("forced-down") {
		t.Errorf("disabled %v, disabled+inverted %v", v.Healthy("off"), v.Healthy("forced-down"))
	}
	// Enabling starts probing; the 500s make it unhealthy.
	e.Update([]healthcheck.HealthCheck{srv.hc(t, "off", nil)})
	waitFor(t, 2*time.Second, "enabled check unhealthy", func() bool { return !e.Holder().Load().Healthy("off") })
	// Disabling again stops probing and is healthy at once.
	e.Update([]healthcheck.HealthCheck{srv.hc(t, "off", func(c *healthcheck.Config) { c.Disabled = ptr(true) })})
	if !e.Holder().Load().Healthy("off") {
		t.Error("disabled again but unhealthy")
	}
	time.Sleep(50 * time.Millisecond)
	hits := srv.hits.Load()
	time.Sleep(150 * time.Millisecond)
	if n := srv.hits.Load(); n != hits {
		t.Errorf("disabled check probed %d more times", n-hits)
	}
	if len(e.Observations("off")) == 0 {
		t.Error("disabling forgot the observations")
	}
}

func TestEngineViewChangesExactlyOnAggregateChange(t *testing.T) {
	srv := newEndpointServer(t, 0)
	e, run := testEngine(t, Config{Regions: []string{"us-east-1", "eu-west-1", "ap-southeast-1"}})
	h := e.Holder()
	v0 := h.Load()
	e.Update([]healthcheck.HealthCheck{srv.hc(t, "a", nil)})
	v1 := h.Load()
	if v1 == v0 || !v1.Known("a") {
		t.Fatal("adding a check published no view")
	}
	run()
	// The first round settles the check: one view, still healthy.
	waitFor(t, 2*time.Second, "settled view", func() bool { return h.Load().Settled("a") })
	if v := h.Load(); v == v1 || !v.Healthy("a") {
		t.Fatal("settling published no view, or an unhealthy one")
	}
	v1 = h.Load()
	// Healthy as at cold start: many probes, no new view.
	hits := srv.hits.Load()
	waitFor(t, 2*time.Second, "more probes", func() bool { return srv.hits.Load() >= hits+9 })
	if h.Load() != v1 {
		t.Error("a view was published without an aggregate change")
	}
	// A change that does not move the aggregate publishes nothing.
	e.Update([]healthcheck.HealthCheck{srv.hc(t, "a", func(c *healthcheck.Config) { c.FailureThreshold = ptr(int64(2)) })})
	if h.Load() != v1 {
		t.Error("a threshold change published a view")
	}
	srv.code.Store(503)
	waitFor(t, 2*time.Second, "unhealthy view", func() bool { return !h.Load().Healthy("a") })
	v2 := h.Load()
	hits = srv.hits.Load()
	waitFor(t, 2*time.Second, "more probes", func() bool { return srv.hits.Load() >= hits+9 })
	if h.Load() != v2 {
		t.Error("a view was published while the check stayed unhealthy")
	}
	if s := e.Stats(); s.Views != 3 {
		t.Errorf("views published = %d, want 3 (add, settled, down)", s.Views)
	}
	e.Update(nil)
	if v := h.Load(); v == v2 || v.Known("a") {
		t.Error("deleting published no view without the check")
	}
}

func TestEngineCalculated(t *testing.T) {
	up := newEndpointServer(t, 0)
	flappy := newEndpointServer(t, 0)
	e, run := testEngine(t, Config{Regions: []string{"us-east-1"}})
	calc := func(threshold int64, children ...string) healthcheck.HealthCheck {
		return healthcheck.HealthCheck{ID: "calc", Config: healthcheck.Config{
			Type: healthcheck.TypeCalculated, HealthThreshold: ptr(threshold), ChildHealthChecks: children}}
	}
	checks := []healthcheck.HealthCheck{up.hc(t, "c1", nil), flappy.hc(t, "c2", nil), calc(2, "c1", "c2")}
	e.Update(checks)
	run()
	waitFor(t, 2*time.Second, "children settled", func() bool { return statusOf(e, "c1").Settled && statusOf(e, "c2").Settled })
	if h, _ := e.Status("calc"); !h {
		t.Fatal("calc unhealthy with both children healthy")
	}
	flappy.code.Store(500)
	waitFor(t, 2*time.Second, "calc follows its child down", func() bool { return !e.Holder().Load().Healthy("calc") })
	if s := statusOf(e, "calc"); s.HealthyCheckers != 1 || s.Checkers != 2 {
		t.Errorf("calc status %+v", s)
	}
	flappy.code.Store(200)
	waitFor(t, 2*time.Second, "calc follows its child up", func() bool { return e.Holder().Load().Healthy("calc") })

	tests := []struct {
		name    string
		checks  []healthcheck.HealthCheck
		healthy bool
	}{
		{"threshold above the count", []healthcheck.HealthCheck{checks[0], checks[1], calc(3, "c1", "c2")}, false},
		{"threshold zero", []healthcheck.HealthCheck{checks[0], checks[1], calc(0, "c1", "c2")}, true},
		{"disabled child counts healthy", []healthcheck.HealthCheck{
			checks[0], flappy.hc(t, "c2", func(c *healthcheck.Config) { c.Disabled = ptr(true) }), calc(2, "c1", "c2")}, true},
		{"disabled inverted child is unhealthy", []healthcheck.HealthCheck{
			checks[0], flappy.hc(t, "c2", func(c *healthcheck.Config) { c.Disabled = ptr(true); c.Inverted = ptr(true) }), calc(2, "c1", "c2")}, false},
		{"deleted child counts healthy", []healthcheck.HealthCheck{checks[0], calc(2, "c1", "c2")}, true},
		{"inverted calculated", []healthcheck.HealthCheck{checks[0], checks[1], func() healthcheck.HealthCheck {
			c := calc(1, "c1", "c2")
			c.Config.Inverted = ptr(true)
			return c
		}()}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.Update(tt.checks)
			if h, known := e.Status("calc"); h != tt.healthy || !known {
				t.Errorf("calc healthy=%v known=%v, want %v", h, known, tt.healthy)
			}
			if h := e.Holder().Load().Healthy("calc"); h != tt.healthy {
				t.Errorf("view says %v", h)
			}
		})
	}
}

func TestEngineObservations(t *testing.T) {
	srv := newEndpointServer(t, 0)
	e, run := testEngine(t, Config{Regions: []string{"eu-west-1", "us-east-1"}, CheckersPerRegion: 2})
	e.Update([]healthcheck.HealthCheck{srv.hc(t, "a", nil)})
	run()
	waitFor(t, 2*time.Second, "settled", settled(e, "a"))
	obs := e.Observations("a")
	if len(obs) != 4 {
		t.Fatalf("%d observations, want 4: %+v", len(obs), obs)
	}
	for i, o := range obs {
		wantRegion := []string{"eu-west-1", "eu-west-1", "us-east-1", "us-east-1"}[i]
		if o.Region != wantRegion || o.IPAddress != "127.0.0.1" || o.Status != "Success: HTTP Status Code 200, OK" {
			t.Errorf("observation %d: %+v", i, o)
		}
		at, err := time.Parse(checkedTimeLayout, o.CheckedTime)
		if err != nil || time.Since(at) > 5*time.Second || len(o.CheckedTime) != len("2017-03-27T17:48:16.751Z") {
			t.Errorf("CheckedTime %q: %v", o.CheckedTime, err)
		}
	}
	if f := e.LastFailures("a"); len(f) != 0 {
		t.Errorf("failures before any: %+v", f)
	}
	srv.code.Store(503)
	waitFor(t, 2*time.Second, "failures from every checker", func() bool { return len(e.LastFailures("a")) == 4 })
	for _, f := range e.LastFailures("a") {
		if f.Status != "Failure: HTTP Status Code 503, Service Unavailable" {
			t.Errorf("failure %+v", f)
		}
	}
	if e.Observations("nope") != nil {
		t.Error("observations of an unknown check")
	}
}

func TestEngineConcurrencyBound(t *testing.T) {
	srv := newEndpointServer(t, 60*time.Millisecond)
	e, run := testEngine(t, Config{Regions: []string{"us-east-1"}, MaxConcurrency: 3, Interval: 10 * time.Millisecond})
	var checks []healthcheck.HealthCheck
	for i := range 20 {
		checks = append(checks, srv.hc(t, string(rune('a'+i)), nil))
	}
	e.Update(checks)
	run()
	waitFor(t, 3*time.Second, "40 probes", func() bool { return srv.hits.Load() >= 40 })
	if m := srv.max.Load(); m != 3 {
		t.Errorf("most probes in flight = %d, want 3", m)
	}
}

func TestEngineTargetSpacing(t *testing.T) {
	srv := newEndpointServer(t, 0)
	e, run := testEngine(t, Config{Regions: []string{"us-east-1"}, CheckersPerRegion: 2, Interval: 10 * time.Millisecond, MinTargetInterval: 40 * time.Millisecond})
	var checks []healthcheck.HealthCheck
	for i := range 5 {
		checks = append(checks, srv.hc(t, string(rune('a'+i)), nil))
	}
	e.Update(checks)
	run()
	time.Sleep(400 * time.Millisecond)
	srv.mu.Lock()
	times := slices.Clone(srv.times)
	srv.mu.Unlock()
	// Unspaced, 10 checkers at 10 ms would send ~400 requests.
	if len(times) < 5 || len(times) > 12 {
		t.Errorf("%d probes in 400 ms at one per 40 ms", len(times))
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < 20*time.Millisecond {
			t.Errorf("probes %d and %d only %v apart", i-1, i, gap)
		}
	}
	if e.Stats().Deferred == 0 {
		t.Error("no probe was deferred")
	}
}

func TestEnginePolicies(t *testing.T) {
	e := New(Config{
		Regions: []string{"us-east-1", "eu-west-1"}, CheckersPerRegion: 2,
		Policies: map[string]Policy{"by-id": PolicyAll, "tagged": PolicyMajority},
	}, Deps{})
	base := healthcheck.Config{Type: healthcheck.TypeHTTP, IPAddress: "192.0.2.1"}
	e.Update([]healthcheck.HealthCheck{{ID: "by-id", Config: base}, {ID: "by-tag", Config: base}, {ID: "default", Config: base}})
	// One of four checkers healthy: 25% > 18% but neither all nor majority.
	set := func(id string, healthy ...bool) {
		e.mu.Lock()
		defer e.mu.Unlock()
		c := e.checks[id]
		for i, k := range c.checkers {
			k.reported, k.healthy = true, healthy[i]
		}
		if e.evaluate(c, time.Now()) {
			e.changed(c, time.Now())
		}
	}
	for _, id := range []string{"by-id", "by-tag", "default"} {
		set(id, true, false, false, false)
	}
	want := map[string]bool{"by-id": false, "by-tag": true, "default": true}
	for id, w := range want {
		if h, _ := e.Status(id); h != w {
			t.Errorf("%s healthy = %v, want %v", id, h, w)
		}
	}
	e.SetNames(map[string]string{"by-tag": "tagged"})
	if h, _ := e.Status("by-tag"); h {
		t.Error("Name-tag policy (majority) not applied")
	}
	if s := statusOf(e, "by-tag"); s.Policy != PolicyMajority || s.HealthyCheckers != 1 || s.Checkers != 4 {
		t.Errorf("status %+v", s)
	}
	if v := e.Holder().Load(); v.Healthy("by-tag") || v.Healthy("by-id") || !v.Healthy("default") {
		t.Error("view does not follow the policies")
	}
}

func TestEngineRegions(t *testing.T) {
	node := []string{"us-east-1", "eu-west-1", "ap-southeast-1"}
	tests := []struct {
		node, check, want []string
	}{
		{nil, nil, DefaultRegions},
		{nil, []string{"us-west-2", "sa-east-1", "us-west-2"}, []string{"us-west-2", "sa-east-1"}},
		{node, nil, node},
		{node, []string{"us-east-1", "us-west-1", "eu-west-1"}, []string{"us-east-1", "eu-west-1"}},
		{node, []string{"us-west-1", "us-west-2", "sa-east-1"}, node}, // no overlap: the node's own
		{[]string{"on-prem"}, nil, []string{"on-prem"}},
		{[]string{"us-east-1", "on-prem"}, nil, []string{"us-east-1", "on-prem"}},
		{[]string{"us-east-1", "on-prem"}, []string{"us-east-1", "eu-west-1", "sa-east-1"}, []string{"us-east-1"}},
	}
	for _, tt := range tests {
		e := New(Config{Regions: tt.node}, Deps{})
		if got := e.regionsFor(&healthcheck.Config{Regions: tt.check}); !slices.Equal(got, tt.want) {
			t.Errorf("node %v check %v: %v, want %v", tt.node, tt.check, got, tt.want)
		}
	}

	// Changing Regions keeps the checkers of the regions that stay.
	e := New(Config{}, Deps{})
	hc := healthcheck.HealthCheck{ID: "a", Config: healthcheck.Config{Type: healthcheck.TypeTCP, IPAddress: "192.0.2.1", Port: ptr(int64(1)),
		Regions: []string{"us-east-1", "eu-west-1", "sa-east-1"}}}
	e.Update([]healthcheck.HealthCheck{hc})
	e.mu.Lock()
	keep := e.checks["a"].checkers[1]
	e.mu.Unlock()
	hc.Config.Regions = []string{"eu-west-1", "ap-northeast-1", "us-west-2"}
	e.Update([]healthcheck.HealthCheck{hc})
	e.mu.Lock()
	defer e.mu.Unlock()
	var got []string
	for _, k := range e.checks["a"].checkers {
		got = append(got, k.region)
	}
	if !slices.Equal(got, hc.Config.Regions) || e.checks["a"].checkers[0] != keep {
		t.Errorf("checkers %v (eu-west-1 kept: %v)", got, e.checks["a"].checkers[0] == keep)
	}
	if len(e.queue) != 3 {
		t.Errorf("queue holds %d checkers, want 3", len(e.queue))
	}
}

func TestEngineAlarmCheck(t *testing.T) {
	var value atomic.Value
	value.Store("1")
	prom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := value.Load().(string)
		if v == "" {
			w.Write([]byte(vector()))
			return
		}
		w.Write([]byte(vector(v)))
	}))
	defer prom.Close()
	e, run := testEngine(t, Config{Alarms: []Alarm{{Region: "us-east-1", Name: "high-5xx", Prometheus: prom.URL,
		Query: "sum(rate(x[1m]))", Comparison: GreaterThanThreshold, Threshold: 5}}})
	e.Update([]healthcheck.HealthCheck{{ID: "cw", Config: healthcheck.Config{
		Type: healthcheck.TypeCloudWatchMetric, AlarmIdentifier: &healthcheck.AlarmIdentifier{Region: "us-east-1", Name: "high-5xx"},
		InsufficientDataHealthStatus: InsufficientLastKnown}}})
	run()
	waitFor(t, 2*time.Second, "settled", settled(e, "cw"))
	if h, _ := e.Status("cw"); !h {
		t.Fatal("OK alarm is unhealthy")
	}
	value.Store("9")
	waitFor(t, 2*time.Second, "ALARM → unhealthy", func() bool { h, _ := e.Status("cw"); return !h })
	value.Store("")
	waitFor(t, 2*time.Second, "insufficient data reported", func() bool {
		o := e.Observations("cw")
		return len(o) == 1 && o[0].Status == "Failure: CloudWatch alarm high-5xx (us-east-1) has INSUFFICIENT_DATA (the query returned no samples); InsufficientDataHealthStatus is LastKnownStatus."
	})
	if h, _ := e.Status("cw"); h {
		t.Error("last known status (unhealthy) not kept")
	}
	if o := e.Observations("cw"); o[0].Region != "us-east-1" || o[0].IPAddress != "127.0.0.1" {
		t.Errorf("observation %+v", o[0])
	}
}

func TestEngineRecoveryControlAndRunTwice(t *testing.T) {
	e, run := testEngine(t, Config{})
	e.Update([]healthcheck.HealthCheck{{ID: "rc", Config: healthcheck.Config{Type: healthcheck.TypeRecoveryControl, RoutingControlArn: "arn:x"}}})
	if _, known := e.Status("rc"); known || e.Holder().Load().Known("rc") {
		t.Error("recovery control check is known")
	}
	run()
	waitFor(t, time.Second, "running", func() bool { e.mu.Lock(); defer e.mu.Unlock(); return e.running })
	if err := e.Run(context.Background()); err != ErrRunning {
		t.Errorf("second Run: %v", err)
	}
}
