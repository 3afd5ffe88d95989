package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/gorilla/websocket"

	"finstream/api"
	"finstream/wsfanout"
)

// report is what the client child prints (one JSON line when connected,
// one with the results after DONE).
type report struct {
	Conns      int            `json:"conns"`
	Failed     int            `json:"failed"`
	Mem        memory         `json:"mem"`
	Expected   int64          `json:"expected"`
	Received   int64          `json:"received"`
	Missing    int64          `json:"missing"`
	Short      int            `json:"short"` // devices that missed updates
	Closed     int            `json:"closed"`
	CloseCodes map[int]int    `json:"close_codes"`
	Count      int64          `json:"count"`
	P50        int64          `json:"p50_us"`
	P90        int64          `json:"p90_us"`
	P99        int64          `json:"p99_us"`
	P999       int64          `json:"p999_us"`
	Max        int64          `json:"max_us"`
	CPU        time.Duration  `json:"cpu"`
	Span       time.Duration  `json:"span"`
	Errors     map[string]int `json:"errors,omitempty"`
}

// device is one client connection.
type device struct {
	budget   int
	received atomic.Int64
	closeErr atomic.Pointer[error]
}

// latencies is a histogram of delivery latency in µs shared by all readers.
type latencies struct {
	mu sync.Mutex
	h  *hdrhistogram.Histogram
}

func (l *latencies) record(d time.Duration) {
	l.mu.Lock()
	_ = l.h.RecordValue(max(d.Microseconds(), 0))
	l.mu.Unlock()
}

func runClients(p params) error {
	if _, err := raiseFileLimit(uint64(p.conns) + 4096); err != nil {
		return err
	}
	lat := &latencies{h: hdrhistogram.New(1, 60_000_000, 3)}
	devs := make([]*device, p.conns)
	perBudget := p.participants * p.devices
	jobs := make(chan int)
	var wg sync.WaitGroup
	var failed atomic.Int64
	var errMu sync.Mutex
	errs := map[string]int{}
	dialer := &websocket.Dialer{ReadBufferSize: 1024, WriteBufferSize: 256, HandshakeTimeout: time.Minute}
	for range p.dialers {
		wg.Go(func() {
			for i := range jobs {
				b := i / perBudget
				d := &device{budget: b}
				if err := d.connect(dialer, p.addr, userID(b, (i/p.devices)%p.participants), lat); err != nil {
					failed.Add(1)
					errMu.Lock()
					errs[err.Error()]++
					errMu.Unlock()
					continue
				}
				devs[i] = d
			}
		})
	}
	for i := range p.conns {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	out := json.NewEncoder(os.Stdout)
	cpu0, t0 := cpuTime(syscall.RUSAGE_SELF), time.Now()
	if err := out.Encode(report{Conns: p.conns - int(failed.Load()), Failed: int(failed.Load()), Mem: measureMemory(), Errors: errs}); err != nil {
		return err
	}

	// Wait for DONE <published>, then for every device to get its share.
	in := bufio.NewScanner(os.Stdin)
	var published int
	for in.Scan() {
		if _, err := fmt.Sscanf(in.Text(), "DONE %d", &published); err == nil {
			break
		}
	}
	nb := p.budgets()
	expect := func(b int) int64 {
		n := int64(published / nb)
		if b < published%nb {
			n++
		}
		return n
	}
	deadline := time.Now().Add(20 * time.Second)
	var res report
	for {
		res = report{CloseCodes: map[int]int{}}
		for _, d := range devs {
			if d == nil {
				continue
			}
			got, want := d.received.Load(), expect(d.budget)
			res.Expected += want
			res.Received += got
			if got < want {
				res.Missing += want - got
				res.Short++
			}
			if e := d.closeErr.Load(); e != nil {
				res.Closed++
				var ce *websocket.CloseError
				if errors.As(*e, &ce) {
					res.CloseCodes[ce.Code]++
				} else {
					res.CloseCodes[-1]++
				}
			}
		}
		if res.Missing == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	lat.mu.Lock()
	h := lat.h
	res.Count, res.Max = h.TotalCount(), h.Max()
	res.P50, res.P90, res.P99, res.P999 = h.ValueAtQuantile(50), h.ValueAtQuantile(90), h.ValueAtQuantile(99), h.ValueAtQuantile(99.9)
	lat.mu.Unlock()
	res.CPU, res.Span = cpuTime(syscall.RUSAGE_SELF)-cpu0, time.Since(t0)
	if err := out.Encode(res); err != nil {
		return err
	}
	for in.Scan() { // the server closes stdin when done
	}
	return nil
}

// connect dials as user, subscribes to the device's budget, waits for the
// acknowledgement and starts reading.
func (d *device) connect(dialer *websocket.Dialer, addr, user string, lat *latencies) error {
	tok, err := api.Token(secret, user, time.Now(), 24*time.Hour)
	if err != nil {
		return err
	}
	u := url.URL{Scheme: "ws", Host: addr, Path: "/v1/ws"}
	ws, _, err := dialer.Dial(u.String(), http.Header{"Authorization": {"Bearer " + tok}})
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	channel := "budget:" + budgetID(d.budget)
	if err := ws.WriteJSON(map[string]any{"type": wsfanout.TypeSubscribe, "channel": channel, "since_version": 0}); err != nil {
		ws.Close()
		return fmt.Errorf("subscribe: %w", err)
	}
	ack := []byte(`{"type":"subscribed","channel":"` + channel + `"`)
	for {
		_, b, err := ws.ReadMessage()
		if err != nil {
			ws.Close()
			return fmt.Errorf("await subscribed: %w", err)
		}
		if bytes.HasPrefix(b, ack) {
			break
		}
		if bytes.HasPrefix(b, []byte(`{"type":"error"`)) {
			ws.Close()
			return fmt.Errorf("subscribe refused: %s", b)
		}
	}
	go d.read(ws, lat)
	return nil
}

var (
	updatePrefix = []byte(`{"type":"budget_update"`)
	eventTimeKey = []byte(`"event_time":"`)
)

// read counts budget updates and records their latency until the socket ends.
func (d *device) read(ws *websocket.Conn, lat *latencies) {
	for {
		_, b, err := ws.ReadMessage()
		now := time.Now()
		if err != nil {
			d.closeErr.Store(&err)
			return
		}
		if !bytes.HasPrefix(b, updatePrefix) {
			continue
		}
		d.received.Add(1)
		if i := bytes.Index(b, eventTimeKey); i >= 0 {
			rest := b[i+len(eventTimeKey):]
			if j := bytes.IndexByte(rest, '"'); j > 0 {
				if t, err := time.Parse(time.RFC3339Nano, string(rest[:j])); err == nil {
					lat.record(now.Sub(t))
				}
			}
		}
	}
}
