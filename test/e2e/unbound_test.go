package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// resolver is a real recursive resolver (unbound) configured to send EDNS
// Client Subnet to the node for stubZone.
type resolver struct {
	Addr   string
	cmd    *exec.Cmd
	exited <-chan struct{}
}

// freeUDPPort returns a loopback UDP port that was free a moment ago.
func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// unboundConf is the resolver's configuration: port, directory, the node's
// DNS host, the stub zone and the node's DNS port.
const unboundConf = `server:
  interface: 127.0.0.1
  port: %d
  do-ip6: no
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "%[2]s"
  pidfile: "%[2]s/unbound.pid"
  use-syslog: no
  logfile: ""
  verbosity: 1
  access-control: 127.0.0.0/8 allow
  module-config: "subnetcache iterator"
  send-client-subnet: %[3]s
  client-subnet-always-forward: yes
  max-client-subnet-ipv4: 24
  max-client-subnet-ipv6: 56
  domain-insecure: "%[4]s"
  qname-minimisation: no
stub-zone:
  name: "%[4]s"
  stub-addr: %[3]s@%[5]s
`

// startUnbound starts unbound with ECS forwarding towards the node for
// stubZone; it skips the test when unbound is not installed.
func startUnbound(t *testing.T, n *node, stubZone string) *resolver {
	t.Helper()
	bin, err := exec.LookPath("unbound")
	if err != nil {
		for _, p := range []string{"/usr/sbin/unbound", "/sbin/unbound"} {
			if _, err := os.Stat(p); err == nil {
				bin = p
			}
		}
		if bin == "" {
			t.Skip("unbound not installed")
		}
	}
	dir := t.TempDir()
	host, mport := splitHostPort(t, n.DNSAddr)
	// The port was free for UDP a moment ago; unbound also binds it for
	// TCP, and another test may take it in between: try a few ports.
	for attempt := 1; ; attempt++ {
		port := freeUDPPort(t)
		conf := fmt.Sprintf(unboundConf, port, dir, host, stubZone, mport)
		r, exited := launchUnbound(t, bin, dir, conf, port)
		answered := false
		deadline := time.Now().Add(10 * time.Second)
		for !answered && time.Now().Before(deadline) {
			select {
			case <-exited:
				deadline = time.Time{}
				continue
			default:
			}
			m := new(dns.Msg)
			m.SetQuestion(dns.Fqdn(stubZone), dns.TypeSOA)
			c := &dns.Client{Timeout: 500 * time.Millisecond}
			if _, _, err := c.Exchange(m, r.Addr); err == nil {
				answered = true
			} else {
				time.Sleep(50 * time.Millisecond)
			}
		}
		if answered {
			return r
		}
		log, _ := os.ReadFile(filepath.Join(dir, "unbound.log"))
		if attempt < 5 && strings.Contains(string(log), "Address already in use") {
			t.Logf("unbound could not bind port %d, retrying on another", port)
			r.stop()
			continue
		}
		t.Fatalf("timed out waiting for unbound to answer on %s; its log:\n%s", r.Addr, log)
	}
}

// launchUnbound starts unbound with conf; exited is closed when it ends.
func launchUnbound(t *testing.T, bin, dir, conf string, port int) (*resolver, <-chan struct{}) {
	t.Helper()
	confPath := filepath.Join(dir, "unbound.conf")
	writeFile(t, confPath, conf)
	cmd := exec.Command(bin, "-d", "-c", confPath)
	out, err := os.Create(filepath.Join(dir, "unbound.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	r := &resolver{Addr: fmt.Sprintf("127.0.0.1:%d", port), cmd: cmd, exited: exited}
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		r.stop()
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(dir, "unbound.log"))
			t.Logf("unbound log:\n%s", b)
		}
	})
	return r, exited
}

// stop kills the resolver and waits for it to end.
func (r *resolver) stop() {
	_ = r.cmd.Process.Kill()
	<-r.exited
}

// query sends a recursive query to the resolver, with an ECS option for
// subnet when it is not empty.
func (r *resolver) query(t *testing.T, name string, qtype uint16, subnet string) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	if subnet != "" {
		withECS(t, m, subnet)
	}
	c := &dns.Client{Timeout: 5 * time.Second}
	resp, _, err := c.Exchange(m, r.Addr)
	if err != nil {
		t.Fatalf("resolver query %s: %v", name, err)
	}
	return resp
}

// withECS adds an EDNS Client Subnet option for subnet (a CIDR) to m.
func withECS(t *testing.T, m *dns.Msg, subnet string) {
	t.Helper()
	_, ipnet, err := net.ParseCIDR(subnet)
	if err != nil {
		t.Fatal(err)
	}
	ones, _ := ipnet.Mask.Size()
	e := &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, SourceNetmask: uint8(ones), Address: ipnet.IP}
	if ip4 := ipnet.IP.To4(); ip4 != nil {
		e.Family, e.Address = 1, ip4
	} else {
		e.Family = 2
	}
	o := m.IsEdns0()
	if o == nil {
		m.SetEdns0(4096, false)
		o = m.IsEdns0()
	}
	o.Option = append(o.Option, e)
}

// TestThroughUnbound resolves a Meridian zone through a real recursive
// resolver.
func TestThroughUnbound(t *testing.T) {
	n := startNode(t, "")
	c := n.r53("us-east-1")
	zoneID := createZone(t, c, "recursive.example", "rec-1")
	changeAndWait(t, c, zoneID, simple("CREATE", "www.recursive.example", "A", 60, "192.0.2.80"))
	r := startUnbound(t, n, "recursive.example")
	resp := r.query(t, "www.recursive.example.", dns.TypeA, "")
	if resp.Rcode != dns.RcodeSuccess || len(resp.Answer) != 1 || resp.Answer[0].(*dns.A).A.String() != "192.0.2.80" {
		t.Fatalf("through unbound: %v", resp)
	}
}
