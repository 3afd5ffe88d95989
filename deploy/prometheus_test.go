package deploy_test

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const (
	promConfig = "prometheus.yml"
	promRules  = "alerts.yml"
	dashboard  = "grafana/dashboards/finstream.json"
)

const promtoolInstall = "Debian's prometheus package ships it: .ci/install-deps installs it"

// promtool check config (which also checks the rule files it names) and
// promtool check rules pass.
func TestPromtool(t *testing.T) {
	promtool := requireTool(t, "promtool", promtoolInstall)
	for _, args := range [][]string{{"check", "config", promConfig}, {"check", "rules", promRules}} {
		out, err := exec.Command(promtool, args...).CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// The rule files prometheus.yml names are the ones compose mounts beside it,
// and every finstream target is a compose service's ops listener (the port
// its --ops-listen binds).
func TestPrometheusScrapesOpsListeners(t *testing.T) {
	cfg := readYAML(t, promConfig)[0]
	if rf := strs(cfg["rule_files"]); !slices.Equal(rf, []string{promRules}) {
		t.Errorf("rule_files %v, want [%s]", rf, promRules)
	}
	mounted := strings.Join(strs(get(composeServices(t)["prometheus"].m, "volumes")), " ")
	for _, f := range []string{promConfig, promRules} {
		if !strings.Contains(mounted, "./deploy/"+f+":/etc/prometheus/"+f) {
			t.Errorf("compose does not mount deploy/%s at /etc/prometheus/%s", f, f)
		}
	}
	svcs := composeServices(t)
	scraped := map[string]bool{}
	for _, job := range asMaps(cfg["scrape_configs"]) {
		for _, sc := range asMaps(job["static_configs"]) {
			for _, target := range strs(sc["targets"]) {
				host, port, err := net.SplitHostPort(target)
				if err != nil {
					t.Errorf("target %q: %v", target, err)
					continue
				}
				if !strings.HasPrefix(host, "finstream-") {
					continue
				}
				s, ok := svcs[host]
				if !ok {
					t.Errorf("Prometheus scrapes %s: no such compose service", target)
					continue
				}
				_, opsPort, _ := net.SplitHostPort(flagValue(s.command(), "ops-listen"))
				if port != opsPort {
					t.Errorf("Prometheus scrapes %s, but %s serves /metrics on --ops-listen port %q", target, host, opsPort)
				}
				scraped[host] = true
			}
		}
	}
	for _, s := range svcs {
		if c := s.command(); s.finstream() && len(c) > 0 && slices.Contains(roles, c[0]) && !scraped[s.name] {
			t.Errorf("Prometheus does not scrape %s", s.name)
		}
	}
}

// metricName matches finstream's metric names in PromQL; label values are
// hyphenated ("finstream-users") and label names never start so.
var metricName = regexp.MustCompile(`\bfinstream_[a-z0-9_]+\b`)

// expressions returns every PromQL expression of the dashboard (panel
// targets and template queries) and the alert rules, with where it is.
func expressions(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	b, err := os.ReadFile(dashboard)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Name  string `json:"name"`
				Query any    `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", dashboard, err)
	}
	for _, p := range d.Panels {
		for i, tg := range p.Targets {
			out[fmt.Sprintf("panel %q target %d", p.Title, i)] = tg.Expr
		}
	}
	for _, v := range d.Templating.List {
		q, _ := json.Marshal(v.Query)
		out["template variable "+v.Name] = string(q)
	}
	for _, g := range asMaps(readYAML(t, promRules)[0]["groups"]) {
		for _, r := range asMaps(g["rules"]) {
			out[fmt.Sprintf("alert %v", r["alert"])] = fmt.Sprint(r["expr"])
		}
	}
	return out
}

// usedMetrics maps every finstream metric name the expressions use to where.
func usedMetrics(t *testing.T) map[string][]string {
	t.Helper()
	used := map[string][]string{}
	for where, expr := range expressions(t) {
		for _, m := range metricName.FindAllString(expr, -1) {
			used[m] = append(used[m], where)
		}
	}
	return used
}

// families maps the metric families of a /metrics page (text format) to
// their type.
func families(page string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(page, "\n") {
		if f := strings.Fields(line); len(f) == 4 && f[0] == "#" && f[1] == "TYPE" {
			out[f[2]] = f[3]
		}
	}
	return out
}

// exported reports whether name is a series of fams: a family, or a
// histogram's or summary's _bucket, _sum or _count.
func exported(fams map[string]string, name string) bool {
	if _, ok := fams[name]; ok {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			if typ := fams[base]; typ == "histogram" || (typ == "summary" && suffix != "_bucket") {
				return true
			}
		}
	}
	return false
}
