package lag

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestWriteDescribe(t *testing.T) {
	s := Snapshot{Groups: []GroupLag{
		{Group: "finstream-accounts", Kind: KindGroup, State: "Stable", Members: 1, Status: OK, Reason: OK,
			Partitions: []PartitionLag{{Topic: "finstream.accounts.by-id", Partition: 0, CurrentOffset: 12, LogEndOffset: 12, Status: OK, ConsumerID: "sarama-1", Host: "/127.0.0.1"}}},
		{Group: "finstream-users", Kind: KindGroup, State: "Empty", Status: Err, Reason: Stop, LagMessages: 200, LagSeconds: 8.46,
			Partitions: []PartitionLag{
				{Topic: "finstream.txn.by-user", Partition: 0, CurrentOffset: 75, LogEndOffset: 275, LagMessages: 200, LagSeconds: 8.46, Status: Stop},
				{Topic: "finstream.txn.by-user", Partition: 1, CurrentOffset: -1, LogEndOffset: 0, Status: OK},
			}},
		{Group: "finstream-new", Kind: KindGroup, State: "Dead", Status: OK, Reason: OK},
	}}
	var b strings.Builder
	if err := WriteDescribe(&b, s); err != nil {
		t.Fatal(err)
	}
	want := `finstream-accounts: OK, lag 0 messages / 0.0 s, Stable, 1 members

GROUP               TOPIC                     PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  LAG-SECONDS  STATUS  CONSUMER-ID  HOST
finstream-accounts  finstream.accounts.by-id  0          12              12              0    0.0          OK      sarama-1     /127.0.0.1

finstream-users: ERR (STOP), lag 200 messages / 8.5 s, Empty, 0 members

GROUP            TOPIC                  PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  LAG-SECONDS  STATUS  CONSUMER-ID  HOST
finstream-users  finstream.txn.by-user  0          75              275             200  8.5          STOP    -            -
finstream-users  finstream.txn.by-user  1          -               0               0    0.0          OK      -            -

finstream-new: OK, lag 0 messages / 0.0 s, Dead, 0 members

Consumer group 'finstream-new' has no committed offsets and no members.
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestSnapshotJSONRoundTrip(t *testing.T) {
	in := Snapshot{Window: 10, Groups: []GroupLag{{Group: "g", Status: Warn, Reason: Warn,
		Partitions: []PartitionLag{{Topic: "t", Estimate: Extrapolated, Status: Warn}}}}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Snapshot
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Groups[0].Partitions[0].Estimate != Extrapolated || out.Groups[0].Status != Warn {
		t.Errorf("round trip: %s -> %+v", b, out)
	}
}
