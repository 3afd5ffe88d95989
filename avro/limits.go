package avro

import "github.com/linkedin/goavro/v2"

// MaxBlockItems bounds the item count of one Avro array or map block that
// goavro decodes. goavro allocates room for the count a block declares
// before it reads an item: its default bound, 2^31, let a 30-byte record
// ask for 32 GiB and kill the process (found by FuzzCodecDecode). A record
// of at most a megabyte whose items take a byte or more never needs more
// than 2^20; finstream's records hold far fewer.
const MaxBlockItems = 1 << 18

// goavro's bounds are package variables: lowered here (never raised), for
// every codec of the process; a string or bytes value is bounded by the
// producer's 1 MiB. processors/cdc does the same for Debezium's
// Avro.
func init() {
	goavro.MaxBlockCount = min(goavro.MaxBlockCount, MaxBlockItems)
	goavro.MaxBlockSize = min(goavro.MaxBlockSize, 1<<20)
}
