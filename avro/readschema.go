package avro

import "encoding/json"

// readSchema returns the writer schema a read plan decodes with, retyped
// so that goavro allocates less per record and reads the same bytes:
//   - every plain "string" type is written "bytes". Avro writes both alike
//     (a long length, then the bytes), but goavro returns a bytes value as a
//     []byte aliasing the record, where for a string it boxes that slice,
//     copies it into a string and boxes the string (three allocations a
//     string in goavro 2.15). The read plan copies once (decodeString,
//     decodeBytes). Strings with a logicalType stay as they are.
//   - a long of logicalType timestamp-micros is written a plain long:
//     goavro then boxes the long only, not also a time.Time, and
//     decodeTime reads a plain long as microseconds (in UTC, as goavro).
//
// ok is false when nothing changed or schema does not parse.
func readSchema(schema string) (string, bool) {
	var v any
	if err := json.Unmarshal([]byte(schema), &v); err != nil {
		return "", false
	}
	if !retype(&v) {
		return "", false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// retype rewrites the schema node *v as readSchema says, in type positions
// only (never names, symbols or defaults), and reports whether it changed
// anything.
func retype(v *any) bool {
	switch n := (*v).(type) {
	case string:
		if n == "string" {
			*v = "bytes"
			return true
		}
	case []any: // a union
		changed := false
		for i := range n {
			changed = retype(&n[i]) || changed
		}
		return changed
	case map[string]any:
		if lt, ok := n["logicalType"]; ok {
			if lt == "timestamp-micros" && n["type"] == "long" {
				*v = "long"
				return true
			}
			return false
		}
		switch n["type"] {
		case "record", "error":
			changed := false
			fields, _ := n["fields"].([]any)
			for _, f := range fields {
				if fo, ok := f.(map[string]any); ok {
					changed = retypeKey(fo, "type") || changed
				}
			}
			return changed
		case "array":
			return retypeKey(n, "items")
		case "map":
			return retypeKey(n, "values")
		case "enum", "fixed":
			return false
		}
		return retypeKey(n, "type")
	}
	return false
}

func retypeKey(o map[string]any, key string) bool {
	t, ok := o[key]
	if !ok || !retype(&t) {
		return false
	}
	o[key] = t
	return true
}
