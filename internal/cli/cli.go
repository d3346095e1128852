// Package cli implements Meridian's client subcommands ("zone …", "record …", "health …",
// "explain …"), which talk to a running Meridian server through its Route 53
// API with the real aws-sdk-go-v2 Route 53 client (and, for explain, through
// Meridian's SigV4-signed explain endpoint), and the BIND master-file import
// and export built on them.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/route53"
)

// Defaults for the global flags when neither the flag nor its environment
// variable is set.
const (
	DefaultEndpoint = "http://127.0.0.1:8080"
	DefaultDataDir  = "./meridian-data"
)

// Runner runs client subcommands against one Route 53 client. It is the seam
// for callers (and tests) that build their own client; Run builds one from the
// global flags and the environment.
type Runner struct {
	Client *route53.Client
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// PollInterval is the first delay between GetChange polls while waiting
	// for INSYNC; it doubles up to five seconds. Zero means half a second.
	PollInterval time.Duration

	endpoint  string // the server's URL when known, for hints in errors
	credsHint string // set when credentials come from the SDK's default chain
}

// NewRunner returns a Runner that sends every call through client.
func NewRunner(client *route53.Client, stdin io.Reader, stdout, stderr io.Writer) *Runner {
	return &Runner{Client: client, Stdin: stdin, Stdout: stdout, Stderr: stderr}
}

// Run runs a client subcommand ("zone …", "record …") and returns the process
// exit code: 0 on success, 1 when the command failed, 2 for a usage mistake.
// args are everything after the program name, e.g. ["zone","create","example.com"].
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	r := &Runner{Stdin: os.Stdin, Stdout: stdout, Stderr: stderr}
	return r.run(ctx, args, os.Getenv)
}

// Run runs a client subcommand with the Runner's client and returns the exit
// code as the package-level Run does. The global flags --endpoint and
// --data-dir are accepted but ignored while the Runner has a client; without
// one, it builds one from them and the environment.
func (r *Runner) Run(ctx context.Context, args []string) int {
	return r.run(ctx, args, os.Getenv)
}

// run parses args, builds a client when the Runner has none, and runs the
// subcommand, reporting any failure as one line on stderr.
func (r *Runner) run(ctx context.Context, args []string, getenv func(string) string) int {
	in, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(r.Stderr, "meridian: %s (run \"meridian help\" for usage)\n", oneLine(err.Error()))
		return 2
	}
	if in.boolFlag("help") || len(in.words) == 0 || in.words[0] == "help" {
		printUsage(r.Stderr)
		return 2
	}
	cmd, ok := findCommand(in.words)
	if !ok {
		fmt.Fprintf(r.Stderr, "meridian: unknown subcommand %q\n", strings.Join(in.words[:min(2, len(in.words))], " "))
		printUsage(r.Stderr)
		return 2
	}
	name := strings.Join(cmd.words, " ")
	cmdArgs := in.words[len(cmd.words):]
	if err := in.checkFlags(cmd.flags); err != nil {
		return r.usageFailure(name, cmd, err)
	}
	if len(cmdArgs) < cmd.nargs {
		return r.usageFailure(name, cmd, usagef("missing %s", cmd.argNames[len(cmdArgs)]))
	}
	if len(cmdArgs) > cmd.nargs {
		return r.usageFailure(name, cmd, usagef("unexpected argument %q", cmdArgs[cmd.nargs]))
	}
	if r.Client == nil {
		endpoint := flagOrEnv(in, "endpoint", "MERIDIAN_ENDPOINT", DefaultEndpoint, getenv)
		dataDir := flagOrEnv(in, "data-dir", "MERIDIAN_DATA_DIR", DefaultDataDir, getenv)
		client, explicit, err := newClient(ctx, endpoint, dataDir, getenv)
		if err != nil {
			fmt.Fprintf(r.Stderr, "meridian: %s: %s\n", name, oneLine(err.Error()))
			return 1
		}
		r.Client = client
		r.endpoint = endpoint
		if !explicit {
			r.credsHint = fmt.Sprintf("no Meridian credentials: set MERIDIAN_ACCESS_KEY_ID and MERIDIAN_SECRET_ACCESS_KEY, or give --data-dir holding the server's credentials file (looked in %s)", dataDir)
		}
	}
	if err := cmd.run(r, ctx, in, cmdArgs); err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return r.usageFailure(name, cmd, err)
		}
		fmt.Fprintf(r.Stderr, "meridian: %s: %s\n", name, oneLine(r.explain(err)))
		return 1
	}
	return 0
}

// usageFailure reports a command-line mistake with the command's synopsis.
func (r *Runner) usageFailure(name string, cmd command, err error) int {
	fmt.Fprintf(r.Stderr, "meridian: %s: %s (usage: %s)\n", name, oneLine(err.Error()), strings.TrimSpace("meridian "+name+" "+cmd.synopsis))
	return 2
}

// explain renders err for the user, adding a hint when the server could not
// be reached at all.
func (r *Runner) explain(err error) string {
	msg := err.Error()
	var netErr *net.OpError
	switch {
	case r.endpoint != "" && errors.As(err, &netErr):
		msg += fmt.Sprintf(" (is a Meridian server listening at %s? set --endpoint or MERIDIAN_ENDPOINT)", r.endpoint)
	case r.credsHint != "" && strings.Contains(msg, "credentials"):
		msg += " (" + r.credsHint + ")"
	}
	return msg
}

// flagOrEnv returns the flag's value, else the environment variable's, else def.
func flagOrEnv(in *invocation, flag, env, def string, getenv func(string) string) string {
	if v, ok := in.flag(flag); ok && v != "" {
		return v
	}
	if v := getenv(env); v != "" {
		return v
	}
	return def
}

// oneLine folds a message onto a single line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\r\n", " ")
	return strings.ReplaceAll(s, "\n", " ")
}
