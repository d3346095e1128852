//go:build !linux

package accel

import (
	"io"
	"net"
	"sync/atomic"
	"time"
)

// pipe copies src to dst until EOF or an error through a pooled buffer,
// noting the time of every read for the idle sweeper and adding bytes to
// the counters as they pass. (On Linux the copy splices instead.)
func (p *Proxy) pipe(f *tcpFlow, dst, src *net.TCPConn, reported *atomic.Int64, total *atomic.Uint64) (int64, error) {
	bp := getBuf()
	defer putBuf(bp)
	buf := (*bp)[:32<<10]
	var n int64
	for {
		nr, rerr := src.Read(buf)
		if nr > 0 {
			f.last.Store(p.now())
			nw, werr := dst.Write(buf[:nr])
			n += int64(nw)
			advance(reported, total, n)
			if werr != nil {
				return n, werr
			}
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

// activity returns how long ago the flow last read data; the byte counters
// are already current.
func (p *Proxy) activity(f *tcpFlow, now int64) (idle time.Duration, ok bool) {
	return time.Duration(now - f.last.Load()), true
}
