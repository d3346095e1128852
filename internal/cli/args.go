package cli

import (
	"fmt"
	"sort"
	"strings"
)

// valueFlags are the flags, global and per command, that take a value.
var valueFlags = map[string]bool{
	"endpoint":         true,
	"data-dir":         true,
	"comment":          true,
	"caller-reference": true,
	"file":             true,
	"origin":           true,
	"timeout":          true,
	"zone":             true,
	"name":             true,
	"type":             true,
	"change-batch":     true,
	"client":           true,
	"subnet":           true,
}

// boolFlags are the flags that take no value.
var boolFlags = map[string]bool{
	"wait": true,
	"help": true,
}

// globalFlags are accepted with every subcommand.
var globalFlags = []string{"endpoint", "data-dir", "help"}

// invocation is a parsed command line: the positional words (subcommand words
// first, then its arguments) and the flags given, by name without dashes.
type invocation struct {
	words []string
	flags map[string]string
}

// flag returns the value of a flag and whether it was given.
func (in *invocation) flag(name string) (string, bool) {
	v, ok := in.flags[name]
	return v, ok
}

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct {
	msg string
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// parseArgs splits args into positional words and flags. Flags may appear
// anywhere, written -name or --name, with the value either after '=' or as the
// next argument; "--" ends the flags. Which flags a subcommand accepts is
// checked later, once the subcommand is known.
func parseArgs(args []string) (*invocation, error) {
	in := &invocation{flags: map[string]string{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			in.words = append(in.words, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			in.words = append(in.words, a)
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		value, hasValue := "", false
		if eq := strings.IndexByte(name, '='); eq >= 0 {
			name, value, hasValue = name[:eq], name[eq+1:], true
		}
		if name == "h" {
			name = "help"
		}
		switch {
		case valueFlags[name]:
			if !hasValue {
				if i+1 >= len(args) {
					return nil, usagef("flag --%s needs a value", name)
				}
				i++
				value = args[i]
			}
		case boolFlags[name]:
			if hasValue {
				switch strings.ToLower(value) {
				case "true", "1", "yes":
					value = "true"
				case "false", "0", "no":
					value = "false"
				default:
					return nil, usagef("flag --%s takes no value other than true or false, got %q", name, value)
				}
			} else {
				value = "true"
			}
		default:
			return nil, usagef("unknown flag %s", a)
		}
		in.flags[name] = value
	}
	return in, nil
}

// boolFlag reports whether a boolean flag was given and not set to false.
func (in *invocation) boolFlag(name string) bool {
	return in.flags[name] == "true"
}

// checkFlags reports the first flag given that neither the command nor the
// global set allows.
func (in *invocation) checkFlags(allowed []string) error {
	ok := map[string]bool{}
	for _, f := range globalFlags {
		ok[f] = true
	}
	for _, f := range allowed {
		ok[f] = true
	}
	var bad []string
	for name := range in.flags {
		if !ok[name] {
			bad = append(bad, name)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return usagef("flag --%s is not accepted here", bad[0])
}
