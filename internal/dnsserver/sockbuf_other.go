//go:build !linux

package dnsserver

import (
	"fmt"
	"net"
)

// setUDPBuffers asks for size-byte receive and send buffers on c. The sizes
// granted are not known here and are reported as 0.
func setUDPBuffers(c *net.UDPConn, size int) (rcv, snd int, err error) {
	if err := c.SetReadBuffer(size); err != nil {
		return 0, 0, fmt.Errorf("receive buffer: %w", err)
	}
	if err := c.SetWriteBuffer(size); err != nil {
		return 0, 0, fmt.Errorf("send buffer: %w", err)
	}
	return 0, 0, nil
}
