package main

import (
	"flag"
	"log/slog"
	"net/url"
	"os"
	"time"

	"github.com/lovoo/goka"
	"github.com/prometheus/client_golang/prometheus"

	"finstream/api"
	"finstream/api/assistant"
	"finstream/processors"
	"finstream/topics"
	"finstream/wsfanout"
)

// assistantOptions are the co-pilot's flags (api and run roles).
type assistantOptions struct {
	crmURL, llmURL, llmFallbackURL, llmModel string
	llmTimeout                               time.Duration
}

func (o *assistantOptions) flags(fs *flag.FlagSet) {
	fs.StringVar(&o.crmURL, "crm-url", "", "CRM URL: the assistant POSTs escalations there (masked transcript, JSON, retried); empty: none")
	fs.StringVar(&o.llmURL, "llm-url", "", "OpenAI-compatible chat-completions URL (base like https://host/v1, or the full .../chat/completions) of the assistant's model; API key from FINSTREAM_LLM_API_KEY; empty: the intent router answers alone")
	fs.StringVar(&o.llmFallbackURL, "llm-fallback-url", "", "chat-completions URL tried when --llm-url fails or times out (same model name and key)")
	fs.StringVar(&o.llmModel, "llm-model", "gpt-4o-mini", "model name sent to --llm-url and --llm-fallback-url")
	fs.DurationVar(&o.llmTimeout, "llm-timeout", 8*time.Second, "bound of one model endpoint's answer (tool rounds included) before the fallback, then the router")
}

// assistantCheck is a setupRole check of the assistant's flags.
func (o *options) assistantCheck() error { _, _, err := o.assistant.build(); return err }

// build checks the flags and makes the CRM client and the model (nil when
// not configured).
func (o *assistantOptions) build() (*assistant.CRM, *assistant.Model, error) {
	for name, u := range map[string]string{"crm-url": o.crmURL, "llm-url": o.llmURL, "llm-fallback-url": o.llmFallbackURL} {
		if u == "" {
			continue
		}
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return nil, nil, badConfig("--%s %q: want an http(s) URL", name, u)
		}
	}
	if o.llmFallbackURL != "" && o.llmURL == "" {
		return nil, nil, badConfig("--llm-fallback-url needs --llm-url")
	}
	var crm *assistant.CRM
	var model *assistant.Model
	var err error
	if o.crmURL != "" {
		if crm, err = assistant.NewCRM(assistant.CRMConfig{URL: o.crmURL}); err != nil {
			return nil, nil, badConfig("--crm-url: %v", err)
		}
	}
	if o.llmURL != "" {
		model, err = assistant.NewModel(assistant.ModelConfig{URL: o.llmURL, FallbackURL: o.llmFallbackURL, Model: o.llmModel,
			APIKey: os.Getenv("FINSTREAM_LLM_API_KEY"), Timeout: o.llmTimeout})
		if err != nil {
			return nil, nil, badConfig("--llm-url: %v", err)
		}
	}
	return crm, model, nil
}

// newAssistant builds POST /v1/me/assistant over the API part's views,
// with an emitter of the audit topic (appended to p.emitters).
func (p *apiPart) newAssistant(brokers []string, c *processors.Codecs, o *options, gate *api.Gate, goals, insights, memory *goka.View, reg prometheus.Registerer, log *slog.Logger) (*api.Assistant, error) {
	crm, model, err := o.assistant.build()
	if err != nil {
		return nil, err
	}
	audit, err := newEmitter(brokers, &o.kafka, topics.AssistantAudit, c.AssistantAudit)
	if err != nil {
		return nil, err
	}
	p.emitters = append(p.emitters, audit)
	a, err := api.NewAssistant(api.AssistantConfig{Gate: gate, Users: p.users, Shared: p.shared, Goals: goals, Insights: insights,
		Memory: memory, Audit: audit, CRM: crm, Model: model, Metrics: reg, Logger: log, Now: o.clock})
	if err != nil {
		return nil, err
	}
	log.Info("assistant", "crm", crm != nil, "model", model != nil)
	return a, nil
}

// assistantFeed streams the co-pilot's answers to the asking user's
// devices: every finstream.assistant.audit record becomes an "assistant"
// message {conversation_id, answer, intent, confidence, escalated, data}.
func assistantFeed(c *processors.Codecs) userFeed {
	return userFeed{
		topic: topics.AssistantAudit, source: "assistant", codec: c.AssistantAudit,
		user: func(v any) string { return v.(assistant.Record).UserID },
		send: func(hub *wsfanout.Hub, user string, v any) error {
			r := v.(assistant.Record)
			return hub.SendUser(user, wsfanout.TypeAssistant, assistant.Response{ConversationID: r.ConversationID, Answer: r.Answer,
				Intent: r.Intent, Confidence: r.Confidence, Data: r.Data, Escalated: r.Escalated})
		},
	}
}
