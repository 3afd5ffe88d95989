package topics

import "hash"

// Murmur2 is Kafka's murmur2 hash (the Java client's Utils.murmur2), as used
// by its default partitioner: partition = (Murmur2(key) & 0x7fffffff) % n.
func Murmur2(data []byte) uint32 {
	const (
		seed uint32 = 0x9747b28c
		m    uint32 = 0x5bd1e995
		r           = 24
	)
	length := len(data)
	h := seed ^ uint32(length)
	n := length / 4
	for i := 0; i < n; i++ {
		i4 := i * 4
		k := uint32(data[i4]) | uint32(data[i4+1])<<8 | uint32(data[i4+2])<<16 | uint32(data[i4+3])<<24
		k *= m
		k ^= k >> r
		k *= m
		h *= m
		h ^= k
	}
	rest := data[n*4:]
	switch len(rest) {
	case 3:
		h ^= uint32(rest[2]) << 16
		fallthrough
	case 2:
		h ^= uint32(rest[1]) << 8
		fallthrough
	case 1:
		h ^= uint32(rest[0])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return h
}

// Partition returns the partition Kafka's default partitioner picks for key.
func Partition(key []byte, partitions int32) int32 {
	return int32(Murmur2(key)&0x7fffffff) % partitions
}

// Hasher returns a hash builder for goka (WithHasher, WithViewHasher,
// WithEmitterHasher) and sarama's NewCustomHashPartitioner that puts every key
// where Kafka's murmur2 partitioner does. Sum32 is already masked to 31 bits,
// so goka's abs() and sarama's sign handling are no-ops and all agree with
// (murmur2 & 0x7fffffff) % n.
func Hasher() func() hash.Hash32 {
	return func() hash.Hash32 { return &murmurHash{} }
}

type murmurHash struct{ buf []byte }

func (h *murmurHash) Write(p []byte) (int, error) { h.buf = append(h.buf, p...); return len(p), nil }
func (h *murmurHash) Sum(b []byte) []byte {
	s := h.Sum32()
	return append(b, byte(s>>24), byte(s>>16), byte(s>>8), byte(s))
}
func (h *murmurHash) Reset()         { h.buf = h.buf[:0] }
func (h *murmurHash) Size() int      { return 4 }
func (h *murmurHash) BlockSize() int { return 4 }
func (h *murmurHash) Sum32() uint32  { return Murmur2(h.buf) & 0x7fffffff }
