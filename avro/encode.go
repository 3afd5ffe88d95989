package avro

import (
	"fmt"
	"math"
	"reflect"
	"time"
)

// Encoders convert Go values to goavro's native form: records to
// map[string]any, arrays to []any, maps to map[string]any, optional values
// to nil or a one-entry map from union branch to value (goavro.Union's
// form), timestamps to microseconds.
//
// Each encoder is given prev, the native value the same place held after
// the previous record the caller encoded with this tree (nil the first
// time), and reuses what it can: a record's map, a union's map, an array's
// slice and a leaf already boxed with the same value. A tree is used by one
// goroutine at a time (Codec keeps them in a sync.Pool) and goavro keeps
// nothing of it, so after the first records a record of the same shape costs
// only the boxes of the leaves that changed.

// reuse returns prev when it holds x already, sparing the allocation of
// boxing x again (enum-like fields repeat from record to record).
func reuse[V comparable](prev any, x V) any {
	if p, ok := prev.(V); ok && p == x {
		return prev
	}
	return x
}

// primitiveEncoder returns the encoder of a Go kind that maps to an Avro
// primitive, or nil. path names the field in errors.
func primitiveEncoder(t reflect.Type, path string) (kind, encodeFn) {
	switch t.Kind() {
	case reflect.String:
		return kString, func(v reflect.Value, prev any) (any, error) { return reuse(prev, v.String()), nil }
	case reflect.Bool:
		return kBool, func(v reflect.Value, _ any) (any, error) { return v.Bool(), nil }
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return kInt, func(v reflect.Value, prev any) (any, error) { return reuse(prev, int32(v.Int())), nil }
	case reflect.Int:
		return kInt, func(v reflect.Value, prev any) (any, error) {
			n := v.Int()
			if n < math.MinInt32 || n > math.MaxInt32 {
				return nil, fmt.Errorf("%s: %d does not fit Avro int (32 bits)", path, n)
			}
			return reuse(prev, int32(n)), nil
		}
	case reflect.Int64:
		return kLong, func(v reflect.Value, prev any) (any, error) { return reuse(prev, v.Int()), nil }
	case reflect.Float32:
		return kFloat, func(v reflect.Value, prev any) (any, error) { return reuse(prev, float32(v.Float())), nil }
	case reflect.Float64:
		return kDouble, func(v reflect.Value, prev any) (any, error) { return reuse(prev, v.Float()), nil }
	}
	return 0, nil
}

func encodeBytes(v reflect.Value, _ any) (any, error) { return v.Bytes(), nil }

func encodeTime(v reflect.Value, prev any) (any, error) {
	if v.CanAddr() {
		return reuse(prev, v.Addr().Interface().(*time.Time).UnixMicro()), nil
	}
	return reuse(prev, v.Interface().(time.Time).UnixMicro()), nil
}

func encodeArray(elem *model) encodeFn {
	return func(v reflect.Value, prev any) (any, error) {
		n := v.Len()
		out, _ := prev.([]any)
		if out == nil || cap(out) < n {
			out = append(make([]any, 0, n), out...)
		}
		out = out[:n]
		for i := range out {
			x, err := elem.enc(v.Index(i), out[i])
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	}
}

func encodeMap(elem *model) encodeFn {
	return func(v reflect.Value, prev any) (any, error) {
		out, ok := prev.(map[string]any)
		if ok {
			clear(out)
		} else {
			out = make(map[string]any, v.Len())
		}
		for it := v.MapRange(); it.Next(); {
			x, err := elem.enc(it.Value(), nil)
			if err != nil {
				return nil, err
			}
			out[it.Key().String()] = x
		}
		return out, nil
	}
}

func encodeOptional(elem *model) encodeFn {
	branch := elem.branch()
	return func(v reflect.Value, prev any) (any, error) {
		if v.IsNil() {
			return nil, nil
		}
		u, _ := prev.(map[string]any) // this place only ever holds {branch: x}
		x, err := elem.enc(v.Elem(), u[branch])
		if err != nil {
			return nil, err
		}
		if u == nil {
			return map[string]any{branch: x}, nil
		}
		u[branch] = x
		return u, nil
	}
}

func encodeRecord(rec *recordModel) encodeFn {
	return func(v reflect.Value, prev any) (any, error) {
		out, ok := prev.(map[string]any)
		if !ok {
			out = make(map[string]any, len(rec.fields))
		}
		for _, f := range rec.fields {
			x, err := f.m.enc(v.Field(f.index), out[f.name])
			if err != nil {
				return nil, err
			}
			out[f.name] = x
		}
		return out, nil
	}
}
