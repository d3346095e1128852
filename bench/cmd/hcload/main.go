// Command hcload creates and inspects the health checks of bench/health.sh.
//
//	hcload limit  -api URL -key ID -secret S
//	hcload create -api URL -key ID -secret S -n N -endpoints FILE [-concurrency 8]
//	hcload seed   -data-dir DIR -config FILE -n N -endpoints FILE
//	hcload status -api URL -key ID -secret S [-sample 50]
//
// Check i (0 ≤ i < N) is an HTTP check of endpoint i mod E of the endpoints
// file (one ip:port per line, as hctarget writes it), with ResourcePath
// /c/<i>, RequestInterval 10 and FailureThreshold 3 (-interval,
// -threshold), and CallerReference hcbench-<i>, so a rerun finds the checks
// it made before instead of failing.
//
// limit prints the active health check quota and count
// (GetAccountLimit MAX_HEALTH_CHECKS_BY_OWNER) as "limit=Q count=C".
// create makes the checks through the Route 53 API with aws-sdk-go-v2,
// -concurrency requests at a time. seed makes them offline, with the
// control plane's own CreateHealthCheck (the same validation and stored
// form) on the data directory of a stopped `meridian serve`, its quota
// raised to N: the route for a server whose quota is below N. status asks
// GetHealthCheckStatus of -sample checks spread over the list and prints
// "sampled=S reported=R success=K observations=O", where reported counts
// the checks with at least one observation and success those whose every
// observation is a success.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("hcload: ")
	if len(os.Args) < 2 {
		log.Fatal("usage: hcload limit|create|seed|status [flags]")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1], os.Args[2:]); err != nil {
		log.Fatal(err)
	}
}

// options are the flags of every subcommand (each uses some).
type options struct {
	api, key, secret string
	dataDir, config  string
	endpoints        string
	n, concurrency   int
	sample           int
	interval         int64
	threshold        int64
	timeout          time.Duration
}

func run(ctx context.Context, cmd string, args []string) error {
	var o options
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.StringVar(&o.api, "api", "", "base URL of the Route 53 API, e.g. http://127.0.0.1:8080")
	fs.StringVar(&o.key, "key", "", "access key ID")
	fs.StringVar(&o.secret, "secret", "", "secret access key")
	fs.StringVar(&o.dataDir, "data-dir", "", "seed: data directory of a stopped meridian serve")
	fs.StringVar(&o.config, "config", "", "seed: the server's configuration file (health-check options)")
	fs.StringVar(&o.endpoints, "endpoints", "", "file of ip:port endpoints, one a line")
	fs.IntVar(&o.n, "n", 10000, "health checks to create")
	fs.IntVar(&o.concurrency, "concurrency", 8, "create: requests in flight")
	fs.IntVar(&o.sample, "sample", 50, "status: checks to ask about")
	fs.Int64Var(&o.interval, "interval", 10, "RequestInterval in seconds")
	fs.Int64Var(&o.threshold, "threshold", 3, "FailureThreshold")
	fs.DurationVar(&o.timeout, "timeout", 4*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.n < 1 || o.concurrency < 1 || o.sample < 1 {
		return fmt.Errorf("%s: -n, -concurrency and -sample must be positive", cmd)
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	switch cmd {
	case "limit":
		return limit(ctx, o)
	case "create":
		return create(ctx, o)
	case "seed":
		return seed(ctx, o)
	case "status":
		return status(ctx, o)
	}
	return fmt.Errorf("unknown subcommand %q (want limit, create, seed or status)", cmd)
}
