package cdc

import "github.com/linkedin/goavro/v2"

// maxAvroBlockItems bounds the item count of an Avro array or map block:
// goavro allocates what a block declares before reading it (2^31 items by
// default, so a few bytes could ask for 32 GiB). The finstream/avro
// package lowers the same bounds; each lowers, never raises.
const maxAvroBlockItems = 1 << 18

func init() {
	goavro.MaxBlockCount = min(goavro.MaxBlockCount, maxAvroBlockItems)
	goavro.MaxBlockSize = min(goavro.MaxBlockSize, 1<<20)
}
