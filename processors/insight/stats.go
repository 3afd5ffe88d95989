package insight

import "slices"

// median is the median of xs (the mean of the two middle values, rounded
// down, for an even count); 0 for none. xs is not modified.
func median(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// mad is the median absolute deviation of xs from med.
func mad(xs []int64, med int64) int64 {
	dev := make([]int64, len(xs))
	for i, x := range xs {
		d := x - med
		if d < 0 {
			d = -d
		}
		dev[i] = d
	}
	return median(dev)
}

// unusual decides whether amount is far above the amounts of a history,
// with robust statistics: the modified z-score 0.6745·(x−median)/MAD
// (Iglewicz and Hoaglin) must exceed 3.5 and x must be at least twice the
// median. MAD is floored at a tenth of the median (and 1), so a history of
// identical amounts still tolerates small changes. It needs at least
// MinHistory amounts. It returns the median, the floored MAD and the
// z-score ×100.
func unusual(history []int64, amount int64) (med, madFloor, z100 int64, ok bool) {
	if len(history) < MinHistory || amount <= 0 {
		return 0, 0, 0, false
	}
	med = median(history)
	if med <= 0 {
		return 0, 0, 0, false
	}
	madFloor = max(mad(history, med), med/10, 1)
	z100 = (amount - med) * 6745 / madFloor / 100
	ok = amount >= 2*med && (amount-med)*6745 > 35000*madFloor
	return med, madFloor, z100, ok
}
