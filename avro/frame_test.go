package avro

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		id      int
		payload []byte
		want    []byte
	}{
		{"empty payload", 1, nil, []byte{0, 0, 0, 0, 1}},
		{"payload", 258, []byte("abc"), []byte{0, 0, 0, 1, 2, 'a', 'b', 'c'}},
		{"id zero", 0, []byte{9}, []byte{0, 0, 0, 0, 0, 9}},
		{"max id", math.MaxInt32, []byte{1}, []byte{0, 0x7f, 0xff, 0xff, 0xff, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Frame(tt.id, tt.payload)
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("Frame = %v, want %v", got, tt.want)
			}
			id, payload, err := Unframe(got)
			if err != nil {
				t.Fatalf("Unframe: %v", err)
			}
			if id != tt.id || !bytes.Equal(payload, tt.payload) {
				t.Fatalf("Unframe = %d %v, want %d %v", id, payload, tt.id, tt.payload)
			}
		})
	}
}

func TestUnframeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
	}{
		{"nil", nil},
		{"short", []byte{0, 0, 0, 1}},
		{"wrong magic", []byte{1, 0, 0, 0, 1, 2}},
		{"json", []byte(`{"id":"x"}`)},
		{"id out of range", []byte{0, 0x80, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Unframe(tt.in)
			if !errors.Is(err, ErrNotFramed) {
				t.Fatalf("Unframe(%v) error = %v, want ErrNotFramed", tt.in, err)
			}
		})
	}
}

func TestFramePanicsOnBadID(t *testing.T) {
	for _, id := range []int{-1, math.MaxInt32 + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Frame(%d) did not panic", id)
				}
			}()
			Frame(id, nil)
		}()
	}
}
