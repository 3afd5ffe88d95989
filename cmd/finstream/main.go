// Command finstream is finstream's one binary: `finstream run` runs
// everything in one process on an embedded broker; the other subcommands are
// the roles for scale-out. See `finstream -h`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // user time zones on machines without zoneinfo
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stderr io.Writer) error
}

var commands = []command{
	{"run", "everything in one process on the embedded broker (the default way to run finstream)", cmdRun},
	{"broker", "standalone embedded Kafka-protocol broker with the schema registry", cmdBroker},
	{"processors", "the goka processors (CDC re-keying, accounts join, per-user budgets)", cmdProcessors},
	{"api", "the REST API over the users table", cmdAPI},
	{"simulate", "produce realistic core-banking CDC traffic", cmdSimulate},
	{"sink", "the Postgres sink: query-side tables (history) from the internal topics", cmdSink},
	{"wsfanout", "the WebSocket fanout alone (GET /v1/ws), tailing budget updates and notifications", cmdWSFanout},
	{"topics", "list finstream's topics like kafka-topics --describe; --create creates the missing ones", cmdTopics},
	{"lag", "print consumer lag like kafka-consumer-groups --describe, with seconds and status", cmdLag},
	{"recategorize", "re-run the category rules over the retained transactions (after a rules change), with progress", cmdRecategorize},
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: finstream <command> [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `finstream <command> -h` for a command's flags.")
}

func main() {
	os.Exit(realMain(os.Args[1:], os.Stderr))
}

// configError is a bad command line or configuration: exit code 2.
type configError struct{ err error }

func (e configError) Error() string { return e.err.Error() }
func (e configError) Unwrap() error { return e.err }

func realMain(args []string, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		err := c.run(ctx, args[1:], stderr)
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, new(configError)):
			fmt.Fprintf(stderr, "finstream %s: %v\n", c.name, err)
			return 2
		default:
			fmt.Fprintf(stderr, "finstream %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "finstream: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

// badConfig wraps a configuration error so it exits 2 with one line.
func badConfig(format string, a ...any) error {
	return configError{fmt.Errorf(format, a...)}
}
