package accel

import (
	"encoding/binary"
	"net/netip"
)

// Flow hashing. GA's "consistent-flow hashing" needs a key that is the same
// for every packet and connection of a flow (NONE: the 5-tuple) or of a
// client (SOURCE_IP: the 2-tuple), and draws u(key, salt) in (0, 1) that are
// independent across salts. The hash is fixed (not seeded per process) so
// every node and every restart makes the same choice for the same flow.

const (
	seedFiveTuple = 0x6a09e667f3bcc908
	seedTwoTuple  = 0xbb67ae8584caa73b
	mulMix        = 0x9e3779b97f4a7c15
)

// saltDial is the salt of the traffic-dial draw, fnv64a("dial").
var saltDial = fnv64a("dial")

// fmix64 is MurmurHash3's 64-bit finalizer: a bijection with full avalanche.
func fmix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// mix folds x into the running hash h.
func mix(h, x uint64) uint64 { return fmix64(h + x*mulMix) }

// fnv64a hashes s (FNV-1a, 64 bit) without allocating.
func fnv64a(s string) uint64 {
	h := uint64(0xcbf29ce484222325)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 0x100000001b3
	}
	return h
}

// mixAddr folds an address into h; IPv4-mapped IPv6 addresses hash as
// their IPv4 form.
func mixAddr(h uint64, a netip.Addr) uint64 {
	b := a.Unmap().As16()
	h = mix(h, binary.LittleEndian.Uint64(b[:8]))
	return mix(h, binary.LittleEndian.Uint64(b[8:]))
}

// protoNumber is the IP protocol number of a listener protocol name.
func protoNumber(p string) uint64 {
	if p == ProtocolUDP {
		return 17
	}
	return 6
}

// FlowKey is the flow-hash key of f on a listener with the given client
// affinity: the 2-tuple (source IP, destination IP) for SOURCE_IP, the
// 5-tuple otherwise.
func FlowKey(affinity string, f Flow) uint64 {
	if affinity == AffinitySourceIP {
		h := mixAddr(seedTwoTuple, f.Src.Addr())
		return fmix64(mixAddr(h, f.Dst.Addr()))
	}
	h := mixAddr(seedFiveTuple, f.Src.Addr())
	h = mixAddr(h, f.Dst.Addr())
	h = mix(h, uint64(f.Src.Port())<<32|uint64(f.Dst.Port())<<8|protoNumber(f.Protocol))
	return fmix64(h)
}

// unit maps (key, salt) to a float in the open interval (0, 1).
func unit(key, salt uint64) float64 {
	h := fmix64(fmix64(key^salt) + salt*mulMix)
	return (float64(h>>11) + 0.5) * (1.0 / (1 << 53))
}
