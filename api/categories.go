package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"finstream/processors/budget"
	"finstream/processors/category"
	"finstream/processors/period"
	"finstream/sinks"
)

// confidenceLevel documents one band of category.LevelOf.
type confidenceLevel struct {
	Level         category.Level `json:"level"`
	MinConfidence float64        `json:"min_confidence"`
}

// categoriesResponse is the answer of GET /v1/categories, built once: the
// taxonomy is package data.
var categoriesResponse = struct {
	Categories       []category.PrimaryCategory `json:"categories"`
	ConfidenceLevels []confidenceLevel          `json:"confidence_levels"`
}{category.Taxonomy(), []confidenceLevel{
	{category.LevelHigh, 0.9}, {category.LevelMedium, 0.7}, {category.LevelLow, 0},
}}

// getCategories answers GET /v1/categories (public): both levels of the
// taxonomy with English and Thai names, and the confidence levels.
func getCategories(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeJSON(w, http.StatusOK, categoriesResponse)
}

// DetailedSpender sums a user's spend per detailed category. The users
// state keeps spend per primary category only (bounded: the detailed level
// would multiply its buckets by six), so the detailed split is read from
// the Postgres sink: *History is one.
type DetailedSpender interface {
	DetailedSpending(ctx context.Context, userID string, from, to time.Time) ([]sinks.DetailedSpend, error)
}

// SetDetailedSpending makes GET /v1/me/spending?level=detailed answer from
// d (without one it answers 503). Call it before serving.
func (s *Server) SetDetailedSpending(d DetailedSpender) { s.detailed = d }

// DetailedSpending implements DetailedSpender over the sink's tables.
func (h *History) DetailedSpending(ctx context.Context, userID string, from, to time.Time) ([]sinks.DetailedSpend, error) {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	return h.db.SpendingByDetailed(ctx, userID, from, to)
}

// detailedSpending answers GET /v1/me/spending?level=detailed: the spend
// of period key (in the user's zone) per detailed category, from the sink.
func (s *Server) detailedSpending(w http.ResponseWriter, r *http.Request, user string, st *budget.State, key, level string) {
	if level != "detailed" {
		writeError(w, http.StatusBadRequest, "bad_request", "level: want primary or detailed, not "+strconv.Quote(level))
		return
	}
	if s.detailed == nil {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "spending per detailed category needs the Postgres sink (--database-url)")
		return
	}
	p, _ := period.ParseKey(key, period.ZoneOrDefault(st.TimeZone)) // key was checked
	spend, err := s.detailed.DetailedSpending(r.Context(), user, p.Start, p.End)
	if err != nil {
		if sinks.Unavailable(err) {
			writeError(w, http.StatusServiceUnavailable, "unavailable", "spending per detailed category is unavailable, retry later")
			return
		}
		s.cfg.Logger.Error("detailed spending", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "detailed spending query failed")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"period": key, "level": "detailed", "spending": spend, "version": st.Version})
}
