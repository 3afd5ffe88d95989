package category

import "slices"

// mccRange maps a contiguous run of ISO 18245 merchant category codes to a slug.
type mccRange struct {
	From, To int // inclusive, minMCC ≤ From ≤ To ≤ maxMCC
	// Slug is the category. Other means the code says nothing about what was
	// bought; Categorize then looks at the transaction type and the name.
	Slug string
	// Confidence reflects how specific the code is: 0.95 for a code that names
	// one kind of merchant (5411 grocery stores), about 0.5 for catch-alls
	// (5999 miscellaneous retail), 0.2–0.4 for codes no network assigns.
	Confidence float64
	// Description is the official description of a single code, or the name of
	// the group; grouped codes are listed with their descriptions in comments.
	Description string
}

const (
	minMCC = 1
	maxMCC = 9999
)

// mccTable covers every code from minMCC to maxMCC exactly once, sorted by
// From. Read-only; mcc_test.go checks the invariants.
var mccTable = slices.Concat(mccTo5999, mccFrom6000)

// FromMCC returns the category slug of an ISO 18245 merchant category code.
// Every code in 1..9999 maps to a slug (possibly Other, for codes such as 7399
// business services that say nothing about the purchase); ok is false only for
// a code outside that range, such as 0 for "no MCC".
func FromMCC(mcc int) (slug string, ok bool) {
	r := lookupMCC(mcc)
	if r == nil {
		return "", false
	}
	return r.Slug, true
}

// lookupMCC returns the table row holding mcc, or nil when mcc is out of range.
// It is a binary search over the sorted, contiguous table.
func lookupMCC(mcc int) *mccRange {
	if mcc < minMCC || mcc > maxMCC {
		return nil
	}
	lo, hi := 0, len(mccTable)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if mccTable[mid].To < mcc {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(mccTable) && mccTable[lo].From <= mcc {
		return &mccTable[lo]
	}
	return nil
}
