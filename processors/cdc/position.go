package cdc

// After reports whether p is newer than q: a greater LSN, or the same LSN
// (including none) and a later source timestamp.
func (p Position) After(q Position) bool {
	if p.LSN != q.LSN {
		return p.LSN > q.LSN
	}
	return p.TsMs > q.TsMs
}
