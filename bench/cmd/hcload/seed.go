package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/meridian-gtm/meridian/internal/config"
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/store/boltstore"
)

// seed makes the checks with the control plane on a stopped server's data
// directory, validating them with the options of the server's
// configuration, and prints "created=N seconds=S rate=R".
func seed(ctx context.Context, o options) error {
	if o.dataDir == "" || o.config == "" {
		return fmt.Errorf("seed: -data-dir and -config are required")
	}
	eps, err := readEndpoints(o.endpoints)
	if err != nil {
		return err
	}
	cfg, err := config.Load(o.config)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	// The server's store file (internal/server opens DataDir/meridian.db).
	st, err := boltstore.Open(filepath.Join(o.dataDir, "meridian.db"))
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	defer st.Close()
	svc := control.New(control.Config{
		Store:           st,
		MaxHealthChecks: o.n,
		HealthOptions:   cfg.HealthCheckOptions(),
	})
	start := time.Now()
	for i := range o.n {
		ep := eps[i%len(eps)]
		port, interval, threshold := int64(ep.Port()), o.interval, o.threshold
		_, err := svc.CreateHealthCheck(ctx, callerRef(i), healthcheck.Config{
			Type:             healthcheck.TypeHTTP,
			IPAddress:        ep.Addr().String(),
			Port:             &port,
			ResourcePath:     resourcePath(i),
			RequestInterval:  &interval,
			FailureThreshold: &threshold,
		})
		if err != nil {
			return fmt.Errorf("seed: CreateHealthCheck %s: %w", callerRef(i), err)
		}
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("created=%d seconds=%.1f rate=%.0f\n", o.n, secs, float64(o.n)/secs)
	return nil
}
