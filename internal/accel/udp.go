package accel

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// UDP is forwarded per flow: a flow is one client address and port on one
// listener socket. Its first datagram chooses the endpoint (Choose) and
// opens a connected UDP socket to it; later datagrams reuse that socket,
// and a goroutine relays the endpoint's replies back through the listener
// socket, so the client sees them come from the address it sent to. A flow
// ends after UDPIdleTimeout without a datagram either way.
//
// PROXY protocol v2 is not sent on UDP: its UDP form (a header in front of
// every datagram) is not something endpoints generally understand, so the
// endpoint sees the proxy's address regardless of ClientIPPreservation.

// udpFlow is one client's flow through a UDP listener socket.
type udpFlow struct {
	b      *binding
	client netip.AddrPort
	up     *net.UDPConn
	reader *dgramReader
	ctr    *endpointCounters
	last   atomic.Int64 // Proxy.now() of the last datagram either way
	once   sync.Once
}

// stop closes the flow's upstream socket; its relay goroutine then ends
// and accounts for the flow.
func (f *udpFlow) stop() {
	f.once.Do(func() { _ = f.up.Close() })
}

// serveUDP reads a UDP listener socket until it is closed.
func (p *Proxy) serveUDP(b *binding) {
	defer p.wg.Done()
	for {
		buf, n, from, err := b.reader.read()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if transientRecvErr(err) {
				continue
			}
			p.warn(warnRead, "accel: UDP read failed", "socket", b.key.String(), "error", err)
			select {
			case <-time.After(10 * time.Millisecond):
			case <-p.stop:
				return
			}
			continue
		}
		p.forwardUDP(b, (*buf)[:n], from)
		putBuf(buf)
	}
}

// forwardUDP sends one client datagram to its flow's endpoint, starting
// the flow if needed.
func (p *Proxy) forwardUDP(b *binding, payload []byte, from netip.AddrPort) {
	r := b.route.Load()
	if !r.acc.Enabled {
		p.drops.disabled.Add(1)
		return
	}
	b.mu.Lock()
	f := b.flows[from]
	b.mu.Unlock()
	if f == nil {
		if f = p.startUDPFlow(b, r, from); f == nil {
			return
		}
	}
	f.last.Store(p.now())
	// Counted before the write so that the count is in place by the time
	// the endpoint's reply can reach the client; taken back on failure.
	n := uint64(len(payload))
	f.ctr.bytesIn.Add(n)
	if _, err := f.up.Write(payload); err != nil {
		f.ctr.bytesIn.Add(-n)
	}
}

// startUDPFlow chooses the endpoint for a new flow from client and opens
// its upstream socket; nil when the datagram is dropped.
func (p *Proxy) startUDPFlow(b *binding, r *route, client netip.AddrPort) *udpFlow {
	ch := p.choose(r.lis, Flow{Protocol: ProtocolUDP, Src: client, Dst: b.key.ap})
	ep, addr, ok := ch.Target(r.lis)
	if !ok {
		p.drops.noEndpoint.Add(1)
		return nil
	}
	if p.udpFlows.Add(1) > int64(p.cfg.MaxUDPFlows) {
		p.udpFlows.Add(-1)
		p.drops.udpTableFull.Add(1)
		p.warn(warnUDPTableFull, "accel: UDP flow table full, dropping datagrams of new flows",
			"limit", p.cfg.MaxUDPFlows, "socket", b.key.String())
		return nil
	}
	ctr := r.ctrs[ch.Group][ch.Endpoint]
	up, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(addr))
	if err == nil {
		var rd *dgramReader
		if rd, err = newDgramReader(up, false); err == nil {
			f := &udpFlow{b: b, client: client, up: up, reader: rd, ctr: ctr}
			f.last.Store(p.now())
			b.mu.Lock()
			if !b.closed {
				b.flows[client] = f
				ctr.active.Add(1)
				ctr.total.Add(1)
				p.wg.Add(1)
				go p.relayUDP(f)
				b.mu.Unlock()
				return f
			}
			b.mu.Unlock()
			err = net.ErrClosed
		}
		_ = up.Close()
	}
	p.udpFlows.Add(-1)
	if !errors.Is(err, net.ErrClosed) {
		ctr.dialErrors.Add(1)
		p.drops.dialFailed.Add(1)
		p.warn(warnDial, "accel: UDP socket to endpoint failed", "endpoint", ep.ID, "address", addr.String(), "error", err)
	}
	return nil
}

// relayUDP sends the endpoint's replies to the client until the flow is
// stopped, then accounts for its end.
func (p *Proxy) relayUDP(f *udpFlow) {
	defer p.wg.Done()
	for {
		buf, n, _, err := f.reader.read()
		if err != nil {
			if transientRecvErr(err) {
				continue
			}
			break
		}
		f.last.Store(p.now())
		f.ctr.bytesOut.Add(uint64(n))
		if _, err := f.b.udp.WriteToUDPAddrPort((*buf)[:n], f.client); err != nil {
			f.ctr.bytesOut.Add(-uint64(n))
		}
		putBuf(buf)
	}
	f.stop()
	f.b.mu.Lock()
	if f.b.flows[f.client] == f {
		delete(f.b.flows, f.client)
	}
	f.b.mu.Unlock()
	p.udpFlows.Add(-1)
	f.ctr.active.Add(-1)
}

// expire stops the binding's flows with no datagram since cutoff
// (Proxy.now() time).
func (b *binding) expire(cutoff int64) {
	var idle []*udpFlow
	b.mu.Lock()
	for k, f := range b.flows {
		if f.last.Load() < cutoff {
			idle = append(idle, f)
			delete(b.flows, k)
		}
	}
	b.mu.Unlock()
	for _, f := range idle {
		f.stop()
	}
}
