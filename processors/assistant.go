package processors

import (
	"github.com/lovoo/goka"

	"finstream/api/assistant"
	"finstream/topics"
)

// GroupAssistant keeps the co-pilot's memory: from finstream.assistant.audit
// (keyed by user_id), each user's recent conversations in
// finstream-assistant-table (assistant.Memory, bounded), which the API
// reads through a view so a conversation goes on after a restart and on
// any instance.
const GroupAssistant goka.Group = topics.GroupAssistant

func defineAssistant(cfg *Config) *goka.GroupGraph {
	return goka.DefineGroup(goka.Group(cfg.Topics.GroupAssistant),
		input(goka.Stream(topics.AssistantAudit), cfg.Codecs.AssistantAudit, rememberExchange),
		dlqOutput(cfg),
		goka.Persist(cfg.Codecs.AssistantTable),
	)
}

// rememberExchange adds an audited exchange to its user's memory.
func rememberExchange(ctx goka.Context, msg any) {
	rec := msg.(assistant.Record)
	m, _ := ctx.Value().(assistant.Memory)
	m.Add(rec)
	ctx.SetValue(m)
}
