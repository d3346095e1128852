package accel

import (
	"net"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// pipe copies src to dst until EOF or an error. TCPConn.ReadFrom from
// another *net.TCPConn splices on Linux, so the data never enters user space and no
// per-read work is done: the sweeper learns about activity and live byte
// counts from the kernel (activity), and the final count is added here.
func (p *Proxy) pipe(_ *tcpFlow, dst, src *net.TCPConn, reported *atomic.Int64, total *atomic.Uint64) (int64, error) {
	n, err := dst.ReadFrom(src)
	advance(reported, total, n)
	return n, err
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
