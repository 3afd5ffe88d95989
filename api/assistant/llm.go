package assistant

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ModelConfig configures the optional OpenAI-compatible model.
type ModelConfig struct {
	// URL of the primary chat-completions endpoint: a base such as
	// "https://api.openai.com/v1" (then /chat/completions is added) or the
	// full URL. Required.
	URL string
	// FallbackURL is tried when the primary fails or times out. Empty: none.
	FallbackURL string
	// Model is the model name sent. Required.
	Model string
	// APIKey is sent as a Bearer token when not empty.
	APIKey string
	// Timeout bounds one endpoint's whole exchange (tool rounds included).
	// Zero value means 8s.
	Timeout time.Duration
	// Client. Zero value means http.DefaultClient (Timeout bounds requests).
	Client *http.Client
}

// Model is an OpenAI-compatible chat-completions client with function
// calling over Tools. Safe for concurrent use.
type Model struct{ cfg ModelConfig }

// NewModel checks the configuration.
func NewModel(cfg ModelConfig) (*Model, error) {
	if cfg.URL == "" || cfg.Model == "" {
		return nil, errors.New("model: URL and model name are required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 8 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	return &Model{cfg: cfg}, nil
}

// ModelOutput is the model's answer and the tools it called.
type ModelOutput struct {
	Text     string
	Tools    []string // names, in call order
	Results  []Reply  // of each call
	Fallback bool     // the fallback endpoint answered
}

// maxToolRounds bounds the request/tool rounds of one answer.
const maxToolRounds = 3

const systemPrompt = "You are finstream's co-pilot in a banking app. Answer only from the results of the tools you call; " +
	"never invent a number, and copy amounts exactly as the tools format them. You can see only the signed-in user's own data. " +
	"Text in [BRACKETS] is masked personal data: never ask for it. Answer in one to three short sentences"

// Answer asks the primary endpoint, then the fallback; run executes a tool
// call (false: no such tool). masked is the user's masked message; history
// the conversation's masked turns.
func (m *Model) Answer(ctx context.Context, history []Turn, masked string, thai bool, run func(string, Args) (Reply, bool)) (ModelOutput, error) {
	out, err := m.answer(ctx, m.cfg.URL, history, masked, thai, run)
	if err == nil || m.cfg.FallbackURL == "" || ctx.Err() != nil {
		return out, err
	}
	out, ferr := m.answer(ctx, m.cfg.FallbackURL, history, masked, thai, run)
	if ferr != nil {
		return out, fmt.Errorf("primary: %w; fallback: %w", err, ferr)
	}
	out.Fallback = true
	return out, nil
}

type chatMessage struct {
	Role       string     `json:"role"`
	Content    string     `json:"content"`
	ToolCalls  []toolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
}

type toolCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

type chatResponse struct {
	Choices []struct {
		Message chatMessage `json:"message"`
	} `json:"choices"`
}

func (m *Model) answer(ctx context.Context, url string, history []Turn, masked string, thai bool, run func(string, Args) (Reply, bool)) (ModelOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	lang := "English"
	if thai {
		lang = "Thai"
	}
	msgs := []chatMessage{{Role: "system", Content: systemPrompt + ", in " + lang + "."}}
	for _, t := range history {
		msgs = append(msgs, chatMessage{Role: "user", Content: t.Message}, chatMessage{Role: "assistant", Content: t.Answer})
	}
	msgs = append(msgs, chatMessage{Role: "user", Content: masked})
	var out ModelOutput
	for round := 0; round <= maxToolRounds; round++ {
		msg, err := m.complete(ctx, url, msgs, round < maxToolRounds)
		if err != nil {
			return ModelOutput{}, err
		}
		if len(msg.ToolCalls) == 0 {
			if strings.TrimSpace(msg.Content) == "" {
				return ModelOutput{}, errors.New("model: empty answer")
			}
			out.Text = strings.TrimSpace(msg.Content)
			return out, nil
		}
		msgs = append(msgs, chatMessage{Role: "assistant", Content: msg.Content, ToolCalls: msg.ToolCalls})
		for _, c := range msg.ToolCalls {
			var args Args
			content := ""
			if err := json.Unmarshal([]byte(orEmpty(c.Function.Arguments)), &args); err != nil {
				content = `{"error":"arguments are not valid JSON"}`
			} else if r, ok := run(c.Function.Name, args); !ok {
				content = `{"error":"no such tool"}`
			} else {
				b, _ := json.Marshal(r)
				content = string(b)
				out.Tools, out.Results = append(out.Tools, c.Function.Name), append(out.Results, r)
			}
			msgs = append(msgs, chatMessage{Role: "tool", ToolCallID: c.ID, Content: content})
		}
	}
	return ModelOutput{}, errors.New("model: too many tool rounds")
}

func orEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return "{}"
	}
	return s
}

// complete posts one chat-completions request.
func (m *Model) complete(ctx context.Context, url string, msgs []chatMessage, tools bool) (chatMessage, error) {
	req := map[string]any{"model": m.cfg.Model, "messages": msgs, "temperature": 0}
	if tools {
		req["tools"], req["tool_choice"] = toolSpecs(), "auto"
	}
	body, err := json.Marshal(req)
	if err != nil {
		return chatMessage{}, err
	}
	if !strings.HasSuffix(strings.TrimRight(url, "/"), "/chat/completions") {
		url = strings.TrimRight(url, "/") + "/chat/completions"
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return chatMessage{}, fmt.Errorf("model request: %w", err)
	}
	hr.Header.Set("Content-Type", "application/json")
	if m.cfg.APIKey != "" {
		hr.Header.Set("Authorization", "Bearer "+m.cfg.APIKey)
	}
	resp, err := m.cfg.Client.Do(hr)
	if err != nil {
		return chatMessage{}, fmt.Errorf("model post: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return chatMessage{}, fmt.Errorf("model read: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return chatMessage{}, fmt.Errorf("model: HTTP %d", resp.StatusCode)
	}
	var cr chatResponse
	if err := json.Unmarshal(b, &cr); err != nil || len(cr.Choices) == 0 {
		return chatMessage{}, fmt.Errorf("model: undecodable answer (%v)", err)
	}
	return cr.Choices[0].Message, nil
}

// toolSpecs are the tools in the chat-completions "tools" form.
func toolSpecs() []map[string]any {
	params := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"category":     map[string]any{"type": "string", "description": "category slug: groceries, dining, transport, shopping, bills, entertainment, health, travel, education, subscriptions, transfers, cash, fees, income, other"},
			"period":       map[string]any{"type": "string", "enum": Periods},
			"amount_minor": map[string]any{"type": "integer", "description": "amount in minor units (satang): ฿2,000 is 200000"},
			"currency":     map[string]any{"type": "string", "description": "ISO 4217, default THB"},
			"merchant":     map[string]any{"type": "string"},
		},
	}
	out := make([]map[string]any, len(Tools))
	for i, t := range Tools {
		out[i] = map[string]any{"type": "function", "function": map[string]any{"name": t.Name, "description": t.Description, "parameters": params}}
	}
	return out
}
