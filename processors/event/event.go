// Package event defines the records finstream writes to its internal topics.
// They are plain structs; their Avro schemas are derived from them (package
// avro) and their json tags are the field names of the contract.
package event

import "time"

// Categorized is a transaction as finstream understands it, written to
// finstream.txn.categorized (key user_id) each time its state changes, for
// sinks and history. SpendMinor is what it counts as spend now (0 unless a
// POSTED DEBIT); Version increases with every change of the transaction.
type Categorized struct {
	TxnID        string  `json:"txn_id"`
	UserID       string  `json:"user_id"`
	AccountID    string  `json:"account_id"`
	Direction    string  `json:"direction"`
	Type         string  `json:"type"`
	Status       string  `json:"status"`
	AmountMinor  int64   `json:"amount_minor"`
	SpendMinor   int64   `json:"spend_minor"`
	Currency     string  `json:"currency"`
	MerchantName string  `json:"merchant_name"`
	MerchantID   string  `json:"merchant_id"`
	MCC          int     `json:"mcc"`
	Channel      string  `json:"channel"`
	BudgetID     string  `json:"budget_id"`
	Category     string  `json:"category"`
	Confidence   float64 `json:"confidence"`
	Source       string  `json:"source"`
	// DetailedCategory is the detailed category under Category (a code of
	// category.Taxonomy, e.g. "dining.coffee"), ConfidenceLevel the band of
	// Confidence: "high" (≥ 0.9), "medium" (≥ 0.7) or "low".
	DetailedCategory string    `json:"detailed_category"`
	ConfidenceLevel  string    `json:"confidence_level"`
	Deleted          bool      `json:"deleted"`
	PostedAt         time.Time `json:"posted_at"`
	LSN              int64     `json:"lsn"`
	Version          int64     `json:"version"`
	// BudgetUpdates are the personal budget updates this change caused, as
	// written to finstream.budget.updates (those carry the header
	// HeaderCarried): the insights group learns them here, keyed by user,
	// instead of re-keying finstream.budget.updates through a loopback.
	BudgetUpdates []BudgetUpdate `json:"budget_updates,omitempty"`
}

// HeaderCarried marks a finstream.budget.updates record whose update also
// rides on the finstream.txn.categorized record of the same change
// (Categorized.BudgetUpdates). Its value is "1".
const HeaderCarried = "finstream.carried"

// Kinds of BudgetUpdate.
const (
	BudgetPersonal = "personal"
	BudgetShared   = "shared"
)

// BudgetUpdate is a change of a budget's state, written to
// finstream.budget.updates keyed by BudgetID. For personal budgets (Kind
// "personal") BudgetID is "<user_id>:<category>" and UserID its owner. For
// shared budgets (Kind "shared") UserID is who caused the change and
// Participants lists every participant with their contribution; an update
// is also written on every change of membership, so that readers (the
// WebSocket fanout) learn who may see the budget. TxnID, Merchant and
// AmountMinor attribute the change (AmountMinor is the signed change of
// spend it caused). Refused marks a tagged spend that did not count (a
// viewer's or an outsider's), with RefusedReason; on a refused update
// AmountMinor is the amount that was not counted and the totals are unchanged.
type BudgetUpdate struct {
	Kind               string             `json:"kind"`
	Name               string             `json:"name"`
	Participants       []ParticipantSpend `json:"participants"`
	Refused            bool               `json:"refused"`
	RefusedReason      string             `json:"refused_reason"`
	BudgetID           string             `json:"budget_id"`
	UserID             string             `json:"user_id"`
	Category           string             `json:"category"`
	Period             string             `json:"period"`
	PeriodKey          string             `json:"period_key"`
	PeriodStart        time.Time          `json:"period_start"`
	PeriodEnd          time.Time          `json:"period_end"`
	Currency           string             `json:"currency"`
	LimitMinor         int64              `json:"limit_minor"`
	SpentMinor         int64              `json:"spent_minor"`
	RemainingMinor     int64              `json:"remaining_minor"`
	UsedBP             int64              `json:"used_bp"`
	ThresholdsBP       []int64            `json:"thresholds_bp"`
	CrossedBP          []int64            `json:"crossed_bp"`
	ThresholdCrossedBP []int64            `json:"threshold_crossed_bp"`
	Alert              bool               `json:"alert"`
	Version            int64              `json:"version"`
	TxnID              string             `json:"txn_id"`
	Merchant           string             `json:"merchant"`
	AmountMinor        int64              `json:"amount_minor"`
	EventTime          time.Time          `json:"event_time"`
	// SourceTime is when the CDC change behind this update was committed
	// at the source (Debezium source.ts_ms); zero for updates caused by a
	// command. CDC source time → delivery is the pipeline's latency.
	SourceTime time.Time `json:"source_time"`
	// Deleted marks the last update of a budget that was deleted.
	Deleted bool `json:"deleted"`
	// SafeToSpendMinor is what remains minus the recurring payments of the
	// budget's category expected from EventTime's day to the period's end
	// (CommitmentsMinor), floored at 0. Pace is PaceOnTrack or PaceTooFast.
	SafeToSpendMinor int64  `json:"safe_to_spend_minor"`
	CommitmentsMinor int64  `json:"commitments_minor"`
	Pace             string `json:"pace"`
	// RolloverMinor is the unspent remainder of the previous period added
	// to LimitMinor (a budget with rollover on); RemainingMinor and UsedBP
	// count against LimitMinor + RolloverMinor.
	RolloverMinor int64 `json:"rollover_minor"`
}

// Paces of a budget (see budget.PaceOf).
const (
	PaceOnTrack = "on_track"
	PaceTooFast = "too_fast"
)

// Alert kinds: a threshold crossed, or spend going too fast for the
// share of the period elapsed (once per period).
const (
	AlertThreshold = "threshold"
	AlertPace      = "pace"
)

// Explanation is what built the spend behind an alert: the largest
// transactions of the budget's period (at most budget.MaxBuilders, Count
// of them in all; Truncated when some are not listed), the threshold, the
// pace and the rule that fired.
type Explanation struct {
	Transactions []ExplainedTxn `json:"transactions"`
	Count        int64          `json:"count"`
	Truncated    bool           `json:"truncated"`
	ThresholdBP  int64          `json:"threshold_bp"`
	Pace         string         `json:"pace"`
	ElapsedBP    int64          `json:"elapsed_bp"`
	Rule         string         `json:"rule"`
}

// ExplainedTxn is one transaction of an Explanation, with the source of
// its category (user_rule, mcc, merchant, fallback).
type ExplainedTxn struct {
	TxnID       string    `json:"txn_id"`
	Merchant    string    `json:"merchant"`
	AmountMinor int64     `json:"amount_minor"`
	Category    string    `json:"category"`
	Source      string    `json:"source"`
	PostedAt    time.Time `json:"posted_at"`
}

// Alert is one upward crossing of a budget threshold, written to
// finstream.budget.alerts keyed by UserID. AlertID is deterministic and
// does not depend on arrival order (user, category, period, threshold, n-th
// crossing of that threshold in that period: budget.AlertID; shared budgets:
// shared.AlertID), so a consumer can de-duplicate, and a replay names the
// same alerts.
type Alert struct {
	AlertID        string    `json:"alert_id"`
	UserID         string    `json:"user_id"`
	BudgetID       string    `json:"budget_id"`
	Category       string    `json:"category"`
	PeriodKey      string    `json:"period_key"`
	ThresholdBP    int64     `json:"threshold_bp"`
	UsedBP         int64     `json:"used_bp"`
	SpentMinor     int64     `json:"spent_minor"`
	LimitMinor     int64     `json:"limit_minor"`
	RemainingMinor int64     `json:"remaining_minor"`
	Currency       string    `json:"currency"`
	DaysLeft       int64     `json:"days_left"`
	TxnID          string    `json:"txn_id"`
	Merchant       string    `json:"merchant"`
	Text           string    `json:"text"`
	EventTime      time.Time `json:"event_time"`
	// Kind is AlertThreshold ("" in records of earlier builds) or AlertPace.
	Kind string `json:"kind"`
	// Explanation is what built the spend (nil in records of earlier builds).
	Explanation *Explanation `json:"explanation,omitempty"`
}

// Command kinds on finstream.commands.user.
const (
	CmdSetBudget    = "set_budget"
	CmdDeleteBudget = "delete_budget"
	CmdRecategorize = "recategorize"
	CmdSetTimeZone  = "set_time_zone"
	// CmdSetMembership tells a user's state its role in a shared budget
	// (BudgetID, Name, Role, Category, Currency, Period; IssuedAt is when the
	// membership began). CmdRemoveMembership ends it. Both are written by the
	// shared-budget group, never by the API.
	CmdSetMembership    = "set_membership"
	CmdRemoveMembership = "remove_membership"
	// CmdInvite tells a user's state of a pending invitation to a shared
	// budget (InvitationID, BudgetID, Name, Role, InvitedBy, ExpiresAt);
	// CmdUninvite withdraws it (declined or cancelled; an accepted one ends
	// with CmdSetMembership). Written by the shared-budget group.
	CmdInvite   = "invite"
	CmdUninvite = "uninvite"
	// CmdDigestOn and CmdDigestOff tell a user's state whether the daily
	// digest is opted in. Written by the notifications group when the
	// user's notification settings change.
	CmdDigestOn  = "digest_on"
	CmdDigestOff = "digest_off"
)

// UserCommand is a command from the API, applied by the user's processor,
// written to finstream.commands.user keyed by UserID.
type UserCommand struct {
	CommandID    string  `json:"command_id"`
	UserID       string  `json:"user_id"`
	Kind         string  `json:"kind"`
	Category     string  `json:"category"`
	LimitMinor   int64   `json:"limit_minor"`
	Currency     string  `json:"currency"`
	Period       string  `json:"period"`
	ThresholdsBP []int64 `json:"thresholds_bp"`
	// Rollover turns on the rollover of a budget and AnchorDay makes its
	// months pay-months from that day (CmdSetBudget).
	Rollover  bool      `json:"rollover"`
	AnchorDay int       `json:"period_anchor_day"`
	TxnID     string    `json:"txn_id"`
	TimeZone  string    `json:"time_zone"`
	IssuedAt  time.Time `json:"issued_at"`
	// BudgetID, Name and Role describe a shared-budget membership
	// (CmdSetMembership, CmdRemoveMembership).
	BudgetID string `json:"budget_id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	// InvitationID, InvitedBy and ExpiresAt describe an invitation
	// (CmdInvite, CmdUninvite).
	InvitationID string    `json:"invitation_id"`
	InvitedBy    string    `json:"invited_by"`
	ExpiresAt    time.Time `json:"expires_at"`
}

// ParticipantSpend is one participant of a shared budget with their
// contribution in the current period: ShareBP = floor(spent*10000/total).
type ParticipantSpend struct {
	UserID     string `json:"user_id"`
	Role       string `json:"role"`
	SpentMinor int64  `json:"spent_minor"`
	ShareBP    int64  `json:"share_bp"`
}

// Command kinds on finstream.commands.shared.
const (
	CmdSharedCreate       = "create"
	CmdSharedAddMember    = "add_member"
	CmdSharedChangeRole   = "change_role"
	CmdSharedRemoveMember = "remove_member"
	CmdSharedSetLimit     = "set_limit"
	// CmdSharedAccept and CmdSharedDecline answer the invitation
	// InvitationID; the actor is the invitee.
	CmdSharedAccept  = "accept"
	CmdSharedDecline = "decline"
)

// SharedCommand is a command on a shared budget from the API, written to
// finstream.commands.shared keyed by BudgetID and applied by the
// shared-budget group. ActorID is who issued it (the token's subject);
// UserID and Role name the member a membership command is about; an add
// (CmdSharedAddMember) invites them, with the command's id as the
// invitation's id, and they join when they accept it.
// CmdSharedCreate uses Name, Category, LimitMinor, Currency, Period and
// ThresholdsBP (the actor becomes the owner); CmdSharedSetLimit uses
// LimitMinor and, when not empty, ThresholdsBP.
type SharedCommand struct {
	CommandID    string    `json:"command_id"`
	BudgetID     string    `json:"budget_id"`
	Kind         string    `json:"kind"`
	ActorID      string    `json:"actor_id"`
	Name         string    `json:"name"`
	Category     string    `json:"category"`
	LimitMinor   int64     `json:"limit_minor"`
	Currency     string    `json:"currency"`
	Period       string    `json:"period"`
	ThresholdsBP []int64   `json:"thresholds_bp"`
	UserID       string    `json:"user_id"`
	Role         string    `json:"role"`
	IssuedAt     time.Time `json:"issued_at"`
	InvitationID string    `json:"invitation_id"`
}

// SharedSpend is one change of a transaction that may count for a shared
// budget, sent by the transaction stage (finstream-txns) to
// finstream.shared.spend keyed by BudgetID: to every budget the change is
// routed to (tagged with its id, or in its category while the user is a
// member with spend right, as the user's state knows it) and to every budget
// the change before was routed to, which the stage remembers. It carries the
// facts now and, when the change before went to this budget, the facts
// then (Before*); the budget decides what each counts (role of the user at
// PostedAt, tag, category, currency) and moves its totals by the
// difference, so it remembers no transaction.
//
// AmountMinor is the transaction's spend now (0 unless a POSTED DEBIT; 0
// after a reversal or delete); BeforeMinor 0 means nothing before. Seq
// numbers the transaction's changes; LSN is the CDC position of its last
// change, for tracing.
type SharedSpend struct {
	BudgetID    string    `json:"budget_id"`
	TxnID       string    `json:"txn_id"`
	UserID      string    `json:"user_id"`
	Seq         int64     `json:"seq"`
	LSN         int64     `json:"lsn"`
	AmountMinor int64     `json:"amount_minor"`
	Currency    string    `json:"currency"`
	Category    string    `json:"category"`
	Merchant    string    `json:"merchant"`
	BudgetTag   string    `json:"budget_tag"`
	PostedAt    time.Time `json:"posted_at"`
	SourceTime  time.Time `json:"source_time"` // source ts of the CDC change, zero when a command caused it
	// BeforeMinor, BeforeCurrency, BeforeCategory, BeforeTag and
	// BeforePostedAt are the facts of the change before, when it was sent
	// here (BeforeMinor 0 otherwise).
	BeforeMinor    int64     `json:"before_minor"`
	BeforeCurrency string    `json:"before_currency"`
	BeforeCategory string    `json:"before_category"`
	BeforeTag      string    `json:"before_tag"`
	BeforePostedAt time.Time `json:"before_posted_at"`
	// Mark is the transaction stage's input record that made this record
	// (see cdc.TxnChange): the budget keeps the highest offset applied per
	// stream and partition, which recognises every record sent again.
	MarkStream    int32 `json:"mark_stream"`
	MarkPartition int32 `json:"mark_partition"`
	MarkOffset    int64 `json:"mark_offset"`
	Resent        bool  `json:"resent"`
}
