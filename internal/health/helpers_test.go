package health

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

func ptr[T any](v T) *T { return &v }

// fastTimeouts keep probe tests short.
var fastTimeouts = Timeouts{
	Connect: 300 * time.Millisecond, Status: 300 * time.Millisecond, Body: 300 * time.Millisecond,
	TCP: 300 * time.Millisecond, Resolve: time.Second, Alarm: time.Second,
}

// hostPort splits a listener address into the IP string and port.
func hostPort(t testing.TB, addr string) (string, int64) {
	t.Helper()
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return ap.Addr().String(), int64(ap.Port())
}

// rawServer accepts connections on 127.0.0.1 and hands each to handle in
// its own goroutine. It returns the address.
func rawServer(t *testing.T, handle func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() {
		close(done)
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// readRequest reads one request's header section from c.
func readRequest(c net.Conn) string {
	var b strings.Builder
	buf := make([]byte, 1)
	for !strings.HasSuffix(b.String(), "\r\n\r\n") {
		if _, err := c.Read(buf); err != nil {
			break
		}
		b.Write(buf)
	}
	return b.String()
}

// respond is a raw handler that reads the request and writes resp.
func respond(resp string) func(c net.Conn) {
	return func(c net.Conn) {
		readRequest(c)
		io.WriteString(c, resp)
	}
}

// stall reads the request, writes prefix and then waits for the client to
// go away.
func stall(prefix string) func(c net.Conn) {
	return func(c net.Conn) {
		readRequest(c)
		io.WriteString(c, prefix)
		io.Copy(io.Discard, c)
	}
}

// blackhole returns a 127.0.0.1 address whose accept queue is full, so a
// new connection gets no SYN-ACK and times out.
func blackhole(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
	// Fill the accept queue; stop once connecting no longer succeeds.
	for i := 0; i < 8; i++ {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			return addr
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Skip("cannot fill a listen queue on this system")
	return ""
}

// dnsServer serves A records (name → IPv4) on 127.0.0.1 and answers
// NXDOMAIN for other names. It returns a resolver that asks it.
func dnsServer(t *testing.T, records map[string]string) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		q := r.Question[0]
		ip, ok := records[strings.ToLower(q.Name)]
		switch {
		case !ok:
			m.Rcode = dns.RcodeNameError
		case q.Qtype == dns.TypeA && ip != "":
			m.Answer = append(m.Answer, &dns.A{
				Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 5},
				A:   net.ParseIP(ip),
			})
		}
		w.WriteMsg(m)
	})
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, Handler: h, NotifyStartedFunc: func() { close(started) }}
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	addr := pc.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
}

// selfSigned returns a certificate for the given DNS name.
func selfSigned(t *testing.T, name string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// httpCheck is an HTTP-family check of addr ("127.0.0.1:port").
func httpCheck(t testing.TB, typ, addr string) healthcheck.Config {
	ip, port := hostPort(t, addr)
	return healthcheck.Config{Type: typ, IPAddress: ip, Port: ptr(port)}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// probePath is one way of running a probe: the goroutine path
// (Prober.Probe) or the probe loop.
type probePath struct {
	name  string
	loop  bool
	probe func(t *testing.T, c healthcheck.Config) Result
}

// probePaths returns the goroutine path and, where the system has it, the
// probe loop; both use fastTimeouts.
func probePaths(t *testing.T) []probePath {
	t.Helper()
	p := fastProber()
	paths := []probePath{{name: "goroutine", probe: func(_ *testing.T, c healthcheck.Config) Result {
		return p.Probe(context.Background(), c)
	}}}
	if lp, ok := loopPath(t); ok {
		paths = append(paths, lp)
	}
	return paths
}

// takes reports whether the path can probe c (the loop takes plain HTTP
// and TCP checks of an IP address).
func (pp probePath) takes(c healthcheck.Config) bool {
	return !pp.loop || newEndpoint(&c).loopable()
}

// openFDs counts this process's open descriptors; ok is false where the
// system does not tell.
func openFDs(t testing.TB) (n int, ok bool) {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0, false
	}
	return len(ents), true
}
