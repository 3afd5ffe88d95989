package processors

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lovoo/goka/storage"
)

// openLazy opens partition 3 of a users table under dir, its offset written
// every interval.
func openLazy(t *testing.T, dir string, every time.Duration) *lazyOffsets {
	t.Helper()
	st, err := lazyOffsetBuilder(storage.BuilderWithOptions(dir, storageOptions(0)), every)("finstream-users-table", 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Open(); err != nil {
		t.Fatal(err)
	}
	return st.(*lazyOffsets)
}

// stored is the offset in l's database (goka's storage reads it from there
// once recovered).
func stored(t *testing.T, l *lazyOffsets) int64 {
	t.Helper()
	off, err := l.Storage.GetOffset(-1)
	if err != nil {
		t.Fatal(err)
	}
	return off
}

// A running table's offset reaches the database when it is flushed, not on
// every record; Close writes the last one, and a restart resumes from it.
// Before the table has recovered, SetOffset goes to goka's storage at once.
func TestLazyOffsetsWriteOnFlushAndOnClose(t *testing.T) {
	dir := t.TempDir()
	l := openLazy(t, dir, time.Hour) // no tick in this test: flush by hand
	if err := l.SetOffset(41); err != nil {
		t.Fatal(err)
	}
	if got := stored(t, l); got != 41 {
		t.Fatalf("while recovering, goka's storage has offset %d, want 41", got)
	}
	if err := l.MarkRecovered(); err != nil {
		t.Fatal(err)
	}
	for off := int64(42); off <= 500; off++ {
		if err := l.Storage.Set("USR-1", []byte{byte(off)}); err != nil {
			t.Fatal(err)
		}
		if err := l.SetOffset(off); err != nil {
			t.Fatal(err)
		}
	}
	if got := stored(t, l); got != 41 {
		t.Fatalf("the database has offset %d before a flush, want 41: it was written on every record", got)
	}
	if got, err := l.GetOffset(-1); err != nil || got != 500 {
		t.Fatalf("GetOffset = %d (%v), want the latest set, 500", got, err)
	}
	l.flush()
	if got := stored(t, l); got != 500 {
		t.Fatalf("after a flush the database has offset %d, want 500", got)
	}
	if err := l.SetOffset(501); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	r := openLazy(t, dir, time.Hour)
	defer r.Close()
	if got, err := r.GetOffset(-1); err != nil || got != 501 {
		t.Fatalf("after Close and a restart the offset is %d (%v), want 501", got, err)
	}
}

// The ticker writes the pending offset down by itself.
func TestLazyOffsetsTickWritesThePendingOffset(t *testing.T) {
	l := openLazy(t, t.TempDir(), 10*time.Millisecond)
	defer l.Close()
	if err := l.MarkRecovered(); err != nil {
		t.Fatal(err)
	}
	if err := l.SetOffset(77); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for stored(t, l) != 77 {
		if time.Now().After(deadline) {
			t.Fatalf("the database still has offset %d 10 s after SetOffset(77), with 10 ms ticks", stored(t, l))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A failed offset write is returned by every later SetOffset and by Close,
// so that goka stops the table instead of running on with an offset it
// cannot keep.
func TestLazyOffsetsReportAFailedWrite(t *testing.T) {
	l := &lazyOffsets{Storage: failingOffsets{storage.NewMemory()}, every: time.Hour, recovered: true, stop: make(chan struct{}), done: make(chan struct{})}
	if err := l.SetOffset(7); err != nil {
		t.Fatal(err)
	}
	l.flush()
	if err := l.SetOffset(8); !errors.Is(err, errOffsetWrite) {
		t.Fatalf("SetOffset after a failed write: %v, want %v", err, errOffsetWrite)
	}
	if err := l.Close(); !errors.Is(err, errOffsetWrite) {
		t.Fatalf("Close after a failed write: %v, want %v", err, errOffsetWrite)
	}
}

var errOffsetWrite = errors.New("disk full")

type failingOffsets struct{ storage.Storage }

func (failingOffsets) SetOffset(int64) error { return errOffsetWrite }

// One table write as goka makes it once a table runs: the value, then the
// changelog offset the write reached. goka's storage writes both to
// leveldb; lazyOffsets writes the offset once a second.
//
//	go test -run x -bench TableWrite ./processors
func BenchmarkTableWrite(b *testing.B) {
	value := make([]byte, 3000)
	for i := range value {
		value[i] = byte(i * 7)
	}
	for _, c := range []struct {
		name  string
		build func(dir string) storage.Builder
	}{
		{"goka", func(dir string) storage.Builder { return storage.BuilderWithOptions(dir, storageOptions(0)) }},
		{"lazy offsets", func(dir string) storage.Builder { return StorageBuilder(dir, 0) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			st, err := c.build(b.TempDir())("finstream-users-table", 0)
			if err != nil {
				b.Fatal(err)
			}
			if err := st.Open(); err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			if err := st.MarkRecovered(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := range b.N {
				if err := st.Set(fmt.Sprintf("USR-%06d", i%500), value); err != nil {
					b.Fatal(err)
				}
				if err := st.SetOffset(int64(i + 1)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// StorageBuilder, which every processor and view of finstream uses, writes
// offsets lazily.
func TestStorageBuilderWritesOffsetsLazily(t *testing.T) {
	st, err := StorageBuilder(t.TempDir(), 0)("finstream-users-table", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.(*lazyOffsets); !ok {
		t.Fatalf("StorageBuilder builds a %T, not lazyOffsets", st)
	}
}
