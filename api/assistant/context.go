package assistant

import (
	"container/list"
	"slices"
	"sync"
	"time"
)

// Bounds of the conversation context.
const (
	// MaxTurns is the window of a conversation's context: its last turns.
	MaxTurns = 10
	// MaxText bounds a turn's message and answer as kept (in runes).
	MaxText = 1000
	// maxNames bounds the names a conversation remembers for masking.
	maxNames = 8
	// DefaultConversations is how many conversations Contexts keeps.
	DefaultConversations = 10000
)

// Turn is one exchange as the context and the transcript keep it: masked.
type Turn struct {
	Message string `json:"message"`
	Answer  string `json:"answer"`
	Intent  Intent `json:"intent"`
	// Category is the category the turn was about (for follow-ups).
	Category string    `json:"category,omitempty"`
	At       time.Time `json:"at"`
}

// conversation is the context of one conversation.
type conversation struct {
	id, userID string
	turns      []Turn   // at most MaxTurns, oldest first
	names      []string // names met, to mask them in later turns (never audited)
}

// Contexts keeps the last MaxTurns turns of the most recently used
// conversations, at most a fixed number (least recently used go first).
// It lives in memory, per api instance: a conversation continued on
// another instance, or after a restart, starts afresh. Safe for concurrent
// use.
type Contexts struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *conversation, most recent first
	byID  map[string]*list.Element
}

// NewContexts keeps at most max conversations (DefaultConversations when
// max <= 0).
func NewContexts(max int) *Contexts {
	if max <= 0 {
		max = DefaultConversations
	}
	return &Contexts{max: max, order: list.New(), byID: map[string]*list.Element{}}
}

// get returns a copy of the conversation id of userID: its turns and
// names. A conversation of another user reads as empty (an id is not a
// key to someone else's context).
func (c *Contexts) get(id, userID string) (turns []Turn, names []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.byID[id]
	if e == nil {
		return nil, nil
	}
	conv := e.Value.(*conversation)
	if conv.userID != userID {
		return nil, nil
	}
	c.order.MoveToFront(e)
	return append([]Turn(nil), conv.turns...), append([]string(nil), conv.names...)
}

// add appends a turn and the names met to conversation id of userID. It
// reports false when id belongs to another user (nothing is added).
func (c *Contexts) add(id, userID string, t Turn, names []string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.byID[id]
	if e == nil {
		e = c.order.PushFront(&conversation{id: id, userID: userID})
		c.byID[id] = e
		for c.order.Len() > c.max {
			old := c.order.Back()
			c.order.Remove(old)
			delete(c.byID, old.Value.(*conversation).id)
		}
	}
	conv := e.Value.(*conversation)
	if conv.userID != userID {
		return false
	}
	c.order.MoveToFront(e)
	t.Message, t.Answer = clip(t.Message), clip(t.Answer)
	conv.turns = append(conv.turns, t)
	if n := len(conv.turns); n > MaxTurns {
		conv.turns = append(conv.turns[:0], conv.turns[n-MaxTurns:]...)
	}
	for _, n := range names {
		if len(conv.names) < maxNames && !slices.Contains(conv.names, n) {
			conv.names = append(conv.names, clip(n))
		}
	}
	return true
}

// Len is the number of conversations kept.
func (c *Contexts) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

func clip(s string) string {
	if r := []rune(s); len(r) > MaxText {
		return string(r[:MaxText])
	}
	return s
}

// owns reports whether conversation id is unknown or userID's.
func (c *Contexts) owns(id, userID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.byID[id]
	return e == nil || e.Value.(*conversation).userID == userID
}
