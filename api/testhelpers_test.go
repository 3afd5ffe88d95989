package api_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lovoo/goka"
	"github.com/lovoo/goka/tester"
)

// tableView names a table and its codec for runViews.
type tableView struct {
	table string
	codec goka.Codec
}

// runViews runs a view of each table on tt until the test ends and waits
// until they all run.
func runViews(t testing.TB, tt *tester.Tester, tables ...tableView) []*goka.View {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var views []*goka.View
	for _, tv := range tables {
		v, err := goka.NewView(nil, goka.Table(tv.table), tv.codec, goka.WithViewTester(tt))
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		views = append(views, v)
	}
	done := make(chan error, len(views))
	for _, v := range views {
		go func() { done <- v.Run(ctx) }()
	}
	t.Cleanup(func() {
		cancel()
		for range views {
			if err := <-done; err != nil {
				t.Errorf("view: %v", err)
			}
		}
	})
	waitRunning(t, views...)
	return views
}

// viewsDeadline bounds the wait for the test views to run.
const viewsDeadline = 30 * time.Second

// waitRunning waits until every view is running, with a deadline: a
// request that reaches a view before then is answered 503 (the view is not
// running yet), which made TestNotificationSettingsEndpoints flaky under load.
func waitRunning(t testing.TB, views ...*goka.View) {
	t.Helper()
	deadline := time.NewTimer(viewsDeadline)
	defer deadline.Stop()
	for _, v := range views {
		select {
		case <-v.WaitRunning():
		case <-deadline.C:
			t.Fatalf("view of %s not running after %s (state %v)", v.Topic(), viewsDeadline, v.CurrentState())
		}
	}
}

// jget walks a decoded JSON value along path (string keys of objects, int
// indexes of arrays) and returns what it finds as a T. A missing key, an
// index out of range or another type fails the test with the whole value,
// where an unchecked assertion would panic and abort the package.
func jget[T any](t testing.TB, v any, path ...any) T {
	t.Helper()
	cur := v
	for i, step := range path {
		switch s := step.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("%v: %v is not an object in %v", path[:i+1], cur, v)
			}
			if cur, ok = m[s]; !ok {
				t.Fatalf("%v: no %q in %v", path[:i+1], s, v)
			}
		case int:
			a, ok := cur.([]any)
			if !ok || s < 0 || s >= len(a) {
				t.Fatalf("%v: no element %d in %v", path[:i+1], s, v)
			}
			cur = a[s]
		default:
			panic(fmt.Sprintf("jget: path step %T", step))
		}
	}
	out, ok := cur.(T)
	if !ok {
		var zero T
		t.Fatalf("%v: %v (%T) is not a %T in %v", path, cur, cur, zero, v)
	}
	return out
}

// next returns the next record of q as a T, failing the test when there is
// none or it has another type.
func next[T any](t testing.TB, q interface {
	Next() (string, any, bool)
}) (string, T) {
	t.Helper()
	k, v, ok := q.Next()
	if !ok {
		var zero T
		t.Fatalf("no %T record", zero)
	}
	out, isT := v.(T)
	if !isT {
		t.Fatalf("record %q is %T, want %T", k, v, out)
	}
	return k, out
}
