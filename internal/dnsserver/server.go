package dnsserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/miekg/dns"
)

// Config configures a Server.
type Config struct {
	// Addr is the UDP and TCP listen address, "host:port"; port 0 picks a
	// free port shared by every socket.
	Addr string
	// Sockets is the number of UDP sockets (readers); 0 means
	// runtime.NumCPU(). Without SO_REUSEPORT support there is one.
	Sockets int
	// Logger receives errors; nil means slog.Default().
	Logger *slog.Logger
	// Env publishes what routing knows: client locator, latency map,
	// region catalog and health checks. Nil, or a nil Env in it, means
	// nothing is known and every record set is healthy.
	Env *routing.EnvHolder
	// UDPBatch is how many datagrams a UDP reader takes from its socket
	// with one system call and answers with one more (recvmmsg and
	// sendmmsg, on Linux); 0 means DefaultUDPBatch, 1 reads and answers one
	// packet at a time, as other systems always do.
	UDPBatch int
	// UDPBuffer is the receive and send buffer size requested for each UDP
	// socket, so that bursts are queued rather than dropped; 0 means
	// DefaultUDPBuffer, a negative value keeps the system's default. The
	// kernel may grant less (net.core.rmem_max) unless the process may
	// override that limit.
	UDPBuffer int
}

// Defaults for Config.
const (
	DefaultUDPBatch  = 64
	DefaultUDPBuffer = 4 << 20
)

// maxUDPBatch bounds Config.UDPBatch (the kernel takes at most 1024
// messages per recvmmsg).
const maxUDPBatch = 1024

// udpBatchSize returns the configured batch size within its bounds.
func (s *Server) udpBatchSize() int {
	switch n := s.cfg.UDPBatch; {
	case n <= 0:
		return DefaultUDPBatch
	case n > maxUDPBatch:
		return maxUDPBatch
	default:
		return n
	}
}

// Server serves DNS over UDP and TCP from the snapshot in a Holder.
type Server struct {
	cfg    Config
	holder *snapshot.Holder
	log    *slog.Logger

	mu      sync.Mutex
	udp     []*net.UDPConn
	tcp     *net.TCPListener
	conns   map[net.Conn]struct{}
	started bool

	closing atomic.Bool
	wg      sync.WaitGroup
}

// New returns a server that answers from h. Call Start to listen.
func New(cfg Config, h *snapshot.Holder) *Server {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Server{cfg: cfg, holder: h, log: log, conns: make(map[net.Conn]struct{})}
}

// bindAttempts bounds retries when an ephemeral UDP port is taken for TCP.
const bindAttempts = 10

// Start binds the UDP sockets and the TCP listener on cfg.Addr and starts
// serving. With port 0 every socket shares the port the first bind got.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("dnsserver: already started")
	}
	host, port, err := net.SplitHostPort(s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("dnsserver: listen address %q: %w", s.cfg.Addr, err)
	}
	n := s.cfg.Sockets
	if n <= 0 {
		n = runtime.NumCPU()
	}
	if !reusePortSupported {
		n = 1
	}
	for attempt := 1; ; attempt++ {
		err = s.bind(host, port, n)
		if err == nil {
			break
		}
		s.closeListeners()
		if port != "0" || attempt >= bindAttempts {
			return err
		}
	}
	s.started = true
	for _, c := range s.udp {
		s.wg.Add(1)
		go s.serveUDP(c)
	}
	s.wg.Add(1)
	go s.serveTCP(s.tcp)
	s.log.Info("dns server listening", "udp", s.udp[0].LocalAddr().String(), "tcp", s.tcp.Addr().String(), "udpSockets", len(s.udp))
	return nil
}

// bind opens n UDP sockets and one TCP listener on one port.
func (s *Server) bind(host, port string, n int) error {
	lc := net.ListenConfig{Control: reusePortControl}
	ctx := context.Background()
	for i := range n {
		addr := net.JoinHostPort(host, port)
		pc, err := lc.ListenPacket(ctx, "udp", addr)
		if err != nil {
			return fmt.Errorf("dnsserver: bind udp %s: %w", addr, err)
		}
		uc, ok := pc.(*net.UDPConn)
		if !ok {
			pc.Close()
			return fmt.Errorf("dnsserver: bind udp %s: unexpected %T", addr, pc)
		}
		s.udp = append(s.udp, uc)
		s.sizeUDPBuffers(uc)
		if i == 0 {
			port = strconv.Itoa(uc.LocalAddr().(*net.UDPAddr).Port)
		}
	}
	addr := net.JoinHostPort(host, port)
	l, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("dnsserver: bind tcp %s: %w", addr, err)
	}
	tl, ok := l.(*net.TCPListener)
	if !ok {
		l.Close()
		return fmt.Errorf("dnsserver: bind tcp %s: unexpected %T", addr, l)
	}
	s.tcp = tl
	return nil
}

// sizeUDPBuffers applies Config.UDPBuffer to a UDP socket; failing to is
// not fatal (the system's default stays).
func (s *Server) sizeUDPBuffers(c *net.UDPConn) {
	size := s.cfg.UDPBuffer
	if size < 0 {
		return
	}
	if size == 0 {
		size = DefaultUDPBuffer
	}
	rcv, snd, err := setUDPBuffers(c, size)
	if err != nil {
		s.log.Debug("dnsserver: udp socket buffers", "requested", size, "err", err)
	}
	s.log.Debug("dnsserver: udp socket buffers", "requested", size, "receive", rcv, "send", snd)
}

// closeListeners closes every socket opened so far.
func (s *Server) closeListeners() {
	for _, c := range s.udp {
		c.Close()
	}
	s.udp = nil
	if s.tcp != nil {
		s.tcp.Close()
		s.tcp = nil
	}
}

// UDPAddr returns the bound UDP address, or nil before Start.
func (s *Server) UDPAddr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.udp) == 0 {
		return nil
	}
	return s.udp[0].LocalAddr()
}

// TCPAddr returns the bound TCP address, or nil before Start.
func (s *Server) TCPAddr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tcp == nil {
		return nil
	}
	return s.tcp.Addr()
}

// Shutdown stops listening, closes open TCP connections and waits for every
// reader to finish, or for ctx to end.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closing.Store(true)
	s.mu.Lock()
	for _, c := range s.udp {
		c.Close()
	}
	if s.tcp != nil {
		s.tcp.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("dnsserver: shutdown: %w", ctx.Err())
	}
}

// handle answers one packet, recovering from a panic as a last line of
// defence (the code is written not to need it).
func (s *Server) handle(pkt []byte, client netip.Addr, udp bool, out []byte) []byte {
	return s.handleWith(s.holder.Load(), s.cfg.Env.Load(), pkt, client, udp, out)
}

// handleWith is handle with the snapshot and environment already loaded
// (once per batch of packets).
func (s *Server) handleWith(snap *snapshot.Snapshot, env *routing.Env, pkt []byte, client netip.Addr, udp bool, out []byte) (resp []byte) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("dnsserver: panic while answering a query", "panic", r, "client", client.String())
			resp = headerOnly(pkt, dns.RcodeServerFailure, out)
		}
	}()
	return answerPacket(snap, env, pkt, client, udp, out)
}
