package processors

import (
	"context"
	"fmt"
	"slices"

	"github.com/lovoo/goka"
	"golang.org/x/sync/errgroup"

	"finstream/topics"
)

// Graphs returns the group graphs of every finstream processor, for Run and
// for tests.
func Graphs(cfg *Config, m *Metrics) []*goka.GroupGraph {
	cfg.Topics = cfg.Topics.OrDefault()
	r := &rekey{cfg: cfg, m: m}
	return []*goka.GroupGraph{
		r.defineTxns(),
		r.defineAccounts(),
		(&accounts{cfg: cfg, m: m}).define(),
		(&txns{cfg: cfg, m: m}).define(),
		(&users{cfg: cfg, m: m}).define(),
		(&sharedBudgets{cfg: cfg}).define(),
		defineInsights(cfg, cfg.Codecs.Copilot),
		defineGoals(cfg, cfg.Codecs.Copilot),
		defineNotifications(cfg, cfg.Codecs.Copilot),
		defineAlerts(cfg),
		defineAssistant(cfg),
	}
}

// userCommands are the input edges of finstream.commands.user, and in a
// prefixed generation of the commands its processors write there
// (topics.Names.UserCommandsDerived), both handled by cb.
func userCommands(cfg *Config, cb goka.ProcessCallback) goka.Edge {
	if !cfg.Topics.SeparateUserCommands() {
		return input(goka.Stream(topics.CommandsUser), cfg.Codecs.CommandsUser, cb)
	}
	return goka.Inputs(goka.Streams{goka.Stream(topics.CommandsUser), goka.Stream(cfg.Topics.UserCommandsDerived)}, tolerant(cfg.Codecs.CommandsUser), skipUndecodable(cb))
}

// hasVisitor reports whether g has the visitor named name.
func hasVisitor(g *goka.GroupGraph, name string) bool {
	for _, e := range g.AllEdges() {
		if e.Topic() == name && e.Codec() == nil {
			return true
		}
	}
	return false
}

// processorOptions are the options of g's processor: cfg's, then the
// guard (which counts inputs and checks every write).
func (c *Config) processorOptions(g *goka.GroupGraph, m *Metrics) []goka.ProcessorOption {
	return append(c.options(g.Group()), newGuard(g, c, m).option())
}

// New builds every processor. The caller runs them (Run does).
func New(cfg Config, m *Metrics) ([]*goka.Processor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var procs []*goka.Processor
	for _, g := range Graphs(&cfg, m) {
		if len(cfg.Groups) > 0 && !slices.Contains(cfg.Groups, g.Group()) {
			continue
		}
		p, err := goka.NewProcessor(cfg.Brokers, g, cfg.processorOptions(g, m)...)
		if err != nil {
			return nil, fmt.Errorf("processor %s: %w", g.Group(), err)
		}
		procs = append(procs, p)
	}
	return procs, nil
}

// Run runs every processor until ctx is cancelled or one fails. On return
// every processor has stopped, committed and closed its storage.
func Run(ctx context.Context, cfg Config, m *Metrics, ready func()) error {
	procs, err := New(cfg, m)
	if err != nil {
		return err
	}
	return RunProcessors(ctx, procs, ready)
}

// RunProcessors runs procs (from New) as Run does, calling ready (when not
// nil) once every one of them has recovered and runs; the caller may watch
// them meanwhile (Recovered, Stats).
func RunProcessors(ctx context.Context, procs []*goka.Processor, ready func()) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, p := range procs {
		g.Go(func() error { return p.Run(gctx) })
	}
	if ready != nil {
		g.Go(func() error {
			for _, p := range procs {
				if err := p.WaitForReadyContext(gctx); err != nil {
					return nil
				}
			}
			ready()
			return nil
		})
	}
	return g.Wait()
}
