package accel

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	proxyproto "github.com/pires/go-proxyproto"
)

// tcpFlow is one proxied TCP connection pair. Both conns stay
// *net.TCPConn so copying between them splices on Linux.
type tcpFlow struct {
	b      *binding
	client *net.TCPConn
	up     *net.TCPConn
	ctr    *endpointCounters
	start  int64 // Proxy.now() when the flow started

	// inReported and outReported are the byte counts already added to
	// ctr (see advance); last is the now() of the last data seen, kept
	// where the copy loop can see the data (not with splice).
	inReported  atomic.Int64
	outReported atomic.Int64
	last        atomic.Int64
	ended       atomic.Int32 // directions that ended cleanly

	once sync.Once
}

// close closes both connections once; reset sends RST instead of FIN.
func (f *tcpFlow) close(reset bool) {
	f.once.Do(func() {
		if reset {
			_ = f.client.SetLinger(0)
			_ = f.up.SetLinger(0)
		}
		_ = f.client.Close()
		_ = f.up.Close()
	})
}

// acceptLoop accepts connections on a TCP binding until it is closed.
func (p *Proxy) acceptLoop(b *binding) {
	defer p.wg.Done()
	var backoff time.Duration
	for {
		c, err := b.tcp.AcceptTCP()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors or similar: back off as net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			p.warn(warnAccept, "accel: accept failed", "socket", b.key.String(), "error", err)
			select {
			case <-time.After(backoff):
			case <-p.stop:
				return
			}
			continue
		}
		backoff = 0
		p.wg.Add(1)
		go p.serveTCP(b, c)
	}
}

// serveTCP runs one accepted connection: choose, dial, optionally send a
// PROXY protocol v2 header, then copy both ways until both sides are done.
func (p *Proxy) serveTCP(b *binding, c *net.TCPConn) {
	defer p.wg.Done()
	r := b.route.Load()
	if !r.acc.Enabled {
		p.drops.disabled.Add(1)
		reset(c)
		return
	}
	src := tcpAddrPort(c.RemoteAddr())
	ch := p.choose(r.lis, Flow{Protocol: ProtocolTCP, Src: src, Dst: b.key.ap})
	ep, addr, ok := ch.Target(r.lis)
	if !ok {
		p.drops.noEndpoint.Add(1)
		reset(c)
		return
	}
	ctr := r.ctrs[ch.Group][ch.Endpoint]
	up, err := p.dialTCP(addr)
	if err != nil {
		ctr.dialErrors.Add(1)
		p.drops.dialFailed.Add(1)
		p.warn(warnDial, "accel: connect to endpoint failed", "endpoint", ep.ID, "address", addr.String(), "error", err)
		reset(c)
		return
	}
	if ep.ClientIPPreservation {
		h := proxyproto.HeaderProxyFromAddrs(2, c.RemoteAddr(), c.LocalAddr())
		if _, err := h.WriteTo(up); err != nil {
			p.warn(warnDial, "accel: PROXY header write failed", "endpoint", ep.ID, "error", err)
			reset(c)
			_ = up.Close()
			return
		}
	}
	f := &tcpFlow{b: b, client: c, up: up, ctr: ctr, start: p.now()}
	f.last.Store(f.start)
	if !p.addTCPFlow(f) {
		f.close(true)
		return
	}
	ctr.active.Add(1)
	ctr.total.Add(1)
	p.runTCP(f)
	p.removeTCPFlow(f)
	ctr.active.Add(-1)
}

// runTCP copies both ways. A direction that ends cleanly half-closes its
// destination (CloseWrite) and the other direction carries on; one that
// fails resets both connections. The flow closes when both are done.
func (p *Proxy) runTCP(f *tcpFlow) {
	done := make(chan struct{})
	go func() {
		_, err := p.pipe(f, f.client, f.up, &f.outReported, &f.ctr.bytesOut)
		f.endDirection(f.client, err)
		close(done)
	}()
	_, err := p.pipe(f, f.up, f.client, &f.inReported, &f.ctr.bytesIn)
	f.endDirection(f.up, err)
	<-done
	f.close(false)
}

// endDirection half-closes dst after a clean EOF, or resets the flow. The
// direction that ends second closes both connections at once instead: the
// close sends dst its FIN, which saves a shutdown call per connection.
func (f *tcpFlow) endDirection(dst *net.TCPConn, err error) {
	if err != nil {
		f.close(true)
		return
	}
	if f.ended.Add(1) == 2 {
		f.close(false)
		return
	}
	if dst.CloseWrite() != nil {
		f.close(true)
	}
}

// dialTCP connects to an endpoint within the dial timeout.
func (p *Proxy) dialTCP(addr netip.AddrPort) (*net.TCPConn, error) {
	c, err := p.dialer.DialContext(p.ctx, "tcp", addr.String())
	if err != nil {
		return nil, err
	}
	tc, ok := c.(*net.TCPConn)
	if !ok {
		_ = c.Close()
		return nil, errors.New("accel: dial returned a non-TCP connection")
	}
	return tc, nil
}

// addTCPFlow registers f with the sweeper; false once Close has begun.
func (p *Proxy) addTCPFlow(f *tcpFlow) bool {
	p.flowMu.Lock()
	defer p.flowMu.Unlock()
	if p.flowsClosed {
		return false
	}
	p.tcpFlows[f] = struct{}{}
	return true
}

// removeTCPFlow unregisters f.
func (p *Proxy) removeTCPFlow(f *tcpFlow) {
	p.flowMu.Lock()
	delete(p.tcpFlows, f)
	p.flowMu.Unlock()
}

// abortTCPFlows resets every TCP flow cut says to cut.
func (p *Proxy) abortTCPFlows(cut func(*tcpFlow) bool) {
	p.flowMu.Lock()
	var victims []*tcpFlow
	for f := range p.tcpFlows {
		if cut(f) {
			victims = append(victims, f)
		}
	}
	p.flowMu.Unlock()
	for _, f := range victims {
		f.close(true)
	}
}

// tcpFlowsSnapshot returns the registered TCP flows, reusing buf.
func (p *Proxy) tcpFlowsSnapshot(buf []*tcpFlow) []*tcpFlow {
	p.flowMu.Lock()
	defer p.flowMu.Unlock()
	buf = buf[:0]
	for f := range p.tcpFlows {
		buf = append(buf, f)
	}
	return buf
}

// reset closes c with an RST rather than a FIN.
func reset(c *net.TCPConn) {
	_ = c.SetLinger(0)
	_ = c.Close()
}

// tcpAddrPort returns a TCP address as an AddrPort with IPv4-mapped
// addresses unmapped.
func tcpAddrPort(a net.Addr) netip.AddrPort {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return netip.AddrPort{}
	}
	ap := ta.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}
