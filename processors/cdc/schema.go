package cdc

import (
	"encoding/json"
	"fmt"
	"strings"
)

// column describes one field of a Debezium struct the way Kafka Connect
// does: a literal type, optionality, and an optional semantic name.
type column struct {
	name     string
	kind     string // Kafka Connect literal type: string, int32, int64
	optional bool
	semantic string            // Connect schema name, e.g. io.debezium.time.ZonedTimestamp
	version  int               // Connect schema version of the semantic type
	params   map[string]string // Connect schema parameters
	def      any               // Connect default value
}

const zonedTimestamp = "io.debezium.time.ZonedTimestamp"

// txnColumns is core banking's transactions table as Debezium sees it:
//
//	id text PK, account_id text NOT NULL, user_id text, direction text NOT NULL,
//	type text NOT NULL, status text NOT NULL, amount_minor bigint NOT NULL,
//	currency char(3) NOT NULL, merchant_name text, merchant_id text,
//	mcc integer, channel text, budget_id text,
//	posted_at timestamptz NOT NULL, updated_at timestamptz NOT NULL
var txnColumns = []column{
	{name: "id", kind: "string"},
	{name: "account_id", kind: "string"},
	{name: "user_id", kind: "string", optional: true},
	{name: "direction", kind: "string"},
	{name: "type", kind: "string"},
	{name: "status", kind: "string"},
	{name: "amount_minor", kind: "int64"},
	{name: "currency", kind: "string"},
	{name: "merchant_name", kind: "string", optional: true},
	{name: "merchant_id", kind: "string", optional: true},
	{name: "mcc", kind: "int32", optional: true},
	{name: "channel", kind: "string", optional: true},
	{name: "budget_id", kind: "string", optional: true},
	{name: "posted_at", kind: "string", semantic: zonedTimestamp, version: 1},
	{name: "updated_at", kind: "string", semantic: zonedTimestamp, version: 1},
}

// accountColumns is the accounts table: id text PK, user_id text NOT NULL,
// type text NOT NULL, currency char(3) NOT NULL, status text NOT NULL,
// goal_id text.
var accountColumns = []column{
	{name: "id", kind: "string"},
	{name: "user_id", kind: "string"},
	{name: "type", kind: "string"},
	{name: "currency", kind: "string"},
	{name: "status", kind: "string"},
	{name: "goal_id", kind: "string", optional: true},
}

// sourceColumns is io.debezium.connector.postgresql.Source (Debezium 3.0).
var sourceColumns = []column{
	{name: "version", kind: "string"},
	{name: "connector", kind: "string"},
	{name: "name", kind: "string"},
	{name: "ts_ms", kind: "int64"},
	{name: "snapshot", kind: "string", optional: true, semantic: "io.debezium.data.Enum", version: 1,
		params: map[string]string{"allowed": "true,last,false,incremental"}, def: "false"},
	{name: "db", kind: "string"},
	{name: "sequence", kind: "string", optional: true},
	{name: "ts_us", kind: "int64", optional: true},
	{name: "ts_ns", kind: "int64", optional: true},
	{name: "schema", kind: "string"},
	{name: "table", kind: "string"},
	{name: "txId", kind: "int64", optional: true},
	{name: "lsn", kind: "int64", optional: true},
	{name: "xmin", kind: "int64", optional: true},
}

// blockColumns is the transaction metadata block (event.block).
var blockColumns = []column{
	{name: "id", kind: "string"},
	{name: "total_order", kind: "int64"},
	{name: "data_collection_order", kind: "int64"},
}

// table is one captured table: its topic (<prefix>.<schema>.<table>) and rows.
type table struct {
	topic   string
	server  string // topic.prefix of the connector
	schema  string
	name    string
	columns []column
	ns      string // Avro/Connect namespace of the topic's schemas
}

// tableFor maps a Debezium topic to the table it carries.
func tableFor(topic string) (table, error) {
	parts := strings.Split(topic, ".")
	if len(parts) < 3 {
		return table{}, fmt.Errorf("topic %q is not <prefix>.<schema>.<table>", topic)
	}
	t := table{
		topic:  topic,
		server: strings.Join(parts[:len(parts)-2], "."),
		schema: parts[len(parts)-2],
		name:   parts[len(parts)-1],
	}
	switch t.name {
	case "transactions":
		t.columns = txnColumns
	case "accounts":
		t.columns = accountColumns
	default:
		return table{}, fmt.Errorf("topic %q: table %q is neither transactions nor accounts", topic, t.name)
	}
	segs := make([]string, len(parts))
	for i, p := range parts {
		segs[i] = avroName(p)
	}
	t.ns = strings.Join(segs, ".")
	return t, nil
}

// avroName replaces characters Avro names may not hold with '_', as
// Debezium's schema name adjuster does.
func avroName(s string) string {
	b := []byte(s)
	for i, c := range b {
		ok := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9')
		if !ok {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}

// connectSchema is a Kafka Connect schema as JsonConverter writes it in the
// "schema" block of a record (schemas.enable=true). Field order matches the
// converter's output.
type connectSchema struct {
	Type       string            `json:"type"`
	Fields     []connectSchema   `json:"fields,omitempty"`
	Optional   bool              `json:"optional"`
	Name       string            `json:"name,omitempty"`
	Version    int               `json:"version,omitempty"`
	Parameters map[string]string `json:"parameters,omitempty"`
	Default    any               `json:"default,omitempty"`
	Field      string            `json:"field,omitempty"`
}

// rowTimeUnits reads the semantic names of posted_at and updated_at in the
// before/after struct of an envelope schema.
func (s *connectSchema) rowTimeUnits() timeUnits {
	var u timeUnits
	for _, f := range s.Fields {
		if (f.Field != "after" && f.Field != "before") || f.Type != "struct" {
			continue
		}
		for _, col := range f.Fields {
			switch col.Field {
			case "posted_at":
				u.posted = unitOf(col.Name)
			case "updated_at":
				u.updated = unitOf(col.Name)
			}
		}
		return u
	}
	return u
}

func connectFields(cols []column) []connectSchema {
	out := make([]connectSchema, len(cols))
	for i, c := range cols {
		out[i] = connectSchema{Type: c.kind, Optional: c.optional, Name: c.semantic, Version: c.version,
			Parameters: c.params, Default: c.def, Field: c.name}
	}
	return out
}

// connectValue is the Connect schema of the table's change event value.
func (t table) connectValue() connectSchema {
	row := t.ns + ".Value"
	return connectSchema{Type: "struct", Fields: []connectSchema{
		{Type: "struct", Fields: connectFields(t.columns), Optional: true, Name: row, Field: "before"},
		{Type: "struct", Fields: connectFields(t.columns), Optional: true, Name: row, Field: "after"},
		{Type: "struct", Fields: connectFields(sourceColumns), Name: "io.debezium.connector.postgresql.Source", Field: "source"},
		{Type: "struct", Fields: connectFields(blockColumns), Optional: true, Name: "event.block", Version: 1, Field: "transaction"},
		{Type: "string", Field: "op"},
		{Type: "int64", Optional: true, Field: "ts_ms"},
		{Type: "int64", Optional: true, Field: "ts_us"},
		{Type: "int64", Optional: true, Field: "ts_ns"},
	}, Name: t.ns + ".Envelope", Version: 2}
}

// connectKey is the Connect schema of the table's record key.
func (t table) connectKey() connectSchema {
	return connectSchema{Type: "struct", Fields: connectFields(t.columns[:1]), Name: t.ns + ".Key"}
}

// Avro schemas as Confluent's AvroConverter derives them from Connect
// schemas: optional fields are ["null", T] unions defaulting to null,
// semantic types keep their Connect name in connect.* attributes.
type (
	avroRecordSchema struct {
		Type           string            `json:"type"`
		Name           string            `json:"name"`
		Namespace      string            `json:"namespace,omitempty"`
		Fields         []avroFieldSchema `json:"fields"`
		ConnectVersion int               `json:"connect.version,omitempty"`
		ConnectName    string            `json:"connect.name,omitempty"`
	}
	avroFieldSchema struct {
		Name    string          `json:"name"`
		Type    any             `json:"type"`
		Default json.RawMessage `json:"default,omitempty"`
	}
	avroTypeSchema struct {
		Type              string            `json:"type"`
		ConnectVersion    int               `json:"connect.version,omitempty"`
		ConnectParameters map[string]string `json:"connect.parameters,omitempty"`
		ConnectDefault    any               `json:"connect.default,omitempty"`
		ConnectName       string            `json:"connect.name,omitempty"`
	}
)

var jsonNull = json.RawMessage("null")

// avroPrimitive maps a Connect literal type to its Avro type.
func avroPrimitive(kind string) string {
	switch kind {
	case "int64":
		return "long"
	case "int32":
		return "int"
	default:
		return kind
	}
}

func avroFieldsOf(cols []column) []avroFieldSchema {
	out := make([]avroFieldSchema, len(cols))
	for i, c := range cols {
		var base any = avroPrimitive(c.kind)
		if c.semantic != "" || c.params != nil || c.def != nil {
			base = avroTypeSchema{Type: avroPrimitive(c.kind), ConnectVersion: c.version,
				ConnectParameters: c.params, ConnectDefault: c.def, ConnectName: c.semantic}
		}
		f := avroFieldSchema{Name: c.name, Type: base}
		var def json.RawMessage
		if c.def != nil {
			def, _ = json.Marshal(c.def) // strings and numbers only
		}
		switch {
		case c.optional && def != nil:
			f.Type, f.Default = []any{base, "null"}, def
		case c.optional:
			f.Type, f.Default = []any{"null", base}, jsonNull
		default:
			f.Default = def
		}
		out[i] = f
	}
	return out
}

// avroValue is the Avro schema of the table's change event value.
func (t table) avroValue() avroRecordSchema {
	long := []any{"null", "long"}
	return avroRecordSchema{Type: "record", Name: "Envelope", Namespace: t.ns, Fields: []avroFieldSchema{
		{Name: "before", Type: []any{"null", avroRecordSchema{Type: "record", Name: "Value",
			Fields: avroFieldsOf(t.columns), ConnectName: t.ns + ".Value"}}, Default: jsonNull},
		{Name: "after", Type: []any{"null", "Value"}, Default: jsonNull},
		{Name: "source", Type: avroRecordSchema{Type: "record", Name: "Source", Namespace: "io.debezium.connector.postgresql",
			Fields: avroFieldsOf(sourceColumns), ConnectName: "io.debezium.connector.postgresql.Source"}},
		{Name: "transaction", Type: []any{"null", avroRecordSchema{Type: "record", Name: "block", Namespace: "event",
			Fields: avroFieldsOf(blockColumns), ConnectVersion: 1, ConnectName: "event.block"}}, Default: jsonNull},
		{Name: "op", Type: "string"},
		{Name: "ts_ms", Type: long, Default: jsonNull},
		{Name: "ts_us", Type: long, Default: jsonNull},
		{Name: "ts_ns", Type: long, Default: jsonNull},
	}, ConnectVersion: 2, ConnectName: t.ns + ".Envelope"}
}

// avroKey is the Avro schema of the table's record key.
func (t table) avroKey() avroRecordSchema {
	return avroRecordSchema{Type: "record", Name: "Key", Namespace: t.ns,
		Fields: avroFieldsOf(t.columns[:1]), ConnectName: t.ns + ".Key"}
}
