// Package deploy_test checks the production stack's files against the code:
// docker-compose.yml, deploy/kubernetes, Prometheus' configuration and alert
// rules, the Grafana dashboard and the Debezium connector's registration.
// Command lines are checked against the real binary's flag sets (each is run
// with -h appended: an unknown flag or a bad value exits 2), topics against
// topics.All, metric names against what a running finstream exports.
package deploy_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"finstream/sinks/pgtest"
	"finstream/topics"
)

// binary is the finstream binary, built once.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "finstream-deploy")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "finstream")
	build := exec.Command("go", "build", "-o", binary, "finstream/cmd/finstream")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build finstream:", err)
		os.Exit(1)
	}
	code := pgtest.Run(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// readYAML decodes every document of a YAML file into maps.
func readYAML(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	var docs []map[string]any
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if d != nil {
			docs = append(docs, d)
		}
	}
}

// get walks m along keys; nil when a key is missing.
func get(m any, keys ...string) any {
	for _, k := range keys {
		mm, ok := m.(map[string]any)
		if !ok {
			return nil
		}
		m = mm[k]
	}
	return m
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// checkCommandLine runs the binary with args and -h appended: the real flag
// set parses every flag and value before it reaches -h, so an unknown flag,
// a bad value or a positional argument exits non-zero.
func checkCommandLine(t *testing.T, where string, args []string) {
	t.Helper()
	if len(args) == 0 {
		t.Errorf("%s: empty finstream command line", where)
		return
	}
	out, err := exec.Command(binary, append(slices.Clone(args), "-h")...).CombinedOutput()
	if err != nil {
		t.Errorf("%s: finstream %s: %v\n%s", where, strings.Join(args, " "), err, lastLine(string(out)))
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[0]
}

// flagValue returns the value of --name in args ("" when absent).
func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == "--"+name || a == "-"+name {
			if i+1 < len(args) {
				return args[i+1]
			}
		}
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v
		}
	}
	return ""
}

// topicLike matches what looks like a finstream or CDC topic name in a file.
var topicLike = regexp.MustCompile(`\b(core\.public\.[a-z_]+|finstream\.[a-z][a-z.-]*[a-z]|finstream-[a-z-]+-(?:table|loop))\b`)

// checkTopicNames checks that every topic-like name in the file at path is
// in topics.All.
func checkTopicNames(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, tp := range topics.All(0) {
		known[tp.Name] = true
	}
	for _, m := range topicLike.FindAllString(string(b), -1) {
		if ext := filepath.Ext(m); ext == ".json" || ext == ".yml" || ext == ".yaml" {
			continue // a file name
		}
		if !known[m] {
			t.Errorf("%s names topic %q, which is not in topics.All", path, m)
		}
	}
}

// requireTool returns the path of a tool, skipping the test when it is
// missing, or failing it when CI=true.
func requireTool(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found (CI=true, so this fails rather than skips): %s", name, install)
		}
		t.Skipf("%s not found: %s", name, install)
	}
	return p
}
