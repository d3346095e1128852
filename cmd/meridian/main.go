// Command meridian is a self-hosted global traffic manager: an authoritative
// DNS server with Route 53's routing semantics and API.
//
//	meridian serve --data-dir DIR --dns-addr HOST:PORT --api-addr HOST:PORT [--config FILE]
//	meridian zone create|list|delete|import|export …
//	meridian record list|change …
//	meridian explain NAME TYPE [--client IP | --subnet CIDR]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/meridian-gtm/meridian/internal/cli"
	"github.com/meridian-gtm/meridian/internal/config"
	"github.com/meridian-gtm/meridian/internal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "serve" {
		return serve(ctx, args[1:], stderr)
	}
	return cli.Run(ctx, args, stdout, stderr)
}

func serve(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", envOr("MERIDIAN_DATA_DIR", "./meridian-data"), "directory for the embedded store and generated credentials")
	dnsAddr := fs.String("dns-addr", "127.0.0.1:8053", "UDP and TCP address of the authoritative DNS server")
	apiAddr := fs.String("api-addr", "127.0.0.1:8080", "address of the Route 53 HTTP API")
	configPath := fs.String("config", "", "YAML configuration file")
	sockets := fs.Int("dns-sockets", 0, "SO_REUSEPORT sockets (readers) per protocol; 0 means one per CPU")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "meridian: serve: bad --log-level %q\n", *logLevel)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	cfg := &config.File{}
	if *configPath != "" {
		var err error
		if cfg, err = config.Load(*configPath); err != nil {
			fmt.Fprintf(stderr, "meridian: serve: %v\n", err)
			return 1
		}
	}
	err := server.Run(ctx, server.Options{
		DataDir: *dataDir, DNSAddr: *dnsAddr, APIAddr: *apiAddr,
		DNSSockets: *sockets, Config: cfg, Logger: logger,
	})
	if err != nil {
		fmt.Fprintf(stderr, "meridian: serve: %v\n", err)
		return 1
	}
	return 0
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
