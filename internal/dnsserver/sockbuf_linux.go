//go:build linux

package dnsserver

import (
	"fmt"
	"net"

	"golang.org/x/sys/unix"
)

// setUDPBuffers asks for size-byte receive and send buffers on c. It tries
// SO_RCVBUFFORCE and SO_SNDBUFFORCE first, which a privileged process
// (CAP_NET_ADMIN) may use to exceed net.core.rmem_max and wmem_max, then
// the plain options, which the kernel caps at those limits. It returns the
// sizes the kernel reports afterwards (Linux doubles the request to leave
// room for its bookkeeping).
func setUDPBuffers(c *net.UDPConn, size int) (rcv, snd int, err error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0, 0, fmt.Errorf("raw conn: %w", err)
	}
	var serr error
	cerr := raw.Control(func(fd uintptr) {
		s := int(fd)
		if unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, size) != nil {
			if e := unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_RCVBUF, size); e != nil {
				serr = fmt.Errorf("SO_RCVBUF: %w", e)
			}
		}
		if unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, size) != nil {
			if e := unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_SNDBUF, size); e != nil && serr == nil {
				serr = fmt.Errorf("SO_SNDBUF: %w", e)
			}
		}
		rcv, _ = unix.GetsockoptInt(s, unix.SOL_SOCKET, unix.SO_RCVBUF)
		snd, _ = unix.GetsockoptInt(s, unix.SOL_SOCKET, unix.SO_SNDBUF)
	})
	if cerr != nil {
		return 0, 0, fmt.Errorf("control: %w", cerr)
	}
	return rcv, snd, serr
}
