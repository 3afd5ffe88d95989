package processors

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/syndtr/goleveldb/leveldb"
	"github.com/syndtr/goleveldb/leveldb/util"

	"finstream/kafkasec"
)

// The processors' Kafka clients get the consumer-group timing of a fast
// takeover and the security of Config.Kafka; hot standby needs a storage
// dir.
func TestConfigSaramaAndHotStandby(t *testing.T) {
	sec := &kafkasec.Config{Mechanism: kafkasec.ScramSHA512, User: "fin", Password: "p"}
	if err := sec.Validate(); err != nil {
		t.Fatal(err)
	}
	c := &Config{Brokers: []string{"b:9092"}, Codecs: &Codecs{}, Kafka: sec, FlushInterval: time.Millisecond, FlushMessages: 64}
	sc := c.sarama()
	if f := sc.Producer.Flush; f.Frequency != time.Millisecond || f.Messages != 64 {
		t.Fatalf("producer flush %v / %d messages, want 1ms / 64", f.Frequency, f.Messages)
	}
	if f := sc.Consumer.Fetch.Min; f != 1 || sc.Consumer.MaxWaitTime != 500*time.Millisecond {
		t.Fatalf("fetch without settings: %d bytes / %v, want sarama's 1 / 500ms", f, sc.Consumer.MaxWaitTime)
	}
	c.FetchMinBytes, c.FetchMaxWait = 1<<20, 10*time.Millisecond
	if sc := c.sarama(); sc.Consumer.Fetch.Min != 1<<20 || sc.Consumer.MaxWaitTime != 10*time.Millisecond {
		t.Fatalf("fetch %d bytes / %v, want 1 MiB / 10ms", sc.Consumer.Fetch.Min, sc.Consumer.MaxWaitTime)
	}
	g := sc.Consumer.Group
	if g.Session.Timeout != SessionTimeout || g.Heartbeat.Interval != HeartbeatInterval || g.Rebalance.Timeout != RebalanceTimeout {
		t.Fatalf("group timing %v/%v/%v", g.Session.Timeout, g.Heartbeat.Interval, g.Rebalance.Timeout)
	}
	if err := sc.Validate(); err != nil {
		t.Fatalf("sarama rejects the config: %v", err)
	}
	if !sc.Net.SASL.Enable || sc.Net.SASL.Mechanism != "SCRAM-SHA-512" || sc.Net.SASL.SCRAMClientGeneratorFunc == nil {
		t.Fatalf("SASL not applied: %+v", sc.Net.SASL)
	}
	c.FetchMinBytes = 1 << 31
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "fetch min bytes") {
		t.Fatalf("a fetch min over int32: %v", err)
	}
	c.FetchMinBytes = 0
	c.HotStandby = true
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "storage dir") {
		t.Fatalf("hot standby without a storage dir: %v", err)
	}
}

// Producer batches are lz4 unless Config.Compression names another codec;
// an unknown codec fails validation with its name.
func TestConfigCompression(t *testing.T) {
	c := &Config{Brokers: []string{"b:9092"}, Codecs: &Codecs{}}
	if got := c.sarama().Producer.Compression; got != sarama.CompressionLZ4 {
		t.Fatalf("default compression %v, want lz4", got)
	}
	c.Compression = "zstd"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := c.sarama().Producer.Compression; got != sarama.CompressionZSTD {
		t.Fatalf("compression %v, want zstd", got)
	}
	c.Compression = "brotli"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "brotli") {
		t.Fatalf("unknown codec: %v", err)
	}
}

// StorageBuilder opens leveldb with the memory it is given, and works.
func TestStorageBuilderMemory(t *testing.T) {
	for _, mem := range []int{0, 1 << 20} {
		st, err := StorageBuilder(t.TempDir(), mem)("finstream-users-table", 3)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Open(); err != nil {
			t.Fatal(err)
		}
		if err := st.Set("USR-1", []byte("v")); err != nil {
			t.Fatal(err)
		}
		if v, err := st.Get("USR-1"); err != nil || string(v) != "v" {
			t.Fatalf("get %q, %v", v, err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// Tables written through StorageBuilder have a bloom filter, and keys
// are found, or not, as without one, through level-0 tables too.
func TestStorageBuilderBloomFilter(t *testing.T) {
	if f := storageOptions(0).Filter; f == nil || f.Name() != "leveldb.BuiltinBloomFilter" {
		t.Fatalf("filter %v, want goleveldb's bloom filter", f)
	}
	dir := t.TempDir()
	st, err := StorageBuilder(dir, 64<<10)("finstream-txns-table", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Open(); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	value := bytes.Repeat([]byte("v"), 300)
	for i := range 2000 { // 600 KB through a 64 KiB write buffer: level-0 tables
		if err := st.Set(fmt.Sprintf("TXN-%06d", i), value); err != nil {
			t.Fatal(err)
		}
	}
	if tables, _ := filepath.Glob(filepath.Join(dir, "finstream-txns-table.0", "*.ldb")); len(tables) == 0 {
		t.Fatal("no table file written")
	}
	for i := range 2000 {
		if v, err := st.Get(fmt.Sprintf("TXN-%06d", i)); err != nil || !bytes.Equal(v, value) {
			t.Fatalf("key %d: %d bytes, %v", i, len(v), err)
		}
		if v, err := st.Get(fmt.Sprintf("TXN-%06d-absent", i)); err != nil || v != nil {
			t.Fatalf("absent key %d: %q, %v", i, v, err)
		}
	}
}

// After a restart, lookups through the level-0 file that the journal was
// flushed into must not set off its compaction: StorageBuilder turns
// goleveldb's seek-triggered compactions off. The control run with them on
// shows that the same lookups would compact the file into level 1.
func TestStorageNoSeekCompaction(t *testing.T) {
	level0 := func(db *leveldb.DB) string {
		n, err := db.GetProperty("leveldb.num-files-at-level0")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, seeks := range []bool{true, false} { // true: goleveldb's default, the control
		o := storageOptions(64 << 10)
		if !o.DisableSeeksCompaction {
			t.Fatal("StorageBuilder's options leave seek compactions on")
		}
		o.DisableSeeksCompaction = !seeks
		dir := t.TempDir()
		db, err := leveldb.OpenFile(dir, o)
		if err != nil {
			t.Fatal(err)
		}
		value := bytes.Repeat([]byte("v"), 300)
		for i := range 2000 {
			if err := db.Put(fmt.Appendf(nil, "USR-%06d", i), value, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.CompactRange(util.Range{}); err != nil { // everything below level 0
			t.Fatal(err)
		}
		// Two writes across the whole key range, then a restart: their
		// journal becomes one level-0 file that every lookup passes.
		for _, i := range []int{0, 1999} {
			if err := db.Put(fmt.Appendf(nil, "USR-%06d", i), value, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if db, err = leveldb.OpenFile(dir, o); err != nil {
			t.Fatal(err)
		}
		if n := level0(db); n != "1" {
			t.Fatalf("%s level-0 files after the restart, want 1", n)
		}
		for i := 1; i < 1999; i++ {
			if v, err := db.Get(fmt.Appendf(nil, "USR-%06d", i), nil); err != nil || !bytes.Equal(v, value) {
				t.Fatalf("key %d: %d bytes, %v", i, len(v), err)
			}
		}
		// The compaction goroutine takes one command at a time and runs a
		// pending automatic compaction after each: once the second range
		// compaction (of keys that are not there) is answered, a compaction
		// the lookups set off has run.
		for range 2 {
			if err := db.CompactRange(util.Range{Start: []byte("~a"), Limit: []byte("~b")}); err != nil {
				t.Fatal(err)
			}
		}
		want := "1"
		if seeks {
			want = "0"
		}
		if n := level0(db); n != want {
			t.Errorf("seek compactions %v: %s level-0 files after 1,998 lookups, want %s", seeks, n, want)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
