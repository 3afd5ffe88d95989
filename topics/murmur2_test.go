package topics

import "testing"

// Vectors from Apache Kafka's UtilsTest.testMurmur2.
func TestMurmur2MatchesKafka(t *testing.T) {
	cases := map[string]int32{
		"21":                         -973932308,
		"foobar":                     -790332482,
		"a-little-bit-long-string":   -985981536,
		"a-little-bit-longer-string": -1486304829,
		"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
		"abc": 479470107,
	}
	for in, want := range cases {
		if got := int32(Murmur2([]byte(in))); got != want {
			t.Errorf("Murmur2(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestHasherAgreesWithKafkaPartitioner(t *testing.T) {
	for _, key := range []string{"USR-789", "USR-000001", "BDG-456", "a-little-bit-longer-string", ""} {
		h := Hasher()()
		h.Write([]byte(key))
		sum := int32(h.Sum32())
		if sum < 0 {
			t.Fatalf("Sum32 of %q is negative: goka's abs() would diverge from Kafka", key)
		}
		for _, n := range []int32{1, 3, 8, 12} {
			if got, want := sum%n, Partition([]byte(key), n); got != want {
				t.Errorf("key %q n=%d: hasher gives %d, Kafka gives %d", key, n, got, want)
			}
		}
	}
	// Kafka's partition for a key whose hash is negative: toPositive, not abs.
	if got, want := Partition([]byte("foobar"), 8), int32((-790332482&0x7fffffff)%8); got != want {
		t.Fatalf("Partition(foobar) = %d, want %d", got, want)
	}
}
