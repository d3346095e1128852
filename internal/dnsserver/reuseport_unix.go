//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package dnsserver

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// reusePortSupported reports whether several sockets may share a port.
const reusePortSupported = true

// reusePortControl sets SO_REUSEPORT (and SO_REUSEADDR) before bind, so that
// several UDP sockets share one port and the kernel spreads queries over
// them.
func reusePortControl(network, address string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		if serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); serr != nil {
			return
		}
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)
	})
	if err != nil {
		return fmt.Errorf("control %s %s: %w", network, address, err)
	}
	if serr != nil {
		return fmt.Errorf("set SO_REUSEPORT on %s %s: %w", network, address, serr)
	}
	return nil
}
