package avro

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestReadSchemaRetypesTypesOnly(t *testing.T) {
	in := `{"type":"record","name":"string_holder","namespace":"finstream","fields":[
		{"name":"a","type":"string","default":"string"},
		{"name":"b","type":["null","string"],"default":null},
		{"name":"c","type":{"type":"array","items":"string"}},
		{"name":"d","type":{"type":"map","values":["null",{"type":"string"}]}},
		{"name":"e","type":{"type":"string","logicalType":"uuid"}},
		{"name":"f","type":{"type":"enum","name":"string_kind","symbols":["string"]}},
		{"name":"g","type":"long"},
		{"name":"h","type":{"type":"long","logicalType":"timestamp-micros"}},
		{"name":"i","type":["null",{"type":"long","logicalType":"timestamp-micros"}]},
		{"name":"j","type":{"type":"long","logicalType":"timestamp-millis"}}]}`
	want := `{"type":"record","name":"string_holder","namespace":"finstream","fields":[
		{"name":"a","type":"bytes","default":"string"},
		{"name":"b","type":["null","bytes"],"default":null},
		{"name":"c","type":{"type":"array","items":"bytes"}},
		{"name":"d","type":{"type":"map","values":["null",{"type":"bytes"}]}},
		{"name":"e","type":{"type":"string","logicalType":"uuid"}},
		{"name":"f","type":{"type":"enum","name":"string_kind","symbols":["string"]}},
		{"name":"g","type":"long"},
		{"name":"h","type":"long"},
		{"name":"i","type":["null","long"]},
		{"name":"j","type":{"type":"long","logicalType":"timestamp-millis"}}]}`
	got, ok := readSchema(in)
	if !ok {
		t.Fatal("readSchema changed nothing")
	}
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("readSchema =\n%s\nwant\n%s", got, want)
	}
	if _, ok := readSchema(`{"type":"record","name":"N","fields":[{"name":"n","type":"long"}]}`); ok {
		t.Fatal("readSchema reported a change in a schema without strings")
	}
}
