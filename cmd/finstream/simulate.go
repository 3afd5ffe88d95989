package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/avro"
	"finstream/benchmarks/loadgen"
	"finstream/kafkasec"
	"finstream/processors/category"
	"finstream/processors/cdc"
	"finstream/topics"
)

func cmdSimulate(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("simulate", "Produces realistic core-banking CDC traffic (Debezium envelopes) into\ncore.public.transactions and core.public.accounts, and can write the ground truth it sent.", stderr)
	var o options
	o.kafkaFlags(fs, "127.0.0.1:9092", "http://127.0.0.1:8081")
	o.logFlags(fs)
	cfg := loadgen.DefaultConfig()
	cfg.RegisterFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := o.logger(stderr)
	if err != nil {
		return err
	}
	brokers, err := o.brokerList()
	if err != nil {
		return err
	}
	if err := o.checkKafka(); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return badConfig("%v", err)
	}
	var reg *avro.Client
	if cdc.Format(cfg.Format) == cdc.FormatAvro {
		if reg, err = o.registryClient(o.registry); err != nil {
			return err
		}
	}
	return simulate(ctx, brokers, &o.kafka, reg, cfg, log)
}

// simConfig is the simulation of `finstream run --simulate RATE`: realistic
// traffic whose event time follows the clock (run sets it to the simulated
// clock, simclock.go), so live views show the current period.
func simConfig(rate float64, users int) loadgen.Config {
	cfg := loadgen.DefaultConfig()
	cfg.Rate, cfg.Users, cfg.Realtime = rate, users, true
	return cfg
}

// simulate runs the load generator into Kafka until cfg says stop or ctx
// ends, logging progress about every 5 seconds.
func simulate(ctx context.Context, brokers []string, sec *kafkasec.Config, reg *avro.Client, cfg loadgen.Config, log *slog.Logger) error {
	var registrar cdc.SchemaRegistrar
	if reg != nil {
		registrar = reg
	}
	format := cdc.Format(cfg.Format)
	if format == "" {
		format = cdc.FormatJSON
	}
	txns, err := cdc.NewEncoder(ctx, format, registrar, topics.CDCTransactions)
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	accounts, err := cdc.NewEncoder(ctx, format, registrar, topics.CDCAccounts)
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	if err := pingKafka(ctx, brokers, sec); err != nil {
		return err
	}
	// The CDC topics are never compacted, so zstd, which a compacting
	// embedded broker pays for on every pass (processors.DefaultCompression),
	// costs nothing there, and Debezium JSON shrinks more than with
	// franz-go's default snappy.
	sink, err := loadgen.NewKafkaSink(brokers, append(sec.Opts(), kgo.ProducerBatchCompression(kgo.ZstdCompression(), kgo.NoCompression()))...)
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	defer sink.Close()
	n := 0
	progress := func(s loadgen.Stats) {
		if n++; n%5 == 1 {
			if cfg.Now != nil { // run --simulate: the simulated clock (simclock.go)
				log.Info("simulate", "sent", s.Sent, "rate", int64(s.Rate), "elapsed", s.Elapsed.Round(1e9).String(), "simulated_now", cfg.Now().Format("2006-01-02 15:04"))
				return
			}
			log.Info("simulate", "sent", s.Sent, "rate", int64(s.Rate), "elapsed", s.Elapsed.Round(1e9).String())
		}
	}
	truth, err := loadgen.Run(ctx, cfg, loadgen.TableEncoders(txns, accounts), categorize, sink, progress)
	if truth != nil {
		log.Info("simulate done", "sent", truth.Sent(), "users", len(truth.Users()), "truth", cfg.TruthOut)
	}
	return sec.Explain(err)
}

// categorize is the categorizer the ground truth uses: finstream's own,
// without user rules.
func categorize(mcc int, merchantName, merchantID, direction, typ string) string {
	return category.Categorize(category.Input{MCC: mcc, MerchantName: merchantName, MerchantID: merchantID, Direction: direction, Type: typ}, nil).Category
}
