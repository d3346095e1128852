//go:build linux

package health

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// probeLoop is the Linux fastPath: one goroutine owns an epoll instance and
// runs every submitted probe as a state machine over a non-blocking socket
// (connect, write the request, read the head, close), edge-triggered, with
// one registration per socket. The probes' deadlines are kept in a heap
// whose earliest bounds the wait; the goroutine waits in the runtime's
// poller, on the epoll descriptor. Submissions come through a queue and an
// eventfd. The results of one turn of the loop go to the sink together.
type probeLoop struct {
	t    *Timeouts
	sink func([]probeDone) // nil: results go to the submissions' replies

	epfd, evfd int

	mu     sync.Mutex
	subs   []loopSub
	closed bool // no more submissions
	gone   bool // the descriptors are closed

	cancelled atomic.Bool
	stopping  atomic.Bool
	exited    chan struct{}

	// Owned by the loop goroutine.
	epoch   time.Time
	slots   []*loopOp // probes in flight by slot
	free    []int32   // free slots
	live    int       // probes in flight
	gen     int32     // tells a slot's probes apart
	timers  []*loopOp // min-heap by deadline
	idle    []*loopOp
	bufs    [][]byte // idle head buffers
	events  []unix.EpollEvent
	file    *os.File        // the epoll instance, parked on by the runtime's poller
	rc      syscall.RawConn // file's
	poll    func(fd uintptr) bool
	polled  int   // events of the last poll
	pollErr error // its error
	armed   int64 // the deadline set on file; -1: none
	taken   []loopSub
	done    []probeDone
	scratch []byte // first read of every head
	wbuf    []byte // requests are written from here
	ev      unix.EpollEvent
}

// loopSub is a submitted probe.
type loopSub struct {
	ep    *endpoint
	c     *checker
	reply chan<- Result
}

// opState is where a probe is.
type opState uint8

const (
	opConnecting opState = iota
	opWriting            // connected; part of the request is unsent
	opReading            // the request is sent; reading the head
)

// loopOp is one probe in flight.
type loopOp struct {
	loopSub
	state    opState
	readable bool // data or an end arrived while writing
	slot     int32
	gen      int32
	fd       int
	hidx     int   // index in the timer heap; -1: none
	deadline int64 // on the loop's clock
	local    netip.AddrPort
	sa4      unix.SockaddrInet4
	sa6      unix.SockaddrInet6
	pending  []byte // unsent request bytes
	buf      []byte // the head so far, once it spans reads
	head     headScan
}

// Bounds of the loop's free lists.
const (
	maxIdleOps  = 1024
	maxIdleBufs = 32
	loopEvents  = 256
)

// wakeData is the epoll data of the eventfd; a probe's is its slot + 1.
const wakeData = 0

// errCanceled is the connect error of a probe cut short by cancel, worded
// as Go's dialer words it.
var errCanceled = errors.New("operation was canceled")

// newFastPath starts the probe loop.
func newFastPath(t *Timeouts, sink func([]probeDone)) (fastPath, error) {
	l, err := newProbeLoop(t, sink)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// newProbeLoop starts a probe loop with the given timeouts. sink receives
// the results of engine submissions.
func newProbeLoop(t *Timeouts, sink func([]probeDone)) (*probeLoop, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("health: probe loop: epoll_create1: %w", err)
	}
	evfd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("health: probe loop: eventfd: %w", err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: wakeData}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, evfd, &ev); err != nil {
		unix.Close(evfd)
		unix.Close(epfd)
		return nil, fmt.Errorf("health: probe loop: epoll_ctl: %w", err)
	}
	l := &probeLoop{
		t: t, sink: sink, epfd: epfd, evfd: evfd,
		exited:  make(chan struct{}),
		epoch:   time.Now(),
		events:  make([]unix.EpollEvent, loopEvents),
		scratch: make([]byte, headCap),
		armed:   -1,
	}
	// The loop goroutine waits in the runtime's poller, with the other
	// goroutines and timers, rather than on a thread blocked in
	// epoll_wait.
	if err := unix.SetNonblock(epfd, true); err != nil {
		unix.Close(evfd)
		unix.Close(epfd)
		return nil, fmt.Errorf("health: probe loop: %w", err)
	}
	l.file = os.NewFile(uintptr(epfd), "probe-loop-epoll")
	rc, err := l.file.SyscallConn()
	if err == nil {
		// An error here means the runtime cannot poll the instance.
		err = l.file.SetReadDeadline(time.Time{})
	}
	if err != nil {
		unix.Close(evfd)
		l.file.Close()
		return nil, fmt.Errorf("health: probe loop: %w", err)
	}
	l.rc = rc
	l.poll = func(fd uintptr) bool {
		l.polled, l.pollErr = unix.EpollWait(int(fd), l.events, 0)
		return l.polled > 0 || (l.pollErr != nil && l.pollErr != unix.EINTR)
	}
	go l.run()
	return l, nil
}

// wait returns the events ready on the epoll instance, waiting for one
// until the next deadline. The loop goroutine waits in the runtime's
// poller: measured, that costs fewer context switches per probe than a
// thread blocked in epoll_wait (with or without LockOSThread).
func (l *probeLoop) wait() (int, error) {
	next := int64(-1)
	if len(l.timers) > 0 {
		next = l.timers[0].deadline
	}
	if next != l.armed {
		var at time.Time
		if next >= 0 {
			at = l.epoch.Add(time.Duration(next))
		}
		if err := l.file.SetReadDeadline(at); err != nil {
			return 0, err
		}
		l.armed = next
	}
	l.polled, l.pollErr = 0, nil
	if err := l.rc.Read(l.poll); err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return 0, nil
		}
		return 0, err
	}
	return l.polled, l.pollErr
}

// submit queues a probe of ep for the engine's checker c.
func (l *probeLoop) submit(ep *endpoint, c *checker) bool {
	return l.enqueue(loopSub{ep: ep, c: c})
}

// probe runs one probe and waits for its result; false: the loop is
// closed.
func (l *probeLoop) probe(ep *endpoint) (Result, bool) {
	reply := make(chan Result, 1)
	if !l.enqueue(loopSub{ep: ep, reply: reply}) {
		return Result{}, false
	}
	return <-reply, true
}

// enqueue hands a probe to the loop, waking it for the first of a batch.
func (l *probeLoop) enqueue(s loopSub) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.subs = append(l.subs, s)
	if len(l.subs) == 1 {
		l.wakeLocked()
	}
	return true
}

// cancel aborts every probe in flight and later.
func (l *probeLoop) cancel() {
	l.cancelled.Store(true)
	l.mu.Lock()
	l.wakeLocked()
	l.mu.Unlock()
}

// close aborts the probes, stops the loop and closes its descriptors.
func (l *probeLoop) close() {
	l.cancelled.Store(true)
	l.mu.Lock()
	l.closed = true
	l.stopping.Store(true)
	l.wakeLocked()
	l.mu.Unlock()
	<-l.exited
}

// wakeBytes adds 1 to an eventfd's counter.
var wakeBytes = binary.NativeEndian.AppendUint64(nil, 1)

// wakeLocked makes the loop's epoll_wait return. l.mu is held, so that the
// eventfd is still open.
func (l *probeLoop) wakeLocked() {
	if !l.gone {
		// EAGAIN means the counter is already set: the loop wakes anyway.
		_, _ = unix.Write(l.evfd, wakeBytes)
	}
}

// now is the loop's clock, in nanoseconds.
func (l *probeLoop) now() int64 { return int64(time.Since(l.epoch)) }

// run is the loop goroutine.
func (l *probeLoop) run() {
	defer close(l.exited)
	for {
		n, err := l.wait()
		if err != nil {
			l.fail(fmt.Errorf("epoll_wait: %w", err))
			return
		}
		now := l.now()
		for i := 0; i < n; i++ {
			ev := &l.events[i]
			if ev.Fd == wakeData {
				var b [8]byte
				_, _ = unix.Read(l.evfd, b[:])
				continue
			}
			if o := l.slots[ev.Fd-1]; o != nil && o.gen == ev.Pad {
				l.handle(o, ev.Events, now)
			}
		}
		l.expire(now)
		l.start(now)
		if l.cancelled.Load() {
			l.abortAll()
		}
		l.flush()
		if l.stopping.Load() {
			// close set closed before stopping: no submission follows.
			l.start(now)
			l.abortAll()
			l.flush()
			l.shut()
			return
		}
	}
}

// fail ends a loop whose epoll instance failed: later submissions go to
// the caller's own probing, and the probes it holds end without a
// measurement (Keep: their checkers keep their state).
func (l *probeLoop) fail(err error) {
	l.mu.Lock()
	l.closed = true
	l.taken, l.subs = l.subs, nil
	l.mu.Unlock()
	// Meridian's wording.
	r := Result{Keep: true, Healthy: true, Status: "The probe did not run: the probe loop failed (" + err.Error() + ")."}
	for _, s := range l.taken {
		l.finish(l.newOp(s), r)
	}
	l.taken = nil
	for _, o := range l.slots {
		if o != nil {
			l.finish(o, r)
		}
	}
	l.flush()
	l.shut()
}

// shut closes the loop's descriptors.
func (l *probeLoop) shut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.gone = true
	unix.Close(l.evfd)
	l.file.Close()
}

// start opens the submitted probes; after cancel it fails them at once.
func (l *probeLoop) start(now int64) {
	l.mu.Lock()
	l.taken, l.subs = l.subs, l.taken[:0]
	l.mu.Unlock()
	cancelled := l.cancelled.Load()
	for i := range l.taken {
		s := l.taken[i]
		l.taken[i] = loopSub{}
		o := l.newOp(s)
		if cancelled {
			l.connectFailed(o, "", errCanceled)
			continue
		}
		l.open(o, now)
	}
	l.taken = l.taken[:0]
}

// newOp takes a slot and an op for a submission.
func (l *probeLoop) newOp(s loopSub) *loopOp {
	var o *loopOp
	if n := len(l.idle); n > 0 {
		o, l.idle = l.idle[n-1], l.idle[:n-1]
	} else {
		o = &loopOp{}
	}
	o.loopSub = s
	o.fd, o.hidx = -1, -1
	l.gen++
	o.gen = l.gen
	if n := len(l.free); n > 0 {
		o.slot, l.free = l.free[n-1], l.free[:n-1]
	} else {
		o.slot = int32(len(l.slots))
		l.slots = append(l.slots, nil)
	}
	l.slots[o.slot] = o
	l.live++
	return o
}

// open creates the socket, starts connecting and registers it.
func (l *probeLoop) open(o *loopOp, now int64) {
	ep := o.ep
	family := unix.AF_INET
	var sa unix.Sockaddr
	if ep.ip.Is4() {
		o.sa4 = unix.SockaddrInet4{Port: ep.port, Addr: ep.ip.As4()}
		sa = &o.sa4
	} else {
		family = unix.AF_INET6
		o.sa6 = unix.SockaddrInet6{Port: ep.port, Addr: ep.ip.As16()}
		sa = &o.sa6
	}
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		l.connectFailed(o, "socket", err)
		return
	}
	o.fd = fd
	err = unix.Connect(fd, sa)
	if err != nil && err != unix.EINPROGRESS && err != unix.EINTR {
		l.connectFailed(o, "connect", err)
		return
	}
	// Edge-triggered: one registration serves the whole probe.
	l.ev = unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET, Fd: o.slot + 1, Pad: o.gen}
	if err := unix.EpollCtl(l.epfd, unix.EPOLL_CTL_ADD, fd, &l.ev); err != nil {
		l.connectFailed(o, "epoll_ctl", err)
		return
	}
	limit := l.t.Connect
	if ep.typ == healthcheck.TypeTCP {
		limit = l.t.TCP
	}
	o.deadline = now + int64(limit)
	l.push(o)
}

// Event bits that mean data, an end or an error to read.
const readEvents = unix.EPOLLIN | unix.EPOLLRDHUP | unix.EPOLLHUP | unix.EPOLLERR

// handle advances a probe on its socket's events.
func (l *probeLoop) handle(o *loopOp, events uint32, now int64) {
	switch o.state {
	case opConnecting:
		if events&(unix.EPOLLERR|unix.EPOLLHUP) != 0 {
			soErr, err := unix.GetsockoptInt(o.fd, unix.SOL_SOCKET, unix.SO_ERROR)
			if err != nil {
				l.connectFailed(o, "getsockopt", err)
				return
			}
			if soErr != 0 {
				l.connectFailed(o, "connect", unix.Errno(soErr))
				return
			}
		} else if events&unix.EPOLLOUT == 0 {
			return
		}
		l.connected(o, events, now)
	case opWriting:
		if events&readEvents != 0 {
			o.readable = true
		}
		if events&(unix.EPOLLOUT|unix.EPOLLERR|unix.EPOLLHUP) != 0 {
			l.send(o)
		}
	case opReading:
		if events&readEvents != 0 {
			l.read(o)
		}
	}
}

// connected finishes a TCP probe, or sends an HTTP probe's request.
func (l *probeLoop) connected(o *loopOp, events uint32, now int64) {
	o.local = localAddrPort(o.fd)
	if o.ep.typ == healthcheck.TypeTCP {
		l.finish(o, Result{Healthy: true, Status: statusTCPSuccess, Source: o.local.Addr()})
		return
	}
	o.deadline = now + int64(l.t.Status)
	l.fix(o)
	o.state = opWriting
	o.readable = events&readEvents != 0
	l.wbuf = appendRequest(l.wbuf[:0], o.ep)
	o.pending = l.wbuf
	l.send(o)
}

// send writes the unsent request bytes, and reads once they are out.
func (l *probeLoop) send(o *loopOp) {
	for len(o.pending) > 0 {
		n, err := unix.Write(o.fd, o.pending)
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			// Keep a copy of the rest (rare): the shared write buffer is
			// reused.
			o.pending = append([]byte(nil), o.pending...)
			return
		case err != nil:
			// Meridian's wording.
			l.finish(o, failure("Failure: Could not send the request: "+o.connError("write", err).Error(), o.local.Addr()))
			return
		}
		o.pending = o.pending[n:]
	}
	o.pending = nil
	o.state = opReading
	if o.readable {
		l.read(o)
	}
}

// read reads the head until it decides the probe or the socket has no
// more for now.
func (l *probeLoop) read(o *loopOp) {
	for {
		b := o.buf
		if b == nil {
			b = l.scratch[:0]
		}
		n, err := unix.Read(o.fd, b[len(b):headCap])
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			return
		case err != nil:
			// As on a net.Conn, the reads after the error see the end.
			r, _ := readHeadThen(b, o.connError("read", err), io.EOF, o.local.Addr())
			l.finish(o, r)
			return
		case n == 0:
			r, _ := readHead(b, io.EOF, o.local.Addr())
			l.finish(o, r)
			return
		}
		b = b[:len(b)+n]
		if r, ok := decideHead(&o.head, b, o.local.Addr()); ok {
			l.finish(o, r)
			return
		}
		if o.buf == nil {
			o.buf = append(l.getBuf(), b...)
		} else {
			o.buf = b
		}
	}
}

// expire ends the probes whose deadline passed.
func (l *probeLoop) expire(now int64) {
	for len(l.timers) > 0 && l.timers[0].deadline <= now {
		l.timeout(l.timers[0])
	}
}

// timeout ends a probe at its deadline: a connection timeout, or no
// complete head in time.
func (l *probeLoop) timeout(o *loopOp) {
	if o.state == opConnecting {
		l.connectFailed(o, "connect", unix.ETIMEDOUT)
		return
	}
	if len(o.buf) == 0 {
		l.finish(o, failure(statusNoStatus, o.local.Addr()))
		return
	}
	r, _ := readHead(o.buf, os.ErrDeadlineExceeded, o.local.Addr())
	l.finish(o, r)
}

// abortAll ends every probe in flight, as the goroutine path's ends when
// its context is cancelled.
func (l *probeLoop) abortAll() {
	if l.live == 0 {
		return
	}
	for _, o := range l.slots {
		switch {
		case o == nil:
		case o.state == opConnecting:
			l.connectFailed(o, "", errCanceled)
		default:
			l.timeout(o)
		}
	}
}

// connectFailed ends a probe that could not connect, with the source
// address the connection had or the system would use.
func (l *probeLoop) connectFailed(o *loopOp, call string, err error) {
	var src netip.Addr
	if o.fd >= 0 {
		src = localAddrPort(o.fd).Addr()
	}
	if (!src.IsValid() || src.IsUnspecified()) && err != errCanceled {
		src = sourceFor(o.ep.ip, o.ep.port)
	}
	var text string
	switch {
	case errors.Is(err, unix.ECONNREFUSED):
		text = statusRefused
	case errors.Is(err, unix.ETIMEDOUT):
		text = statusTimeout
	default:
		// Meridian's wording, with the error as Go's dialer words it.
		var cause error = err
		if call != "" {
			cause = os.NewSyscallError(call, err)
		}
		oe := &net.OpError{Op: "dial", Net: "tcp", Addr: net.TCPAddrFromAddrPort(netip.AddrPortFrom(o.ep.ip, uint16(o.ep.port))), Err: cause}
		text = "Failure: Could not connect to the endpoint: " + oe.Error()
	}
	l.finish(o, failure(text, src))
}

// connError is an error of a connected probe's socket as net.Conn words
// it.
func (o *loopOp) connError(call string, err error) error {
	return &net.OpError{Op: call, Net: "tcp",
		Source: net.TCPAddrFromAddrPort(o.local),
		Addr:   net.TCPAddrFromAddrPort(netip.AddrPortFrom(o.ep.ip, uint16(o.ep.port))),
		Err:    os.NewSyscallError(call, err)}
}

// finish closes a probe's socket, frees its slot and delivers its result.
func (l *probeLoop) finish(o *loopOp, r Result) {
	if o.hidx >= 0 {
		l.remove(o)
	}
	if o.fd >= 0 {
		unix.Close(o.fd)
	}
	l.slots[o.slot] = nil
	l.free = append(l.free, o.slot)
	l.live--
	if o.reply != nil {
		o.reply <- r
	} else {
		l.done = append(l.done, probeDone{c: o.c, res: r})
	}
	if o.buf != nil && len(l.bufs) < maxIdleBufs {
		l.bufs = append(l.bufs, o.buf[:0])
	}
	*o = loopOp{}
	if len(l.idle) < maxIdleOps {
		l.idle = append(l.idle, o)
	}
}

// flush hands the finished probes of this turn to the sink.
func (l *probeLoop) flush() {
	if len(l.done) == 0 {
		return
	}
	if l.sink != nil {
		l.sink(l.done)
	}
	clear(l.done)
	l.done = l.done[:0]
}

// getBuf returns an empty head buffer of capacity headCap.
func (l *probeLoop) getBuf() []byte {
	if n := len(l.bufs); n > 0 {
		b := l.bufs[n-1]
		l.bufs = l.bufs[:n-1]
		return b
	}
	return make([]byte, 0, headCap)
}

// localAddrPort is a socket's local address. It calls getsockname itself:
// unix.Getsockname also asks for the socket's protocol, a second system
// call.
func localAddrPort(fd int) netip.AddrPort {
	var rsa unix.RawSockaddrAny
	n := uint32(unix.SizeofSockaddrAny)
	_, _, e := unix.RawSyscall(unix.SYS_GETSOCKNAME, uintptr(fd), uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&n)))
	if e != 0 {
		return netip.AddrPort{}
	}
	switch rsa.Addr.Family {
	case unix.AF_INET:
		a := (*unix.RawSockaddrInet4)(unsafe.Pointer(&rsa))
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), netPort(a.Port))
	case unix.AF_INET6:
		a := (*unix.RawSockaddrInet6)(unsafe.Pointer(&rsa))
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr).Unmap(), netPort(a.Port))
	}
	return netip.AddrPort{}
}

// netPort converts a port in network byte order.
func netPort(p uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(&p))
	return uint16(b[0])<<8 | uint16(b[1])
}

// The timer heap, by deadline.

func (l *probeLoop) push(o *loopOp) {
	o.hidx = len(l.timers)
	l.timers = append(l.timers, o)
	l.up(o.hidx)
}

func (l *probeLoop) fix(o *loopOp) {
	if !l.down(o.hidx) {
		l.up(o.hidx)
	}
}

func (l *probeLoop) remove(o *loopOp) {
	i, last := o.hidx, len(l.timers)-1
	if i != last {
		l.swap(i, last)
	}
	l.timers[last] = nil
	l.timers = l.timers[:last]
	o.hidx = -1
	if i != last {
		l.fix(l.timers[i])
	}
}

func (l *probeLoop) swap(i, j int) {
	h := l.timers
	h[i], h[j] = h[j], h[i]
	h[i].hidx, h[j].hidx = i, j
}

func (l *probeLoop) up(i int) {
	h := l.timers
	for i > 0 {
		p := (i - 1) / 2
		if h[p].deadline <= h[i].deadline {
			return
		}
		l.swap(i, p)
		i = p
	}
}

// down sifts i down; it reports whether i moved.
func (l *probeLoop) down(i int) bool {
	h := l.timers
	start := i
	for {
		c := 2*i + 1
		if c >= len(h) {
			break
		}
		if r := c + 1; r < len(h) && h[r].deadline < h[c].deadline {
			c = r
		}
		if h[i].deadline <= h[c].deadline {
			break
		}
		l.swap(i, c)
		i = c
	}
	return i > start
}
