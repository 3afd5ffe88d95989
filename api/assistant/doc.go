// Package assistant is finstream's co-pilot (seed feature F5): it answers a
// user's question from that user's own state.
//
// The flow of one exchange (Assistant.Ask):
//
//  1. pre-guardrails: the message is masked (Mask: card, account, phone and
//     national-id numbers, e-mails, names) and a jailbreak/abuse filter
//     (Screen) refuses with a fixed answer;
//  2. the deterministic router (Parse) classifies the intent in English or
//     Thai, extracts category, period, amount and merchant, and scores its
//     confidence;
//  3. the tools (Tools) answer from the Facts that a Reader returns for the
//     token's subject only: no tool takes a user id, so nothing a message
//     says can reach another user's state;
//  4. with a model configured (LLM), the model picks tools by function
//     calling and phrases the answer from their results; every number in its
//     answer must appear in those results (CheckFigures), else the router's
//     answer is used and the exchange flagged; a failing primary falls back
//     to the second model, then to the router;
//  5. below MinConfidence, or for a support intent, the masked transcript is
//     posted to the CRM (CRM, retried in the background);
//  6. the exchange is kept in the conversation's bounded context (Contexts:
//     MaxTurns turns) and audited, masked (Auditor).
//
// The package imports no goka: api/ implements Reader and Auditor over the
// goka views and an emitter.
package assistant
