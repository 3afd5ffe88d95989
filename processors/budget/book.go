package budget

import (
	"time"

	"finstream/processors/cdc"
)

// Book runs both halves of the hot path in one place: the transaction
// stage's ledgers (one per transaction id) and the user's state, as the
// finstream-txns and finstream-users groups do across a topic. Tests and
// tools use it; the processors keep the halves in their own tables. Not safe
// for concurrent use.
type Book struct {
	*State
	Ledgers map[string]*Ledger
}

// NewBook is the book of a new user.
func NewBook(userID string) *Book {
	return &Book{State: &State{UserID: userID}, Ledgers: map[string]*Ledger{}}
}

func (b *Book) ledger(id string) *Ledger {
	if b.Ledgers == nil {
		b.Ledgers = map[string]*Ledger{}
	}
	l := b.Ledgers[id]
	if l == nil {
		l = &Ledger{}
		b.Ledgers[id] = l
	}
	return l
}

func (b *Book) rules() Rules {
	return Rules{UserID: b.UserID, TimeZone: b.TimeZone, Rules: b.Rules, Memberships: b.Memberships}
}

// ApplyTxn applies a CDC change of unknown origin.
func (b *Book) ApplyTxn(ch cdc.TxnChange) Effects { return b.ApplyTxnFrom(ch, Input{}) }

// ApplyTxnFrom applies a CDC change read from input record in: the ledger
// first, then every by-user record it produced.
func (b *Book) ApplyTxnFrom(ch cdc.TxnChange, in Input) Effects {
	out := b.ledger(ch.Row.ID).ApplyChange(ch, in, b.rules())
	eff := b.apply(out.Records, in)
	eff.Late = out.Late
	if out.Late {
		delete(b.Ledgers, ch.Row.ID)
	}
	return eff
}

// Recategorize moves transaction txnID to category cat, as the user's
// command read from input in.
func (b *Book) Recategorize(txnID, cat string, at time.Time) (Effects, error) {
	l, ok := b.Ledgers[txnID]
	if !ok {
		l = &Ledger{}
	}
	out, err := l.Recategorize(b.UserID, cat, Input{}, b.rules())
	if err != nil {
		return Effects{}, err
	}
	_ = at
	return b.apply(out.Records, Input{}), nil
}

func (b *Book) apply(recs []cdc.TxnChange, in Input) Effects {
	eff := Effects{Unstored: len(recs) > 0}
	for _, r := range recs {
		e := b.State.ApplyTxnFrom(r, in)
		eff.Unstored = eff.Unstored && e.Unstored
		eff.Categorized = append(eff.Categorized, e.Categorized...)
		eff.Updates = append(eff.Updates, e.Updates...)
		eff.Alerts = append(eff.Alerts, e.Alerts...)
		eff.Shared = append(eff.Shared, SharedSpends(r)...)
		eff.ResendCategorized = append(eff.ResendCategorized, e.ResendCategorized...)
		eff.ResendAlerts = append(eff.ResendAlerts, e.ResendAlerts...)
		eff.ResendUpdates = append(eff.ResendUpdates, e.ResendUpdates...)
	}
	return eff
}

// Backfill runs spec over every ledger of the book, as the transaction
// stage's visitor does over its table, and applies the moves to the user's
// state.
func (b *Book) Backfill(spec Backfill) Effects {
	var recs []cdc.TxnChange
	for _, l := range b.Ledgers {
		recs = append(recs, l.Backfill(spec, b.rules()).Records...)
	}
	return b.apply(recs, Input{})
}
