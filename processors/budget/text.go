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
