package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/lovoo/goka"
	"github.com/prometheus/client_golang/prometheus"

	"finstream/api/assistant"
)

// MaxAssistantMessage bounds a message to the assistant, in characters.
const MaxAssistantMessage = 2000

// AssistantConfig configures POST /v1/me/assistant. cmd/ builds it.
type AssistantConfig struct {
	// Gate authenticates requests and limits their rate; give the Server's.
	// Zero: a Gate over HS256 tokens signed with Secret (HS256Gate).
	Gate *Gate
	// Secret verifies HS256 tokens when Gate is nil.
	Secret []byte
	// Users is a view of finstream-users-table. Required.
	Users *goka.View
	// Shared, Goals and Insights are views of finstream-shared-table and of
	// the goals and insights tables. Nil: the tools see no shared budgets,
	// goals, insights or recent transactions.
	Shared, Goals, Insights *goka.View
	// Memory is a view of finstream-assistant-table: conversations go on
	// after a restart and across instances. Nil: this instance's Contexts
	// alone.
	Memory *goka.View
	// Audit emits to finstream.assistant.audit (keyed by user_id), which
	// the WebSocket fanout also streams to the user's devices. Nil: no
	// audit.
	Audit *goka.Emitter
	// CRM receives escalations (--crm-url). Nil: none.
	CRM *assistant.CRM
	// Model phrases answers (--llm-url). Nil: the router answers alone.
	Model *assistant.Model
	// Contexts keeps conversations. Zero value means
	// assistant.NewContexts(0): in memory, per instance.
	Contexts *assistant.Contexts
	// Metrics receives finstream_assistant_exchanges_total{intent,source,
	// escalated} and finstream_assistant_escalations_failed_total. Nil:
	// none.
	Metrics prometheus.Registerer
	// Now is the clock. Zero value means time.Now.
	Now func() time.Time
	// Logger. Zero value means slog.Default().
	Logger *slog.Logger
}

// Assistant serves the co-pilot:
//
//	POST /v1/me/assistant  {message, conversation_id?} →
//	                       {conversation_id, answer, intent, confidence, data, escalated}
//
// It answers from the token subject's own state only. Safe for concurrent
// use; Close waits for escalations in flight.
type Assistant struct {
	cfg AssistantConfig
	a   *assistant.Assistant
	mux *http.ServeMux
}

// NewAssistant builds the endpoint.
func NewAssistant(cfg AssistantConfig) (*Assistant, error) {
	switch {
	case cfg.Gate == nil && len(cfg.Secret) == 0:
		return nil, errors.New("assistant api: no JWT secret")
	case cfg.Users == nil:
		return nil, errors.New("assistant api: no users view")
	}
	if err := defaults(&cfg.Now, &cfg.Gate, cfg.Secret, &cfg.Logger); err != nil {
		return nil, err
	}
	var err error
	acfg := assistant.Config{Reader: &stateReader{cfg: &cfg}, CRM: cfg.CRM, Model: cfg.Model, Contexts: cfg.Contexts, Now: cfg.Now, Logger: cfg.Logger}
	if cfg.Audit != nil {
		acfg.Audit = auditEmitter{cfg.Audit}
	}
	if cfg.Memory != nil {
		acfg.Memory = memoryView{cfg.Memory}
	}
	if acfg.Observe, err = assistantMetrics(cfg.Metrics); err != nil {
		return nil, err
	}
	a, err := assistant.New(acfg)
	if err != nil {
		return nil, err
	}
	s := &Assistant{cfg: cfg, a: a, mux: http.NewServeMux()}
	s.Mount(s.mux.Handle)
	return s, nil
}

// defaults fills the clock, gate and logger of an endpoint group's config:
// time.Now, an HS256 Gate over secret, slog.Default().
func defaults(now *func() time.Time, gate **Gate, secret []byte, logger **slog.Logger) error {
	if *now == nil {
		*now = time.Now
	}
	if *gate == nil {
		var err error
		if *gate, err = HS256Gate(secret, *now); err != nil {
			return err
		}
	}
	if *logger == nil {
		*logger = slog.Default()
	}
	return nil
}

// Mount adds the route with handle, for example a Server's Handle.
func (s *Assistant) Mount(handle func(pattern string, handler http.Handler)) {
	handle("POST /v1/me/assistant", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, ok := s.cfg.Gate.user(w, r); ok {
			s.ask(w, r, user)
		}
	}))
}

// ServeHTTP serves the route alone (tests).
func (s *Assistant) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close waits for the escalations in flight (bounded).
func (s *Assistant) Close() { s.a.Close() }

var conversationIDRE = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,64}$`)

func (s *Assistant) ask(w http.ResponseWriter, r *http.Request, user string) {
	var req struct {
		Message        string `json:"message"`
		ConversationID string `json:"conversation_id"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	switch {
	case req.Message == "":
		writeError(w, http.StatusUnprocessableEntity, "invalid", "message is required")
		return
	case utf8.RuneCountInString(req.Message) > MaxAssistantMessage:
		writeError(w, http.StatusUnprocessableEntity, "invalid", "message is too long (at most 2000 characters)")
		return
	case req.ConversationID != "" && !conversationIDRE.MatchString(req.ConversationID):
		writeError(w, http.StatusUnprocessableEntity, "invalid", "conversation_id must be 1-64 letters, digits, _ or -")
		return
	}
	resp, err := s.a.Ask(r.Context(), user, req.ConversationID, req.Message)
	if err != nil {
		s.cfg.Logger.Error("assistant: read state", "err", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "state is not available, retry")
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// auditEmitter writes audit records, waiting at most 2s for Kafka's ack.
type auditEmitter struct{ em *goka.Emitter }

func (a auditEmitter) Audit(ctx context.Context, rec assistant.Record) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	return emitAcked(ctx, a.em, rec.UserID, rec)
}

// memoryView reads users' assistant.Memory from the table's view.
type memoryView struct{ v *goka.View }

func (m memoryView) Memory(_ context.Context, user string) (assistant.Memory, error) {
	return read[assistant.Memory](m.v, user)
}

// assistantMetrics counts exchanges by intent, source and escalation, and
// escalations the CRM did not take. Every label is a bounded enum.
func assistantMetrics(reg prometheus.Registerer) (func(assistant.Record), error) {
	exchanges, err := registerCounters(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "finstream_assistant_exchanges_total",
		Help: "Assistant exchanges by intent, answer source (router, model, fallback_model) and escalation.",
	}, []string{"intent", "source", "escalated"}))
	if err != nil {
		return nil, err
	}
	failed, err := registerCounters(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "finstream_assistant_escalations_failed_total",
		Help: "Escalations the CRM did not take after every retry.",
	}, nil))
	if err != nil {
		return nil, err
	}
	return func(r assistant.Record) {
		if r.Source == "crm" {
			failed.WithLabelValues().Inc()
			return
		}
		exchanges.WithLabelValues(string(r.Intent), r.Source, strconv.FormatBool(r.Escalated)).Inc()
	}, nil
}
