package accel

import "time"

// sweepLoop runs sweep every SweepInterval until Close.
func (p *Proxy) sweepLoop() {
	defer p.wg.Done()
	t := time.NewTicker(p.cfg.SweepInterval)
	defer t.Stop()
	var buf []*tcpFlow
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			buf = p.sweep(buf)
		}
	}
}

// sweep closes TCP flows idle for TCPIdleTimeout (refreshing the live byte
// counters of the others) and forgets UDP flows idle for UDPIdleTimeout.
// Idle time is tracked here rather than with per-read deadlines, which
// would cost a timer update on every read and defeat splicing. It returns
// buf for reuse.
func (p *Proxy) sweep(buf []*tcpFlow) []*tcpFlow {
	now := p.now()
	buf = p.tcpFlowsSnapshot(buf)
	for i, f := range buf {
		if idle, ok := p.activity(f, now); ok && idle >= p.cfg.TCPIdleTimeout {
			f.close(false)
		}
		buf[i] = nil
	}
	cutoff := now - int64(p.cfg.UDPIdleTimeout)
	for _, b := range *p.live.Load() {
		if b.udp != nil {
			b.expire(cutoff)
		}
	}
	return buf
}
