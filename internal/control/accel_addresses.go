package control

import (
	"net/netip"
	"slices"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
)

// parseRequestedAddresses reads CreateAccelerator's IpAddresses: at most
// two, distinct, each in the pool of its family; IPv6 ones only for
// DUAL_STACK.
func (g *AcceleratorService) parseRequestedAddresses(ips []string, ipType string) ([]netip.Addr, error) {
	if len(ips) > globalaccel.StaticAddresses {
		return nil, globalaccel.InvalidArgument("IpAddresses can hold at most %d addresses; it holds %d.", globalaccel.StaticAddresses, len(ips))
	}
	var out []netip.Addr
	for _, s := range ips {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return nil, globalaccel.InvalidArgument("IpAddresses: %q is not an IP address.", s)
		}
		a = a.Unmap()
		pool := g.cfg.IPv4Pool
		if a.Is6() {
			if ipType != globalaccel.IPAddressTypeDualStack {
				return nil, globalaccel.InvalidArgument("IpAddresses: %s is an IPv6 address, but the accelerator's IpAddressType is IPV4.", a)
			}
			pool = g.cfg.IPv6Pool
		}
		if !globalaccel.Usable(pool, a) {
			return nil, globalaccel.InvalidArgument("IpAddresses: %s is not a usable address of this deployment's accelerator address pool %s.", a, pool)
		}
		if slices.Contains(out, a) {
			return nil, globalaccel.InvalidArgument("IpAddresses: %s is listed twice.", a)
		}
		out = append(out, a)
	}
	return out, nil
}

// usedAddresses returns every address an accelerator holds, reserved IPv6
// addresses included.
func usedAddresses(all []globalaccel.Accelerator) map[netip.Addr]bool {
	used := map[netip.Addr]bool{}
	for _, a := range all {
		for _, ip := range a.IPv4 {
			used[ip] = true
		}
		for _, ip := range a.IPv6 {
			used[ip] = true
		}
	}
	return used
}

// assignAddresses gives acc its requested addresses and fills both families
// up to two from the pools.
func (g *AcceleratorService) assignAddresses(acc *globalaccel.Accelerator, all []globalaccel.Accelerator, requested []netip.Addr) error {
	used := usedAddresses(all)
	for _, a := range requested {
		if used[a] {
			return globalaccel.InvalidArgument("IpAddresses: %s is already a static address of another accelerator.", a)
		}
		if a.Is4() {
			acc.IPv4 = append(acc.IPv4, a)
		} else {
			acc.IPv6 = append(acc.IPv6, a)
		}
		used[a] = true
	}
	more, err := globalaccel.Allocate(g.cfg.IPv4Pool, used, globalaccel.StaticAddresses-len(acc.IPv4))
	if err != nil {
		return err
	}
	acc.IPv4 = append(acc.IPv4, more...)
	if acc.IPAddressType == globalaccel.IPAddressTypeDualStack {
		return g.assignIPv6(acc, used)
	}
	return nil
}

func (g *AcceleratorService) assignIPv6(acc *globalaccel.Accelerator, used map[netip.Addr]bool) error {
	more, err := globalaccel.Allocate(g.cfg.IPv6Pool, used, globalaccel.StaticAddresses-len(acc.IPv6))
	if err != nil {
		return err
	}
	acc.IPv6 = append(acc.IPv6, more...)
	return nil
}

// uniqueDNSName returns a DNS name no accelerator has.
func uniqueDNSName(all []globalaccel.Accelerator) string {
	for {
		name := globalaccel.NewDNSName()
		if !slices.ContainsFunc(all, func(a globalaccel.Accelerator) bool { return a.DNSName == name }) {
			return name
		}
	}
}

// checkOwnAddresses accepts an UpdateAccelerator IpAddresses list only when
// it names addresses the accelerator already has.
func checkOwnAddresses(acc *globalaccel.Accelerator, ips []string) error {
	if len(ips) > globalaccel.StaticAddresses {
		return globalaccel.InvalidArgument("IpAddresses can hold at most %d addresses.", globalaccel.StaticAddresses)
	}
	for _, s := range ips {
		ip, err := netip.ParseAddr(s)
		if err != nil {
			return globalaccel.InvalidArgument("IpAddresses: %q is not an IP address.", s)
		}
		if !slices.Contains(acc.IPv4, ip.Unmap()) && !slices.Contains(acc.IPv6, ip) {
			return globalaccel.InvalidArgument("IpAddresses: %s is not a static address of accelerator %s, and an accelerator's static addresses cannot be changed.", ip, acc.ARN)
		}
	}
	return nil
}
