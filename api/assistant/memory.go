package assistant

import "context"

// Bounds of a user's Memory (the finstream-assistant table's value).
const (
	// MaxConversations is how many conversations a user's Memory keeps:
	// the most recently used.
	MaxConversations = 3
	// MemoryText bounds a kept message or answer, in runes.
	MemoryText = 400
)

// Memory is the context kept for one user (the value of the
// finstream-assistant table, keyed by user_id): the last MaxTurns turns of
// the user's MaxConversations most recent conversations, masked, texts
// clipped to MemoryText. It is bounded by a constant whatever the user's
// history: at most MaxConversations × MaxTurns turns of ≤ 2 × MemoryText
// runes. It holds no names (those stay in one instance's Contexts).
type Memory struct {
	Conversations []Remembered `json:"conversations"` // least recently used first
}

// Remembered is one conversation in a Memory.
type Remembered struct {
	ID    string `json:"id"`
	Turns []Turn `json:"turns"` // oldest first
}

// MemoryReader reads a user's Memory (api/ reads the table's view).
type MemoryReader interface {
	Memory(ctx context.Context, userID string) (Memory, error)
}

// Add keeps r's turn. A record seen again (the same conversation, time
// and message as its last turn: a redelivery) changes nothing.
func (m *Memory) Add(r Record) {
	cat, _ := r.Data["category"].(string)
	t := Turn{Message: clipTo(r.Message, MemoryText), Answer: clipTo(r.Answer, MemoryText), Intent: r.Intent, Category: cat, At: r.At}
	i := m.index(r.ConversationID)
	var c Remembered
	if i >= 0 {
		c = m.Conversations[i]
		if n := len(c.Turns); n > 0 && c.Turns[n-1].At.Equal(t.At) && c.Turns[n-1].Message == t.Message {
			return
		}
		m.Conversations = append(m.Conversations[:i], m.Conversations[i+1:]...)
	} else {
		c = Remembered{ID: r.ConversationID}
	}
	c.Turns = append(c.Turns, t)
	if n := len(c.Turns); n > MaxTurns {
		c.Turns = append([]Turn(nil), c.Turns[n-MaxTurns:]...)
	}
	m.Conversations = append(m.Conversations, c)
	if n := len(m.Conversations); n > MaxConversations {
		m.Conversations = append([]Remembered(nil), m.Conversations[n-MaxConversations:]...)
	}
}

// Turns are the turns of conversation id (nil when not kept).
func (m Memory) Turns(id string) []Turn {
	if i := m.index(id); i >= 0 {
		return m.Conversations[i].Turns
	}
	return nil
}

func (m Memory) index(id string) int {
	for i, c := range m.Conversations {
		if c.ID == id {
			return i
		}
	}
	return -1
}

func clipTo(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
