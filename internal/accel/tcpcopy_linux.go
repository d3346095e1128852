package accel

import (
	"net"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// spliceAfter is the read size at which a direction switches from copying
// through a buffer to splicing: a read that fills the buffer means bulk
// data, which splice moves without entering user space; the short
// exchanges of most connections cost fewer kernel cycles with plain reads
// and writes than with splice's pipe.
const spliceAfter = 16 << 10

// pipe copies src to dst until EOF or an error: through a pooled buffer
// while reads are short, then, from the first read that fills the buffer,
// with TCPConn.ReadFrom, which splices on Linux. The buffer is taken only
// once src is readable, so an idle flow holds none. While splicing no
// per-read work is done: the sweeper learns about activity and live byte
// counts from the kernel (activity), and the final count is added here.
func (p *Proxy) pipe(_ *tcpFlow, dst, src *net.TCPConn, reported *atomic.Int64, total *atomic.Uint64) (int64, error) {
	rc, err := src.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int64
	for {
		bp, nr, err := readReady(rc)
		if err != nil || nr == 0 {
			return n, err // nr 0 without an error is EOF
		}
		nw, werr := dst.Write((*bp)[:nr])
		putBuf(bp)
		n += int64(nw)
		advance(reported, total, n)
		if werr != nil {
			return n, werr
		}
		if nr == spliceAfter {
			break
		}
	}
	m, err := dst.ReadFrom(src)
	n += m
	advance(reported, total, n)
	return n, err
}

// readReady waits until rc is readable, then reads up to spliceAfter bytes
// into a pooled buffer, which the caller returns with putBuf when n > 0.
func readReady(rc syscall.RawConn) (bp *[]byte, n int, err error) {
	var rerr error
	cerr := rc.Read(func(fd uintptr) bool {
		if bp == nil {
			bp = getBuf()
		}
		for {
			n, rerr = unix.Read(int(fd), (*bp)[:spliceAfter])
			if rerr != unix.EINTR {
				break
			}
		}
		if rerr == unix.EAGAIN {
			putBuf(bp)
			bp = nil
			return false // wait for readability
		}
		return true
	})
	if cerr == nil {
		cerr = rerr
	}
	if cerr != nil || n <= 0 {
		if bp != nil {
			putBuf(bp)
		}
		return nil, 0, cerr
	}
	return bp, n, nil
}

// activity samples a flow from the kernel's TCP_INFO of both connections:
// it refreshes the flow's byte counters from the bytes each side has
// received, and returns how long ago data last arrived from either side
// (at most the flow's age). ok is false when a connection is already closed.
func (p *Proxy) activity(f *tcpFlow, now int64) (idle time.Duration, ok bool) {
	ci, err := tcpInfo(f.client)
	if err != nil {
		return 0, false
	}
	ui, err := tcpInfo(f.up)
	if err != nil {
		return 0, false
	}
	advance(&f.inReported, &f.ctr.bytesIn, payloadReceived(ci))
	advance(&f.outReported, &f.ctr.bytesOut, payloadReceived(ui))
	idle = time.Duration(min(ci.Last_data_recv, ui.Last_data_recv)) * time.Millisecond
	return min(idle, time.Duration(now-f.start)), true
}

// payloadReceived is the data a connection has received: TCP_INFO's
// bytes_received counts the peer's FIN as a byte once it has arrived, which
// the states after it show (CLOSE_WAIT, LAST_ACK, CLOSING, TIME_WAIT).
func payloadReceived(i *unix.TCPInfo) int64 {
	n := int64(i.Bytes_received)
	switch i.State {
	case tcpCloseWait, tcpLastAck, tcpClosing, tcpTimeWait:
		if n > 0 {
			n--
		}
	}
	return n
}

// Linux TCP states (include/net/tcp_states.h) in which the peer's FIN has
// been received.
const (
	tcpTimeWait  = 6
	tcpCloseWait = 8
	tcpLastAck   = 9
	tcpClosing   = 11
)

// tcpInfo reads TCP_INFO from c's socket.
func tcpInfo(c *net.TCPConn) (*unix.TCPInfo, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	var info *unix.TCPInfo
	var opErr error
	if err := rc.Control(func(fd uintptr) {
		info, opErr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	}); err != nil {
		return nil, err
	}
	return info, opErr
}
