// Package loadgen generates the CDC traffic of a Thai core bank, as the
// Debezium Postgres connector writes it to core.public.transactions and
// core.public.accounts, together with the ground truth of what it sent. It
// drives `finstream simulate`, `finstream run --simulate RATE`, the
// benchmarks and the end-to-end tests.
//
// # World
//
// A seeded, deterministic world: Config.Users users ("USR-000123") in
// households of one to four sharing a budget id ("BDG-000042"), most in
// Asia/Bangkok and a few abroad; each with one or two CHECKING accounts
// ("ACC-00000001"), often a SAVINGS account, sometimes a GOAL account.
// Merchants are real Thai merchants with the MCCs their acquirers use
// (Lotus's 5411, Makro 5300, 7-Eleven 5499, Grab 4121, BTS 4111, Netflix
// 4899, MEA 4900, Thai Airways 3077, ... see Merchants) and THB amount ranges
// in satang. Day-to-day payments pick a merchant by local hour (coffee in the
// morning, meals at noon and in the evening, commutes at rush hours) on the
// channels each merchant takes (CARD, QR, PROMPTPAY, ATM, TRANSFER).
// Salaries, bills, subscriptions at their plan prices, transfers to savings,
// interest and fees are paid on a calendar: a day of the month and a time
// fixed per user.
//
// # Stream
//
// A Generator is a pure function of its Config: Next returns the events one
// by one, each encoded by the caller's Encoder (or structured only, without
// one). Card payments are created PENDING and posted later; PromptPay, QR,
// ATM and transfers are created POSTED. Some transactions later fail,
// are reversed, have their amount corrected or are deleted (followed by a
// tombstone). An account's row comes before its first transaction, except
// for a fraction of late accounts whose first transactions (user_id null)
// come first. On top, as a real pipeline delivers: exact duplicates,
// out-of-order deliveries with their original positions, and op "r"
// snapshot replays. Every change made gets a new position from one counter,
// like Postgres's WAL; ts_ms is the event time.
//
// Event time starts at Config.Start and advances by simulated gaps
// (Config.TxnsPerUserDay per user, busier at busy hours) independently of
// the send rate, so a run is reproducible; with Config.Realtime it follows
// the clock instead, so a live dashboard sees the current month.
//
// # Truth
//
// Each event carries its effect on the ground truth, computed when it is
// delivered by the contract's own rules (per transaction the greatest
// position wins; a POSTED DEBIT not deleted counts; a null user_id waits for
// its account row). Truth.Apply sums these effects, so the truth of any
// prefix of the stream is exactly what a correct pipeline shows after
// consuming that prefix: spend per user, category (the caller's Categorizer)
// and calendar month in the user's zone.
//
// # Running
//
// Run paces a Generator with a token bucket into a Sink (KafkaSink produces
// with franz-go, keys hashed with murmur2) until a count, a duration or the
// context ends, flushes, and returns the Truth of what the sink accepted:
//
//	cfg := loadgen.DefaultConfig()
//	cfg.RegisterFlags(fs) // -users -rate -count -duration -seed -truth-out ...
//	sink, err := loadgen.NewKafkaSink(brokers)
//	truth, err := loadgen.Run(ctx, cfg, encoder, categorize, sink, logProgress)
//
// The generator makes about 0.5 M events per CPU-second on one core
// without encoding (BenchmarkGenerator, 100,000 users).
package loadgen
