package avro

import (
	"encoding/json"
	"fmt"
	"strings"
)

// wkind is the Avro type of a writer-schema node.
type wkind int

const (
	wNull wkind = iota
	wBool
	wInt
	wLong
	wFloat
	wDouble
	wBytes
	wString
	wRecord
	wEnum
	wFixed
	wArray
	wMap
	wUnion
)

var primitives = map[string]wkind{
	"null": wNull, "boolean": wBool, "int": wInt, "long": wLong,
	"float": wFloat, "double": wDouble, "bytes": wBytes, "string": wString,
}

// logicalBranches are the logical types goavro decodes natively; a union
// branch of one is named "<type>.<logicalType>" by goavro.
var logicalBranches = map[string]bool{
	"long.timestamp-millis": true, "long.timestamp-micros": true,
	"int.time-millis": true, "long.time-micros": true, "int.date": true,
}

// wnode is a node of a parsed writer schema: just what decoding needs, the
// shape of the data and the names goavro gives union branches.
type wnode struct {
	kind     wkind
	name     string // full name (named types) or goavro's union branch name
	fields   []wfield
	items    *wnode // array items, map values
	branches []*wnode
}

type wfield struct {
	name string
	node *wnode
}

// parseWriter parses the JSON text of an Avro schema.
func parseWriter(schema string) (*wnode, error) {
	var v any
	if err := json.Unmarshal([]byte(schema), &v); err != nil {
		return nil, fmt.Errorf("parse writer schema: %w", err)
	}
	p := writerParser{named: make(map[string]*wnode)}
	return p.node(v, "")
}

type writerParser struct {
	named map[string]*wnode
}

func (p *writerParser) node(v any, ns string) (*wnode, error) {
	switch s := v.(type) {
	case string:
		return p.ref(s, ns)
	case []any:
		u := &wnode{kind: wUnion, name: "union"}
		for _, b := range s {
			n, err := p.node(b, ns)
			if err != nil {
				return nil, err
			}
			u.branches = append(u.branches, n)
		}
		return u, nil
	case map[string]any:
		return p.object(s, ns)
	}
	return nil, fmt.Errorf("writer schema: unexpected %T", v)
}

func (p *writerParser) ref(s, ns string) (*wnode, error) {
	if k, ok := primitives[s]; ok {
		return &wnode{kind: k, name: s}, nil
	}
	if n, ok := p.named[s]; ok {
		return n, nil
	}
	if ns != "" {
		if n, ok := p.named[ns+"."+s]; ok {
			return n, nil
		}
	}
	return nil, fmt.Errorf("writer schema: unknown type %q", s)
}

func (p *writerParser) object(o map[string]any, ns string) (*wnode, error) {
	typ, ok := o["type"].(string)
	if !ok { // {"type": {...}} or {"type": [...]}
		return p.node(o["type"], ns)
	}
	switch typ {
	case "record", "error", "enum", "fixed":
		return p.namedType(o, typ, ns)
	case "array":
		items, err := p.node(o["items"], ns)
		if err != nil {
			return nil, err
		}
		return &wnode{kind: wArray, name: "array", items: items}, nil
	case "map":
		values, err := p.node(o["values"], ns)
		if err != nil {
			return nil, err
		}
		return &wnode{kind: wMap, name: "map", items: values}, nil
	}
	n, err := p.ref(typ, ns)
	if err != nil {
		return nil, err
	}
	if lt, _ := o["logicalType"].(string); lt != "" && primitives[typ] == n.kind {
		if name := typ + "." + lt; logicalBranches[name] {
			return &wnode{kind: n.kind, name: name}, nil
		}
	}
	return n, nil
}

// namedType parses a record, enum or fixed and registers its full name.
func (p *writerParser) namedType(o map[string]any, typ, ns string) (*wnode, error) {
	name, _ := o["name"].(string)
	if name == "" {
		return nil, fmt.Errorf("writer schema: %s without a name", typ)
	}
	full := name
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		ns = name[:i]
	} else {
		if own, _ := o["namespace"].(string); own != "" {
			ns = own
		}
		if ns != "" {
			full = ns + "." + name
		}
	}
	n := &wnode{name: full}
	p.named[full] = n // before the fields, so recursive references resolve
	switch typ {
	case "enum":
		n.kind = wEnum
		return n, nil
	case "fixed":
		n.kind = wFixed
		return n, nil
	}
	n.kind = wRecord
	fields, _ := o["fields"].([]any)
	for i, f := range fields {
		fo, _ := f.(map[string]any)
		fname, _ := fo["name"].(string)
		if fname == "" {
			return nil, fmt.Errorf("writer schema: record %s field %d without a name", full, i)
		}
		fn, err := p.node(fo["type"], ns)
		if err != nil {
			return nil, fmt.Errorf("record %s field %s: %w", full, fname, err)
		}
		n.fields = append(n.fields, wfield{name: fname, node: fn})
	}
	return n, nil
}
