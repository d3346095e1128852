package snapshot

import "unsafe"

// A compiled zone holds tens of thousands of small objects: names, packed
// records, nodes, plans, members and parsed records. Allocated one by one,
// each would carry the allocator's rounding, and they would be scattered
// among the garbage that compiling leaves (decoded record sets, parser
// temporaries), pinning half-empty heap spans long after that garbage is
// collected. The arenas and slabs below place them in a few large blocks
// instead. A block lives as long as anything points into it, which is as
// long as the zone.

// Block sizes of the arenas: the first block is sized from the zone, later
// blocks double up to the maximum, so small zones stay small and a large
// zone wastes at most part of its last block.
const (
	minArenaBlock = 256
	maxArenaBlock = 64 << 10
	minSlabBlock  = 8
	maxSlabBlock  = 512
)

// byteArena hands out immutable byte slices and strings carved from shared
// blocks. Nothing it hands out is ever written again.
type byteArena struct {
	buf  []byte
	next int // size of the next block
}

// newByteArena returns an arena whose first block holds about estimate
// bytes.
func newByteArena(estimate int) byteArena {
	return byteArena{next: min(max(estimate, minArenaBlock), maxArenaBlock)}
}

// alloc returns n bytes to fill, with their capacity clipped.
func (a *byteArena) alloc(n int) []byte {
	if n > cap(a.buf)-len(a.buf) {
		a.buf = make([]byte, 0, max(a.next, n))
		a.next = min(a.next*2, maxArenaBlock)
	}
	start := len(a.buf)
	a.buf = a.buf[:start+n]
	return a.buf[start : start+n : start+n]
}

// bytes returns a copy of b in the arena; nil for an empty b.
func (a *byteArena) bytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	out := a.alloc(len(b))
	copy(out, b)
	return out
}

// string returns a copy of s in the arena.
func (a *byteArena) string(s string) string {
	if s == "" {
		return ""
	}
	b := a.alloc(len(s))
	copy(b, s)
	return unsafe.String(&b[0], len(b))
}

// wireKey returns the wire form of raw lowercase labels (see wireKey) in
// the arena.
func (a *byteArena) wireKey(labels []string) string {
	n := 1
	for _, l := range labels {
		n += 1 + len(l)
	}
	b := a.alloc(n)
	i := 0
	for _, l := range labels {
		b[i] = byte(len(l))
		i += 1 + copy(b[i+1:], l)
	}
	b[i] = 0
	return unsafe.String(&b[0], len(b))
}

// slab hands out values of type T from shared blocks.
type slab[T any] struct {
	buf  []T
	next int // size of the next block
}

// newSlab returns a slab whose first block holds about estimate values.
func newSlab[T any](estimate int) slab[T] {
	return slab[T]{next: min(max(estimate, minSlabBlock), maxSlabBlock)}
}

// alloc returns a pointer to a new zero T.
func (s *slab[T]) alloc() *T {
	if len(s.buf) == cap(s.buf) {
		s.buf = make([]T, 0, s.next)
		s.next = min(s.next*2, maxSlabBlock)
	}
	s.buf = s.buf[:len(s.buf)+1]
	return &s.buf[len(s.buf)-1]
}
