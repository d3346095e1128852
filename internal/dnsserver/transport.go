package dnsserver

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"time"
)

// TCP limits: connections beyond maxTCPConns are closed at once; an idle
// connection is closed after tcpIdleTimeout (RFC 7766 6.2.3), a stalled
// write after tcpWriteTimeout.
const (
	maxTCPConns     = 1024
	tcpIdleTimeout  = 10 * time.Second
	tcpWriteTimeout = 5 * time.Second
)

// serveUDP is the single reader of one UDP socket: it answers packets in
// batches where the system allows (see udpbatch_linux.go), else one at a
// time.
func (s *Server) serveUDP(c *net.UDPConn) {
	defer s.wg.Done()
	s.serveUDPConn(c)
}

// serveUDPPlain answers each packet inline with one read and one write
// system call, reusing its buffers.
func (s *Server) serveUDPPlain(c *net.UDPConn) {
	in := make([]byte, maxTCPSize)
	out := make([]byte, packBufSize)
	for s.answerOneUDP(c, in, out) == nil {
	}
}

// answerOneUDP reads one packet from c into in and sends its answer, packed
// into out. It returns an error only when c is closed.
func (s *Server) answerOneUDP(c *net.UDPConn, in, out []byte) error {
	n, from, err := c.ReadFromUDPAddrPort(in)
	if err != nil {
		if s.closing.Load() || errors.Is(err, net.ErrClosed) {
			return err
		}
		s.log.Debug("dnsserver: udp read", "err", err)
		return nil
	}
	resp := s.handle(in[:n], from.Addr().Unmap(), true, out)
	if resp == nil {
		return nil
	}
	if _, err := c.WriteToUDPAddrPort(resp, from); err != nil && !s.closing.Load() {
		s.log.Debug("dnsserver: udp write", "client", from.String(), "err", err)
	}
	return nil
}

// serveTCP accepts TCP connections.
func (s *Server) serveTCP(l *net.TCPListener) {
	defer s.wg.Done()
	for {
		c, err := l.AcceptTCP()
		if err != nil {
			if s.closing.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.Debug("dnsserver: tcp accept", "err", err)
			time.Sleep(5 * time.Millisecond)
			continue
		}
		s.mu.Lock()
		if len(s.conns) >= maxTCPConns || s.closing.Load() {
			s.mu.Unlock()
			c.Close()
			continue
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.serveConn(c)
	}
}

// serveConn answers length-prefixed queries on one TCP connection, in
// order, until the client closes it, it idles out, or the server shuts down.
func (s *Server) serveConn(c *net.TCPConn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	client := netip.Addr{}
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		client = ap.Addr().Unmap()
	}
	var lenBuf [2]byte
	in := make([]byte, minUDPSize)
	// Typical answers are packed in place after the length; larger ones
	// (rare) are packed into a buffer of their own.
	frame := make([]byte, 2+maxUDPSize+1)
	for {
		if err := c.SetReadDeadline(time.Now().Add(tcpIdleTimeout)); err != nil {
			return
		}
		if _, err := io.ReadFull(c, lenBuf[:]); err != nil {
			return
		}
		n := int(binary.BigEndian.Uint16(lenBuf[:]))
		if n == 0 {
			return
		}
		if n > len(in) {
			in = make([]byte, n)
		}
		if _, err := io.ReadFull(c, in[:n]); err != nil {
			return
		}
		resp := s.handle(in[:n], client, false, frame[2:])
		if resp == nil {
			continue
		}
		var msg []byte
		if len(resp) > 0 && &resp[0] == &frame[2] {
			msg = frame[:2+len(resp)] // packed in place after the length
		} else {
			msg = append(make([]byte, 2, 2+len(resp)), resp...)
		}
		binary.BigEndian.PutUint16(msg, uint16(len(resp)))
		if err := c.SetWriteDeadline(time.Now().Add(tcpWriteTimeout)); err != nil {
			return
		}
		if _, err := c.Write(msg); err != nil {
			return
		}
	}
}
