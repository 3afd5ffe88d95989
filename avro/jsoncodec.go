package avro

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// JSONCodec is a goka codec storing values of T as plain JSON (encoding/json),
// for tables whose values need no schema. Encode accepts a T or a non-nil
// *T; Decode returns a T (a value, not a pointer). The zero JSONCodec is
// ready to use and safe for concurrent use.
type JSONCodec[T any] struct{}

// Encode marshals value, a T or a non-nil *T, to JSON.
func (JSONCodec[T]) Encode(value any) ([]byte, error) {
	switch v := value.(type) {
	case *T:
		if v == nil {
			return nil, fmt.Errorf("json encode %v: nil pointer", reflect.TypeFor[T]())
		}
		return marshalJSON[T](v)
	case T:
		return marshalJSON[T](&v)
	}
	return nil, fmt.Errorf("json encode %v: got %T", reflect.TypeFor[T](), value)
}

func marshalJSON[T any](v *T) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("json encode %v: %w", reflect.TypeFor[T](), err)
	}
	return b, nil
}

// Decode unmarshals data into a T.
func (JSONCodec[T]) Decode(data []byte) (any, error) {
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("json decode %v: %w", reflect.TypeFor[T](), err)
	}
	return v, nil
}
