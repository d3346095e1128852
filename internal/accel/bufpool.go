package accel

import "sync"

// maxDatagram is the buffer size for UDP datagrams: the largest UDP
// payload (fragmented datagrams are reassembled by the kernel before they
// reach the socket).
const maxDatagram = 64 << 10

// bufPool holds maxDatagram-byte buffers, taken only while a datagram (or,
// off Linux, a TCP read) is in hand, so idle flows hold no buffer.
var bufPool = sync.Pool{New: func() any {
	b := make([]byte, maxDatagram)
	return &b
}}

// getBuf takes a buffer from the pool.
func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

// putBuf returns a buffer to the pool.
func putBuf(b *[]byte) { bufPool.Put(b) }
