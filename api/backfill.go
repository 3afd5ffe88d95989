package api

import (
	"context"
	"errors"
	"net/http"

	"finstream/processors/budget"
	"finstream/processors/category"
)

// backfillMerchant queues the move of every retained transaction of user
// from l's merchant to cat, and notes it in the 202 body; false when the
// answer was written (no backfiller here, or it is busy).
func (s *Server) backfillMerchant(w http.ResponseWriter, user string, l budget.Ledger, cat string, body map[string]string) bool {
	if s.cfg.Backfill == nil {
		writeError(w, http.StatusServiceUnavailable, "unavailable",
			`"all from this merchant" needs the processors in this process (finstream run); operators can run finstream recategorize`)
		return false
	}
	row := l.Last().Row
	key := category.MerchantKey(row.MerchantID, row.MerchantName)
	if key == "" {
		writeError(w, http.StatusUnprocessableEntity, "invalid", "this transaction has no merchant")
		return false
	}
	if err := s.cfg.Backfill(budget.Backfill{UserID: user, Merchant: key, Category: cat}); err != nil {
		if errors.Is(err, budget.ErrInvalid) {
			writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error())
			return false
		}
		s.cfg.Logger.Warn("backfill not queued", "err", err)
		writeError(w, http.StatusServiceUnavailable, "busy", "too many re-categorizations are running, retry")
		return false
	}
	body["scope"] = "merchant"
	return true
}

// BackfillRunner runs a backfill on this instance and reports how many
// ledgers it visited and how many transactions it moved
// (processors.Backfiller.Do).
type BackfillRunner func(ctx context.Context, spec budget.Backfill) (visited, moved int64, err error)

// OpsRecategorize serves POST /v1/ops/recategorize on the ops listener:
// body budget.Backfill ({} re-runs the current MCC and merchant rules over
// every retained transaction of this instance's partitions); it answers
// once done: {"visited","moved"}.
func OpsRecategorize(run BackfillRunner) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var spec budget.Backfill
		if r.ContentLength != 0 && !decodeBody(w, r, &spec) {
			return
		}
		visited, moved, err := run(r.Context(), spec)
		switch {
		case errors.Is(err, budget.ErrInvalid):
			writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error())
		case err != nil:
			writeError(w, http.StatusServiceUnavailable, "unavailable", "backfill: "+err.Error())
		default:
			writeJSON(w, http.StatusOK, map[string]int64{"visited": visited, "moved": moved})
		}
	})
}
