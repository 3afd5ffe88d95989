package cdc

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/sr"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

// registry adapts franz-go's schema registry client to SchemaSource and
// SchemaRegistrar, against an in-process srfake registry.
type registry struct{ cl *sr.Client }

func (r registry) SchemaByID(ctx context.Context, id int) (string, error) {
	s, err := r.cl.SchemaByID(ctx, id)
	return s.Schema, err
}

func (r registry) Register(ctx context.Context, subject, schema string) (int, error) {
	s, err := r.cl.CreateSchema(ctx, subject, sr.Schema{Schema: schema, Type: sr.TypeAvro})
	return s.ID, err
}

func newRegistry(tb testing.TB) registry {
	tb.Helper()
	fake := srfake.New()
	tb.Cleanup(fake.Close)
	cl, err := sr.NewClient(sr.URLs(fake.URL()))
	if err != nil {
		tb.Fatal(err)
	}
	return registry{cl: cl}
}

// Hand-written change events as the Debezium 3.0 Postgres connector writes
// them for core.public.transactions (topic prefix "core").

// sampleTxn is the row of the samples below.
var sampleTxn = Txn{
	ID: "7f3c2a9e-5b1d-4c6e-9a0f-2d8b7e4c1a35", AccountID: "acc-000042", UserID: "usr-0007",
	Direction: "DEBIT", Type: "PURCHASE", Status: "POSTED", AmountMinor: 125050, Currency: "THB",
	MerchantName: "Tops Market Sukhumvit 39", MerchantID: "mer-8812", MCC: 5411, Channel: "CARD",
	PostedAt:  time.Date(2026, 11, 22, 10, 15, 30, 123456000, time.UTC),
	UpdatedAt: time.Date(2026, 11, 22, 10, 15, 31, 0, time.UTC),
}

var samplePos = Position{LSN: 24023128, TsMs: 1795342530200}

// samplePayload is the envelope of an insert, JsonConverter with
// schemas.enable=false.
const samplePayload = `{"before":null,"after":{"id":"7f3c2a9e-5b1d-4c6e-9a0f-2d8b7e4c1a35","account_id":"acc-000042",` +
	`"user_id":"usr-0007","direction":"DEBIT","type":"PURCHASE","status":"POSTED","amount_minor":125050,` +
	`"currency":"THB","merchant_name":"Tops Market Sukhumvit 39","merchant_id":"mer-8812","mcc":5411,` +
	`"channel":"CARD","budget_id":null,"posted_at":"2026-11-22T10:15:30.123456Z","updated_at":"2026-11-22T10:15:31Z"},` +
	`"source":{"version":"3.0.1.Final","connector":"postgresql","name":"core","ts_ms":1795342530200,` +
	`"snapshot":"false","db":"corebanking","sequence":"[\"24023064\",\"24023128\"]","ts_us":1795342530200311,` +
	`"ts_ns":1795342530200311000,"schema":"public","table":"transactions","txId":1187,"lsn":24023128,"xmin":null},` +
	`"transaction":null,"op":"c","ts_ms":1795342530457,"ts_us":1795342530457112,"ts_ns":1795342530457112873}`

// txnRowSchema is the Connect schema of a transactions row; timeType is the
// type and semantic name of the two timestamp columns.
func txnRowSchema(field, timeType string) string {
	return `{"type":"struct","fields":[` +
		`{"type":"string","optional":false,"field":"id"},` +
		`{"type":"string","optional":false,"field":"account_id"},` +
		`{"type":"string","optional":true,"field":"user_id"},` +
		`{"type":"string","optional":false,"field":"direction"},` +
		`{"type":"string","optional":false,"field":"type"},` +
		`{"type":"string","optional":false,"field":"status"},` +
		`{"type":"int64","optional":false,"field":"amount_minor"},` +
		`{"type":"string","optional":false,"field":"currency"},` +
		`{"type":"string","optional":true,"field":"merchant_name"},` +
		`{"type":"string","optional":true,"field":"merchant_id"},` +
		`{"type":"int32","optional":true,"field":"mcc"},` +
		`{"type":"string","optional":true,"field":"channel"},` +
		`{"type":"string","optional":true,"field":"budget_id"},` +
		`{` + timeType + `,"version":1,"field":"posted_at"},` +
		`{` + timeType + `,"version":1,"field":"updated_at"}` +
		`],"optional":true,"name":"core.public.transactions.Value","field":"` + field + `"}`
}

const zonedType = `"type":"string","optional":false,"name":"io.debezium.time.ZonedTimestamp"`

// txnEnvelopeSchema is the "schema" block of a transactions change event.
func txnEnvelopeSchema(timeType string) string {
	return `{"type":"struct","fields":[` + txnRowSchema("before", timeType) + `,` + txnRowSchema("after", timeType) + `,` +
		`{"type":"struct","fields":[` +
		`{"type":"string","optional":false,"field":"version"},` +
		`{"type":"string","optional":false,"field":"connector"},` +
		`{"type":"string","optional":false,"field":"name"},` +
		`{"type":"int64","optional":false,"field":"ts_ms"},` +
		`{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"true,last,false,incremental"},"default":"false","field":"snapshot"},` +
		`{"type":"string","optional":false,"field":"db"},` +
		`{"type":"string","optional":true,"field":"sequence"},` +
		`{"type":"int64","optional":true,"field":"ts_us"},` +
		`{"type":"int64","optional":true,"field":"ts_ns"},` +
		`{"type":"string","optional":false,"field":"schema"},` +
		`{"type":"string","optional":false,"field":"table"},` +
		`{"type":"int64","optional":true,"field":"txId"},` +
		`{"type":"int64","optional":true,"field":"lsn"},` +
		`{"type":"int64","optional":true,"field":"xmin"}` +
		`],"optional":false,"name":"io.debezium.connector.postgresql.Source","field":"source"},` +
		`{"type":"struct","fields":[` +
		`{"type":"string","optional":false,"field":"id"},` +
		`{"type":"int64","optional":false,"field":"total_order"},` +
		`{"type":"int64","optional":false,"field":"data_collection_order"}` +
		`],"optional":true,"name":"event.block","version":1,"field":"transaction"},` +
		`{"type":"string","optional":false,"field":"op"},` +
		`{"type":"int64","optional":true,"field":"ts_ms"},` +
		`{"type":"int64","optional":true,"field":"ts_us"},` +
		`{"type":"int64","optional":true,"field":"ts_ns"}` +
		`],"optional":false,"name":"core.public.transactions.Envelope","version":2}`
}

// sampleWithSchema is samplePayload as JsonConverter writes it with
// schemas.enable=true.
var sampleWithSchema = `{"schema":` + txnEnvelopeSchema(zonedType) + `,"payload":` + samplePayload + `}`

// sampleMicros is a {schema,payload} event whose timestamps are
// io.debezium.time.MicroTimestamp longs (timestamp columns without zone).
var sampleMicros = `{"schema":` +
	txnEnvelopeSchema(`"type":"int64","optional":false,"name":"io.debezium.time.MicroTimestamp"`) +
	`,"payload":` + strings.NewReplacer(
	`"posted_at":"2026-11-22T10:15:30.123456Z"`, `"posted_at":1795342530123456`,
	`"updated_at":"2026-11-22T10:15:31Z"`, `"updated_at":1795342531000000`,
).Replace(samplePayload) + `}`

// sampleTxnAvroSchema is the Avro value schema Confluent's AvroConverter
// registers for core.public.transactions.
const sampleTxnAvroSchema = `{"type":"record","name":"Envelope","namespace":"core.public.transactions","fields":[` +
	`{"name":"before","type":["null",{"type":"record","name":"Value","fields":[` +
	`{"name":"id","type":"string"},{"name":"account_id","type":"string"},` +
	`{"name":"user_id","type":["null","string"],"default":null},` +
	`{"name":"direction","type":"string"},{"name":"type","type":"string"},{"name":"status","type":"string"},` +
	`{"name":"amount_minor","type":"long"},{"name":"currency","type":"string"},` +
	`{"name":"merchant_name","type":["null","string"],"default":null},` +
	`{"name":"merchant_id","type":["null","string"],"default":null},` +
	`{"name":"mcc","type":["null","int"],"default":null},` +
	`{"name":"channel","type":["null","string"],"default":null},` +
	`{"name":"budget_id","type":["null","string"],"default":null},` +
	`{"name":"posted_at","type":{"type":"string","connect.version":1,"connect.name":"io.debezium.time.ZonedTimestamp"}},` +
	`{"name":"updated_at","type":{"type":"string","connect.version":1,"connect.name":"io.debezium.time.ZonedTimestamp"}}` +
	`],"connect.name":"core.public.transactions.Value"}],"default":null},` +
	`{"name":"after","type":["null","Value"],"default":null},` +
	`{"name":"source","type":{"type":"record","name":"Source","namespace":"io.debezium.connector.postgresql","fields":[` +
	`{"name":"version","type":"string"},{"name":"connector","type":"string"},{"name":"name","type":"string"},` +
	`{"name":"ts_ms","type":"long"},` +
	`{"name":"snapshot","type":[{"type":"string","connect.version":1,"connect.parameters":{"allowed":"true,last,false,incremental"},"connect.default":"false","connect.name":"io.debezium.data.Enum"},"null"],"default":"false"},` +
	`{"name":"db","type":"string"},{"name":"sequence","type":["null","string"],"default":null},` +
	`{"name":"ts_us","type":["null","long"],"default":null},{"name":"ts_ns","type":["null","long"],"default":null},` +
	`{"name":"schema","type":"string"},{"name":"table","type":"string"},` +
	`{"name":"txId","type":["null","long"],"default":null},{"name":"lsn","type":["null","long"],"default":null},` +
	`{"name":"xmin","type":["null","long"],"default":null}` +
	`],"connect.name":"io.debezium.connector.postgresql.Source"}},` +
	`{"name":"transaction","type":["null",{"type":"record","name":"block","namespace":"event","fields":[` +
	`{"name":"id","type":"string"},{"name":"total_order","type":"long"},{"name":"data_collection_order","type":"long"}` +
	`],"connect.version":1,"connect.name":"event.block"}],"default":null},` +
	`{"name":"op","type":"string"},` +
	`{"name":"ts_ms","type":["null","long"],"default":null},{"name":"ts_us","type":["null","long"],"default":null},` +
	`{"name":"ts_ns","type":["null","long"],"default":null}` +
	`],"connect.version":2,"connect.name":"core.public.transactions.Envelope"}`
