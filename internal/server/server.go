// Package server wires Meridian's components into the `meridian serve`
// process: the store, the snapshot publisher, the DNS server and the HTTP
// APIs.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/api/accelstats"
	"github.com/meridian-gtm/meridian/internal/api/explain"
	gaapi "github.com/meridian-gtm/meridian/internal/api/globalaccel"
	"github.com/meridian-gtm/meridian/internal/api/route53"
	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/config"
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/dnsserver"
	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/health"
	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/store/boltstore"
)

// Options are the settings of one serving process.
type Options struct {
	DataDir    string
	DNSAddr    string
	APIAddr    string
	DNSSockets int // 0: one per CPU
	Config     *config.File
	Logger     *slog.Logger
}

// Run serves until ctx ends, then shuts down gracefully.
func Run(ctx context.Context, o Options) error {
	log := o.Logger
	if o.Config == nil {
		o.Config = &config.File{}
	}
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	dbPath := filepath.Join(o.DataDir, "meridian.db")
	st, err := boltstore.Open(dbPath)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer func() {
		if st != nil {
			_ = st.Close()
		}
	}() // the store open at return (see the reopen below)

	configured := auth.Credentials{}
	for _, c := range o.Config.Credentials {
		configured[c.AccessKeyID] = c.SecretAccessKey
	}
	creds, _, err := auth.LoadOrCreate(o.DataDir, configured, log)
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}

	geoTable, err := geo.Compile(o.Config.GeoConfig())
	if err != nil {
		return fmt.Errorf("client locations: %w", err)
	}
	latTable, err := latency.Compile(o.Config.LatencyConfig())
	if err != nil {
		return fmt.Errorf("latency map: %w", err)
	}
	healthHolder := healthstate.NewHolder()
	env := routing.NewEnvHolder(&routing.Env{Locator: geoTable, Latency: latTable, Regions: latTable, Health: healthHolder})
	checks := health.New(o.Config.HealthConfig(), health.Deps{Holder: healthHolder, Logger: log})

	holder := snapshot.NewHolder()
	pub := &control.Publisher{Store: st, Holder: holder, Logger: log}
	if err := pub.Init(ctx); err != nil {
		return err
	}
	// Reading every record set mapped most of the store file into memory,
	// pages only the API needs again: reopening the store unmaps them (they
	// stay in the page cache, and the API maps back what it reads).
	if err := st.Close(); err != nil {
		return fmt.Errorf("reopen store: %w", err)
	}
	reopened, err := boltstore.Open(dbPath)
	if err != nil {
		st = nil
		return fmt.Errorf("reopen store: %w", err)
	}
	st = reopened
	pub.Store = st
	// Compiling the first snapshot left the decoded store contents and the
	// parsers' temporaries as garbage, and the heap at the size it grew to
	// while they were live. The DNS path allocates nothing, so no collection
	// would come to free them: collect now and return the free pages.
	debug.FreeOSMemory()
	if log.Enabled(ctx, slog.LevelDebug) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		log.Debug("memory after the initial snapshot", "heap_alloc", ms.HeapAlloc, "heap_inuse", ms.HeapInuse, "sys", ms.Sys)
	}
	svc := control.New(control.Config{
		Store:           st,
		Snapshots:       holder,
		NameServers:     o.Config.NameServers,
		Hostmaster:      o.Config.Hostmaster,
		HealthOptions:   o.Config.HealthCheckOptions(),
		MaxHealthChecks: o.Config.Health.MaxHealthChecks,
	})

	dns := dnsserver.New(dnsserver.Config{Addr: o.DNSAddr, Sockets: o.DNSSockets, Logger: log, Env: env}, holder)
	if err := dns.Start(); err != nil {
		return fmt.Errorf("dns: %w", err)
	}
	ln, err := net.Listen("tcp", o.APIAddr)
	if err != nil {
		_ = dns.Shutdown(context.Background())
		return fmt.Errorf("api: %w", err)
	}
	v4Pool, v6Pool, err := o.Config.AcceleratorPools()
	if err != nil {
		_ = dns.Shutdown(context.Background())
		return err
	}
	proxy := accel.New(accel.Config{}, accel.Env{Locator: geoTable, Latency: latTable, Health: healthHolder}, log)
	defer proxy.Close()
	feed := &dataFeed{store: st, engine: checks, proxy: proxy, log: log}
	accSvc := svc.Accelerators(control.AcceleratorConfig{
		Account: o.Config.Accelerator.Account, IPv4Pool: v4Pool, IPv6Pool: v6Pool,
		Regions: customRegionCodes(o.Config), Deployed: feed.deployed,
	})
	engine := &explain.Engine{Snapshots: holder, Env: env}
	mux := http.NewServeMux()
	mux.Handle("/2013-04-01/", route53.NewHandler(svc, creds, log, engine, checks))
	mux.Handle(explain.Path, explain.NewHandler(engine, creds, log))
	mux.Handle(accelstats.Path, accelstats.NewHandler(proxy, creds, log))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "ok revision=%d\n", holder.Load().Revision())
	})
	ga := gaapi.NewHandler(accSvc, creds, log, endpointHealth(checks))
	root := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if gaapi.Matches(r) {
			ga.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
	api := &http.Server{Handler: root, ReadHeaderTimeout: 10 * time.Second}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pubDone := make(chan struct{})
	go func() { defer close(pubDone); _ = pub.Run(ctx) }()
	healthDone, feedDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(healthDone)
		if err := checks.Run(ctx); err != nil {
			log.Error("health-check engine", "err", err)
		}
	}()
	go func() {
		defer close(feedDone)
		feed.run(ctx)
	}()
	apiErr := make(chan error, 1)
	go func() { apiErr <- api.Serve(ln) }()

	log.Info("meridian serving",
		"dns_udp", dns.UDPAddr().String(), "dns_tcp", dns.TCPAddr().String(),
		"api", "http://"+ln.Addr().String(), "data_dir", o.DataDir)

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-apiErr:
		if !errors.Is(err, http.ErrServerClosed) {
			runErr = fmt.Errorf("api: %w", err)
		}
	}
	cancel()
	shutCtx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	_ = api.Shutdown(shutCtx)
	_ = dns.Shutdown(shutCtx)
	<-pubDone
	<-healthDone
	<-feedDone
	log.Info("meridian stopped")
	return runErr
}

// customRegionCodes lists the configuration's custom regions, which endpoint
// groups may name besides the AWS codes.
func customRegionCodes(f *config.File) []string {
	var codes []string
	for _, r := range f.LatencyConfig().Regions {
		codes = append(codes, r.Code)
	}
	return codes
}

// endpointHealth reports an accelerator endpoint's HealthState and
// HealthReason from the published health view, the one the data plane
// routes by: INITIAL until its check has completed a first full round.
func endpointHealth(e *health.Engine) func(id string) (string, string) {
	return func(id string) (string, string) {
		v := e.Holder().Load()
		switch {
		case !v.Known(id):
			return "INITIAL", "No health check is running for this endpoint yet."
		case !v.Settled(id):
			return "INITIAL", "Health checks have not completed yet."
		}
		reason := ""
		if obs := e.Observations(id); len(obs) > 0 {
			reason = obs[0].Status
		}
		if v.Healthy(id) {
			return "HEALTHY", reason
		}
		return "UNHEALTHY", reason
	}
}
