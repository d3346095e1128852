//go:build unix

package accel

import (
	"errors"
	"net"
	"net/netip"
	"syscall"

	"golang.org/x/sys/unix"
)

// dgramReader reads datagrams from one UDP socket without holding a buffer
// while it waits: the runtime poller waits for readability and only then is
// a pooled buffer taken, so thousands of idle flows and sockets cost no
// 64 KiB buffer each. A reader is used by one goroutine at a time.
type dgramReader struct {
	raw      syscall.RawConn
	wantFrom bool
	fn       func(fd uintptr) bool // r.recv, bound once so reads do not allocate it

	buf  *[]byte
	n    int
	from netip.AddrPort
	err  error
}

// newDgramReader returns a reader for c; wantFrom asks for each datagram's
// source (unconnected sockets).
func newDgramReader(c *net.UDPConn, wantFrom bool) (*dgramReader, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	r := &dgramReader{raw: raw, wantFrom: wantFrom}
	r.fn = r.recv
	return r, nil
}

// read returns the next datagram in a pooled buffer the caller gives back
// with putBuf, and its source when the reader wants it.
func (r *dgramReader) read() (*[]byte, int, netip.AddrPort, error) {
	r.buf, r.n, r.from, r.err = nil, 0, netip.AddrPort{}, nil
	if err := r.raw.Read(r.fn); err != nil {
		return nil, 0, netip.AddrPort{}, err
	}
	if r.err != nil {
		return nil, 0, netip.AddrPort{}, r.err
	}
	return r.buf, r.n, r.from, nil
}

// recv tries one non-blocking receive; false asks the poller to wait for
// the socket to become readable and call again.
func (r *dgramReader) recv(fd uintptr) bool {
	b := getBuf()
	for {
		var n int
		var err error
		if r.wantFrom {
			var sa unix.Sockaddr
			n, sa, err = unix.Recvfrom(int(fd), *b, 0)
			if err == nil {
				r.from = sockaddrAddrPort(sa)
			}
		} else {
			n, err = unix.Read(int(fd), *b)
		}
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			putBuf(b)
			return false
		case err != nil:
			putBuf(b)
			r.err = err
			return true
		}
		r.buf, r.n = b, n
		return true
	}
}

// sockaddrAddrPort converts a socket address, unmapping IPv4-mapped IPv6.
func sockaddrAddrPort(sa unix.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr).Unmap(), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// transientRecvErr reports errors a connected UDP socket returns once
// after an ICMP error (the endpoint's port or host was unreachable): the
// flow stays and later datagrams may get through.
func transientRecvErr(err error) bool {
	return errors.Is(err, unix.ECONNREFUSED) || errors.Is(err, unix.EHOSTUNREACH) || errors.Is(err, unix.ENETUNREACH)
}
