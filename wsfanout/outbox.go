package wsfanout

import "sync"

// closeReason is how the writer ends a connection.
type closeReason struct {
	code int
	text string
}

// outbox is a device's bounded queue of frames, filled by any goroutine and
// drained by the connection's writer. push never blocks: it takes a mutex
// for a slice append, so it may be called while holding registry locks.
type outbox struct {
	mu      sync.Mutex
	frames  []*frame
	limit   int
	closing *closeReason // set once: the writer closes the connection
	shut    bool         // the writer is gone: frames are dropped
	wake    chan struct{}
}

// pushResult says what push did.
type pushResult int

const (
	pushed     pushResult = iota
	dropped               // the connection is closing or gone
	overflowed            // this push overflowed the queue: the device is being closed
)

// push queues f for the writer. When the queue is full the device is marked
// closing with CloseSlowConsumer, its queued frames are discarded and
// overflowed is returned (once).
func (o *outbox) push(f *frame) pushResult {
	o.mu.Lock()
	switch {
	case o.shut || o.closing != nil:
		o.mu.Unlock()
		return dropped
	case len(o.frames) >= o.limit:
		clear(o.frames)
		o.frames = nil
		o.closing = &closeReason{CloseSlowConsumer, "slow consumer"}
		o.mu.Unlock()
		o.signal()
		return overflowed
	}
	o.frames = append(o.frames, f)
	o.mu.Unlock()
	o.signal()
	return pushed
}

// close asks the writer to write what is queued, then close with reason.
// The first reason wins.
func (o *outbox) close(r closeReason) {
	o.mu.Lock()
	if o.closing == nil && !o.shut {
		o.closing = &r
	}
	o.mu.Unlock()
	o.signal()
}

// take moves the queued frames into buf (reused by the writer) and returns
// them with the close reason, if any.
func (o *outbox) take(buf []*frame) ([]*frame, *closeReason) {
	o.mu.Lock()
	defer o.mu.Unlock()
	buf = append(buf, o.frames...)
	clear(o.frames)
	if cap(o.frames) > 64 {
		o.frames = nil // let a burst's backing array go
	} else {
		o.frames = o.frames[:0]
	}
	return buf, o.closing
}

// aborted reports whether the device overflowed, so the writer stops
// writing a batch that is no longer wanted.
func (o *outbox) aborted() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.closing != nil && o.closing.code == CloseSlowConsumer
}

// shutdown marks the writer gone: later pushes are dropped.
func (o *outbox) shutdown() {
	o.mu.Lock()
	o.shut = true
	clear(o.frames)
	o.frames = nil
	o.mu.Unlock()
}

func (o *outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}
