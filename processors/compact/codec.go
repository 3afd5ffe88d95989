package compact

import (
	"encoding"
	"fmt"
)

// Codec is the goka codec (Encode/Decode) of a table whose value T encodes
// itself: P is *T with MarshalBinary and UnmarshalBinary. Encode takes a T
// or a *T; Decode returns a T value.
type Codec[T any, P interface {
	*T
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}] struct{}

// Encode encodes a T or *T.
func (Codec[T, P]) Encode(v any) ([]byte, error) {
	switch s := v.(type) {
	case T:
		return P(&s).MarshalBinary()
	case *T:
		return P(s).MarshalBinary()
	}
	var zero T
	return nil, fmt.Errorf("codec of %T: cannot encode %T", zero, v)
}

// Decode decodes what Encode wrote.
func (Codec[T, P]) Decode(b []byte) (any, error) {
	var s T
	err := P(&s).UnmarshalBinary(b)
	return s, err
}
