package avro

import (
	"fmt"
	"reflect"
	"time"
)

// Decoders of goavro's native primitives. dst is addressable; numeric
// decoders accept the promotions Avro schema resolution allows.

func decodeString(native any, dst reflect.Value) error {
	switch v := native.(type) {
	case string:
		dst.SetString(v)
	case []byte:
		dst.SetString(string(v))
	default:
		return fmt.Errorf("want string, got %T", native)
	}
	return nil
}

func decodeBool(native any, dst reflect.Value) error {
	v, ok := native.(bool)
	if !ok {
		return fmt.Errorf("want boolean, got %T", native)
	}
	dst.SetBool(v)
	return nil
}

func decodeInt(native any, dst reflect.Value) error {
	var n int64
	switch v := native.(type) {
	case int32:
		n = int64(v)
	case int64:
		n = v
	default:
		return fmt.Errorf("want int or long, got %T", native)
	}
	if dst.OverflowInt(n) {
		return fmt.Errorf("%d overflows %v", n, dst.Type())
	}
	dst.SetInt(n)
	return nil
}

func decodeFloat(native any, dst reflect.Value) error {
	switch v := native.(type) {
	case float64:
		dst.SetFloat(v)
	case float32:
		dst.SetFloat(float64(v))
	case int32:
		dst.SetFloat(float64(v))
	case int64:
		dst.SetFloat(float64(v))
	default:
		return fmt.Errorf("want a number, got %T", native)
	}
	return nil
}

// decodeBytes copies: goavro's bytes alias the record being decoded.
func decodeBytes(native any, dst reflect.Value) error {
	switch v := native.(type) {
	case []byte:
		if len(v) > 0 {
			dst.SetBytes(append([]byte(nil), v...))
		}
	case string:
		if v != "" {
			dst.SetBytes([]byte(v))
		}
	default:
		return fmt.Errorf("want bytes, got %T", native)
	}
	return nil
}

// decodeTime accepts goavro's time.Time (timestamp logical types, in UTC) and
// a plain long, read as microseconds since the Unix epoch.
func decodeTime(native any, dst reflect.Value) error {
	p := dst.Addr().Interface().(*time.Time)
	switch v := native.(type) {
	case time.Time:
		*p = v
	case int64:
		*p = time.UnixMicro(v).UTC()
	default:
		return fmt.Errorf("want timestamp, got %T", native)
	}
	return nil
}
