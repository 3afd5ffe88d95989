package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/twmb/franz-go/pkg/kfake"
)

// broker is the benchmark's embedded Kafka: in this process (as run's
// embedded broker is) or, with -broker-process, in a child process of its
// own, so that the broker's records (GBs at a million events) are not in
// the processors' heap and its goroutines not in their scheduler, as on a
// real cluster.
type broker struct {
	addrs   []string
	cluster *kfake.Cluster // in process
	child   *exec.Cmd      // out of process
	stdin   io.WriteCloser
}

func startBroker(dataDir string, outOfProcess bool) (*broker, error) {
	if !outOfProcess {
		c, err := newCluster(dataDir)
		if err != nil {
			return nil, err
		}
		return &broker{addrs: c.ListenAddrs(), cluster: c}, nil
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-serve-broker", dataDir)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("broker process: no address: %w", err)
	}
	return &broker{addrs: strings.Fields(line), child: cmd, stdin: stdin}, nil
}

// peakRSS is the broker process's peak RSS; 0 when it runs in this one
// (then it is in this process's figure).
func (b *broker) peakRSS() (int64, error) {
	if b.child == nil {
		return 0, nil
	}
	return peakRSSOf(fmt.Sprintf("/proc/%d/status", b.child.Process.Pid))
}

func (b *broker) close() error {
	if b.child == nil {
		b.cluster.Close()
		return nil
	}
	_ = b.stdin.Close() // the child closes its cluster and exits
	return b.child.Wait()
}

// serveBroker is the child of -broker-process: it prints the broker's
// addresses on one line and serves until its stdin closes.
func serveBroker(dataDir string) error {
	c, err := newCluster(dataDir)
	if err != nil {
		return err
	}
	defer c.Close()
	fmt.Println(strings.Join(c.ListenAddrs(), " "))
	_, _ = io.Copy(io.Discard, os.Stdin)
	return nil
}

// newCluster is the benchmark's broker, the same in and out of process.
func newCluster(dataDir string) (*kfake.Cluster, error) {
	return kfake.NewCluster(kfake.NumBrokers(1), kfake.DataDir(dataDir))
}
