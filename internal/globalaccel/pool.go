package globalaccel

import "net/netip"

// DefaultIPv4Pool is where accelerators' static IPv4 addresses come from
// when the deployment configures no pool: loopback addresses, which a
// single machine can bind without configuration.
var DefaultIPv4Pool = netip.MustParsePrefix("127.0.100.0/24")

// StaticAddresses is how many static addresses of each family an
// accelerator gets (spec 6.2).
const StaticAddresses = 2

// Usable reports whether addr can be allocated from pool: it lies in the
// pool and is not the pool's first address (the network address, or the
// IPv6 subnet-router anycast address) nor, in an IPv4 pool, its last (the
// broadcast address). Pools of one or two addresses (/31, /32, /127, /128)
// use every address.
func Usable(pool netip.Prefix, addr netip.Addr) bool {
	pool = pool.Masked()
	if !pool.IsValid() || !pool.Contains(addr) {
		return false
	}
	if pool.Addr().BitLen()-pool.Bits() <= 1 {
		return true
	}
	if addr == pool.Addr() {
		return false
	}
	if addr.Is4() {
		if next := addr.Next(); !next.IsValid() || !pool.Contains(next) {
			return false
		}
	}
	return true
}

// Allocate returns the n lowest usable addresses of pool that are not in
// used, or a LimitExceededException when the pool has fewer left.
func Allocate(pool netip.Prefix, used map[netip.Addr]bool, n int) ([]netip.Addr, error) {
	pool = pool.Masked()
	var out []netip.Addr
	for a := pool.Addr(); len(out) < n && a.IsValid() && pool.Contains(a); a = a.Next() {
		if Usable(pool, a) && !used[a] {
			out = append(out, a)
		}
	}
	if len(out) < n {
		return nil, LimitExceeded("The accelerator address pool %s has fewer than %d free addresses left: delete an accelerator or configure a larger pool.", pool, n)
	}
	return out, nil
}
