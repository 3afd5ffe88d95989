package notify

import (
	"encoding/json"
	"fmt"

	"finstream/processors/compact"
)

// stateFormat is the first byte of a binary-encoded State; a value starting
// with '{' is the JSON of earlier builds (its id lists are hashed into the
// windows on decode).
const stateFormat byte = 0xD1

// Codec is the goka codec of the finstream-notifications table: State in
// a compact binary form. Decode returns a State value.
type Codec = compact.Codec[State, *State]

// MarshalBinary encodes the state.
func (s *State) MarshalBinary() ([]byte, error) {
	w := compact.Writer{B: make([]byte, 0, 32+8*(len(s.Seen)+len(s.Sent)))}
	w.Byte(stateFormat)
	w.Str(s.UserID)
	w.Str(s.Lang)
	w.Len(len(s.Disabled))
	for _, k := range s.Disabled {
		w.Str(k)
	}
	s.Seen.Write(&w)
	s.Sent.Write(&w)
	w.Int(s.Version)
	if len(s.Enabled) > 0 { // an optional trailer: earlier values have none
		w.Len(len(s.Enabled))
		for _, k := range s.Enabled {
			w.Str(k)
		}
	}
	return w.B, nil
}

// UnmarshalBinary decodes what MarshalBinary wrote, or the JSON of earlier
// builds.
func (s *State) UnmarshalBinary(b []byte) error {
	*s = State{}
	if len(b) > 0 && b[0] == '{' {
		return s.fromJSON(b)
	}
	if len(b) == 0 || b[0] != stateFormat {
		return fmt.Errorf("notify state: %w: unknown format", compact.ErrCorrupt)
	}
	r := compact.NewReader(b[1:])
	s.UserID = r.Str()
	s.Lang = r.Str()
	if n := r.Len(); n > 0 {
		s.Disabled = make([]string, n)
		for i := range s.Disabled {
			s.Disabled[i] = r.Str()
		}
	}
	s.Seen = compact.ReadWindow(r)
	s.Sent = compact.ReadWindow(r)
	s.Version = r.Int()
	if r.More() {
		s.Enabled = make([]string, r.Len())
		for i := range s.Enabled {
			s.Enabled[i] = r.Str()
		}
	}
	if err := r.Done(); err != nil {
		return fmt.Errorf("notify state: %w", err)
	}
	return nil
}

// fromJSON reads the JSON state of earlier builds, which listed every id.
func (s *State) fromJSON(b []byte) error {
	var old struct {
		UserID   string   `json:"user_id"`
		Lang     string   `json:"lang"`
		Disabled []string `json:"disabled"`
		Seen     []string `json:"seen"`
		SeenFrom []string `json:"seen_from"`
		Version  int64    `json:"version"`
	}
	if err := json.Unmarshal(b, &old); err != nil {
		return fmt.Errorf("notify state (json): %w", err)
	}
	*s = State{UserID: old.UserID, Lang: old.Lang, Disabled: old.Disabled, Version: old.Version}
	for i, id := range old.Seen {
		s.Seen.Add(compact.Hash(id), MaxSeen)
		if i < len(old.SeenFrom) && old.SeenFrom[i] != "" {
			s.Sent.Add(compact.Hash(old.SeenFrom[i], id), MaxResend)
		}
	}
	return nil
}
