package category

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MerchantKey returns the stable key that a user's rule for a merchant is
// stored under: merchantID with surrounding spaces trimmed when it is not
// empty, else the normalized merchant name. Normalizing lower-cases the name,
// turns every run of characters that are not letters, digits or combining marks
// (punctuation, symbols, spaces) into one space, drops branch numbers written
// "#123", and drops trailing store numbers ("TOPS 0042", "Big C branch 12",
// "โลตัส สาขา 5") as long as a word with a letter remains. So
// "TESCO LOTUS #123" and "Tesco-Lotus 0456" both give "tesco lotus".
// It returns "" when both arguments are empty or hold no letters or digits.
// Normalizing a normalized name returns it unchanged.
func MerchantKey(merchantID, merchantName string) string {
	if id := strings.TrimSpace(merchantID); id != "" {
		return id
	}
	var buf [256]byte
	return string(appendNormalized(buf[:0], merchantName))
}

// appendNormalized appends the normalized form of name (see MerchantKey) to dst:
// words of lower-case letters, digits and marks separated by single spaces.
func appendNormalized(dst []byte, name string) []byte {
	start := len(dst)
	space := false // a separator was seen since the last word rune
	for i := 0; i < len(name); {
		r, size := rune(name[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(name[i:])
		}
		i += size
		if r == '#' {
			j := i
			for j < len(name) && '0' <= name[j] && name[j] <= '9' {
				j++
			}
			if j > i { // "#123": a branch number, dropped
				i = j
			}
			space = true
			continue
		}
		if !isWordRune(r) {
			space = true
			continue
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		switch {
		case 'A' <= r && r <= 'Z':
			dst = append(dst, byte(r+'a'-'A'))
		case r < utf8.RuneSelf:
			dst = append(dst, byte(r))
		default:
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	return trimStoreNumbers(dst, start)
}

// isWordRune reports whether r belongs to a word: a letter, a digit, or a
// combining mark (Thai vowel and tone marks are marks).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// trimStoreNumbers removes trailing all-digit words, and a branch marker word
// right before them, from the normalized words in dst[start:], while a word with
// a letter stays in front: "tops market 0042" → "tops market", but "7 11" stays.
func trimStoreNumbers(dst []byte, start int) []byte {
	for {
		words := dst[start:]
		sp := bytes.LastIndexByte(words, ' ')
		if sp < 0 || !isNumber(words[sp+1:]) || !hasLetter(words[:sp]) {
			return dst
		}
		dst = dst[:start+sp]
		words = dst[start:]
		if sp = bytes.LastIndexByte(words, ' '); sp >= 0 && isBranchMarker(words[sp+1:]) && hasLetter(words[:sp]) {
			dst = dst[:start+sp]
		}
	}
}

// isBranchMarker reports whether word introduces a branch or store number.
func isBranchMarker(word []byte) bool {
	switch string(word) {
	case "branch", "br", "no", "store", "shop", "สาขา", "สาขาที่":
		return true
	}
	return false
}

func isNumber(word []byte) bool {
	if len(word) == 0 {
		return false
	}
	for len(word) > 0 {
		r, size := utf8.DecodeRune(word)
		if !unicode.IsDigit(r) {
			return false
		}
		word = word[size:]
	}
	return true
}

func hasLetter(words []byte) bool {
	for len(words) > 0 {
		r, size := utf8.DecodeRune(words)
		if unicode.IsLetter(r) {
			return true
		}
		words = words[size:]
	}
	return false
}

// merchantRule is one keyword of merchantKeywords.
type merchantRule struct {
	keyword    string // normalized, one or more words
	slug       string
	confidence float64
	detailed   string // "" for the slug's generic code
}

// merchantIndex holds the keyword rules by their first word, longest keyword
// first. Built once from merchantKeywords; read-only.
var merchantIndex = buildMerchantIndex()

func buildMerchantIndex() map[string][]merchantRule {
	idx := make(map[string][]merchantRule)
	for _, g := range merchantKeywords {
		for _, kw := range g.Keywords {
			first, _, _ := strings.Cut(kw, " ")
			idx[first] = append(idx[first], merchantRule{keyword: kw, slug: g.Slug, confidence: g.Confidence, detailed: g.Detailed})
		}
	}
	for _, rules := range idx {
		// Longest first, so the first match at a word is the longest one there.
		slices.SortStableFunc(rules, func(a, b merchantRule) int { return len(b.keyword) - len(a.keyword) })
	}
	return idx
}

// matchMerchant finds the keyword rule for a normalized name: keywords match
// whole words only, the leftmost match wins and, at the same word, the longest
// ("grab food" over "grab"). Leftmost because names put the brand first and the
// location after ("starbucks central world"). It returns nil when no keyword
// matches.
func matchMerchant(name []byte) *merchantRule {
	for ws := 0; ws < len(name); {
		we := bytes.IndexByte(name[ws:], ' ')
		if we < 0 {
			we = len(name)
		} else {
			we += ws
		}
		rules := merchantIndex[string(name[ws:we])]
		for i := range rules {
			if hasWordPrefix(name[ws:], rules[i].keyword) {
				return &rules[i]
			}
		}
		ws = we + 1
	}
	return nil
}

// hasWordPrefix reports whether s starts with the words of kw.
func hasWordPrefix(s []byte, kw string) bool {
	return len(s) >= len(kw) && string(s[:len(kw)]) == kw && (len(s) == len(kw) || s[len(kw)] == ' ')
}
