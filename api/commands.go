package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"

	"github.com/lovoo/goka"
)

// newCommandID is a random 128-bit command id in hex.
func newCommandID() string {
	var id [16]byte
	_, _ = rand.Read(id[:])
	return hex.EncodeToString(id[:])
}

// emitAcked emits cmd keyed by key and waits until Kafka acknowledged it or
// ctx ends.
func emitAcked(ctx context.Context, em *goka.Emitter, key string, cmd any) error {
	p, err := em.Emit(key, cmd)
	if err != nil {
		return err
	}
	acked := make(chan error, 1)
	p.Then(func(err error) { acked <- err })
	select {
	case err = <-acked:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// accept emits a command and answers 202 with body (and at's min_version
// and applies_to, when at is not nil) once Kafka acked it, or 503 when it
// could not be written. Commands are applied asynchronously: reads are
// eventually consistent and carry a version (versions.go).
func accept(ctx context.Context, w http.ResponseWriter, log *slog.Logger, em *goka.Emitter, key string, cmd any, body map[string]string, at *minVersion) {
	if err := emitAcked(ctx, em, key, cmd); err != nil {
		log.Error("emit command", "err", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "could not accept the command, retry")
		return
	}
	out := make(map[string]any, len(body)+2)
	for k, v := range body {
		out[k] = v
	}
	at.add(out)
	writeJSON(w, http.StatusAccepted, out)
}
