package assistant

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

var numberRE = regexp.MustCompile(`\d[\d,]*(?:\.\d+)?`)

// CheckFigures is the post-guardrail on a model's answer: it returns the
// numbers in answer that appear neither in the tools' results (their data
// and answers, amounts in minor and major units, basis points as
// percentages) nor in the user's message. Nil means every figure is
// grounded.
func CheckFigures(answer string, results []Reply, message string) []string {
	allowed := map[string]bool{}
	add := func(s string) {
		for _, n := range numberRE.FindAllString(s, -1) {
			allowed[normalize(n)] = true
		}
	}
	add(message)
	for _, r := range results {
		add(r.Answer)
		b, _ := json.Marshal(r.Data)
		add(string(b))
		walk(r.Data, "", func(key string, v float64) {
			allowed[normalize(strconv.FormatFloat(v, 'f', -1, 64))] = true
			switch {
			case strings.HasSuffix(key, "_minor"):
				allowed[normalize(strconv.FormatFloat(v/100, 'f', -1, 64))] = true
			case strings.HasSuffix(key, "_bp"):
				allowed[normalize(strconv.FormatFloat(v/100, 'f', -1, 64))] = true
			}
		})
	}
	var bad []string
	for _, n := range numberRE.FindAllString(answer, -1) {
		if !allowed[normalize(n)] {
			bad = append(bad, n)
		}
	}
	return bad
}

// normalize drops thousands separators and a zero fraction: "1,000.00" →
// "1000".
func normalize(n string) string {
	n = strings.TrimRight(strings.ReplaceAll(n, ",", ""), ".")
	if i := strings.IndexByte(n, '.'); i >= 0 {
		n = strings.TrimRight(strings.TrimRight(n, "0"), ".")
	}
	return n
}

// walk calls f with every number in v (decoded through JSON so that typed
// slices and structs are seen) and the key it is under.
func walk(v any, key string, f func(string, float64)) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	var x any
	if json.Unmarshal(b, &x) != nil {
		return
	}
	var rec func(any, string)
	rec = func(x any, key string) {
		switch t := x.(type) {
		case map[string]any:
			for k, e := range t {
				rec(e, k)
			}
		case []any:
			for _, e := range t {
				rec(e, key)
			}
		case float64:
			f(key, t)
		}
	}
	rec(x, key)
}
