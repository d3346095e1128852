// Package e2e starts the real meridian binary on loopback ephemeral ports and
// drives it with real clients: the aws-sdk-go-v2 Route 53 client, the aws
// CLI, dig and the miekg/dns client, and meridian's own CLI.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/miekg/dns"
)

const (
	testAccessKey = "AKIAMERIDIANE2ETEST1"
	testSecretKey = "e2e-secret-key-0123456789abcdefghijklmnop"
)

var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "meridian-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "meridian")
	build := exec.Command("go", "build", "-race", "-o", binPath, "../../cmd/meridian")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build meridian:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// node is one running meridian process.
type node struct {
	t       *testing.T
	cmd     *exec.Cmd
	dataDir string
	DNSAddr string // host:port, UDP and TCP
	APIURL  string
	logMu   sync.Mutex
	log     strings.Builder
	exited  chan struct{}
}

var servingRE = regexp.MustCompile(`msg="meridian serving" dns_udp=(\S+) dns_tcp=\S+ api=(\S+)`)

// startNode starts meridian serve on ephemeral loopback ports with dataDir
// ("" for a fresh temporary one) and waits until it serves.
func startNode(t *testing.T, dataDir string, extraArgs ...string) *node {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	args := append([]string{"serve", "--data-dir", dataDir, "--dns-addr", "127.0.0.1:0", "--api-addr", "127.0.0.1:0", "--dns-sockets", "2"}, extraArgs...)
	cmd := exec.Command(binPath, args...)
	cmd.Env = append(os.Environ(), "MERIDIAN_ACCESS_KEY_ID="+testAccessKey, "MERIDIAN_SECRET_ACCESS_KEY="+testSecretKey)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	n := &node{t: t, cmd: cmd, dataDir: dataDir, exited: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan [2]string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			line := sc.Text()
			n.logMu.Lock()
			n.log.WriteString(line + "\n")
			n.logMu.Unlock()
			if m := servingRE.FindStringSubmatch(line); m != nil {
				ready <- [2]string{m[1], m[2]}
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	go func() { _ = cmd.Wait(); close(n.exited) }()
	select {
	case addrs := <-ready:
		n.DNSAddr, n.APIURL = addrs[0], addrs[1]
	case <-n.exited:
		t.Fatalf("meridian exited before serving:\n%s", n.Log())
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("meridian did not start within 30s:\n%s", n.Log())
	}
	t.Cleanup(func() {
		n.Stop()
		if t.Failed() {
			t.Logf("meridian log:\n%s", n.Log())
		}
	})
	return n
}

// Log returns what the process has logged so far.
func (n *node) Log() string {
	n.logMu.Lock()
	defer n.logMu.Unlock()
	return n.log.String()
}

// Stop terminates the process gracefully (SIGTERM) and waits for it.
func (n *node) Stop() {
	select {
	case <-n.exited:
		return
	default:
	}
	_ = n.cmd.Process.Signal(os.Interrupt)
	select {
	case <-n.exited:
	case <-time.After(10 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.exited
	}
}

// Kill9 kills the process with SIGKILL, as a crash would.
func (n *node) Kill9() {
	_ = n.cmd.Process.Kill()
	<-n.exited
}

// r53 returns an aws-sdk-go-v2 Route 53 client for the node.
func (n *node) r53(region string) *route53.Client {
	return route53.New(route53.Options{
		Region:       region,
		BaseEndpoint: aws.String(n.APIURL),
		Credentials:  credentials.NewStaticCredentialsProvider(testAccessKey, testSecretKey, ""),
	})
}

// query sends one DNS query over proto ("udp" or "tcp") and returns the reply.
func (n *node) query(t *testing.T, proto, name string, qtype uint16, opts ...func(*dns.Msg)) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = false
	for _, o := range opts {
		o(m)
	}
	c := &dns.Client{Net: proto, Timeout: 3 * time.Second}
	r, _, err := c.Exchange(m, n.DNSAddr)
	if err != nil {
		t.Fatalf("query %s %s over %s: %v", name, dns.TypeToString[qtype], proto, err)
	}
	return r
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// run runs a command with a timeout and returns its combined output.
func run(t *testing.T, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func splitHostPort(t *testing.T, hp string) (string, string) {
	t.Helper()
	i := strings.LastIndexByte(hp, ':')
	if i < 0 {
		t.Fatalf("bad address %q", hp)
	}
	return hp[:i], hp[i+1:]
}

// lookDig finds dig.
func lookDig() (string, error) { return exec.LookPath("dig") }
