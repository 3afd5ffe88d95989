package assistant

import (
	"regexp"
	"strings"
	"unicode"
)

// Placeholders that replace what Mask hides.
const (
	MaskCard       = "[CARD]"
	MaskAccount    = "[ACCOUNT]"
	MaskPhone      = "[PHONE]"
	MaskNationalID = "[NATIONAL_ID]"
	MaskEmail      = "[EMAIL]"
	MaskName       = "[NAME]"
)

var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// nationalIDRE is the written form of a Thai national id: 1-2345-67890-12-3.
	nationalIDRE = regexp.MustCompile(`\b\d[ \-]\d{4}[ \-]\d{5}[ \-]\d{2}[ \-]\d\b`)
	// phoneRE: Thai mobile (06/08/09 + 8 digits) and Bangkok/landline (0X +
	// 7 digits) numbers, with +66 for the leading 0, spaces or dashes.
	phoneRE = regexp.MustCompile(`(?:\+66[ \-]?|\b0)(?:[689]\d[ \-]?\d{3}[ \-]?\d{4}|[2-7][ \-]?\d{3}[ \-]?\d{4})\b`)
	// digitRunRE: runs of 9 or more digits, possibly grouped by spaces or
	// dashes: card, account and id numbers (amounts have commas and fewer
	// digits).
	digitRunRE = regexp.MustCompile(`\b\d(?:[ \-]?\d){8,22}\b`)
	// accountRefRE: an account reference such as "account ACC-00123" or
	// "บัญชี 123-4-56789-0".
	accountRefRE = regexp.MustCompile(`(?i)(\baccount(?:\s+(?:no\.?|number|#))?\s*:?\s*|\bacct\.?\s*|บัญชี(?:เลขที่)?\s*)([A-Za-z]*[\-]?\d[\w\-]*)`)
	// nameRE: a name the user gives: "my name is X Y", "I am X" is not
	// taken (too often not a name), "name: X", "ชื่อ X".
	nameRE     = regexp.MustCompile(`(?i)(\bmy name is\s+|\bname\s*:\s*|\bthis is\s+(?:mr\.?|mrs\.?|ms\.?|miss)\s+|\b(?:mr|mrs|ms|dr)\.?\s+)(\p{Lu}[\p{L}'\-]*(?:\s+\p{Lu}[\p{L}'\-]*)?|[\p{L}'\-]+)`)
	thaiNameRE = regexp.MustCompile(`((?:ผม|ฉัน|ดิฉัน|หนู|เรา)?ชื่อ(?:ว่า)?\s*|(?:นาย|นางสาว|นาง)\s+)([\p{Thai}]+(?:\s+[\p{Thai}]+)?|[A-Za-z]+(?:\s+[A-Z][a-z]+)?)`)
)

// Mask hides personal data in s: e-mails, Thai national ids, phone
// numbers, card numbers (13-19 digits passing Luhn), account and other
// long numbers, account references, names the text gives ("my name is
// X", "ชื่อ X") and the known names. It returns the masked text and the
// names it found in it (to be known in the rest of the conversation).
// Amounts ("฿2,000", "15000 baht") are kept. Safe for concurrent use.
func Mask(s string, known []string) (string, []string) {
	s = emailRE.ReplaceAllString(s, MaskEmail)
	s = nationalIDRE.ReplaceAllString(s, MaskNationalID)
	s = phoneRE.ReplaceAllString(s, MaskPhone)
	s = digitRunRE.ReplaceAllStringFunc(s, classifyDigits)
	s = accountRefRE.ReplaceAllString(s, "${1}"+MaskAccount)
	var found []string
	for _, re := range []*regexp.Regexp{nameRE, thaiNameRE} {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			sub := re.FindStringSubmatch(m)
			name := strings.TrimSpace(sub[2])
			if name == "" || strings.HasPrefix(name, "[") || stopName(name) {
				return m
			}
			found = append(found, name)
			return sub[1] + MaskName
		})
	}
	for _, n := range append(known, found...) {
		s = maskName(s, n)
	}
	return s, found
}

// stopName rejects words that follow "ชื่อ"/"name:" without being a name.
func stopName(n string) bool {
	switch strings.ToLower(n) {
	case "is", "of", "the", "a", "an", "and", "อะไร", "เป้าหมาย", "บัญชี":
		return true
	}
	return false
}

// maskName replaces every whole-word occurrence of name (and of each of its
// words of 3 letters or more), case-insensitively, with a capitalized word
// that follows it (a surname).
func maskName(s, name string) string {
	words := append([]string{name}, strings.Fields(name)...)
	for _, w := range words {
		if len([]rune(w)) < 3 {
			continue
		}
		re, err := regexp.Compile(`(?i:` + boundary(w) + regexp.QuoteMeta(w) + boundary(w) + `)(?:\s+\p{Lu}[\p{L}'\-]*)?`)
		if err != nil {
			continue
		}
		s = re.ReplaceAllString(s, MaskName)
	}
	return s
}

// boundary is \b for a Latin word; Thai has no spaces between words.
func boundary(w string) string {
	for _, r := range w {
		if unicode.Is(unicode.Thai, r) {
			return ""
		}
	}
	return `\b`
}

// classifyDigits names a run of 9+ digits: a Thai national id (13 digits
// with a valid check digit), a card (13-19 digits passing Luhn), else an
// account number.
func classifyDigits(run string) string {
	d := make([]byte, 0, len(run))
	for i := 0; i < len(run); i++ {
		if run[i] >= '0' && run[i] <= '9' {
			d = append(d, run[i]-'0')
		}
	}
	switch {
	case len(d) == 13 && thaiIDValid(d):
		return MaskNationalID
	case len(d) >= 13 && len(d) <= 19 && luhn(d):
		return MaskCard
	case (len(d) == 10 || len(d) == 9) && d[0] == 0 && phoneRE.MatchString(string(digitsText(d))):
		return MaskPhone
	}
	return MaskAccount
}

func digitsText(d []byte) []byte {
	out := make([]byte, len(d))
	for i, v := range d {
		out[i] = '0' + v
	}
	return out
}

func luhn(d []byte) bool {
	sum := 0
	for i := range d {
		v := int(d[len(d)-1-i])
		if i%2 == 1 {
			if v *= 2; v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

func thaiIDValid(d []byte) bool {
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(d[i]) * (13 - i)
	}
	return (11-sum%11)%10 == int(d[12])
}
