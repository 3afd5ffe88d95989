package avro

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

// zeroTimeMicros is time.Time{} (0001-01-01 UTC) in microseconds since the
// Unix epoch: the default of every timestamp field, so that the zero time
// round-trips as the zero time.
var zeroTimeMicros = time.Time{}.UnixMicro()

// SchemaOf derives the Avro schema of the struct type T by reflection and
// returns it as compact JSON. Field names come from json tags (else the Go
// field name); fields tagged "-" and unexported fields are skipped.
//
// Mapping: string → string, bool → boolean, int, int8, int16, int32 → int,
// int64 → long, float32 → float, float64 → double, time.Time → long with
// logicalType timestamp-micros, []byte → bytes, other slices → array,
// map[string]X → map, structs → record named after the Go type in namespace
// "finstream" (each name defined once, later uses refer to it), *X → union
// ["null", X] with default null. Every other field has the default of its Go
// zero value, so a reader can add fields and still read older records.
//
// Unsigned integers, interfaces, arrays, channels, funcs, embedded fields,
// anonymous structs, maps with non-string keys and pointers to pointers are
// rejected with an error naming the field.
func SchemaOf[T any]() (string, error) {
	m, err := modelOf(reflect.TypeFor[T]())
	if err != nil {
		return "", err
	}
	return schemaJSON(m)
}

func schemaJSON(m *model) (string, error) {
	b, err := json.Marshal(schemaNode(m, make(map[*recordModel]bool)))
	if err != nil {
		return "", fmt.Errorf("avro schema of %v: %w", m.t, err)
	}
	return string(b), nil
}

// Schema JSON shapes, as structs so fields keep Avro's conventional order.
type (
	recordJSON struct {
		Type      string      `json:"type"`
		Name      string      `json:"name"`
		Namespace string      `json:"namespace"`
		Fields    []fieldJSON `json:"fields"`
	}
	fieldJSON struct {
		Name    string `json:"name"`
		Type    any    `json:"type"`
		Default any    `json:"default"`
	}
	arrayJSON struct {
		Type  string `json:"type"`
		Items any    `json:"items"`
	}
	mapJSON struct {
		Type   string `json:"type"`
		Values any    `json:"values"`
	}
	logicalJSON struct {
		Type        string `json:"type"`
		LogicalType string `json:"logicalType"`
	}
)

// schemaNode returns the JSON value of m's schema. A record is defined at its
// first use in document order and referred to by full name afterwards.
func schemaNode(m *model, defined map[*recordModel]bool) any {
	switch m.kind {
	case kTime:
		return logicalJSON{Type: "long", LogicalType: "timestamp-micros"}
	case kArray:
		return arrayJSON{Type: "array", Items: schemaNode(m.elem, defined)}
	case kMap:
		return mapJSON{Type: "map", Values: schemaNode(m.elem, defined)}
	case kOptional:
		return []any{"null", schemaNode(m.elem, defined)}
	case kRecord:
		if defined[m.rec] {
			return Namespace + "." + m.rec.name
		}
		defined[m.rec] = true
		r := recordJSON{Type: "record", Name: m.rec.name, Namespace: Namespace, Fields: []fieldJSON{}}
		for _, f := range m.rec.fields {
			r.Fields = append(r.Fields, fieldJSON{Name: f.name, Type: schemaNode(f.m, defined), Default: defaultOf(f.m)})
		}
		return r
	default:
		return m.branch() // primitives are named by their type
	}
}

// defaultOf returns the JSON default matching the Go zero value of m's type.
func defaultOf(m *model) any {
	switch m.kind {
	case kString, kBytes:
		return ""
	case kBool:
		return false
	case kInt, kLong, kFloat, kDouble:
		return 0
	case kTime:
		return zeroTimeMicros
	case kArray:
		return []any{}
	case kMap:
		return map[string]any{}
	case kRecord:
		obj := make(map[string]any, len(m.rec.fields))
		for _, f := range m.rec.fields {
			obj[f.name] = defaultOf(f.m)
		}
		return obj
	default: // kOptional
		return nil
	}
}
