package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"finstream/processors/budget"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/period"
)

func (s *Server) getBudgets(w http.ResponseWriter, r *http.Request, user string) {
	st, ok := s.userStateAt(w, r, user)
	if !ok {
		return
	}
	views := st.Views(s.cfg.Now())
	// safe_to_spend_minor and currency: the sum over the budgets of the
	// currency most of them use (the first by name on a tie); every
	// currency in safe_to_spend.
	all := budget.OverallOf(views)
	out := map[string]any{"budgets": views, "version": st.Version, "safe_to_spend": all}
	if o, ok := budget.Main(views, all); ok {
		out["safe_to_spend_minor"], out["currency"] = o.SafeToSpendMinor, o.Currency
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) putBudget(w http.ResponseWriter, r *http.Request, user string) {
	var req struct {
		LimitMinor   *int64  `json:"limit_minor"`
		Currency     string  `json:"currency"`
		Period       string  `json:"period"`
		ThresholdsBP []int64 `json:"thresholds_bp"`
		Rollover     bool    `json:"rollover"`
		AnchorDay    int     `json:"period_anchor_day"`
	}
	if !decodeBody(w, r, &req) || !limitGiven(w, req.LimitMinor) {
		return
	}
	cat := r.PathValue("category")
	b, err := budget.ValidateBudget(cat, *req.LimitMinor, req.Currency, req.Period, req.ThresholdsBP, cdc.KnownCurrency)
	if err == nil {
		err = budget.ValidateAnchor(b.Period, req.AnchorDay)
	}
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error())
		return
	}
	st, err := s.state(user)
	if err != nil {
		s.unavailable(w, err)
		return
	}
	// A budget counts only spend in its own currency: one in a currency the
	// user has never spent in would stay at 0. A user without spend yet may
	// pick any known currency (their accounts are not known yet).
	if held := st.Currencies(); len(held) > 0 && !slices.Contains(held, b.Currency) {
		writeError(w, http.StatusUnprocessableEntity, "currency_not_held", fmt.Sprintf(
			"you have no account in %s, so a %s budget would never count anything; your accounts are in %s",
			b.Currency, b.Currency, strings.Join(held, ", ")))
		return
	}
	cmd := event.UserCommand{
		UserID: user, Kind: event.CmdSetBudget, Category: b.Category, LimitMinor: b.LimitMinor,
		Currency: b.Currency, Period: string(b.Period), ThresholdsBP: b.ThresholdsBP, Rollover: req.Rollover,
		AnchorDay: req.AnchorDay, IssuedAt: s.cfg.Now(),
	}
	// The same budget again changes nothing (SetBudget): its min_version is
	// the version read.
	before := st.Version
	b.Rollover, b.AnchorDay = req.Rollover, req.AnchorDay
	st.SetBudget(*b, cmd.IssuedAt)
	s.send(r.Context(), w, cmd, versionAfter(userStatePath, before, st.Version))
}

func (s *Server) deleteBudget(w http.ResponseWriter, r *http.Request, user string) {
	cat := r.PathValue("category")
	st, err := s.state(user)
	if err != nil {
		s.unavailable(w, err)
		return
	}
	if _, ok := st.Budgets[cat]; !ok {
		writeError(w, http.StatusNotFound, "not_found", "no budget on category "+cat)
		return
	}
	cmd := event.UserCommand{UserID: user, Kind: event.CmdDeleteBudget, Category: cat, IssuedAt: s.cfg.Now()}
	before := st.Version
	st.DeleteBudget(cat, cmd.IssuedAt)
	s.send(r.Context(), w, cmd, versionAfter(userStatePath, before, st.Version))
}

func (s *Server) recategorize(w http.ResponseWriter, r *http.Request, user string) {
	var req struct {
		Category string `json:"category"`
		// Scope is "this" (default: this transaction, and the rule for its
		// merchant's next ones) or "merchant" (also every retained
		// transaction of the user from that merchant: a backfill).
		Scope string `json:"scope"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	if req.Scope != "" && req.Scope != "this" && req.Scope != "merchant" {
		writeError(w, http.StatusUnprocessableEntity, "invalid", `scope must be "this" or "merchant"`)
		return
	}
	id := r.PathValue("id")
	if s.cfg.Txns == nil || s.cfg.TxnCommands == nil {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "recategorization is not served by this instance")
		return
	}
	v, err := s.cfg.Txns.Get(id)
	if err != nil {
		s.unavailable(w, fmt.Errorf("read transaction %q: %w", id, err))
		return
	}
	// Check against the current state at once with the processor's own
	// logic, on this request's private copy decoded from the view.
	l, _ := v.(budget.Ledger)
	if _, err := l.Recategorize(user, req.Category, budget.Input{}, budget.Rules{}); err != nil {
		if errors.Is(err, budget.ErrNotFound) {
			writeError(w, http.StatusNotFound, "not_found", "no transaction "+id+" of yours")
			return
		}
		writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error())
		return
	}
	body := map[string]string{"scope": "this"}
	if req.Scope == "merchant" && !s.backfillMerchant(w, user, l, req.Category, body) {
		return
	}
	cmd := event.UserCommand{UserID: user, Kind: event.CmdRecategorize, TxnID: id, Category: req.Category,
		CommandID: newCommandID(), IssuedAt: s.cfg.Now()}
	body["command_id"] = cmd.CommandID
	accept(r.Context(), w, s.cfg.Logger, s.cfg.TxnCommands, id, cmd, body, nil)
}

func (s *Server) unavailable(w http.ResponseWriter, err error) {
	s.cfg.Logger.Error("read state", "err", err)
	writeError(w, http.StatusServiceUnavailable, "unavailable", "state is not available, retry")
}

// getSpending answers GET /v1/me/spending?period=2026-11 (default: the
// current month in the user's zone): spend per category whether or not a
// budget exists.
func (s *Server) getSpending(w http.ResponseWriter, r *http.Request, user string) {
	st, ok := s.userStateAt(w, r, user)
	if !ok {
		return
	}
	key := r.URL.Query().Get("period")
	if key == "" {
		key = st.PeriodKey(period.Monthly, s.cfg.Now())
	} else if _, ok := period.ParseKey(key, time.UTC); !ok {
		writeError(w, http.StatusBadRequest, "bad_period", "period must look like 2026-11 or 2026-W47")
		return
	}
	if level := r.URL.Query().Get("level"); level != "" && level != "primary" {
		s.detailedSpending(w, r, user, st, key, level)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"period": key, "spending": st.SpendingIn(key), "version": st.Version})
}

// limitGiven answers 422 when a request that sets a limit names none.
func limitGiven(w http.ResponseWriter, limit *int64) bool {
	if limit == nil {
		writeError(w, http.StatusUnprocessableEntity, "invalid", "limit_minor is required")
		return false
	}
	return true
}
