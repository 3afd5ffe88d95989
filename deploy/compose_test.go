package deploy_test

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"finstream/topics"
)

const composeFile = "../docker-compose.yml"

// roles are the long-running finstream roles the stack runs, one service each.
var roles = []string{"processors", "api", "wsfanout", "sink"}

type service struct {
	name string
	m    map[string]any
}

func (s service) image() string     { return fmt.Sprint(get(s.m, "image")) }
func (s service) command() []string { return strs(get(s.m, "command")) }
func (s service) finstream() bool   { return s.image() == "finstream:local" }

func composeServices(t *testing.T) map[string]service {
	t.Helper()
	docs := readYAML(t, composeFile)
	if len(docs) != 1 {
		t.Fatalf("%s: %d documents", composeFile, len(docs))
	}
	out := map[string]service{}
	for name, m := range get(docs[0], "services").(map[string]any) {
		out[name] = service{name, m.(map[string]any)}
	}
	return out
}

// Every finstream command line of the compose file parses with the binary's
// flags; there is one service per role, each with its ops listener; the
// topics are created by `finstream topics --create`, not a kafka-topics script.
func TestComposeFinstreamCommandLines(t *testing.T) {
	svcs := composeServices(t)
	byRole := map[string][]string{}
	for _, s := range svcs {
		if !s.finstream() {
			continue
		}
		args := s.command()
		checkCommandLine(t, "compose service "+s.name, args)
		if len(args) > 0 {
			byRole[args[0]] = append(byRole[args[0]], s.name)
		}
		if len(args) > 0 && slices.Contains(roles, args[0]) {
			ops := flagValue(args, "ops-listen")
			if _, port, err := net.SplitHostPort(ops); err != nil || port != "8079" || !strings.HasPrefix(ops, "0.0.0.0:") {
				t.Errorf("compose service %s: --ops-listen %q, want 0.0.0.0:8079 (reachable by Prometheus)", s.name, ops)
			}
		}
	}
	for _, r := range append(roles, "topics") {
		if len(byRole[r]) != 1 {
			t.Errorf("compose runs role %s in %v, want one service", r, byRole[r])
		}
	}
	if c := svcs["finstream-topics"].command(); !slices.Contains(c, "--create") {
		t.Errorf("finstream-topics: %v, want topics --create", c)
	}
	b, _ := os.ReadFile(composeFile)
	if strings.Contains(string(b), "kafka-topics.sh") || svcs["kafka-init"].m != nil {
		t.Errorf("compose still creates topics with kafka-topics.sh (kafka-init): finstream topics --create does")
	}
	checkTopicNames(t, composeFile)
}

// Three KRaft brokers with replication 3, min.insync.replicas 2 and
// auto-creation off.
func TestComposeKafka(t *testing.T) {
	svcs := composeServices(t)
	for i := 1; i <= 3; i++ {
		s, ok := svcs[fmt.Sprintf("kafka-%d", i)]
		if !ok {
			t.Fatalf("no service kafka-%d", i)
		}
		env := get(s.m, "environment").(map[string]any)
		for k, want := range map[string]string{
			"KAFKA_PROCESS_ROLES": "broker,controller", "KAFKA_MIN_INSYNC_REPLICAS": "2",
			"KAFKA_DEFAULT_REPLICATION_FACTOR": "3", "KAFKA_AUTO_CREATE_TOPICS_ENABLE": "false",
			"KAFKA_NODE_ID": fmt.Sprint(i),
		} {
			if got := fmt.Sprint(env[k]); got != want {
				t.Errorf("kafka-%d %s = %q, want %q", i, k, got, want)
			}
		}
	}
	for _, name := range []string{"schema-registry", "postgres", "prometheus", "grafana", "kafka-connect", "connect-register", "core-banking-db"} {
		if _, ok := svcs[name]; !ok {
			t.Errorf("no service %s", name)
		}
	}
}

// Every file a service mounts from the repository exists.
func TestComposeMountsExist(t *testing.T) {
	for _, s := range composeServices(t) {
		for _, v := range strs(get(s.m, "volumes")) {
			src, _, _ := strings.Cut(v, ":")
			if !strings.HasPrefix(src, "./") {
				continue // a named volume
			}
			if _, err := os.Stat(filepath.Join("..", src)); err != nil {
				t.Errorf("service %s mounts %s: %v", s.name, src, err)
			}
		}
		if ctx := fmt.Sprint(get(s.m, "build", "context")); get(s.m, "build", "context") != nil {
			if _, err := os.Stat(filepath.Join("..", ctx)); err != nil {
				t.Errorf("service %s builds %s: %v", s.name, ctx, err)
			}
		}
	}
}

// Debezium's Postgres connector on Kafka Connect streams the transactions
// and accounts tables of a wal_level=logical database, with REPLICA IDENTITY
// FULL, in Avro through the registry, to exactly the CDC topics finstream reads.
func TestComposeDebezium(t *testing.T) {
	svcs := composeServices(t)
	if c := strings.Join(svcs["core-banking-db"].command(), " "); !strings.Contains(c, "wal_level=logical") {
		t.Errorf("core-banking-db command %q: want -c wal_level=logical", c)
	}
	b, err := os.ReadFile("connect/core-banking-postgres.json")
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]string
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatalf("connector registration: %v", err)
	}
	for k, want := range map[string]string{
		"connector.class":                     "io.debezium.connector.postgresql.PostgresConnector",
		"plugin.name":                         "pgoutput",
		"database.hostname":                   "core-banking-db",
		"key.converter":                       "io.confluent.connect.avro.AvroConverter",
		"value.converter":                     "io.confluent.connect.avro.AvroConverter",
		"key.converter.schema.registry.url":   "http://schema-registry:8081",
		"value.converter.schema.registry.url": "http://schema-registry:8081",
	} {
		if cfg[k] != want {
			t.Errorf("connector %s = %q, want %q", k, cfg[k], want)
		}
	}
	var produced []string
	for _, table := range strings.Split(cfg["table.include.list"], ",") {
		produced = append(produced, cfg["topic.prefix"]+"."+strings.TrimSpace(table))
	}
	slices.Sort(produced)
	want := []string{topics.CDCAccounts, topics.CDCTransactions}
	if !slices.Equal(produced, want) {
		t.Errorf("the connector writes %v, finstream reads %v", produced, want)
	}
	cmd := strings.Join(svcs["connect-register"].command(), " ")
	if !strings.Contains(cmd, "/connectors/core-banking-postgres/config") || !strings.Contains(cmd, "PUT") {
		t.Errorf("connect-register: %q, want a PUT of the registration", cmd)
	}
	sql, err := os.ReadFile("core-banking/init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"accounts", "transactions"} {
		if !strings.Contains(string(sql), "ALTER TABLE "+table+" REPLICA IDENTITY FULL;") {
			t.Errorf("core-banking/init.sql: no REPLICA IDENTITY FULL on %s", table)
		}
		if !strings.Contains(string(sql), "CREATE TABLE "+table+" (") {
			t.Errorf("core-banking/init.sql: no table %s", table)
		}
	}
	if !strings.Contains(string(sql), "CREATE PUBLICATION "+cfg["publication.name"]+" ") {
		t.Errorf("core-banking/init.sql: no publication %q", cfg["publication.name"])
	}
	checkTopicNames(t, "connect/core-banking-postgres.json")
}

// The command-line check catches the compose file's old mistake: a flag the
// role does not define.
func TestCommandLineCheckCatchesUnknownFlags(t *testing.T) {
	for _, args := range [][]string{
		{"wsfanout", "--metrics-listen", "0.0.0.0:9102"},
		{"processors", "--listen", "0.0.0.0:9101"},
		{"topics", "--replication-factor", "three"},
	} {
		if out, err := exec.Command(binary, append(args, "-h")...).CombinedOutput(); err == nil {
			t.Errorf("finstream %v -h exits 0, want an error:\n%s", args, out)
		}
	}
}
