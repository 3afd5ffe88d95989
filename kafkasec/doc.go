// Package kafkasec is the Kafka security of every client finstream makes:
// TLS (a CA to trust, an optional client certificate) and SASL (PLAIN,
// SCRAM-SHA-256, SCRAM-SHA-512). cmd/finstream builds one Config from the
// --kafka-* flags and FINSTREAM_KAFKA_SASL_PASSWORD, validates it once, and
// hands it to every goka processor, view and emitter (Sarama) and every
// franz-go client (Opts). A nil or zero Config is plaintext.
package kafkasec
