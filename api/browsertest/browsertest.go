// Package browsertest runs Debian's headless Chromium through chromedp for
// browser tests of finstream's pages, and saves screenshots as test
// artifacts.
//
// A test calls New to get a browser context; when Chromium is missing the
// test is skipped, except under CI=true where it fails (CI must have it:
// .ci/install-deps installs Debian's chromium package). Screenshots go to
// ArtifactsDir: $FINSTREAM_ARTIFACTS, or .artifacts/ at the module root.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// candidates are the Chromium executables looked for, in order, after
// $FINSTREAM_CHROMIUM.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// FindChromium returns the path of the Chromium executable:
// $FINSTREAM_CHROMIUM if set, else the first of chromium, chromium-browser,
// google-chrome on $PATH.
func FindChromium() (string, error) {
	if p := os.Getenv("FINSTREAM_CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no chromium on PATH (tried %s); on Debian: apt-get install chromium", strings.Join(candidates, ", "))
}

// Flags are the command-line flags Chromium runs with: headless, no sandbox
// (tests run as root in containers), no GPU, and nothing that reaches the
// network by itself.
var Flags = []string{
	"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
	"disable-background-networking", "disable-component-update", "disable-sync",
}

// New starts headless Chromium with Flags and a temporary --user-data-dir
// and returns a chromedp context of one tab, valid until the test ends
// (then the browser is stopped). It skips the test when Chromium is missing,
// or fails it when CI=true.
func New(t testing.TB) context.Context {
	t.Helper()
	path, err := FindChromium()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser test under CI=true: %v", err)
		}
		t.Skipf("skipping browser test: %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	for _, f := range Flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser now, without a deadline (a deadline on the first
	// run would bound the browser's life), so a start failure is reported
	// here.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	return ctx
}

// ArtifactsDir returns the directory for test artifacts, creating it:
// $FINSTREAM_ARTIFACTS, or .artifacts/ at the root of the module (found by
// walking up from the working directory to go.mod).
func ArtifactsDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("FINSTREAM_ARTIFACTS")
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(root, ".artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts dir: %v", err)
	}
	return dir
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Screenshot saves a PNG of the whole page of ctx (the document, beyond the
// window if longer) as <ArtifactsDir>/name.png and returns its path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, fullPage)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(ArtifactsDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("save screenshot: %v", err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// fullPage captures the whole document as a PNG.
func fullPage(ctx context.Context, t *chromedp.Target) ([]byte, error) {
	size, err := chromedp.Evaluate[[2]float64](`[document.documentElement.scrollWidth, document.documentElement.scrollHeight]`)(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("document size: %w", err)
	}
	yes := true
	r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		Clip:                  &page.Viewport{Width: size[0], Height: size[1], Scale: 1},
		FromSurface:           &yes,
		CaptureBeyondViewport: &yes,
	})
	if err != nil {
		return nil, err
	}
	return r.Data, nil
}
