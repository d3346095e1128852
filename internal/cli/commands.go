package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// command is one client subcommand: the words that name it, its positional
// arguments, the flags it accepts beyond the global ones, and what it does.
type command struct {
	words    []string
	synopsis string   // arguments and flags, as printed in usage
	argNames []string // positional arguments, in order
	nargs    int
	flags    []string
	run      func(r *Runner, ctx context.Context, in *invocation, args []string) error
}

// commands lists every client subcommand in the order usage shows them.
var commands = []command{
	{
		words:    []string{"zone", "create"},
		synopsis: "NAME [--comment C] [--caller-reference R]",
		argNames: []string{"NAME"}, nargs: 1,
		flags: []string{"comment", "caller-reference"},
		run:   (*Runner).zoneCreate,
	},
	{
		words:    []string{"zone", "list"},
		synopsis: "",
		run:      (*Runner).zoneList,
	},
	{
		words:    []string{"zone", "delete"},
		synopsis: "NAME|ID",
		argNames: []string{"NAME|ID"}, nargs: 1,
		run: (*Runner).zoneDelete,
	},
	{
		words:    []string{"zone", "import"},
		synopsis: "NAME|ID --file zone.db [--origin O] [--timeout 5m]",
		argNames: []string{"NAME|ID"}, nargs: 1,
		flags: []string{"file", "origin", "timeout"},
		run:   (*Runner).zoneImport,
	},
	{
		words:    []string{"zone", "export"},
		synopsis: "NAME|ID [--file out.db]",
		argNames: []string{"NAME|ID"}, nargs: 1,
		flags: []string{"file"},
		run:   (*Runner).zoneExport,
	},
	{
		words:    []string{"record", "list"},
		synopsis: "--zone NAME|ID [--name N] [--type T]",
		flags:    []string{"zone", "name", "type"},
		run:      (*Runner).recordList,
	},
	{
		words:    []string{"record", "change"},
		synopsis: "--zone NAME|ID --change-batch file://change.json|@file|-|JSON [--wait] [--timeout 5m]",
		flags:    []string{"zone", "change-batch", "wait", "timeout"},
		run:      (*Runner).recordChange,
	},
	{
		words:    []string{"health", "list"},
		synopsis: "",
		run:      (*Runner).healthList,
	},
	{
		words:    []string{"health", "status"},
		synopsis: "ID",
		argNames: []string{"ID"}, nargs: 1,
		run: (*Runner).healthStatus,
	},
	{
		words:    []string{"accel", "list"},
		synopsis: "",
		run:      (*Runner).accelList,
	},
	{
		words:    []string{"accel", "describe"},
		synopsis: "ARN",
		argNames: []string{"ARN"}, nargs: 1,
		run: (*Runner).accelDescribe,
	},
	// "accel stats" with and without its optional ARN: findCommand picks
	// the entry by the number of arguments; usage lists the first.
	{
		words:    []string{"accel", "stats"},
		synopsis: "[ARN]",
		argNames: []string{"ARN"}, nargs: 1,
		run: (*Runner).accelStats,
	},
	{
		words:    []string{"accel", "stats"},
		synopsis: "[ARN]",
		run:      (*Runner).accelStats,
	},
	{
		words:    []string{"explain"},
		synopsis: "NAME TYPE [--client IP] [--subnet CIDR]",
		argNames: []string{"NAME", "TYPE"}, nargs: 2,
		flags: []string{"client", "subnet"},
		run:   (*Runner).explainQuery,
	},
}

// findCommand returns the command named by the first words. Of entries
// with the same words (a command whose last argument is optional has one
// per arity), the one taking the remaining words as its arguments wins,
// else the first.
func findCommand(words []string) (command, bool) {
	var found command
	ok := false
	for _, c := range commands {
		if len(words) < len(c.words) || !equalWords(words[:len(c.words)], c.words) {
			continue
		}
		if len(words)-len(c.words) == c.nargs {
			return c, true
		}
		if !ok {
			found, ok = c, true
		}
	}
	return found, ok
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// printUsage writes the client subcommands' usage.
func printUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString("usage: meridian <subcommand> [flags]\n\n")
	b.WriteString("Client subcommands (talk to a running Meridian server through its APIs):\n")
	for i, c := range commands {
		if i > 0 && len(commands[i-1].words) == len(c.words) && equalWords(commands[i-1].words, c.words) {
			continue // another arity of the command listed above
		}
		fmt.Fprintf(&b, "  %s\n", strings.TrimSpace(strings.Join(c.words, " ")+" "+c.synopsis))
	}
	b.WriteString(`
Global flags (before or after the subcommand):
  --endpoint URL   the server's Route 53 API (env MERIDIAN_ENDPOINT, default ` + DefaultEndpoint + `)
  --data-dir DIR   the server's data directory (env MERIDIAN_DATA_DIR, default ` + DefaultDataDir + `)

Credentials: env MERIDIAN_ACCESS_KEY_ID and MERIDIAN_SECRET_ACCESS_KEY, else the
[default] profile of DIR/credentials, else the AWS SDK's default chain.
Region: us-east-1 unless AWS_REGION is set.
`)
	io.WriteString(w, b.String())
}
