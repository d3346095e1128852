//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package dnsserver

import "syscall"

// reusePortSupported reports whether several sockets may share a port.
const reusePortSupported = false

// reusePortControl does nothing where SO_REUSEPORT is not available; the
// server then uses a single UDP socket.
func reusePortControl(network, address string, c syscall.RawConn) error { return nil }
