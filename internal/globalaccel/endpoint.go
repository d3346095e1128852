package globalaccel

import (
	"net/netip"
	"strings"
)

// endpointForms is the hint every endpoint ID error ends with.
const endpointForms = "Meridian endpoints are IP addresses, optionally with a port: 192.0.2.10, 192.0.2.10:8080, 2001:db8::10 or [2001:db8::10]:8080."

// ParseEndpointID reads an endpoint ID: an IPv4 or IPv6 literal, optionally
// with a port ("192.0.2.10:8080", "[2001:db8::10]:8080"); port 0 means the
// listener's (or the override's) port. AWS resource IDs — ARNs of load
// balancers, EC2 instance IDs, Elastic IP allocation IDs — and host names
// are InvalidArgumentExceptions that say what Meridian accepts instead.
// Unspecified, multicast and broadcast addresses and IPv6 zones are refused:
// no endpoint can be reached there. IPv4-mapped IPv6 addresses become IPv4.
func ParseEndpointID(id string) (netip.Addr, uint16, error) {
	lower := strings.ToLower(strings.TrimSpace(id))
	switch {
	case id == "":
		return netip.Addr{}, 0, InvalidArgument("EndpointId is required. " + endpointForms)
	case strings.HasPrefix(lower, "arn:"):
		return netip.Addr{}, 0, InvalidArgument("EndpointId %q is an AWS resource ARN (a load balancer): Meridian cannot resolve AWS resources. %s", id, endpointForms)
	case strings.HasPrefix(lower, "i-"):
		return netip.Addr{}, 0, InvalidArgument("EndpointId %q is an EC2 instance ID: Meridian cannot resolve AWS resources. %s", id, endpointForms)
	case strings.HasPrefix(lower, "eipalloc-"):
		return netip.Addr{}, 0, InvalidArgument("EndpointId %q is an Elastic IP allocation ID: Meridian cannot resolve AWS resources. %s", id, endpointForms)
	}
	var addr netip.Addr
	var port uint16
	if a, err := netip.ParseAddr(id); err == nil {
		addr = a
	} else if ap, err := netip.ParseAddrPort(id); err == nil {
		addr, port = ap.Addr(), ap.Port()
		if port == 0 {
			return netip.Addr{}, 0, InvalidArgument("EndpointId %q has port 0: a port must be between 1 and 65535. %s", id, endpointForms)
		}
	} else {
		return netip.Addr{}, 0, InvalidArgument("EndpointId %q is not an IP address or IP:port (host names are not supported). %s", id, endpointForms)
	}
	if addr.Zone() != "" {
		return netip.Addr{}, 0, InvalidArgument("EndpointId %q has an IPv6 zone: zones are not supported. %s", id, endpointForms)
	}
	addr = addr.Unmap()
	switch {
	case addr.IsUnspecified(), addr.IsMulticast(), addr == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return netip.Addr{}, 0, InvalidArgument("EndpointId %q is not a unicast address that can be an endpoint.", id)
	}
	return addr, port, nil
}

// CanonicalEndpointID returns the canonical form of an endpoint ID (the
// address as Go prints it, with ":port" or "[…]:port" when a port is
// given), so that one endpoint has one ID however it was written.
func CanonicalEndpointID(id string) (string, error) {
	addr, port, err := ParseEndpointID(id)
	if err != nil {
		return "", err
	}
	if port == 0 {
		return addr.String(), nil
	}
	return netip.AddrPortFrom(addr, port).String(), nil
}
