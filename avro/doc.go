// Package avro gives finstream Avro for its internal Kafka topics: the
// Confluent wire format, a schema-registry client, goka codecs derived from
// Go structs, and the in-process schema registry of the embedded default.
//
// # Wire format
//
// Every Avro record on a topic is framed as Confluent serializers frame it:
// the magic byte 0, the writer's schema id as a 4-byte big-endian integer,
// then the Avro binary encoding (Frame, Unframe). Any Confluent-compatible
// consumer (Java, librdkafka, kcat -s avro) can read finstream's topics.
//
// # Schemas from Go structs
//
// Record types are plain Go structs with json tags. SchemaOf derives their
// Avro schema by reflection; every field has a default (its Go zero value,
// null for pointers), so adding a field is a compatible change. The generated
// .avsc files live in schemas/ and are embedded as Schemas;
// TestSchemasUpToDate checks them and `go test ./avro -run
// TestSchemasUpToDate -update` rewrites them (add a type to the list in
// schemas_test.go to publish its schema).
//
// # Codecs
//
// NewCodec registers T's schema under a subject (normally "<topic>-value")
// and returns a Codec[T], a goka codec. Encode converts the struct to
// goavro's native form by a per-type plan built once by reflection (no JSON
// round trip). Decode reads the writer id from the frame, fetches the
// writer's schema from the registry once (Client caches schemas by id
// forever: ids are immutable), resolves it against T once, and caches that
// plan per id: a record written by an older or newer version of T decodes,
// fields the writer lacks keep their zero value. time.Time is stored as
// timestamp-micros and decodes in UTC (compare with Equal); the zero time
// round-trips as the zero time. JSONCodec is the goka codec for values that
// need no schema.
//
// Decode errors wrap ErrNotFramed (not Avro in Confluent framing) or
// ErrUnknownSchemaID (an id the registry does not know): such records belong
// in the DLQ. Other registry errors (unreachable) are worth a retry.
//
// # In-process registry
//
// Registry serves the Confluent Schema Registry REST API from srfake (the
// franz-go fake) and makes it durable the way Confluent Schema Registry is:
// each registration and delete is appended to the compacted, single-partition
// topic "_schemas" (key {"keytype":"SCHEMA","subject","version","magic":1},
// value {"subject","version","id","schema","schemaType"?,"deleted"}, a
// tombstone for a permanent delete) and acknowledged by the broker before the
// HTTP response is sent. NewRegistry writes a NOOP mark, reads the topic from
// the beginning up to the mark and restores every subject version with its id
// and version, so schema ids survive restarts and new ids never collide with
// restored ones. One Registry per topic at a time.
//
// Differences from Confluent Schema Registry: compatibility is not enforced
// (srfake accepts every schema; goavro validates Avro syntax), config, mode
// and schema-context writes are refused, a subject deleted softly comes back
// after a restart with all its versions soft-deleted (so it accepts new
// registrations), and, as in Confluent, the id of a permanently deleted
// schema may be handed out again after a restart.
package avro
