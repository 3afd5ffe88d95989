package avro

import (
	"reflect"
	"time"

	"github.com/linkedin/goavro/v2"
)

// Encoders convert Go values to goavro's native form: records to
// map[string]any, arrays to []any, maps to map[string]any, optional values
// to nil or goavro.Union(branch, value), timestamps to microseconds.

func encodeTime(v reflect.Value) (any, error) {
	if v.CanAddr() {
		return v.Addr().Interface().(*time.Time).UnixMicro(), nil
	}
	return v.Interface().(time.Time).UnixMicro(), nil
}

func encodeArray(elem *model) encodeFn {
	return func(v reflect.Value) (any, error) {
		out := make([]any, v.Len())
		for i := range out {
			x, err := elem.enc(v.Index(i))
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	}
}

func encodeMap(elem *model) encodeFn {
	return func(v reflect.Value) (any, error) {
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			x, err := elem.enc(it.Value())
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
	return func(v reflect.Value) (any, error) {
		if v.IsNil() {
			return nil, nil
		}
		x, err := elem.enc(v.Elem())
		if err != nil {
			return nil, err
		}
		return goavro.Union(branch, x), nil
	}
}

func encodeRecord(rec *recordModel) encodeFn {
	return func(v reflect.Value) (any, error) {
		out := make(map[string]any, len(rec.fields))
		for _, f := range rec.fields {
			x, err := f.m.enc(v.Field(f.index))
			if err != nil {
				return nil, err
			}
			out[f.name] = x
		}
		return out, nil
	}
}
