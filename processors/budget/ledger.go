package budget

import (
	"fmt"
	"time"

	"finstream/processors/category"
	"finstream/processors/cdc"
	"finstream/processors/period"
)

// Ledger is what finstream remembers of one transaction: the value of the
// finstream-txns table, keyed by transaction id. It holds the records of
// the transaction's last few applied changes (at most keepChanges) and
// nothing else, so its size is bounded whatever the user's history; the
// user's value (State) holds aggregates only.
//
// The transaction stage compares every change with the last applied one:
// a change at or before its position is a duplicate or a stale redelivery
// and changes nothing; a newer one produces a finstream.txn.by-user record
// carrying what the transaction counted before (Counted) and counts now
// (Counts), so the user's processor moves its totals by exactly the
// difference without remembering the transaction.
type Ledger struct {
	// Changes are the by-user records of the last applied changes, oldest
	// first, each with the input record that made it.
	Changes []Change
}

// Change is one applied change: the record sent and the input it came from.
type Change struct {
	In  Input
	Rec cdc.TxnChange
}

// keepChanges bounds Ledger.Changes. A transaction changes a few times
// (pending, posted, perhaps reversed); after a crash only the changes whose
// input offsets were not committed (about a second's worth) come again, and
// each of them must find its record to send it again.
const keepChanges = 3

// Rules are what the transaction stage needs of the user's state to
// categorize and bucket a transaction: the user's own rules and time zone,
// and the memberships that route it to shared budgets.
type Rules struct {
	UserID      string
	TimeZone    string
	Rules       map[string]string
	Memberships map[string]*Membership
}

// Known reports whether the ledger has applied a change.
func (l *Ledger) Known() bool { return len(l.Changes) > 0 }

// Last is the record of the last applied change (zero if none).
func (l *Ledger) Last() cdc.TxnChange {
	if len(l.Changes) == 0 {
		return cdc.TxnChange{}
	}
	return l.Changes[len(l.Changes)-1].Rec
}

// UserID is the transaction's user ("" while unknown).
func (l *Ledger) UserID() string { return l.Last().Row.UserID }

// Outcome is what applying one input to a ledger produced.
type Outcome struct {
	// Records are the by-user records to send: the new change's, or those
	// re-sent for a redelivered input (Resent set).
	Records []cdc.TxnChange
	// Late: a transaction posted before the retention horizon of its
	// change's source time (RetentionMonths): nothing applied, and the
	// ledger is to be forgotten.
	Late bool
	// Unroutable: the change names no user and the ledger knows none.
	Unroutable bool
}

// ApplyChange applies one change of the transaction, read from input
// record in, with the user's rules r (zero Rules when the user has none).
func (l *Ledger) ApplyChange(ch cdc.TxnChange, in Input, r Rules) Outcome {
	if l.Known() && !ch.Pos.After(l.Last().Pos) {
		return Outcome{Records: l.resend(in)}
	}
	if lateChange(ch) {
		// Known or not, its periods are forgotten: the caller drops the
		// ledger (its table would otherwise keep every transaction ever).
		return Outcome{Late: true}
	}
	prev, known := l.Last(), l.Known()
	rec := cdc.TxnChange{Op: ch.Op, Pos: ch.Pos, Deleted: ch.Deleted, Seq: prev.Seq + 1}
	rec.Row = ch.Row
	if ch.Deleted && known && prev.Row.AccountID+prev.Row.UserID != "" {
		rec.Row = prev.Row // a delete keeps the row it deletes
	}
	if rec.Row.UserID == "" {
		rec.Row.UserID = prev.Row.UserID
	}
	if rec.Row.UserID == "" {
		rec.Row.UserID = r.UserID
	}
	if rec.Row.UserID == "" {
		return Outcome{Unroutable: true}
	}
	if known {
		p := prev.Row
		rec.Prev, rec.PrevDeleted, rec.Counted = &p, prev.Deleted, prev.Counts
		rec.Category, rec.Source, rec.Confidence, rec.Detailed = prev.Category, prev.Source, prev.Confidence, prev.Detailed
		rec.SharedBefore = prev.Shared
	}
	if rec.Source == "" || (rec.Source != string(category.SourceUserRule) && rec.Category == category.Other) {
		categorize(&rec, r.Rules)
	}
	rec.Counts = contribution(rec, period.ZoneOrDefault(r.TimeZone))
	rec.Shared = route(rec, r.Memberships)
	stamp(&rec, in)
	l.push(Change{In: in, Rec: rec})
	return Outcome{Records: []cdc.TxnChange{rec}}
}

// Recategorize moves the transaction to category cat on the user's
// command, read from input record in, with the user's zone and
// memberships from r (the user learns the rule for its merchant from the
// record: Op OpRecategorize). A command of another user than the
// transaction's is ErrNotFound; the same category again, or a redelivered
// command, re-sends nothing new.
func (l *Ledger) Recategorize(userID, cat string, in Input, r Rules) (Outcome, error) {
	if !l.Known() || l.UserID() != userID {
		return Outcome{}, fmt.Errorf("transaction: %w", ErrNotFound)
	}
	if !category.Valid(cat) {
		return Outcome{}, fmt.Errorf("%w: unknown category %q", ErrInvalid, cat)
	}
	if rs := l.resend(in); len(rs) > 0 {
		return Outcome{Records: rs}, nil
	}
	prev := l.Last()
	if prev.Category == cat && prev.Source == string(category.SourceUserRule) {
		return Outcome{}, nil
	}
	return l.move(category.Result{Category: cat, Source: category.SourceUserRule, Confidence: 1, Detailed: category.Generic(cat)}, in, r), nil
}

// move records the transaction's move to res's category: a by-user record
// (Op OpRecategorize) carrying what it counted before and counts now.
func (l *Ledger) move(res category.Result, in Input, r Rules) Outcome {
	prev := l.Last()
	rec := prev
	p := prev.Row
	rec.Op, rec.Seq, rec.Resent = OpRecategorize, prev.Seq+1, false
	rec.Prev, rec.PrevDeleted, rec.Counted = &p, prev.Deleted, prev.Counts
	rec.Category, rec.Source, rec.Confidence, rec.Detailed = res.Category, string(res.Source), res.Confidence, category.DetailedFor(res.Category, res.Detailed)
	rec.Counts = contribution(rec, period.ZoneOrDefault(r.TimeZone))
	rec.SharedBefore, rec.Shared = prev.Shared, route(rec, r.Memberships)
	stamp(&rec, in)
	l.push(Change{In: in, Rec: rec})
	return Outcome{Records: []cdc.TxnChange{rec}}
}

// OpRecategorize is the Op of a by-user record made by a recategorization
// rather than by CDC.
const OpRecategorize cdc.Op = "recategorize"

// resend returns the records that input in made, marked Resent: after a
// crash between storing the ledger and producing, the redelivered input
// produces them again. An input of unknown origin, or a source duplicate
// (another record with a position already applied), re-sends nothing.
func (l *Ledger) resend(in Input) []cdc.TxnChange {
	if !in.Known {
		return nil
	}
	var out []cdc.TxnChange
	for _, c := range l.Changes {
		if c.In == in {
			r := c.Rec
			r.Resent = true
			out = append(out, r)
		}
	}
	return out
}

// stamp marks rec with the input that made it (nothing for an input of
// unknown origin).
func stamp(rec *cdc.TxnChange, in Input) {
	rec.MarkStream, rec.MarkPartition, rec.MarkOffset = 0, 0, 0
	if in.Known {
		rec.MarkStream, rec.MarkPartition, rec.MarkOffset = max(in.Stream, 1), in.Partition, in.Offset
	}
}

func (l *Ledger) push(c Change) {
	l.Changes = append(l.Changes, c)
	if n := len(l.Changes); n > keepChanges {
		l.Changes = append([]Change(nil), l.Changes[n-keepChanges:]...)
	}
}

// lateChange reports whether a change of a transaction the ledger does
// not know is late: posted before the month RetentionMonths-1 months
// before its source time. The clock is the CDC source time, never
// posted_at, which the source controls.
func lateChange(ch cdc.TxnChange) bool {
	src, at := sourceTime(ch.Pos), rowTime(ch.Row)
	if src.IsZero() || at.IsZero() {
		return false
	}
	loc := period.ZoneOrDefault("")
	h := period.Of(period.Monthly, period.Of(period.Monthly, src, loc).Start.AddDate(0, -(RetentionMonths-1), 0), loc)
	return at.Before(h.Start)
}

// categorize sets the record's category from the user's rules, its MCC and
// its merchant name.
func categorize(rec *cdc.TxnChange, rules map[string]string) {
	row := rec.Row
	if row.MerchantName == "" && row.MerchantID == "" && row.MCC == 0 && row.Type == "" {
		return // a delete we never saw the row of: nothing to categorize
	}
	res := category.Categorize(category.Input{
		MCC: row.MCC, MerchantName: row.MerchantName, MerchantID: row.MerchantID,
		Direction: row.Direction, Type: row.Type,
	}, rules)
	rec.Category, rec.Source, rec.Confidence, rec.Detailed = res.Category, string(res.Source), res.Confidence, res.Detailed
}

// contribution is what the record's row counts as spend: a POSTED DEBIT,
// in its category, month and week in zone loc.
func contribution(rec cdc.TxnChange, loc *time.Location) cdc.Contribution {
	if !counts(rec.Row, rec.Deleted) || rec.Category == "" {
		return cdc.Contribution{}
	}
	return cdc.Contribution{
		Amount: rec.Row.AmountMinor, Category: rec.Category, Currency: rec.Row.Currency,
		Month: period.Of(period.Monthly, rec.Row.PostedAt, loc).Key,
		Week:  period.Of(period.Weekly, rec.Row.PostedAt, loc).Key,
	}
}
