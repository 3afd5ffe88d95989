package lag

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
)

// WriteDescribe writes s as `finstream lag` prints it: per group a summary
// line (status by Burrow's rules and the partition status that caused it,
// lag in messages and seconds, state and members), then a table like
// kafka-consumer-groups --describe with the lag in seconds and the status of
// each partition:
//
//	finstream-users: ERR (STOP), lag 798 messages / 8.5 s, Empty, 0 members
//
//	GROUP            TOPIC                  PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  LAG-SECONDS  STATUS  CONSUMER-ID  HOST
//	finstream-users  finstream.txn.by-user  0          75              275             200  8.5          STOP    -            -
func WriteDescribe(w io.Writer, s Snapshot) error {
	if s.Error != "" {
		if _, err := fmt.Fprintf(w, "warning: the last sample failed: %s\n\n", s.Error); err != nil {
			return err
		}
	}
	if len(s.Groups) == 0 {
		_, err := fmt.Fprintln(w, "No finstream consumer groups.")
		return err
	}
	for i, g := range s.Groups {
		if i > 0 {
			fmt.Fprintln(w)
		}
		status := string(g.Status)
		if g.Reason != g.Status {
			status += " (" + string(g.Reason) + ")"
		}
		members := fmt.Sprintf("%s, %d members", g.State, g.Members)
		if g.Kind == KindTailer {
			members = "tailer"
		}
		fmt.Fprintf(w, "%s: %s, lag %d messages / %s s, %s\n\n", g.Group, status, g.LagMessages, seconds(g.LagSeconds), members)
		if len(g.Partitions) == 0 {
			fmt.Fprintf(w, "Consumer group '%s' has no committed offsets and no members.\n", g.Group)
			continue
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "GROUP\tTOPIC\tPARTITION\tCURRENT-OFFSET\tLOG-END-OFFSET\tLAG\tLAG-SECONDS\tSTATUS\tCONSUMER-ID\tHOST")
		for _, p := range g.Partitions {
			cur := "-"
			if p.CurrentOffset >= 0 {
				cur = strconv.FormatInt(p.CurrentOffset, 10)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", g.Group, p.Topic, p.Partition, cur, p.LogEndOffset,
				p.LagMessages, seconds(p.LagSeconds), p.Status, dash(p.ConsumerID), dash(p.Host))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func seconds(s float64) string { return strconv.FormatFloat(s, 'f', 1, 64) }

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
