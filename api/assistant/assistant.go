package assistant

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// MinConfidence is the confidence below which a conversation escalates.
const MinConfidence = 0.7

// Response is the answer of one exchange (the body of POST
// /v1/me/assistant).
type Response struct {
	ConversationID string         `json:"conversation_id"`
	Answer         string         `json:"answer"`
	Intent         Intent         `json:"intent"`
	Confidence     float64        `json:"confidence"`
	Data           map[string]any `json:"data"`
	Escalated      bool           `json:"escalated"`
}

// Record is the audit of one exchange, masked.
type Record struct {
	ConversationID string         `json:"conversation_id"`
	UserID         string         `json:"user_id"`
	Message        string         `json:"message"` // masked
	Answer         string         `json:"answer"`  // masked
	Intent         Intent         `json:"intent"`
	Confidence     float64        `json:"confidence"`
	Escalated      bool           `json:"escalated"`
	Source         string         `json:"source"`          // router | model | fallback_model
	Flags          []string       `json:"flags,omitempty"` // jailbreak, abuse, invented_figure, model_failed, crm_busy
	Data           map[string]any `json:"data,omitempty"`
	At             time.Time      `json:"at"`
}

// Auditor records exchanges (api/ writes them to finstream.assistant.audit,
// which also streams the answer to the user's devices).
type Auditor interface {
	Audit(ctx context.Context, r Record) error
}

// Config configures an Assistant.
type Config struct {
	// Reader reads the user's state. Required.
	Reader Reader
	// Audit receives every exchange, masked. Nil: not audited.
	Audit Auditor
	// CRM receives escalations. Nil: escalation is not available, and the
	// answer says how to reach support instead.
	CRM *CRM
	// Model phrases answers. Nil: the router answers alone.
	Model *Model
	// Contexts keeps the conversations in this instance. Zero value means
	// NewContexts(DefaultConversations).
	Contexts *Contexts
	// Memory reads the conversations kept for every instance (the
	// finstream-assistant table, fed by the audit): a conversation goes on
	// after a restart or on another instance. Nil: Contexts alone.
	Memory MemoryReader
	// MaxEscalations bounds the escalations being sent at once. Zero value
	// means 64.
	MaxEscalations int
	// Observe is called with every exchange's audit record (metrics), and
	// with escalated false and flag "crm_failed" when an escalation could
	// not be delivered. Nil: not called.
	Observe func(Record)
	// Now is the clock. Zero value means time.Now.
	Now func() time.Time
	// Logger. Zero value means slog.Default(). It never receives a
	// message's text.
	Logger *slog.Logger
}

// Assistant answers users' questions. Safe for concurrent use; Close waits
// for the escalations in flight.
type Assistant struct {
	cfg      Config
	inflight chan struct{}
	wg       sync.WaitGroup
	ctx      context.Context
	cancel   context.CancelFunc
}

// New builds an Assistant.
func New(cfg Config) (*Assistant, error) {
	if cfg.Reader == nil {
		return nil, errors.New("assistant: no state reader")
	}
	if cfg.Contexts == nil {
		cfg.Contexts = NewContexts(0)
	}
	if cfg.MaxEscalations <= 0 {
		cfg.MaxEscalations = 64
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Assistant{cfg: cfg, inflight: make(chan struct{}, cfg.MaxEscalations), ctx: ctx, cancel: cancel}, nil
}

// Close stops retrying escalations after a grace of 10s and waits for them.
func (a *Assistant) Close() {
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		a.cancel()
		<-done
	}
	a.cancel()
}

// Fixed answers.
var (
	greetingEN  = "Hi! Ask me about your budgets, spending, goals or recent transactions, e.g. \"How much is left for groceries?\""
	greetingTH  = "สวัสดีค่ะ ถามเรื่องงบประมาณ การใช้จ่าย เป้าหมาย หรือรายการล่าสุดได้เลย เช่น \"งบของชำเหลือเท่าไหร่\""
	unknownEN   = "I'm not sure I understood."
	unknownTH   = "ขออภัย ฉันไม่แน่ใจว่าเข้าใจคำถาม"
	escalatedEN = " I've passed this conversation to our support team; a person will contact you."
	escalatedTH = " ฉันส่งบทสนทนานี้ให้ทีมงานแล้ว เจ้าหน้าที่จะติดต่อกลับ"
	supportEN   = "I'm sorry about this."
	supportTH   = "ขออภัยในความไม่สะดวก"
	noCRMEN     = " Please call our support line to reach a person."
	noCRMTH     = " กรุณาติดต่อศูนย์บริการลูกค้าเพื่อคุยกับเจ้าหน้าที่"
	fraudEN     = " If a card or account may be misused, freeze it now in the app."
	fraudTH     = " หากบัตรหรือบัญชีอาจถูกใช้โดยไม่ได้รับอนุญาต กรุณาอายัดในแอปทันที"
)

// Ask answers message from userID in conversation convID ("" starts one).
// It fails only when the user's state cannot be read.
func (a *Assistant) Ask(ctx context.Context, userID, convID, message string) (Response, error) {
	now := a.cfg.Now()
	if convID == "" || !a.cfg.Contexts.owns(convID, userID) {
		convID = newID("c_") // a conversation of another user is never continued
	}
	history, known := a.cfg.Contexts.get(convID, userID)
	history = a.remembered(ctx, userID, convID, history)
	masked, names := Mask(message, known)
	p := FollowUp(Parse(message), history)
	rec := Record{ConversationID: convID, UserID: userID, Message: masked, Source: "router", At: now}
	resp := Response{ConversationID: convID, Intent: p.Intent, Confidence: p.Confidence, Data: map[string]any{}}
	if refuse, why := Screen(message, p); refuse {
		resp.Intent, resp.Confidence, resp.Answer = IntentRefused, 1, pick(p.Thai, RefusalEN, RefusalTH)
		rec.Flags = append(rec.Flags, why)
		return a.finish(ctx, resp, rec, history, append(known, names...), names), nil
	}
	var facts *Facts
	tool, hasTool := ToolFor(p.Intent)
	if hasTool || a.cfg.Model != nil && !p.Intent.Support() {
		var err error
		if facts, err = a.cfg.Reader.Facts(ctx, userID); err != nil {
			return Response{}, fmt.Errorf("assistant: read state of %q: %w", userID, err)
		}
		facts.UserID, facts.Now = userID, now
	}
	switch {
	case hasTool:
		r := tool.Run(facts, argsOf(p.Entities), p.Thai)
		resp.Answer, resp.Data = r.Answer, r.Data
		if r.Unsure {
			resp.Confidence = max(0, resp.Confidence-0.15)
		}
	case p.Intent == IntentGreeting:
		resp.Answer = pick(p.Thai, greetingEN, greetingTH)
	case p.Intent.Support():
		resp.Answer = pick(p.Thai, supportEN, supportTH)
		if p.Intent == IntentFraud || p.Intent == IntentHacked {
			resp.Answer += pick(p.Thai, fraudEN, fraudTH)
		}
	default:
		resp.Answer = pick(p.Thai, unknownEN, unknownTH)
	}
	if a.cfg.Model != nil && !p.Intent.Support() && p.Intent != IntentGreeting {
		a.phrase(ctx, &resp, &rec, facts, history, masked, append(known, names...), p.Thai)
	}
	if resp.Confidence < MinConfidence || resp.Intent.Support() {
		a.escalate(&resp, &rec, history, masked, userID, p, append(known, names...))
	}
	return a.finish(ctx, resp, rec, history, append(known, names...), names), nil
}

// remembered returns the conversation's turns from Memory when they are
// newer than this instance's (it was continued elsewhere, or this instance
// restarted); the user's own Memory only, so another user's conversation
// id finds nothing.
func (a *Assistant) remembered(ctx context.Context, userID, convID string, local []Turn) []Turn {
	if a.cfg.Memory == nil {
		return local
	}
	m, err := a.cfg.Memory.Memory(ctx, userID)
	if err != nil {
		a.cfg.Logger.Warn("assistant: memory not readable, this instance's context only", "err", err)
		return local
	}
	kept := m.Turns(convID)
	if len(kept) > 0 && (len(local) == 0 || kept[len(kept)-1].At.After(local[len(local)-1].At)) {
		return append([]Turn(nil), kept...)
	}
	return local
}

// phrase lets the model answer; the router's answer stays when the model
// fails or invents a figure.
func (a *Assistant) phrase(ctx context.Context, resp *Response, rec *Record, f *Facts, history []Turn, masked string, names []string, thai bool) {
	out, err := a.cfg.Model.Answer(ctx, history, masked, thai, func(name string, args Args) (Reply, bool) {
		t, ok := ToolNamed(name)
		if !ok {
			return Reply{}, false
		}
		return t.Run(f, args, thai), true
	})
	if err != nil {
		a.cfg.Logger.Warn("assistant: model failed, the router answers", "err", err)
		rec.Flags = append(rec.Flags, "model_failed")
		return
	}
	if out.Fallback {
		rec.Flags = append(rec.Flags, "primary_model_failed")
	}
	if bad := CheckFigures(out.Text, out.Results, masked); len(bad) > 0 {
		a.cfg.Logger.Warn("assistant: the model's answer has figures no tool returned; the router answers", "figures", len(bad))
		rec.Flags = append(rec.Flags, "invented_figure")
		resp.Data["flagged"] = "invented_figure"
		return
	}
	text, _ := Mask(out.Text, names) // post-guardrail: no PII leaves in an answer
	resp.Answer = text
	rec.Source = "model"
	if out.Fallback {
		rec.Source = "fallback_model"
	}
	if len(out.Results) > 0 {
		r := out.Results[0]
		if t, ok := ToolNamed(out.Tools[0]); ok && t.Intent != resp.Intent {
			resp.Intent, resp.Confidence = t.Intent, max(MinConfidence, resp.Confidence)
		}
		resp.Data = r.Data
		if len(out.Results) > 1 {
			resp.Data = map[string]any{"results": dataOf(out.Results)}
		}
	}
}

func dataOf(rs []Reply) []map[string]any {
	out := make([]map[string]any, len(rs))
	for i, r := range rs {
		out[i] = r.Data
	}
	return out
}

// escalate sends the masked transcript to the CRM in the background.
func (a *Assistant) escalate(resp *Response, rec *Record, history []Turn, masked, userID string, p Parsed, names []string) {
	if a.cfg.CRM == nil {
		resp.Answer += pick(p.Thai, noCRMEN, noCRMTH)
		return
	}
	select {
	case a.inflight <- struct{}{}:
	default:
		a.cfg.Logger.Warn("assistant: too many escalations in flight; not escalated")
		rec.Flags = append(rec.Flags, "crm_busy")
		resp.Answer += pick(p.Thai, noCRMEN, noCRMTH)
		return
	}
	reason := string(resp.Intent)
	if !resp.Intent.Support() {
		reason = "low_confidence"
	}
	resp.Answer += pick(p.Thai, escalatedEN, escalatedTH)
	resp.Escalated = true
	answer, _ := Mask(resp.Answer, names)
	t := Ticket{TicketID: newID("t_"), ConversationID: resp.ConversationID, UserID: userID, Reason: reason,
		Intent: resp.Intent, Confidence: resp.Confidence, CreatedAt: rec.At,
		Transcript: append(append([]Turn(nil), history...), Turn{Message: masked, Answer: answer, Intent: resp.Intent, At: rec.At})}
	a.wg.Add(1)
	go func() {
		defer func() { <-a.inflight; a.wg.Done() }()
		ctx, cancel := context.WithTimeout(a.ctx, time.Minute)
		defer cancel()
		if err := a.cfg.CRM.Send(ctx, t); err != nil {
			a.cfg.Logger.Error("assistant: escalation not delivered", "ticket", t.TicketID, "err", err)
			if a.cfg.Observe != nil {
				a.cfg.Observe(Record{Intent: t.Intent, Source: "crm", Flags: []string{"crm_failed"}})
			}
		}
	}()
}

// finish keeps the turn in the context and audits it.
func (a *Assistant) finish(ctx context.Context, resp Response, rec Record, history []Turn, known, names []string) Response {
	rec.Answer, _ = Mask(resp.Answer, known)
	rec.Intent, rec.Confidence, rec.Escalated, rec.Data = resp.Intent, resp.Confidence, resp.Escalated, maskData(resp.Data, known)
	cat, _ := resp.Data["category"].(string)
	a.cfg.Contexts.add(resp.ConversationID, rec.UserID, Turn{Message: rec.Message, Answer: rec.Answer, Intent: rec.Intent, Category: cat, At: rec.At}, names)
	if a.cfg.Audit != nil {
		if err := a.cfg.Audit.Audit(ctx, rec); err != nil {
			a.cfg.Logger.Error("assistant: audit", "err", err)
		}
	}
	if a.cfg.Observe != nil {
		a.cfg.Observe(rec)
	}
	a.cfg.Logger.Info("assistant exchange", "intent", rec.Intent, "confidence", rec.Confidence, "escalated", rec.Escalated, "source", rec.Source, "flags", rec.Flags, "turns", len(history)+1)
	return resp
}

// maskData is a copy of data (decoded from its JSON: numbers become
// float64) with every string masked: goal and merchant names are the
// user's words.
func maskData(data map[string]any, known []string) map[string]any {
	b, err := json.Marshal(data)
	if err != nil {
		return nil
	}
	var out map[string]any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case string:
			m, _ := Mask(t, known)
			return m
		case map[string]any:
			for k, e := range t {
				t[k] = walk(e)
			}
		case []any:
			for i, e := range t {
				t[i] = walk(e)
			}
		}
		return v
	}
	walk(out)
	return out
}

func argsOf(e Entities) Args {
	return Args{Category: e.Category, Period: e.Period, AmountMinor: e.AmountMinor, Currency: e.Currency, Merchant: e.Merchant}
}

func newID(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
