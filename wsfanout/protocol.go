package wsfanout

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"finstream/processors/event"
)

// Message types, the "type" field of every message.
const (
	// Client → server.
	TypeSubscribe   = "subscribe"   // {"type","channel","since_version"}
	TypeUnsubscribe = "unsubscribe" // {"type","channel"}
	TypePing        = "ping"        // {"type"}

	// Server → client.
	TypeSubscribed   = "subscribed"    // {"type","channel","version"}
	TypeUnsubscribed = "unsubscribed"  // {"type","channel","reason","message"}
	TypeSnapshot     = "snapshot"      // {"type","channel","budget_id","version","state"}
	TypeBudgetUpdate = "budget_update" // {"type","channel", every event.BudgetUpdate field}
	TypeNotification = "notification"  // {"type","channel","data"}
	TypeAssistant    = "assistant"     // {"type","channel","data"}: an answer of the co-pilot
	TypePresence     = "presence"      // {"type","channel","budget_id","online","joined"|"left"}
	TypePong         = "pong"          // {"type"}
	TypeError        = "error"         // {"type","code","status","message","channel"}
)

// Reasons of an "unsubscribed" message.
const (
	ReasonRequested = "requested" // the client asked
	ReasonRemoved   = "removed"   // the user is no longer a participant
)

// Close codes (RFC 6455 private range) besides 1001 (going away, on
// shutdown) and gorilla's own 1009 (message too big).
const (
	CloseSlowConsumer = 4008 // the device's queue overflowed
	CloseNoPong       = 4009 // nothing received for PingInterval+PongTimeout
	CloseTokenExpired = 4010 // the token the connection opened with expired: reconnect with a fresh one
)

// Channel prefixes.
const (
	userPrefix   = "user:"
	budgetPrefix = "budget:"
)

// clientMessage is any message a client sends.
type clientMessage struct {
	Type         string `json:"type"`
	Channel      string `json:"channel"`
	SinceVersion int64  `json:"since_version"`
}

type budgetUpdateMsg struct {
	Type    string `json:"type"`
	Channel string `json:"channel"`
	event.BudgetUpdate
}

type snapshotMsg struct {
	Type     string          `json:"type"`
	Channel  string          `json:"channel"`
	BudgetID string          `json:"budget_id"`
	Version  int64           `json:"version"`
	State    json.RawMessage `json:"state"`
}

type presenceMsg struct {
	Type     string   `json:"type"`
	Channel  string   `json:"channel"`
	BudgetID string   `json:"budget_id"`
	Online   []string `json:"online"`
	Joined   string   `json:"joined,omitempty"`
	Left     string   `json:"left,omitempty"`
}

type notificationMsg struct {
	Type    string `json:"type"`
	Channel string `json:"channel"`
	Data    any    `json:"data"`
}

type subscribedMsg struct {
	Type    string `json:"type"`
	Channel string `json:"channel"`
	Version int64  `json:"version,omitempty"`
}

type unsubscribedMsg struct {
	Type    string `json:"type"`
	Channel string `json:"channel"`
	Reason  string `json:"reason"`
	Message string `json:"message,omitempty"`
}

type errorMsg struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Status  int    `json:"status"`
	Message string `json:"message"`
	Channel string `json:"channel,omitempty"`
}

// frame is one encoded message, shared by every connection it goes to:
// the JSON and its WebSocket framing are built once.
type frame struct {
	pm        *websocket.PreparedMessage
	kind      string    // the message type, a metric label
	eventTime time.Time // budget updates: observed as delivery latency
}

// encode marshals a server message into a frame. Server messages are plain
// structs that always marshal; notification payloads are checked by Notify.
func encode(kind string, msg any) (*frame, error) {
	b, err := json.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("encode %s message: %w", kind, err)
	}
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, b)
	if err != nil {
		return nil, fmt.Errorf("frame %s message: %w", kind, err)
	}
	return &frame{pm: pm, kind: kind}, nil
}

// mustEncode is encode for messages made only of strings, numbers and raw
// JSON, which cannot fail to marshal.
func mustEncode(kind string, msg any) *frame {
	f, err := encode(kind, msg)
	if err != nil {
		panic(err)
	}
	return f
}

func updateFrame(channel string, u event.BudgetUpdate) *frame {
	if u.ThresholdCrossedBP == nil {
		u.ThresholdCrossedBP = []int64{}
	}
	f := mustEncode(TypeBudgetUpdate, budgetUpdateMsg{Type: TypeBudgetUpdate, Channel: channel, BudgetUpdate: u})
	f.eventTime = u.EventTime
	return f
}

func errorFrame(code string, status int, channel, message string) *frame {
	return mustEncode(TypeError, errorMsg{Type: TypeError, Code: code, Status: status, Message: message, Channel: channel})
}

// parseChannel splits "user:<id>" or "budget:<id>".
func parseChannel(name string) (prefix, id string, ok bool) {
	for _, p := range []string{userPrefix, budgetPrefix} {
		if id, found := strings.CutPrefix(name, p); found && id != "" && len(name) <= 256 {
			return p, id, true
		}
	}
	return "", "", false
}
