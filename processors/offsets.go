package processors

import (
	"sync"
	"time"

	"github.com/lovoo/goka/storage"
)

// OffsetEvery is how often a running table's local storage writes down the
// changelog offset it has reached.
//
// goka's leveldb storage writes that offset (its "magic offset" key) to the
// database after every record once a table has recovered: a second Put,
// and a second journal write, for every table write of a processor and
// every record a view takes in. Measured 2026-12-03 (benchmarks/RESULTS.md,
// "The offset write of every table record"): 2.8 % of the backlog's CPU.
// While it recovers, goka itself writes it down only every 30 s and on
// close; lazyOffsets does the same once it runs, every OffsetEvery.
//
// The offset only says where the next start resumes reading the changelog.
// One written late is lower than the records the database holds, so after
// a crash the table reads again, in order, changelog records it already has
// and ends on the last one of each key, as it would from the exact offset:
// at most OffsetEvery of records more to read. It is never higher than the
// database, because it is written only after the records up to it were
// (goka sets it when the changelog acknowledges a write that is already
// stored). Close writes the last one, so a clean restart reads nothing
// again.
const OffsetEvery = time.Second

// lazyOffsets is a goka storage that writes its offset at most every
// interval once recovered (OffsetEvery), and on Close.
type lazyOffsets struct {
	storage.Storage
	every time.Duration

	mu        sync.Mutex
	offset    int64 // the latest offset set, 0 while none was
	pending   bool  // offset is not written to the storage yet
	recovered bool
	opened    bool  // Open started the ticker
	err       error // the first failed write: every later SetOffset returns it

	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}
}

// lazyOffsetBuilder wraps every storage b builds in lazyOffsets.
func lazyOffsetBuilder(b storage.Builder, every time.Duration) storage.Builder {
	return func(topic string, partition int32) (storage.Storage, error) {
		st, err := b(topic, partition)
		if err != nil {
			return nil, err
		}
		return &lazyOffsets{Storage: st, every: every, stop: make(chan struct{}), done: make(chan struct{})}, nil
	}
}

func (l *lazyOffsets) Open() error {
	if err := l.Storage.Open(); err != nil {
		return err
	}
	l.mu.Lock()
	l.opened = true
	l.mu.Unlock()
	go l.run()
	return nil
}

func (l *lazyOffsets) run() {
	defer close(l.done)
	t := time.NewTicker(l.every)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			l.flush()
		}
	}
}

// flush writes the pending offset.
func (l *lazyOffsets) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushLocked()
}

// flushLocked writes the pending offset. l.mu is held.
func (l *lazyOffsets) flushLocked() {
	if !l.pending || l.err != nil {
		return
	}
	if err := l.Storage.SetOffset(l.offset); err != nil {
		l.err = err
		return
	}
	l.pending = false
}

// SetOffset keeps offset. Before the table has recovered it goes to the
// storage at once (goka's storage keeps it in memory then, and writes it
// itself); after, the next tick or Close writes it.
func (l *lazyOffsets) SetOffset(offset int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return l.err
	}
	l.offset = offset
	if !l.recovered {
		return l.Storage.SetOffset(offset)
	}
	l.pending = true
	return nil
}

// GetOffset is the latest offset set, written down or not.
func (l *lazyOffsets) GetOffset(def int64) (int64, error) {
	l.mu.Lock()
	off, set := l.offset, l.offset != 0
	l.mu.Unlock()
	if set {
		return off, nil
	}
	return l.Storage.GetOffset(def)
}

func (l *lazyOffsets) MarkRecovered() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recovered = true
	return l.Storage.MarkRecovered()
}

// Close writes the last offset, then closes the storage.
func (l *lazyOffsets) Close() error {
	l.mu.Lock()
	opened := l.opened
	l.mu.Unlock()
	l.stopOnce.Do(func() { close(l.stop) })
	if opened {
		<-l.done // the ticker has stopped: it writes nothing after this
	}
	l.mu.Lock()
	l.flushLocked()
	err := l.err
	l.mu.Unlock()
	if cerr := l.Storage.Close(); err == nil {
		err = cerr
	}
	return err
}
