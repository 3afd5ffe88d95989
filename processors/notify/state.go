package notify

import (
	"errors"
	"fmt"
	"slices"

	"finstream/processors/compact"
	"finstream/processors/event"
	"finstream/processors/insight"
)

// Bounds of the duplicate guards of a recipient's state: with them a value
// is at most about 8·(MaxSeen+MaxResend) bytes plus the settings, whatever
// the number of notifications.
const (
	// MaxSeen bounds the notification ids remembered per recipient (as
	// 64-bit hashes) for de-duplication: a duplicate of a source event
	// older than that many notifications of the same recipient would
	// notify again. Source events are de-duplicated upstream too (alerts
	// fire once per threshold and period, goal events and insights carry
	// versions), so this window only has to cover redeliveries; 64
	// notifications are weeks of a recipient's alerts and milestones.
	MaxSeen = 64
	// MaxResend bounds the (input record, notification id) pairs
	// remembered for re-sending: a redelivered input record among the
	// recipient's last MaxResend admissions sends its notification again.
	// A redelivery after a crash repeats the records since the last
	// committed offset, a second or so of the recipient's traffic.
	MaxResend = 16
)

// Kinds lists the notification kinds a user can turn off, or on for the
// opt-in ones (OptIn).
var Kinds = []string{
	event.NotifyBudgetAlert, event.NotifySharedBudgetAlert, event.NotifySpendConfirmation,
	event.NotifyGoalMilestone, event.NotifyGoalOffTrack, event.NotifyInsight, event.NotifyDailyDigest,
}

// OptIn reports whether kind is off until the user turns it on.
func OptIn(kind string) bool { return kind == event.NotifyDailyDigest }

// off reports whether the user gets no notifications of kind.
func (s *State) off(kind string) bool {
	if OptIn(kind) {
		return !slices.Contains(s.Enabled, kind)
	}
	return slices.Contains(s.Disabled, kind)
}

// ErrInvalid marks invalid settings (the API answers 422).
var ErrInvalid = errors.New("invalid")

// State is what the notifications processor keeps per recipient: their
// settings and bounded windows of the notifications already sent (see
// MaxSeen, MaxResend). Encode it with Codec.
type State struct {
	UserID   string   `json:"user_id"`
	Lang     string   `json:"lang,omitempty"`     // "" means en
	Disabled []string `json:"disabled,omitempty"` // kinds opted out of, sorted
	Enabled  []string `json:"enabled,omitempty"`  // opt-in kinds turned on, sorted
	// Seen are the hashes (compact.Hash) of the last MaxSeen notification
	// ids admitted, oldest first.
	Seen compact.Window `json:"seen,omitempty"`
	// Sent are the hashes of the last MaxResend (input record, notification
	// id) pairs admitted from a known record ("topic/partition/offset"):
	// when that very record is delivered again (after a crash, before its
	// offset was committed) the notification is sent again, since it may
	// never have reached the broker; the gateway and devices de-duplicate
	// by notification id.
	Sent    compact.Window `json:"sent,omitempty"`
	Version int64          `json:"version"`
}

// Settings are a user's notification settings as the API shows them.
type Settings struct {
	Kinds map[string]bool `json:"kinds"`
	Lang  string          `json:"lang"`
}

// Settings returns the user's settings: every kind with whether it is on.
func (s *State) Settings() Settings {
	out := Settings{Kinds: map[string]bool{}, Lang: s.lang()}
	for _, k := range Kinds {
		out.Kinds[k] = !s.off(k)
	}
	return out
}

func (s *State) lang() string {
	if s.Lang == "" {
		return insight.LangEN
	}
	return s.Lang
}

// ValidateSettings checks opt-outs and language.
func ValidateSettings(disabled []string, lang string) error {
	for _, k := range disabled {
		if !slices.Contains(Kinds, k) {
			return fmt.Errorf("%w: unknown notification kind %q (known: %v)", ErrInvalid, k, Kinds)
		}
	}
	if lang != "" && lang != insight.LangEN && lang != insight.LangTH {
		return fmt.Errorf("%w: lang must be en or th", ErrInvalid)
	}
	return nil
}

// SetSettings replaces the user's settings; it reports whether they changed.
func (s *State) SetSettings(c event.NotificationSettings) (bool, error) {
	if err := ValidateSettings(append(slices.Clone(c.Disabled), c.Enabled...), c.Lang); err != nil {
		return false, err
	}
	d, e := sortedSet(c.Disabled), sortedSet(c.Enabled)
	if slices.Equal(d, s.Disabled) && slices.Equal(e, s.Enabled) && c.Lang == s.Lang {
		return false, nil
	}
	s.Disabled, s.Enabled, s.Lang = d, e, c.Lang
	s.Version++
	return true, nil
}

func sortedSet(ks []string) []string {
	out := slices.Clone(ks)
	slices.Sort(out)
	return slices.Compact(out)
}

// Admit decides whether candidate n (addressed to this user) is sent: not
// when its id was sent before (a duplicate of its source event) and not
// when the user opted out of its kind. An admitted notification gets its
// Title and Body in the user's language; either way its id is remembered.
func (s *State) Admit(n event.Notification) (event.Notification, bool) { return s.AdmitFrom(n, "") }

// AdmitFrom is Admit for a candidate read from the input record from
// ("topic/partition/offset"; "" when unknown). A candidate already seen is
// sent again only when from is the record that first admitted it: that
// record is being delivered again after a crash.
func (s *State) AdmitFrom(n event.Notification, from string) (event.Notification, bool) {
	id := compact.Hash(n.NotificationID)
	if s.Seen.Contains(id) {
		if from == "" || !s.Sent.Contains(compact.Hash(from, n.NotificationID)) || s.off(n.Kind) {
			return event.Notification{}, false
		}
		return s.localize(n), true
	}
	s.Seen.Add(id, MaxSeen)
	if from != "" {
		s.Sent.Add(compact.Hash(from, n.NotificationID), MaxResend)
	}
	s.Version++
	if s.off(n.Kind) {
		return event.Notification{}, false
	}
	return s.localize(n), true
}

// localize sets n's Title and Body in the user's language.
func (s *State) localize(n event.Notification) event.Notification {
	n.Lang = s.lang()
	for _, t := range n.Texts {
		if t.Lang == n.Lang {
			n.Title, n.Body = t.Title, t.Body
		}
	}
	return n
}
