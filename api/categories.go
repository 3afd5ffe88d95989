package api

import (
	"net/http"

	"finstream/processors/category"
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
