// Package compact provides what the copilot tables (insights, goals,
// notifications) share to stay small: a varint binary Writer and Reader for
// their values, 64-bit hashes of ids (Hash) and a bounded window of recently
// applied ids (Window) that replaces "every id ever seen".
//
// Encodings written here are read back by the same package only; a value
// starts with a format byte of its owner, so a future format can be told
// apart. Nothing here imports goka.
package compact
