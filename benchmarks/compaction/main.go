// Command compaction measures one cleaner pass of the embedded broker
// (kfake's Compact, which runs inside the broker's request loop) over a
// compacted table written with each producer codec: the pass's duration
// and the bytes it allocates.
//
//	go run ./benchmarks/compaction -keys 1000 -records 60000 -value-bytes 3000
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kfake"

	"finstream/processors"
)

func main() {
	keys := flag.Int("keys", 1000, "distinct keys (users)")
	records := flag.Int("records", 60000, "records written before the pass")
	valueBytes := flag.Int("value-bytes", 3000, "bytes of each value (half random, half repeated, as a state value is)")
	perBatch := flag.Int("batch-records", 2, "records per producer batch at most (run's batches are small: 200 events/s, 5 ms linger)")
	codecs := flag.String("codecs", "none,lz4,zstd,snappy", "comma-separated producer codecs")
	flag.Parse()
	for _, name := range strings.Split(*codecs, ",") {
		d, alloc, stored, err := pass(name, *keys, *records, *valueBytes, *perBatch)
		if err != nil {
			fmt.Fprintln(os.Stderr, "compaction:", err)
			os.Exit(1)
		}
		fmt.Printf("%-7s stored %5d MiB  pass %6.0f ms  allocated %6d MiB\n", name, stored>>20, d.Seconds()*1000, alloc>>20)
	}
}

func pass(codec string, keys, records, valueBytes, perBatch int) (time.Duration, uint64, int64, error) {
	dir, err := os.MkdirTemp("", "compaction-")
	if err != nil {
		return 0, 0, 0, err
	}
	defer os.RemoveAll(dir)
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.DataDir(dir), kfake.SeedTopics(8, "t"))
	if err != nil {
		return 0, 0, 0, err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	adm, err := sarama.NewClusterAdmin(c.ListenAddrs(), processors.SaramaConfig(5*time.Millisecond))
	if err != nil {
		return 0, 0, 0, err
	}
	v := "compact"
	if err := adm.AlterConfig(sarama.TopicResource, "t", map[string]*string{"cleanup.policy": &v}, false); err != nil {
		return 0, 0, 0, err
	}
	adm.Close()
	sc := processors.SaramaConfig(5 * time.Millisecond)
	if sc.Producer.Compression, err = processors.ParseCompression(codec); err != nil {
		return 0, 0, 0, err
	}
	sc.Producer.Return.Successes = true
	sc.Producer.Flush.MaxMessages = perBatch
	p, err := sarama.NewAsyncProducer(c.ListenAddrs(), sc)
	if err != nil {
		return 0, 0, 0, err
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	val := make([]byte, valueBytes)
	go func() {
		for i := range records {
			for j := range val[:valueBytes/2] {
				val[j] = byte(rnd.IntN(256))
			}
			p.Input() <- &sarama.ProducerMessage{Topic: "t", Key: sarama.StringEncoder(fmt.Sprintf("USR-%06d", i%keys)), Value: sarama.ByteEncoder(append([]byte(nil), val...))}
		}
	}()
	for range records {
		select {
		case <-p.Successes():
		case err := <-p.Errors():
			return 0, 0, 0, err
		case <-ctx.Done():
			return 0, 0, 0, ctx.Err()
		}
	}
	p.Close()
	stored, err := dirBytes(dir)
	if err != nil {
		return 0, 0, 0, err
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	c.Compact()
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	return d, after.TotalAlloc - before.TotalAlloc, stored, nil
}

func dirBytes(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.Type().IsRegular() {
			info, err := e.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}
