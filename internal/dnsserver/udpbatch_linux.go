//go:build linux

package dnsserver

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// udpSlot is the room for one datagram in a batch, received or answered:
// the largest UDP payload fits, so nothing is truncated, and the full path
// packs into it without allocating, as the one-at-a-time reader does.
const udpSlot = 1 << 16

// sockaddrLen is the room for a peer address, IPv4 or IPv6.
const sockaddrLen = unix.SizeofSockaddrInet6

// serveUDPConn answers the packets of c in batches of up to the configured
// size (recvmmsg, then one sendmmsg for the answers), or one at a time when
// batching is off or cannot be set up.
func (s *Server) serveUDPConn(c *net.UDPConn) {
	size := s.udpBatchSize()
	if size > 1 {
		b, err := newUDPBatch(s, c, size)
		if err == nil {
			defer b.close()
			for {
				if err := b.serveOnce(); err != nil {
					if s.closing.Load() || errors.Is(err, net.ErrClosed) {
						return
					}
					s.log.Debug("dnsserver: udp batch", "err", err)
				}
			}
		}
		s.log.Warn("dnsserver: udp batching unavailable, reading one packet at a time", "err", err)
	}
	s.serveUDPPlain(c)
}

// udpBatch reads up to size datagrams from one UDP socket with a single
// recvmmsg, answers each into its own buffer and sends the answers with
// sendmmsg. Everything it needs per batch is allocated once, so serving a
// plain query allocates nothing. It is used by one goroutine at a time.
type udpBatch struct {
	s    *Server
	raw  syscall.RawConn
	size int

	// mem holds size receive slots, then size answer slots. It is mapped
	// apart from the Go heap so that only the pages datagrams touch count
	// as resident memory.
	mem   []byte
	names [][sockaddrLen]byte // peer address of each received datagram
	inIov []unix.Iovec
	in    []unix.Mmsghdr
	out   []unix.Mmsghdr
	outIv []unix.Iovec

	// State of the system call in progress, read by recvFn and sendFn.
	got      int        // datagrams the last recvmmsg returned
	recvErr  unix.Errno // its error other than EAGAIN, 0 for none
	pending  int        // answers in out to send
	next     int        // first answer not sent yet
	sendErrs int        // answers the kernel refused in this batch
	sendErr  unix.Errno // the last refusal
	recvFn   func(uintptr) bool
	sendFn   func(uintptr) bool
}

// newUDPBatch prepares batched reading of c with batches of size.
func newUDPBatch(s *Server, c *net.UDPConn, size int) (*udpBatch, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("raw conn: %w", err)
	}
	mem, err := unix.Mmap(-1, 0, 2*size*udpSlot, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, fmt.Errorf("map %d batch buffers: %w", 2*size, err)
	}
	b := &udpBatch{
		s:     s,
		raw:   raw,
		size:  size,
		mem:   mem,
		names: make([][sockaddrLen]byte, size),
		inIov: make([]unix.Iovec, size),
		in:    make([]unix.Mmsghdr, size),
		out:   make([]unix.Mmsghdr, size),
		outIv: make([]unix.Iovec, size),
	}
	for i := range size {
		b.inIov[i].Base = &mem[i*udpSlot]
		b.inIov[i].SetLen(udpSlot)
		h := &b.in[i].Hdr
		h.Name = &b.names[i][0]
		h.Namelen = sockaddrLen
		h.Iov = &b.inIov[i]
		h.SetIovlen(1)
		b.out[i].Hdr.Iov = &b.outIv[i]
		b.out[i].Hdr.SetIovlen(1)
	}
	b.recvFn = b.recv
	b.sendFn = b.send
	return b, nil
}

// close releases the buffers; b must not be used afterwards.
func (b *udpBatch) close() {
	if b.mem != nil {
		_ = unix.Munmap(b.mem)
		b.mem = nil
	}
}

// inSlot and outSlot return the receive and answer buffers of message i.
func (b *udpBatch) inSlot(i int) []byte { return b.mem[i*udpSlot : (i+1)*udpSlot] }

func (b *udpBatch) outSlot(i int) []byte {
	off := (b.size + i) * udpSlot
	return b.mem[off : off+udpSlot]
}

// serveOnce waits for at least one datagram, reads as many as are queued
// (up to the batch size), answers them and sends the answers. It returns an
// error only when the socket cannot be used any more (closed).
func (b *udpBatch) serveOnce() error {
	if err := b.raw.Read(b.recvFn); err != nil {
		return err
	}
	if b.recvErr != 0 {
		b.s.log.Debug("dnsserver: udp read", "err", b.recvErr)
		return nil
	}
	snap, env := b.s.holder.Load(), b.s.cfg.Env.Load()
	n := 0
	for i := range b.got {
		h := &b.in[i]
		length, flags, namelen := int(h.Len), h.Hdr.Flags, int(h.Hdr.Namelen)
		h.Hdr.Namelen = sockaddrLen // the kernel wrote the length it used
		if flags&unix.MSG_TRUNC != 0 || namelen > sockaddrLen {
			continue // cannot happen with slots of 64 KiB
		}
		client := sockaddrAddr(b.names[i][:namelen])
		resp := b.s.handleWith(snap, env, b.inSlot(i)[:length], client, true, b.outSlot(i))
		if len(resp) == 0 {
			continue
		}
		o := &b.out[n].Hdr
		o.Name = &b.names[i][0]
		o.Namelen = uint32(namelen)
		b.outIv[n].Base = &resp[0]
		b.outIv[n].SetLen(len(resp))
		n++
	}
	if n == 0 {
		return nil
	}
	b.pending, b.next, b.sendErrs = n, 0, 0
	err := b.raw.Write(b.sendFn)
	for i := range n {
		b.outIv[i].Base = nil // do not keep an answer the full path allocated alive
	}
	if err != nil {
		return err
	}
	if b.sendErrs > 0 && !b.s.closing.Load() {
		b.s.log.Debug("dnsserver: udp write", "failed", b.sendErrs, "of", n, "err", b.sendErr)
	}
	return nil
}

// The batch system calls are made with RawSyscall6, outside the runtime's
// system-call bookkeeping: the socket is non-blocking, so they never sleep,
// and a sendmmsg of a full batch runs long enough that the runtime would
// otherwise hand the reader's P to another thread, moving the reader from
// thread to thread (about ten times the context switches, measured under
// dnsperf with one P).

// recv is the RawConn read callback: one recvmmsg. It reports false (wait
// until readable) when nothing is queued.
func (b *udpBatch) recv(fd uintptr) bool {
	for {
		r, _, e := unix.RawSyscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&b.in[0])), uintptr(b.size), 0, 0, 0)
		switch e {
		case 0:
			b.got, b.recvErr = int(r), 0
			return true
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		default:
			b.got, b.recvErr = 0, e
			return true
		}
	}
}

// send is the RawConn write callback: sendmmsg until every pending answer
// went out or was refused. It reports false (wait until writable) when the
// socket's send buffer is full; the next call resumes where it stopped. An
// answer the kernel refuses (sendmmsg fails on its first message) is
// counted and skipped, so one bad peer address does not hold up the rest.
func (b *udpBatch) send(fd uintptr) bool {
	for b.next < b.pending {
		r, _, e := unix.RawSyscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&b.out[b.next])), uintptr(b.pending-b.next), 0, 0, 0)
		switch e {
		case 0:
			b.next += max(int(r), 1)
		case unix.EINTR:
		case unix.EAGAIN:
			return false
		default:
			b.sendErrs++
			b.sendErr = e
			b.next++
		}
	}
	return true
}

// sockaddrAddr returns the address of a raw sockaddr_in or sockaddr_in6
// (IPv4-mapped addresses unmapped), invalid for anything else.
func sockaddrAddr(sa []byte) netip.Addr {
	if len(sa) < 2 {
		return netip.Addr{}
	}
	switch binary.NativeEndian.Uint16(sa) {
	case unix.AF_INET:
		if len(sa) >= unix.SizeofSockaddrInet4 {
			return netip.AddrFrom4([4]byte(sa[4:8]))
		}
	case unix.AF_INET6:
		if len(sa) >= unix.SizeofSockaddrInet6 {
			return netip.AddrFrom16([16]byte(sa[8:24])).Unmap()
		}
	}
	return netip.Addr{}
}
