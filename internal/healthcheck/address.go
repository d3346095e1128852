package healthcheck

import "net/netip"

// nonPublic are the special-use blocks (RFC 5735, RFC 6598, RFC 5156 and
// their successors) that Route 53 health checkers cannot reach: local,
// private, non-routable and documentation ranges. Multicast, unspecified and
// broadcast addresses are handled by neverProbed.
var nonPublic = mustPrefixes(
	"0.0.0.0/8",       // "this" network
	"10.0.0.0/8",      // private
	"100.64.0.0/10",   // shared address space (RFC 6598)
	"127.0.0.0/8",     // loopback
	"169.254.0.0/16",  // link-local
	"172.16.0.0/12",   // private
	"192.0.0.0/24",    // IETF protocol assignments
	"192.0.2.0/24",    // TEST-NET-1
	"192.88.99.0/24",  // 6to4 relay anycast
	"192.168.0.0/16",  // private
	"198.18.0.0/15",   // benchmarking
	"198.51.100.0/24", // TEST-NET-2
	"203.0.113.0/24",  // TEST-NET-3
	"240.0.0.0/4",     // reserved
	"::1/128",         // loopback
	"100::/64",        // discard-only
	"2001::/23",       // IETF protocol assignments
	"2001:db8::/32",   // documentation
	"fc00::/7",        // unique local
	"fe80::/10",       // link-local
	"fec0::/10",       // site-local (deprecated)
)

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// neverProbed reports addresses no checker can send a probe to in any
// deployment: unspecified, multicast and the IPv4 broadcast address.
func neverProbed(a netip.Addr) bool {
	return a.IsUnspecified() || a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

// isPublic reports whether a is a public unicast address, one Route 53
// accepts as a health check's IPAddress.
func isPublic(a netip.Addr) bool {
	a = a.Unmap()
	if neverProbed(a) {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a.WithZone("")) {
			return false
		}
	}
	return true
}
