package avro

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Namespace is the Avro namespace of every record derived from a Go struct.
const Namespace = "finstream"

// kind is the Avro shape a Go type maps to.
type kind int

const (
	kString   kind = iota // string kinds → string
	kBool                 // bool → boolean
	kInt                  // int, int8, int16, int32 → int
	kLong                 // int64 → long
	kFloat                // float32 → float
	kDouble               // float64 → double
	kBytes                // []byte → bytes
	kTime                 // time.Time → long, logicalType timestamp-micros
	kArray                // other slices → array
	kMap                  // map[string]X → map
	kRecord               // structs → record
	kOptional             // *X → ["null", X], default null
)

var timeType = reflect.TypeFor[time.Time]()

// model is the plan for one Go type: its Avro shape and how to encode a
// value of it to goavro's native form. Models are built once per Go type by
// a modeler and shared (recursive types point back at their record).
type model struct {
	kind kind
	t    reflect.Type
	elem *model       // kArray items, kMap values, kOptional target
	rec  *recordModel // kRecord
	enc  encodeFn
}

// recordModel is the plan of a struct: its Avro full name and its fields in
// declaration order.
type recordModel struct {
	name   string // short name (the Go type's name)
	fields []fieldModel
}

type fieldModel struct {
	name  string // Avro field name: the json tag name, else the Go name
	index int    // index of the Go struct field
	m     *model
}

// encodeFn converts a Go value to goavro's native form, reusing what it can
// of prev, the native form of the value this place held before (see
// encode.go).
type encodeFn func(v reflect.Value, prev any) (any, error)

// modeler builds models, memoizing records by Go type so that recursive and
// repeated types share one recordModel, and checking that no two Go types
// claim the same Avro name.
type modeler struct {
	records map[reflect.Type]*model
	names   map[string]reflect.Type
}

func newModeler() *modeler {
	return &modeler{records: make(map[reflect.Type]*model), names: make(map[string]reflect.Type)}
}

// modelOf returns the model of the top-level type t, which must be a struct.
func modelOf(t reflect.Type) (*model, error) {
	if t.Kind() != reflect.Struct || t == timeType {
		return nil, fmt.Errorf("avro schema of %v: top-level type must be a struct", t)
	}
	return newModeler().model(t, t.String())
}

func (b *modeler) model(t reflect.Type, path string) (*model, error) {
	if t == timeType {
		return &model{kind: kTime, t: t, enc: encodeTime}, nil
	}
	if k, enc := primitiveEncoder(t, path); enc != nil {
		return &model{kind: k, t: t, enc: enc}, nil
	}
	switch t.Kind() {
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return &model{kind: kBytes, t: t, enc: encodeBytes}, nil
		}
		elem, err := b.model(t.Elem(), path+"[]")
		if err != nil {
			return nil, err
		}
		return &model{kind: kArray, t: t, elem: elem, enc: encodeArray(elem)}, nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("%s: map key %v: Avro maps need string keys", path, t.Key())
		}
		elem, err := b.model(t.Elem(), path+"[key]")
		if err != nil {
			return nil, err
		}
		return &model{kind: kMap, t: t, elem: elem, enc: encodeMap(elem)}, nil
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Pointer {
			return nil, fmt.Errorf("%s: pointer to pointer %v is not supported", path, t)
		}
		elem, err := b.model(t.Elem(), path)
		if err != nil {
			return nil, err
		}
		return &model{kind: kOptional, t: t, elem: elem, enc: encodeOptional(elem)}, nil
	case reflect.Struct:
		return b.record(t, path)
	default:
		return nil, fmt.Errorf("%s: Go type %v has no Avro mapping", path, t)
	}
}

func (b *modeler) record(t reflect.Type, path string) (*model, error) {
	if m, ok := b.records[t]; ok {
		return m, nil
	}
	if t.Name() == "" || !validName(t.Name()) {
		return nil, fmt.Errorf("%s: struct type %v needs a name valid in Avro ([A-Za-z_][A-Za-z0-9_]*)", path, t)
	}
	if other, ok := b.names[t.Name()]; ok {
		return nil, fmt.Errorf("%s: Avro record %s.%s would name both %v and %v", path, Namespace, t.Name(), other, t)
	}
	b.names[t.Name()] = t
	rec := &recordModel{name: t.Name()}
	m := &model{kind: kRecord, t: t, rec: rec}
	m.enc = encodeRecord(rec)
	b.records[t] = m // before the fields, so recursive references resolve

	seen := make(map[string]string)
	for i := range t.NumField() {
		f := t.Field(i)
		name, skip := fieldName(f)
		if skip {
			continue
		}
		fpath := path + "." + f.Name
		if f.Anonymous {
			return nil, fmt.Errorf("%s: embedded field %s is not supported: name it or tag it json:\"-\"", fpath, f.Name)
		}
		if !validName(name) {
			return nil, fmt.Errorf("%s: field name %q is not a valid Avro name", fpath, name)
		}
		if prev, dup := seen[name]; dup {
			return nil, fmt.Errorf("%s: Avro field %q used by both %s and %s", fpath, name, prev, f.Name)
		}
		seen[name] = f.Name
		fm, err := b.model(f.Type, fpath)
		if err != nil {
			return nil, err
		}
		rec.fields = append(rec.fields, fieldModel{name: name, index: i, m: fm})
	}
	return m, nil
}

// fieldName returns the Avro name of a struct field: its json tag name like
// encoding/json, else its Go name. skip reports fields tagged "-" and
// unexported fields.
func fieldName(f reflect.StructField) (name string, skip bool) {
	tag := f.Tag.Get("json")
	if tag == "-" || (!f.IsExported() && !f.Anonymous) {
		return "", true
	}
	name, _, _ = strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, false
}

// validName reports whether s is a valid Avro name component.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		c := s[i]
		letter := c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// branch returns the name goavro gives m's branch in a union.
func (m *model) branch() string {
	switch m.kind {
	case kString:
		return "string"
	case kBool:
		return "boolean"
	case kInt:
		return "int"
	case kLong:
		return "long"
	case kFloat:
		return "float"
	case kDouble:
		return "double"
	case kBytes:
		return "bytes"
	case kTime:
		return "long.timestamp-micros"
	case kArray:
		return "array"
	case kMap:
		return "map"
	case kRecord:
		return Namespace + "." + m.rec.name
	}
	panic(fmt.Sprintf("avro: no union branch for kind %d", m.kind))
}
