package deploy_test

import (
	"fmt"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const kubeDir = "kubernetes"

// object is one Kubernetes object of deploy/kubernetes.
type object struct {
	file string
	m    map[string]any
}

func (o object) kind() string { return fmt.Sprint(get(o.m, "kind")) }
func (o object) name() string { return fmt.Sprint(get(o.m, "metadata", "name")) }
func (o object) String() string {
	return o.kind() + "/" + o.name() + " (" + o.file + ")"
}

func kubeObjects(t *testing.T) []object {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(kubeDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s: %v", kubeDir, err)
	}
	var out []object
	for _, f := range files {
		if filepath.Base(f) == "kustomization.yaml" {
			continue
		}
		for _, d := range readYAML(t, f) {
			out = append(out, object{filepath.Base(f), d})
		}
	}
	return out
}

// podSpec is the pod template's spec of a workload (Deployment,
// StatefulSet, Job), nil for other kinds.
func podSpec(o object) map[string]any {
	spec, _ := get(o.m, "spec", "template", "spec").(map[string]any)
	return spec
}

func asMaps(v any) []map[string]any {
	list, _ := v.([]any)
	var out []map[string]any
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// kustomization.yaml lists every manifest.
func TestKubernetesKustomizationListsEveryManifest(t *testing.T) {
	docs := readYAML(t, filepath.Join(kubeDir, "kustomization.yaml"))
	listed := strs(get(docs[0], "resources"))
	files, _ := filepath.Glob(filepath.Join(kubeDir, "*.yaml"))
	for _, f := range files {
		if b := filepath.Base(f); b != "kustomization.yaml" && !slices.Contains(listed, b) {
			t.Errorf("kustomization.yaml does not list %s", b)
		}
	}
	for _, r := range listed {
		if _, err := os.Stat(filepath.Join(kubeDir, r)); err != nil {
			t.Errorf("kustomization.yaml lists %s: %v", r, err)
		}
	}
}

// Every finstream container's command line parses with the binary's flags;
// processors run as a StatefulSet with a volume for table storage at
// --data-dir, the other roles as Deployments; every role is ready on
// /readyz of its ops port and has a Service selecting its pods.
func TestKubernetesWorkloads(t *testing.T) {
	objs := kubeObjects(t)
	kinds := map[string]string{} // role → workload kind
	for _, o := range objs {
		spec := podSpec(o)
		if spec == nil {
			continue
		}
		for _, c := range asMaps(spec["containers"]) {
			args := strs(c["args"])
			if fmt.Sprint(c["image"]) != "finstream" || len(args) == 0 {
				continue
			}
			checkCommandLine(t, o.String(), args)
			checkTopicNames(t, filepath.Join(kubeDir, o.file))
			role := args[0]
			kinds[role] = o.kind()
			if !slices.Contains(roles, role) {
				continue
			}
			checkProbes(t, o, c, args)
			if role == "processors" {
				checkTableVolume(t, o, c, args)
			}
			checkService(t, o, c, objs)
		}
	}
	want := map[string]string{"processors": "StatefulSet", "api": "Deployment", "wsfanout": "Deployment", "sink": "Deployment", "topics": "Job"}
	if !maps.Equal(kinds, want) {
		t.Errorf("roles run as %v, want %v", kinds, want)
	}
}

// checkProbes: readiness on /readyz and liveness on /healthz, both on the
// container port that --ops-listen binds.
func checkProbes(t *testing.T, o object, c map[string]any, args []string) {
	t.Helper()
	_, opsPort, err := net.SplitHostPort(flagValue(args, "ops-listen"))
	if err != nil || !strings.HasPrefix(flagValue(args, "ops-listen"), "0.0.0.0:") {
		t.Errorf("%s: --ops-listen %q, want 0.0.0.0:PORT", o, flagValue(args, "ops-listen"))
		return
	}
	ports := map[string]string{}
	for _, p := range asMaps(c["ports"]) {
		ports[fmt.Sprint(p["name"])] = fmt.Sprint(p["containerPort"])
	}
	for probe, path := range map[string]string{"readinessProbe": "/readyz", "livenessProbe": "/healthz"} {
		got := fmt.Sprint(get(c, probe, "httpGet", "path"))
		port := fmt.Sprint(get(c, probe, "httpGet", "port"))
		if p, ok := ports[port]; ok {
			port = p
		}
		if got != path || port != opsPort {
			t.Errorf("%s: %s on %s port %s, want %s on the ops port %s", o, probe, got, port, path, opsPort)
		}
	}
}

// checkTableVolume: a volumeClaimTemplate mounted at --data-dir.
func checkTableVolume(t *testing.T, o object, c map[string]any, args []string) {
	t.Helper()
	dataDir := flagValue(args, "data-dir")
	var claims []string
	for _, v := range asMaps(get(o.m, "spec", "volumeClaimTemplates")) {
		claims = append(claims, fmt.Sprint(get(v, "metadata", "name")))
	}
	for _, m := range asMaps(c["volumeMounts"]) {
		if fmt.Sprint(m["mountPath"]) == dataDir && slices.Contains(claims, fmt.Sprint(m["name"])) {
			return
		}
	}
	t.Errorf("%s: no volumeClaimTemplate mounted at --data-dir %q (claims %v)", o, dataDir, claims)
}

// checkService: a Service whose selector matches the pod labels and whose
// target ports the container has.
func checkService(t *testing.T, o object, c map[string]any, objs []object) {
	t.Helper()
	labels, _ := get(o.m, "spec", "template", "metadata", "labels").(map[string]any)
	names := map[string]bool{}
	for _, p := range asMaps(c["ports"]) {
		names[fmt.Sprint(p["name"])] = true
	}
	for _, s := range objs {
		sel, _ := get(s.m, "spec", "selector").(map[string]any)
		if s.kind() != "Service" || len(sel) == 0 {
			continue
		}
		matches := true
		for k, v := range sel {
			matches = matches && labels[k] == v
		}
		if !matches {
			continue
		}
		for _, p := range asMaps(get(s.m, "spec", "ports")) {
			if tp := fmt.Sprint(p["targetPort"]); !names[tp] {
				t.Errorf("%s: targetPort %s is not a port of %s", s, tp, o)
			}
		}
		return
	}
	t.Errorf("%s: no Service selects its pods (labels %v)", o, labels)
}
