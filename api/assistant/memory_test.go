package assistant

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"finstream/processors/budget"
)

// A user's Memory stays under a constant whatever the number of exchanges.
func TestMemoryBounded(t *testing.T) {
	var m Memory
	long := strings.Repeat("ก", 2000) // 3 bytes a rune in UTF-8
	var size int
	for i := range 200 {
		m.Add(Record{ConversationID: fmt.Sprintf("c_%032d", i/20), UserID: "U", Message: long, Answer: long,
			Intent: IntentBudgetStatus, Data: map[string]any{"category": "groceries"}, At: now.Add(time.Duration(i) * time.Second)})
		b, _ := json.Marshal(m)
		size = max(size, len(b))
	}
	if len(m.Conversations) != MaxConversations {
		t.Fatalf("%d conversations", len(m.Conversations))
	}
	for _, c := range m.Conversations {
		if len(c.Turns) != MaxTurns || len([]rune(c.Turns[0].Message)) != MemoryText {
			t.Fatalf("conversation of %d turns, message %d runes", len(c.Turns), len([]rune(c.Turns[0].Message)))
		}
	}
	const bound = MaxConversations * MaxTurns * (2*MemoryText*3 + 200)
	if size > bound {
		t.Errorf("memory of %d bytes, bound %d", size, bound)
	}
	t.Logf("largest Memory: %d bytes (bound %d) after 200 exchanges", size, bound)
	// The most recent conversation is kept last; a redelivery adds nothing.
	last := m.Conversations[MaxConversations-1]
	r := Record{ConversationID: last.ID, Message: last.Turns[MaxTurns-1].Message, At: last.Turns[MaxTurns-1].At}
	before, _ := json.Marshal(m)
	m.Add(r)
	if after, _ := json.Marshal(m); string(after) != string(before) {
		t.Error("a redelivered record changed the memory")
	}
	if m.Turns("c_unknown") != nil || len(m.Turns(last.ID)) != MaxTurns {
		t.Error("Turns")
	}
}

type memories map[string]Memory

func (m memories) Memory(_ context.Context, user string) (Memory, error) { return m[user], nil }

// A conversation goes on from the Memory (after a restart, or on another
// instance), and only the user's own.
func TestConversationContinuesFromMemory(t *testing.T) {
	audit := &auditLog{}
	a := newTest(t, Config{Audit: audit})
	first := ask(t, a, "USR-789", "", "How much did I spend on groceries this month?")
	var m Memory
	m.Add(audit.recs[0])
	rd := seedReader()
	rd.facts["USR-789"].Spending[LastMonth] = []budget.CategorySpend{{Category: "groceries", Currency: "THB", SpentMinor: 1_234_500}}
	other := newTest(t, Config{Reader: rd, Memory: memories{"USR-789": m}}) // a fresh instance
	if r := ask(t, other, "USR-789", first.ConversationID, "and last month?"); r.Intent != IntentSpend || !strings.Contains(r.Answer, "฿12,345") || r.ConversationID != first.ConversationID {
		t.Errorf("continued: %+v", r)
	}
	if r := ask(t, other, "USR-999", first.ConversationID, "and last month?"); r.Intent == IntentSpend {
		t.Errorf("another user continued it: %+v", r)
	}
}
