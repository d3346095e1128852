//go:build !linux

package dnsserver

import "net"

// serveUDPConn answers the packets of c one at a time: batching
// (recvmmsg/sendmmsg) is Linux only.
func (s *Server) serveUDPConn(c *net.UDPConn) { s.serveUDPPlain(c) }
