package event

import "time"

// Insight kinds.
const (
	InsightBudgetUsage = "budget_usage"
	InsightRemaining   = "remaining"
	InsightRunway      = "runway"
	InsightSpike       = "spike"
	InsightUnusual     = "unusual_transaction"
	InsightRecurring   = "recurring"
	// InsightSafeToSpend: what remains of a budget minus the recurring
	// payments expected before its period ends (subject the category), and
	// over every budget of a currency (subject SubjectAll).
	InsightSafeToSpend = "safe_to_spend"
	SubjectAll         = "all"
)

// Severities of insights and notifications, weakest first.
const (
	SeverityInfo     = "info"
	SeverityWarning  = "warning"
	SeverityCritical = "critical"
)

// Insight is one spending insight of a user, written to finstream.insights
// keyed by UserID each time it changes. InsightID is stable for the same
// user, kind, subject and period ("USR-789|budget_usage|groceries|2026-11"),
// so a consumer keeps the latest record per id. Version increases with every
// change of the insight. Cleared marks an insight that no longer holds (a
// runway that now lasts the period, an unusual transaction that was
// reversed): consumers drop it. ExpiresAt is when it stops being current
// (the end of its period); EventTime is the event time of what caused it.
// Data holds its numbers (minor units, basis points, days); Date, when set,
// is the date it is about ("2026-11-21": the run-out date, the next expected
// payment) in the user's time zone.
type Insight struct {
	InsightID string           `json:"insight_id"`
	UserID    string           `json:"user_id"`
	Kind      string           `json:"kind"`
	Severity  string           `json:"severity"`
	Subject   string           `json:"subject"`
	PeriodKey string           `json:"period_key"`
	Currency  string           `json:"currency"`
	Text      string           `json:"text"`
	TextTH    string           `json:"text_th"`
	Data      map[string]int64 `json:"data"`
	Date      string           `json:"date"`
	Cleared   bool             `json:"cleared"`
	Version   int64            `json:"version"`
	ExpiresAt time.Time        `json:"expires_at"`
	EventTime time.Time        `json:"event_time"`
}

// Goal event kinds.
const (
	GoalUpdated   = "goal_updated"   // the goal's settings or progress changed
	GoalMilestone = "goal_milestone" // progress reached a milestone for the first time
	GoalDeleted   = "goal_deleted"
	// GoalOffTrack: the projection misses the target date (once a month at
	// most; MonthlyNeededMinor says what it now takes per month).
	GoalOffTrack = "goal_off_track"
)

// GoalEvent is a change of a savings goal, written to finstream.goal.events
// keyed by UserID, the recipient: one record per participant of a shared
// goal (the owner's included), so that every participant's devices learn of
// it. EventID is unique per change and recipient-independent
// ("<owner>|<goal>|v<version>", "|m<bp>" for a milestone), so consumers can
// de-duplicate. MilestoneBP is set on GoalMilestone. TxnID, AmountMinor
// (signed: a withdrawal is negative) and ContributorID attribute a change
// caused by money moving; ProjectedDate and TargetDate are dates
// ("2026-12-25") in the owner's time zone, "" when unknown or unset.
type GoalEvent struct {
	EventID       string            `json:"event_id"`
	Kind          string            `json:"kind"`
	UserID        string            `json:"user_id"`
	OwnerID       string            `json:"owner_id"`
	Role          string            `json:"role"`
	GoalID        string            `json:"goal_id"`
	Name          string            `json:"name"`
	AccountID     string            `json:"account_id"`
	Currency      string            `json:"currency"`
	TargetMinor   int64             `json:"target_minor"`
	SavedMinor    int64             `json:"saved_minor"`
	ProgressBP    int64             `json:"progress_bp"`
	MilestonesBP  []int64           `json:"milestones_bp"`
	MilestoneBP   int64             `json:"milestone_bp"`
	ProjectedDate string            `json:"projected_date"`
	TargetDate    string            `json:"target_date"`
	OnTrack       bool              `json:"on_track"`
	Participants  []GoalContributor `json:"participants"`
	TxnID         string            `json:"txn_id"`
	AmountMinor   int64             `json:"amount_minor"`
	ContributorID string            `json:"contributor_id"`
	Version       int64             `json:"version"`
	EventTime     time.Time         `json:"event_time"`
	// MonthlyNeededMinor is, on GoalOffTrack, what must be saved per month
	// from EventTime's date to reach the target by TargetDate.
	MonthlyNeededMinor int64 `json:"monthly_needed_minor"`
}

// GoalContributor is one participant of a goal with what they put in, net
// of their withdrawals: ShareBP = floor(saved*10000/total saved).
type GoalContributor struct {
	UserID     string `json:"user_id"`
	Role       string `json:"role"`
	SavedMinor int64  `json:"saved_minor"`
	ShareBP    int64  `json:"share_bp"`
}

// Goal command kinds.
const (
	CmdSetGoal          = "set_goal"
	CmdDeleteGoal       = "delete_goal"
	CmdAddGoalMember    = "add_goal_member"
	CmdRemoveGoalMember = "remove_goal_member"
	// CmdAcceptGoalMember and CmdDeclineGoalMember answer the invitation
	// of MemberID (who issued it) to the goal of UserID (the owner, the
	// command's key).
	CmdAcceptGoalMember  = "accept_goal_member"
	CmdDeclineGoalMember = "decline_goal_member"
)

// GoalCommand is a command from the API about a goal, written to
// finstream.commands.goals keyed by UserID, the goal's owner (the user who
// issued it). TargetDate is "" or a date "2026-12-31"; MemberID and Role
// are set for member commands.
type GoalCommand struct {
	CommandID   string    `json:"command_id"`
	UserID      string    `json:"user_id"`
	Kind        string    `json:"kind"`
	GoalID      string    `json:"goal_id"`
	Name        string    `json:"name"`
	TargetMinor int64     `json:"target_minor"`
	Currency    string    `json:"currency"`
	TargetDate  string    `json:"target_date"`
	AccountID   string    `json:"account_id"`
	MemberID    string    `json:"member_id"`
	Role        string    `json:"role"`
	IssuedAt    time.Time `json:"issued_at"`
}

// Notification kinds (what a user can opt out of).
const (
	NotifyBudgetAlert       = "budget_alert"        // a personal budget crossed a threshold
	NotifySharedBudgetAlert = "shared_budget_alert" // a shared budget crossed a threshold
	NotifySpendConfirmation = "spend_confirmation"  // your spend counted toward a shared budget
	NotifyGoalMilestone     = "goal_milestone"
	NotifyGoalOffTrack      = "goal_off_track" // a goal's projection misses its target date
	NotifyInsight           = "insight"
	NotifyDailyDigest       = "daily_digest" // opt-in: the day's spend and budgets, once a local day
)

// Notification is one message to one recipient, written to
// finstream.notifications keyed by UserID (the recipient).
// NotificationID = SourceID + "|" + UserID: the same source event never
// notifies a recipient twice, and a push gateway de-duplicates by it. Title
// and Body are in the recipient's language Lang; Texts has every language.
// Data carries machine-readable fields (ids, amounts as strings) for the app.
type Notification struct {
	NotificationID string             `json:"notification_id"`
	UserID         string             `json:"user_id"`
	Kind           string             `json:"kind"`
	Severity       string             `json:"severity"`
	SourceID       string             `json:"source_id"`
	Lang           string             `json:"lang"`
	Title          string             `json:"title"`
	Body           string             `json:"body"`
	Texts          []NotificationText `json:"texts"`
	Data           map[string]string  `json:"data"`
	EventTime      time.Time          `json:"event_time"`
}

// NotificationText is a notification's title and body in one language.
type NotificationText struct {
	Lang  string `json:"lang"`
	Title string `json:"title"`
	Body  string `json:"body"`
}

// NotificationSettings is what a user wants to be notified of, written to
// finstream.commands.notify keyed by UserID by PUT
// /v1/me/notification-settings. Disabled lists the notification kinds the
// user opted out of; Lang is "en" (default) or "th".
type NotificationSettings struct {
	CommandID string   `json:"command_id"`
	UserID    string   `json:"user_id"`
	Disabled  []string `json:"disabled"`
	// Enabled are the opt-in kinds turned on (OptIn).
	Enabled  []string  `json:"enabled,omitempty"`
	Lang     string    `json:"lang"`
	IssuedAt time.Time `json:"issued_at"`
}
