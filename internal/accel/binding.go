package accel

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
)

// binding is one listening socket and what it serves. A socket outlives
// plans that keep its key: Apply only swaps its route.
type binding struct {
	key   bindKey
	route atomic.Pointer[route]

	tcp *net.TCPListener // TCP bindings

	udp    *net.UDPConn // UDP bindings
	reader *dgramReader // reads udp; used by serveUDP only
	mu     sync.Mutex   // guards flows and closed
	flows  map[netip.AddrPort]*udpFlow
	closed bool
}

// bind opens the socket for k; it serves nothing until Apply starts it.
func (p *Proxy) bind(k bindKey) (*binding, error) {
	b := &binding{key: k}
	if !k.udp {
		// No TCP keep-alive on accepted connections: the idle timeout ends
		// dead flows, and the probes' setsockopt calls cost a fifth of the
		// syscalls of a short connection.
		lc := net.ListenConfig{KeepAlive: -1}
		ln, err := lc.Listen(context.Background(), "tcp", k.ap.String())
		if err != nil {
			return nil, fmt.Errorf("accel: bind %s: %w", k, err)
		}
		b.tcp = ln.(*net.TCPListener)
		return b, nil
	}
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(k.ap))
	if err != nil {
		return nil, fmt.Errorf("accel: bind %s: %w", k, err)
	}
	r, err := newDgramReader(c, true)
	if err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("accel: bind %s: %w", k, err)
	}
	b.udp, b.reader = c, r
	b.flows = make(map[netip.AddrPort]*udpFlow)
	return b, nil
}

// closeSocket closes the socket of a binding that was never started.
func (b *binding) closeSocket() {
	if b.tcp != nil {
		_ = b.tcp.Close()
	}
	if b.udp != nil {
		_ = b.udp.Close()
	}
}

// unbind stops a binding: a TCP listener stops accepting (its connections
// drain); a UDP socket closes and its flows end with it.
func (p *Proxy) unbind(b *binding) {
	if b.tcp != nil {
		_ = b.tcp.Close()
		return
	}
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	_ = b.udp.Close()
	b.dropFlows()
}

// dropFlows ends every UDP flow of the binding.
func (b *binding) dropFlows() {
	b.mu.Lock()
	flows := make([]*udpFlow, 0, len(b.flows))
	for k, f := range b.flows {
		flows = append(flows, f)
		delete(b.flows, k)
	}
	b.mu.Unlock()
	for _, f := range flows {
		f.stop()
	}
}
