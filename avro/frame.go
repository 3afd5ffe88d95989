package avro

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// headerLen is the length of the Confluent wire-format header: the magic
// byte 0 followed by the schema id as a 4-byte big-endian integer.
const headerLen = 5

// magicByte is the first byte of every Confluent-framed record.
const magicByte = 0

// ErrNotFramed reports bytes that are not in the Confluent wire format: too
// short to hold the 5-byte header, or not starting with the magic byte 0.
// Callers that accept several encodings (JSON or framed Avro) branch on it
// with errors.Is.
var ErrNotFramed = errors.New("not in Confluent wire format")

// Frame returns payload prefixed with the Confluent header for schemaID. The
// result is a new slice; payload is not retained.
//
// Frame panics if schemaID is outside [0, math.MaxInt32]: registry ids are
// positive 32-bit integers, so such an id is a programming error.
func Frame(schemaID int, payload []byte) []byte {
	b := appendHeader(make([]byte, 0, headerLen+len(payload)), schemaID)
	return append(b, payload...)
}

// appendHeader appends the 5-byte Confluent header for schemaID to dst.
func appendHeader(dst []byte, schemaID int) []byte {
	if schemaID < 0 || schemaID > math.MaxInt32 {
		panic(fmt.Sprintf("avro: schema id %d out of range", schemaID))
	}
	dst = append(dst, magicByte)
	return binary.BigEndian.AppendUint32(dst, uint32(schemaID))
}

// Unframe splits a Confluent-framed record into its schema id and Avro
// payload. The payload aliases b. It returns an error wrapping ErrNotFramed
// when b is shorter than the 5-byte header or does not start with the magic
// byte 0. An empty payload is valid (a record with no fields).
func Unframe(b []byte) (schemaID int, payload []byte, err error) {
	if len(b) < headerLen {
		return 0, nil, fmt.Errorf("%w: %d bytes, need at least %d", ErrNotFramed, len(b), headerLen)
	}
	if b[0] != magicByte {
		return 0, nil, fmt.Errorf("%w: magic byte 0x%02x, want 0x00", ErrNotFramed, b[0])
	}
	id := binary.BigEndian.Uint32(b[1:headerLen])
	if id > math.MaxInt32 {
		return 0, nil, fmt.Errorf("%w: schema id %d out of range", ErrNotFramed, id)
	}
	return int(id), b[headerLen:], nil
}
