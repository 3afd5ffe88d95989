package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"finstream/topics"
)

const topicsSummary = `Lists finstream's topics, tables and loops on --brokers like kafka-topics --describe:
partitions, replication (the smallest replica count of its partitions), cleanup
policy, min.insync.replicas and whether it matches what finstream creates. With
--create it first creates every missing one with --partitions and
--replication-factor (idempotent), as every role does at start; a stack can run it
once before the roles instead of a kafka-topics script.`

// cmdTopics is `finstream topics`; it writes the table to stdout.
func cmdTopics(ctx context.Context, args []string, stderr io.Writer) error {
	return runTopics(ctx, args, os.Stdout, stderr)
}

func runTopics(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("topics", topicsSummary, stderr)
	var o options
	fs.StringVar(&o.brokers, "brokers", "127.0.0.1:9092", "comma-separated Kafka bootstrap brokers (host:port,...)")
	o.kafkaSecFlags(fs)
	o.topicFlags(fs)
	create := fs.Bool("create", false, "create every missing finstream topic, then list")
	fs.Bool("list", true, "list finstream's topics (the default; kept for kafka-topics habits)")
	all := fs.Bool("all", false, "list the cluster's other topics too")
	o.logFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	log, brokers, err := o.checkKafkaRole(stderr, o.topicsCheck)
	if err != nil {
		return err
	}
	want := o.names.All(int32(o.partitions))
	if *create {
		if err := o.ensureTopics(ctx, brokers, log); err != nil {
			return err
		}
	}
	ds, err := topics.Describe(ctx, brokers, want, *all, o.kafka.Opts()...)
	if err != nil {
		return o.kafka.Explain(err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TOPIC\tPARTITIONS\tREPLICATION\tCLEANUP\tMIN.ISR\tSTATUS")
	missing := 0
	for _, d := range ds {
		if !d.Exists {
			missing++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.Name, dash(d.Exists, d.Partitions), dash(d.Exists, d.Replication),
			orDash(d.CleanupPolicy), orDash(d.MinInsyncReplicas), topicStatus(d))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if missing > 0 {
		fmt.Fprintf(stdout, "%d of finstream's topics are missing: `finstream topics --create` creates them\n", missing)
	}
	return nil
}

// topicStatus says how d differs from what finstream creates.
func topicStatus(d topics.Description) string {
	switch {
	case !d.Known:
		return "not finstream's"
	case !d.Exists:
		return "MISSING"
	case d.Partitions != d.Want.Partitions && d.Name != topics.CDCTransactions && d.Name != topics.CDCAccounts:
		return fmt.Sprintf("PARTITIONS: want %d", d.Want.Partitions)
	case d.CleanupPolicy != "" && (d.CleanupPolicy == "compact") != d.Want.Compacted:
		return "CLEANUP: want " + map[bool]string{true: "compact", false: "delete"}[d.Want.Compacted]
	}
	return "ok"
}

func dash[T int | int32](exists bool, v T) string {
	if !exists {
		return "-"
	}
	return fmt.Sprint(v)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
