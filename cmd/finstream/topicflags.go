package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"math"

	"finstream/topics"
)

// checkKafkaRole makes the logger, checks --brokers and runs the role's
// checks: what a role that talks to Kafka does first, before the network.
func (o *options) checkKafkaRole(stderr io.Writer, checks ...func() error) (*slog.Logger, []string, error) {
	log, err := o.logger(stderr)
	if err != nil {
		return nil, nil, err
	}
	brokers, err := o.brokerList()
	if err != nil {
		return nil, nil, err
	}
	if err := o.checkKafka(); err != nil {
		return nil, nil, err
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return nil, nil, err
		}
	}
	return log, brokers, nil
}

// partitionsFlag registers --partitions.
func (o *options) partitionsFlag(fs *flag.FlagSet) {
	fs.IntVar(&o.partitions, "partitions", int(topics.DefaultPartitions), "partitions of the topics finstream creates")
}

// replicationFlag registers --replication-factor.
func (o *options) replicationFlag(fs *flag.FlagSet) {
	fs.IntVar(&o.replication, "replication-factor", 0,
		"replication factor of every topic, table and loop finstream creates (0: min(3, brokers in the cluster))")
}

// topicFlags registers the flags of the roles that create their topics on
// --brokers: --partitions, --replication-factor and --group-prefix.
func (o *options) topicFlags(fs *flag.FlagSet) {
	o.partitionsFlag(fs)
	o.replicationFlag(fs)
	o.groupPrefixFlag(fs)
}

// groupPrefixFlag registers --group-prefix.
func (o *options) groupPrefixFlag(fs *flag.FlagSet) {
	fs.StringVar(&o.groupPrefix, "group-prefix", "",
		"run a fresh generation: every consumer group, table and topic finstream derives is named with this prefix, "+
			"so it replays CDC and commands from the start beside the current one (give every role the same prefix)")
}

// prefixCheck checks --group-prefix and sets o.names.
func (o *options) prefixCheck() error {
	names, err := topics.Generation(o.groupPrefix)
	if err != nil {
		return badConfig("--group-prefix %v", err)
	}
	o.names = names
	return nil
}

// topicsCheck is a setupRole check of --partitions, --replication-factor
// and --group-prefix (prefixCheck).
func (o *options) topicsCheck() error {
	if err := o.prefixCheck(); err != nil {
		return err
	}
	if o.partitions < 1 || o.partitions > math.MaxInt32 {
		return badConfig("--partitions %d: want >= 1", o.partitions)
	}
	if o.replication < 0 || o.replication > math.MaxInt16 {
		return badConfig("--replication-factor %d: want >= 1, or 0 for min(3, brokers)", o.replication)
	}
	return nil
}

// ensureTopics creates every finstream topic, table and loop missing on
// brokers with --partitions and --replication-factor (idempotent: every role
// does it at start, so the roles can start in any order and goka never has
// to create one).
func (o *options) ensureTopics(ctx context.Context, brokers []string, log *slog.Logger) error {
	created, err := topics.CreateMissing(ctx, brokers, o.names.All(int32(o.partitions)), int16(o.replication), o.kafka.Opts()...)
	if len(created) > 0 {
		log.Info("created topics", "count", len(created), "topics", created)
	}
	return o.kafka.Explain(err)
}
