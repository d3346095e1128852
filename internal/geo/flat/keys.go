package flat

import (
	"encoding/binary"
	"math/bits"
)

// key is an address as an unsigned integer: u32 for IPv4, u128 for IPv6.
type key[K any] interface {
	comparable
	less(K) bool
	// next returns the following address; false when k is the last one.
	next() (K, bool)
}

// u32 is an IPv4 address.
type u32 uint32

func (a u32) less(b u32) bool { return a < b }

func (a u32) next() (u32, bool) { return a + 1, a != ^u32(0) }

func u32From4(b [4]byte) u32 { return u32(binary.BigEndian.Uint32(b[:])) }

// u32HostMask returns the host bits of an IPv4 prefix of length n.
func u32HostMask(n int) u32 { return u32(uint64(1)<<(32-n) - 1) }

// u128 is an IPv6 address.
type u128 struct{ hi, lo uint64 }

func (a u128) less(b u128) bool { return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo }

func (a u128) next() (u128, bool) {
	lo, carry := bits.Add64(a.lo, 1, 0)
	hi, over := bits.Add64(a.hi, 0, carry)
	return u128{hi, lo}, over == 0
}

func (a u128) or(b u128) u128 { return u128{a.hi | b.hi, a.lo | b.lo} }

func (a u128) xor(b u128) u128 { return u128{a.hi ^ b.hi, a.lo ^ b.lo} }

func (a u128) not() u128 { return u128{^a.hi, ^a.lo} }

func (a u128) leadingZeros() int {
	if a.hi != 0 {
		return bits.LeadingZeros64(a.hi)
	}
	return 64 + bits.LeadingZeros64(a.lo)
}

func (a u128) trailingZeros() int {
	if a.lo != 0 {
		return bits.TrailingZeros64(a.lo)
	}
	return 64 + bits.TrailingZeros64(a.hi)
}

func u128From16(b [16]byte) u128 {
	return u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// u128HostMask returns the host bits of an IPv6 prefix of length n.
func u128HostMask(n int) u128 {
	switch {
	case n >= 64:
		return u128{0, u64HostMask(n - 64)}
	default:
		return u128{u64HostMask(n), ^uint64(0)}
	}
}

// u64HostMask returns the low 64-n bits set, for 0 <= n <= 64.
func u64HostMask(n int) uint64 {
	if n == 0 {
		return ^uint64(0)
	}
	return uint64(1)<<(64-n) - 1
}
