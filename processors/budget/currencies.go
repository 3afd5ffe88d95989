package budget

import "slices"

// Currencies are the currencies the user has spent in within the state's
// retention (the spend buckets), sorted; none for a user without spend
// yet. A budget counts only spend in its own currency.
func (s *State) Currencies() []string {
	var out []string
	for k, v := range s.Spend {
		if _, _, cur, ok := splitBucket(k); ok && v != 0 && !slices.Contains(out, cur) {
			out = append(out, cur)
		}
	}
	slices.Sort(out)
	return out
}
