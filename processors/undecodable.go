package processors

import (
	"fmt"

	"github.com/lovoo/goka"
)

// ReasonUndecodable: a record of an internal topic that its codec cannot
// decode (written by something other than finstream, or corrupt).
const ReasonUndecodable = "undecodable"

// undecodable is what a tolerant input codec returns for a record it
// cannot decode, instead of the error with which goka would stop the
// processor at this record, at every restart.
type undecodable struct {
	raw []byte
	err error
}

// input is goka.Input whose records that do not decode go to finstream.dlq
// (reason undecodable, the original bytes) instead of stopping the
// processor; cb sees only decoded values.
func input(topic goka.Stream, c goka.Codec, cb goka.ProcessCallback) goka.Edge {
	return goka.Input(topic, tolerant(c), skipUndecodable(cb))
}

// loop is goka.Loop with input's tolerance.
func loop(c goka.Codec, cb goka.ProcessCallback) goka.Edge {
	return goka.Loop(tolerant(c), skipUndecodable(cb))
}

// tolerant returns the encodedCodec of c that decodes to undecodable
// rather than failing. It stays an encodedCodec: goka's tester demands one
// codec type per topic, and the topic's producers use encodedCodec.
func tolerant(c goka.Codec) goka.Codec {
	ec, ok := c.(encodedCodec)
	if !ok {
		return c // codec.Bytes and the like never fail
	}
	ec.tolerant = true
	return ec
}

func skipUndecodable(cb goka.ProcessCallback) goka.ProcessCallback {
	return func(ctx goka.Context, msg any) {
		u, bad := msg.(undecodable)
		if !bad {
			cb(ctx, msg)
			return
		}
		why := fmt.Errorf("decode a record of %s: %w", ctx.Topic(), u.err)
		if gc, ok := ctx.(*guardedContext); ok {
			gc.g.report(gc.gokaContext, string(ctx.Topic()), ReasonUndecodable, why, u.raw)
		}
	}
}
