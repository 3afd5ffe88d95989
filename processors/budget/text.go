package budget

import (
	"fmt"

	"finstream/processors/money"
)

// AlertText is the human line of a budget alert:
// "93.75% of your groceries budget used, ฿1,000 left for 12 days".
func AlertText(cat string, usedBP, remaining int64, currency string, daysLeft int64) string {
	if remaining < 0 {
		return fmt.Sprintf("%s of your %s budget used, %s over with %s left", money.Percent(usedBP), cat, money.Format(-remaining, currency), days(daysLeft))
	}
	return fmt.Sprintf("%s of your %s budget used, %s left for %s", money.Percent(usedBP), cat, money.Format(remaining, currency), days(daysLeft))
}

func days(n int64) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// PaceText is the human line of a pace alert:
// "Spending fast: 35% of your groceries budget used with 20% of the period gone".
func PaceText(cat string, usedBP, elapsedBP int64) string {
	return fmt.Sprintf("Spending fast: %s of your %s budget used with %s of the period gone", money.Percent(usedBP), cat, money.Percent(elapsedBP))
}
