package flat

import (
	"math/bits"
	"net/netip"
)

// Lookup returns the value for addr (0 when no prefix covers it) and the
// length of the largest prefix around addr over which Lookup returns that
// same value. IPv4-mapped IPv6 addresses are looked up as IPv4. An invalid
// address gives 0, 0. Lookup does not allocate.
func (t *Table) Lookup(addr netip.Addr) (value uint32, scope uint8) {
	if t == nil {
		return 0, 0
	}
	addr = addr.Unmap()
	switch {
	case addr.Is4():
		return t.lookup4(uint32(u32From4(addr.As4())))
	case addr.Is6():
		return t.lookup6(u128From16(addr.As16()))
	}
	return 0, 0
}

func (t *Table) lookup4(x uint32) (uint32, uint8) {
	starts := t.v4Start
	if len(starts) == 0 {
		return 0, 0
	}
	// starts[0] is 0, so the range holding x is the last start <= x.
	lo, hi := 0, len(starts)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if starts[m] <= x {
			lo = m
		} else {
			hi = m
		}
	}
	first, last := starts[lo], ^uint32(0)
	if lo+1 < len(starts) {
		last = starts[lo+1] - 1
	}
	fromFirst := widest(32, bits.LeadingZeros32(x^first), bits.TrailingZeros32(first))
	fromLast := widest(32, bits.LeadingZeros32(x^last), bits.TrailingZeros32(^last))
	return t.v4Value[lo], uint8(max(fromFirst, fromLast))
}

func (t *Table) lookup6(x u128) (uint32, uint8) {
	starts := t.v6Start
	if len(starts) == 0 {
		return 0, 0
	}
	lo, hi := 0, len(starts)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if !x.less(starts[m]) {
			lo = m
		} else {
			hi = m
		}
	}
	first, last := starts[lo], u128{^uint64(0), ^uint64(0)}
	if lo+1 < len(starts) {
		n := starts[lo+1]
		last = u128{n.hi, n.lo - 1}
		if n.lo == 0 {
			last.hi--
		}
	}
	fromFirst := widest(128, x.xor(first).leadingZeros(), first.trailingZeros())
	fromLast := widest(128, x.xor(last).leadingZeros(), last.not().trailingZeros())
	return t.v6Value[lo], uint8(max(fromFirst, fromLast))
}

// widest returns the shortest prefix length n such that the n-bit prefix
// around x stays on x's side of a range bound b, given common = the number of
// leading bits x and b share and tail = the number of trailing bits of b that
// equal the range's outer edge (trailing zeros of a first address, trailing
// ones of a last address).
//
// For n <= common the prefix around x is also the prefix around b, which
// stays inside only if b sits on the prefix's boundary, i.e. n >= width-tail.
// For n > common the prefix no longer reaches b's side (x and b differ at bit
// common, in the direction that keeps x inside). So the answer is width-tail
// when that is <= common, and common+1 otherwise.
func widest(width, common, tail int) int {
	if edge := width - tail; edge <= common {
		return edge
	}
	return common + 1
}
