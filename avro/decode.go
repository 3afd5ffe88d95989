package avro

import (
	"fmt"
	"reflect"
)

// decodeFn stores goavro's native form of a value into dst, which is
// addressable and holds the zero value of its type.
type decodeFn func(native any, dst reflect.Value) error

// decoderBuilder resolves a writer schema against a reader model once, so that
// decoding a record is a walk of precomputed closures. Fields are matched by
// name: writer fields the reader lacks are skipped, reader fields the writer
// lacks keep their zero value.
type decoderBuilder struct {
	records map[recordPair]*recordDecoder
}

type recordPair struct {
	w *wnode
	r *recordModel
}

type recordDecoder struct {
	fields []fieldDecoder
}

type fieldDecoder struct {
	name  string
	index int
	dec   decodeFn
}

// buildDecoder returns the decoder of values written with w into m.
func buildDecoder(w *wnode, m *model) (decodeFn, error) {
	b := decoderBuilder{records: make(map[recordPair]*recordDecoder)}
	return b.build(w, m, m.t.String())
}

func (b *decoderBuilder) build(w *wnode, m *model, path string) (decodeFn, error) {
	switch {
	case w.kind == wUnion:
		return b.union(w, m, path)
	case w.kind == wNull:
		return func(any, reflect.Value) error { return nil }, nil
	case m.kind == kOptional:
		return b.optional(w, m, path)
	}
	mismatch := func() error {
		return fmt.Errorf("%s: writer type %s cannot be read into %v", path, w.name, m.t)
	}
	switch m.kind {
	case kString:
		if w.kind != wString && w.kind != wEnum && w.kind != wBytes {
			return nil, mismatch()
		}
		return decodeString, nil
	case kBool:
		if w.kind != wBool {
			return nil, mismatch()
		}
		return decodeBool, nil
	case kInt, kLong:
		if w.kind != wInt && w.kind != wLong {
			return nil, mismatch()
		}
		return decodeInt, nil
	case kFloat, kDouble:
		if w.kind < wInt || w.kind > wDouble {
			return nil, mismatch()
		}
		return decodeFloat, nil
	case kBytes:
		if w.kind != wBytes && w.kind != wFixed && w.kind != wString {
			return nil, mismatch()
		}
		return decodeBytes, nil
	case kTime:
		if w.kind != wLong {
			return nil, mismatch()
		}
		return decodeTime, nil
	case kArray:
		if w.kind != wArray {
			return nil, mismatch()
		}
		return b.array(w, m, path)
	case kMap:
		if w.kind != wMap {
			return nil, mismatch()
		}
		return b.mapOf(w, m, path)
	case kRecord:
		if w.kind != wRecord {
			return nil, mismatch()
		}
		return b.record(w, m, path)
	}
	return nil, mismatch()
}

// union decodes goavro's union form: nil, or a one-entry map from branch name
// to value. A branch the reader cannot hold fails only if it occurs.
func (b *decoderBuilder) union(w *wnode, m *model, path string) (decodeFn, error) {
	branches := make(map[string]decodeFn, len(w.branches))
	var only decodeFn // the single non-null branch, if there is one
	var nonNull, readable int
	var firstErr error
	for _, br := range w.branches {
		if br.kind == wNull {
			continue
		}
		nonNull++
		dec, err := b.build(br, m, path)
		if err != nil {
			firstErr = err
			dec = func(any, reflect.Value) error { return err }
		} else {
			readable++
		}
		branches[br.name] = dec
		only = dec
	}
	if nonNull > 0 && readable == 0 {
		return nil, firstErr
	}
	return func(native any, dst reflect.Value) error {
		if native == nil {
			return nil
		}
		u, ok := native.(map[string]any)
		if !ok || len(u) != 1 {
			return fmt.Errorf("malformed union value %T", native)
		}
		for name, v := range u {
			dec, ok := branches[name]
			if !ok {
				if nonNull != 1 {
					return fmt.Errorf("unknown union branch %q", name)
				}
				dec = only
			}
			return dec(v, dst)
		}
		return nil
	}, nil
}

func (b *decoderBuilder) optional(w *wnode, m *model, path string) (decodeFn, error) {
	inner, err := b.build(w, m.elem, path)
	if err != nil {
		return nil, err
	}
	elem := m.t.Elem()
	return func(native any, dst reflect.Value) error {
		if native == nil {
			return nil
		}
		p := reflect.New(elem)
		if err := inner(native, p.Elem()); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	}, nil
}

func (b *decoderBuilder) array(w *wnode, m *model, path string) (decodeFn, error) {
	item, err := b.build(w.items, m.elem, path+"[]")
	if err != nil {
		return nil, err
	}
	return func(native any, dst reflect.Value) error {
		a, ok := native.([]any)
		if !ok {
			return fmt.Errorf("want array, got %T", native)
		}
		if len(a) == 0 {
			return nil // the zero value: a nil slice
		}
		s := reflect.MakeSlice(m.t, len(a), len(a))
		for i, v := range a {
			if err := item(v, s.Index(i)); err != nil {
				return fmt.Errorf("item %d: %w", i, err)
			}
		}
		dst.Set(s)
		return nil
	}, nil
}

func (b *decoderBuilder) mapOf(w *wnode, m *model, path string) (decodeFn, error) {
	value, err := b.build(w.items, m.elem, path+"[key]")
	if err != nil {
		return nil, err
	}
	keyType := m.t.Key()
	plainKey := keyType == reflect.TypeFor[string]()
	return func(native any, dst reflect.Value) error {
		in, ok := native.(map[string]any)
		if !ok {
			return fmt.Errorf("want map, got %T", native)
		}
		if len(in) == 0 {
			return nil // the zero value: a nil map
		}
		out := reflect.MakeMapWithSize(m.t, len(in))
		tmp := reflect.New(m.elem.t).Elem()
		for k, v := range in {
			tmp.SetZero()
			if err := value(v, tmp); err != nil {
				return fmt.Errorf("key %q: %w", k, err)
			}
			key := reflect.ValueOf(k)
			if !plainKey {
				key = key.Convert(keyType)
			}
			out.SetMapIndex(key, tmp)
		}
		dst.Set(out)
		return nil
	}, nil
}

func (b *decoderBuilder) record(w *wnode, m *model, path string) (decodeFn, error) {
	key := recordPair{w, m.rec}
	rd, ok := b.records[key]
	if !ok {
		rd = &recordDecoder{}
		b.records[key] = rd // before the fields, so recursion terminates
		byName := make(map[string]fieldModel, len(m.rec.fields))
		for _, f := range m.rec.fields {
			byName[f.name] = f
		}
		for _, wf := range w.fields {
			f, ok := byName[wf.name]
			if !ok {
				continue // the reader dropped this field
			}
			dec, err := b.build(wf.node, f.m, path+"."+wf.name)
			if err != nil {
				return nil, err
			}
			rd.fields = append(rd.fields, fieldDecoder{name: wf.name, index: f.index, dec: dec})
		}
	}
	return func(native any, dst reflect.Value) error {
		in, ok := native.(map[string]any)
		if !ok {
			return fmt.Errorf("want record, got %T", native)
		}
		for _, f := range rd.fields {
			if err := f.dec(in[f.name], dst.Field(f.index)); err != nil {
				return fmt.Errorf("field %s: %w", f.name, err)
			}
		}
		return nil
	}, nil
}
