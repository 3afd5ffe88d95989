package topics

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestGenerationNamesEveryDerivedTopicAndGroupAfresh(t *testing.T) {
	def, gen := Default(), must(t, "replay-7.")
	shared := map[string]bool{CDCTransactions: true, CDCAccounts: true, CommandsTxn: true, CommandsUser: true,
		CommandsShared: true, CommandsGoals: true, CommandsNotify: true, AssistantAudit: true, Schemas: true}
	defNames := map[string]bool{}
	for _, tp := range def.All(0) {
		defNames[tp.Name] = true
	}
	got := gen.All(0)
	if len(got) != len(def.All(0))+1 {
		t.Fatalf("the prefixed generation has %d topics, want the default's %d and its own user commands", len(got), len(def.All(0)))
	}
	for _, tp := range got {
		switch {
		case shared[tp.Name]:
		case defNames[tp.Name]:
			t.Errorf("%s is in both generations but is not an input", tp.Name)
		case !strings.HasPrefix(tp.Name, "replay-7."):
			t.Errorf("%s has no prefix", tp.Name)
		}
	}
	if !gen.SeparateUserCommands() || def.SeparateUserCommands() {
		t.Errorf("separate user commands: prefixed %v, default %v", gen.SeparateUserCommands(), def.SeparateUserCommands())
	}
	for i, g := range gen.ProcessorGroups() {
		if want := "replay-7." + def.ProcessorGroups()[i]; g != want {
			t.Errorf("group %d = %q, want %q", i, g, want)
		}
	}
	if def.GroupUsers != GroupUsers || Table(def.GroupUsers) != TableUsers || def.DLQ != DLQ {
		t.Errorf("the default generation is not the package's constants: %+v", def)
	}
}

func TestGenerationRefusesANameKafkaWouldRefuse(t *testing.T) {
	for _, p := range []string{"a b", "x/", "ü", strings.Repeat("p", 65)} {
		if _, err := Generation(p); err == nil {
			t.Errorf("Generation(%q) succeeded", p)
		}
	}
}

func must(t *testing.T, prefix string) Names {
	t.Helper()
	n, err := Generation(prefix)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// derivedConstants are the constants of this package that a generation
// renames: code that names a topic or group must take them from a Names.
var derivedConstants = []string{"TxnByAccount", "AccountsByID", "TxnByID", "TxnByUser", "TxnCategorized",
	"BudgetUpdates", "BudgetAlerts", "SharedSpend", "Insights", "GoalEvents", "Notifications", "DLQ",
	"GroupRekeyTxns", "GroupRekeyAccounts", "GroupAccounts", "GroupTxns", "GroupUsers", "GroupShared",
	"GroupInsights", "GroupGoals", "GroupNotifications", "GroupAlerts", "GroupAssistant", "GroupSink", "GroupPush",
	"TableAccounts", "TableUsers", "TableTxns", "TableShared", "TableAlerts", "TableAssistant"}

// processorsConstants are package processors' default-generation names,
// kept for its tests and docs.
var processorsConstants = []string{"GroupRekeyTxns", "GroupRekeyAccounts", "GroupAccounts", "GroupTxns", "GroupUsers",
	"GroupShared", "GroupInsights", "GroupGoals", "GroupNotifications", "GroupAlerts", "GroupAssistant",
	"TableInsights", "TableGoals", "TableNotifications", "LoopInsights", "LoopGoals", "LoopNotifications"}

// TestRolesTakeDerivedNamesFromTheirGeneration fails when code of a role
// (not a test, not a benchmark, which run the default generation) names a
// derived topic or group by its constant: under --group-prefix it would
// read or write the other generation's.
func TestRolesTakeDerivedNamesFromTheirGeneration(t *testing.T) {
	root := ".."
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == "topics" || rel == "benchmarks" || rel != "." && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(rel, "test"+string(filepath.Separator)) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inProcessors := f.Name.Name == "processors"
		var visit func(n ast.Node) bool
		visit = func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GenDecl:
				// Default-generation constants may be declared from this
				// package's (processors.GroupUsers, sinks.DefaultGroup).
				return n.Tok != token.CONST
			case *ast.CallExpr:
				// A schema subject is the unprefixed topic's.
				if s, ok := n.Fun.(*ast.SelectorExpr); ok && s.Sel.Name == "ValueSubject" {
					return false
				}
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "topics" && slices.Contains(derivedConstants, n.Sel.Name) {
					t.Errorf("%s: topics.%s: take it from the generation's topics.Names", fset.Position(n.Pos()), n.Sel.Name)
				}
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "processors" && slices.Contains(processorsConstants, n.Sel.Name) {
					t.Errorf("%s: processors.%s: take it from the generation's topics.Names", fset.Position(n.Pos()), n.Sel.Name)
				}
				ast.Inspect(n.X, visit) // not n.Sel: a field or method name
				return false
			case *ast.Ident:
				if inProcessors && slices.Contains(processorsConstants, n.Name) {
					t.Errorf("%s: %s: take it from cfg.Topics", fset.Position(n.Pos()), n.Name)
				}
			}
			return true
		}
		ast.Inspect(f, visit)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
