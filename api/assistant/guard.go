package assistant

import "strings"

// Refusals: the fixed answers of the jailbreak/abuse filter.
const (
	RefusalEN = "I can only help with your own budgets, spending, goals and transactions, and I can't do that. Ask me about your money, or say \"complaint\" to reach a person."
	RefusalTH = "ขออภัย ฉันช่วยได้เฉพาะเรื่องงบประมาณ การใช้จ่าย เป้าหมาย และรายการของคุณเองเท่านั้น และไม่สามารถทำตามคำขอนี้ได้ หากต้องการติดต่อเจ้าหน้าที่ พิมพ์ \"ร้องเรียน\""
)

// jailbreakCues are attempts to change the assistant's rules or to reach
// data that is not the user's.
var jailbreakCues = []string{
	"ignore previous instructions", "ignore all previous", "ignore the previous", "ignore your instructions", "ignore all instructions",
	"ignore the above", "disregard previous", "disregard your", "forget your instructions", "forget all previous",
	"system prompt", "your instructions", "developer mode", "jailbreak", "dan mode", "do anything now",
	"pretend you are", "pretend to be", "act as if", "you are now", "roleplay as", "bypass", "override your",
	"reveal your", "another user", "other user", "other users", "all users", "every user", "someone else's", "someone elses",
	"other customers", "another customer", "other people's", "admin access", "sudo",
	"ไม่ต้องสนใจคำสั่ง", "ลืมคำสั่ง", "เพิกเฉยคำสั่ง", "ข้อมูลของคนอื่น", "ข้อมูลคนอื่น", "ผู้ใช้คนอื่น", "บัญชีคนอื่น", "ลูกค้าคนอื่น",
}

// abuseCues are insults and profanity.
var abuseCues = []string{
	"fuck", "fucking", "shit", "bitch", "bastard", "asshole", "idiot", "stupid bot", "moron", "dumb bot",
	"เหี้ย", "สัส", "ควาย", "ไอ้โง่", "อีดอก", "ชิบหาย",
}

// Screen is the pre-guardrail: it reports whether the message must be
// refused (a jailbreak attempt, or abuse that is not a support request) and
// why ("jailbreak", "abuse").
func Screen(msg string, p Parsed) (refuse bool, reason string) {
	low := strings.ToLower(msg)
	if anyWord(low, jailbreakCues) {
		return true, "jailbreak"
	}
	if anyWord(low, abuseCues) && !p.Intent.Support() {
		return true, "abuse"
	}
	return false, ""
}
