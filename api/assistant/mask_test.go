package assistant

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"my card 4111 1111 1111 1111 was charged", "my card [CARD] was charged"},
		{"card 4111-1111-1111-1111", "card [CARD]"},
		{"call me on 081-234-5678 or +66 81 234 5678", "call me on [PHONE] or [PHONE]"},
		{"โทร 0812345678 ค่ะ", "โทร [PHONE] ค่ะ"},
		{"office 02-123-4567", "office [PHONE]"},
		{"id 1-1017-00230-70-8", "id [NATIONAL_ID]"},
		{"เลขบัตรประชาชน 1101700230708", "เลขบัตรประชาชน [NATIONAL_ID]"},
		{"transfer from account 123-4-56789-0 please", "transfer from account [ACCOUNT] please"},
		{"บัญชี 1234567890123", "บัญชี [ACCOUNT]"},
		{"account ACC-00123 is wrong", "account [ACCOUNT] is wrong"},
		{"mail somchai.j@example.co.th now", "mail [EMAIL] now"},
		{"Hi, my name is Somchai Jaidee and I want to complain", "Hi, my name is [NAME] and I want to complain"},
		{"ผมชื่อ สมชาย ใจดี ต้องการร้องเรียน", "ผมชื่อ [NAME] ต้องการร้องเรียน"},
		{"Can I afford ฿2,000 at Tesco Lotus?", "Can I afford ฿2,000 at Tesco Lotus?"},
		{"I spent 15000 baht on 19/11/2026", "I spent 15000 baht on 19/11/2026"},
	} {
		got, _ := Mask(c.in, nil)
		if got != c.want {
			t.Errorf("Mask(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
	got, names := Mask("my name is Somchai, Somchai's card", nil)
	if strings.Contains(got, "Somchai") || len(names) != 1 {
		t.Errorf("a name given is masked everywhere: %q %v", got, names)
	}
	if got, _ := Mask("please tell somchai about it", []string{"Somchai Jaidee"}); got != "please tell [NAME] about it" {
		t.Errorf("known name: %q", got)
	}
}
