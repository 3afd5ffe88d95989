package loadgen

import "finstream/processors/cdc"

// TxnEncoder encodes changes of the transactions table.
type TxnEncoder interface {
	EncodeTxn(op cdc.Op, before, after *cdc.Txn, pos cdc.Position) (key, value []byte, err error)
}

// AccountEncoder encodes changes of the accounts table.
type AccountEncoder interface {
	EncodeAccount(op cdc.Op, before, after *cdc.Account, pos cdc.Position) (key, value []byte, err error)
}

// TableEncoders returns an Encoder that sends each table's changes to its
// own encoder, such as the two *cdc.Encoder of core.public.transactions and
// core.public.accounts.
func TableEncoders(txns TxnEncoder, accounts AccountEncoder) Encoder {
	return tableEncoders{txns, accounts}
}

type tableEncoders struct {
	TxnEncoder
	AccountEncoder
}
