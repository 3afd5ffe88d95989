package compact

// Mark is the highest input offset a value applied for one stream and
// partition of the stage that feeds it.
type Mark struct {
	Stream    int32 `json:"stream"`
	Partition int32 `json:"partition"`
	Offset    int64 `json:"offset"`
}

// Marks is a duplicate guard for records that carry the stage input that
// made them: a stage reads each input partition in order, and when every
// record of a key reaches one partition in that order, a record at or below
// the mark of its stream and partition was applied. Its size is bounded by
// the stage's streams × partitions, whatever the history.
type Marks []Mark

// Applied reports whether the record made by (stream, partition, offset)
// is at or below its mark. Stream 0 (a record of unknown origin) is never
// taken for a duplicate.
func (ms Marks) Applied(stream, partition int32, offset int64) bool {
	if stream == 0 {
		return false
	}
	for _, m := range ms {
		if m.Stream == stream && m.Partition == partition {
			return offset <= m.Offset
		}
	}
	return false
}

// Advance raises the mark of (stream, partition) to offset.
func (ms *Marks) Advance(stream, partition int32, offset int64) {
	if stream == 0 {
		return
	}
	for i, m := range *ms {
		if m.Stream == stream && m.Partition == partition {
			(*ms)[i].Offset = max(m.Offset, offset)
			return
		}
	}
	*ms = append(*ms, Mark{Stream: stream, Partition: partition, Offset: offset})
}

// Write encodes the marks.
func (ms Marks) Write(w *Writer) {
	w.Len(len(ms))
	for _, m := range ms {
		w.Int(int64(m.Stream))
		w.Int(int64(m.Partition))
		w.Int(m.Offset)
	}
}

// ReadMarks decodes marks written by Marks.Write.
func ReadMarks(r *Reader) Marks {
	n := r.Len()
	if n == 0 {
		return nil
	}
	ms := make(Marks, n)
	for i := range ms {
		ms[i] = Mark{Stream: int32(r.Int()), Partition: int32(r.Int()), Offset: r.Int()}
	}
	return ms
}
