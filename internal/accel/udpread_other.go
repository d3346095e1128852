//go:build !unix

package accel

import (
	"net"
	"net/netip"
)

// dgramReader reads datagrams from one UDP socket. Off Unix it holds a
// pooled buffer while it waits.
type dgramReader struct {
	c *net.UDPConn
}

// newDgramReader returns a reader for c.
func newDgramReader(c *net.UDPConn, _ bool) (*dgramReader, error) {
	return &dgramReader{c: c}, nil
}

// read returns the next datagram in a pooled buffer the caller gives back
// with putBuf, and its source.
func (r *dgramReader) read() (*[]byte, int, netip.AddrPort, error) {
	b := getBuf()
	n, from, err := r.c.ReadFromUDPAddrPort(*b)
	if err != nil {
		putBuf(b)
		return nil, 0, netip.AddrPort{}, err
	}
	return b, n, netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), nil
}

// transientRecvErr reports no error as transient here: an ICMP error ends
// the flow and the next datagram starts a new one.
func transientRecvErr(error) bool { return false }
