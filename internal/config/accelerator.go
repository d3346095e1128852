package config

import (
	"fmt"
	"net/netip"
)

// AcceleratorSection is the `accelerator` section: where accelerators' static
// addresses come from.
//
//	accelerator:
//	  ipv4_pool: 127.0.100.0/24   # default; production pools are real edge addresses
//	  ipv6_pool: fd00:100::/56    # optional; enables DUAL_STACK
//	  account: "123456789012"     # account ID in ARNs
type AcceleratorSection struct {
	IPv4Pool string `yaml:"ipv4_pool"`
	IPv6Pool string `yaml:"ipv6_pool"`
	Account  string `yaml:"account"`
}

// AcceleratorPools returns the parsed pools (zero prefixes when unset).
func (f *File) AcceleratorPools() (v4, v6 netip.Prefix, err error) {
	a := f.Accelerator
	if a.IPv4Pool != "" {
		if v4, err = netip.ParsePrefix(a.IPv4Pool); err != nil || !v4.Addr().Is4() {
			return v4, v6, fmt.Errorf("accelerator: ipv4_pool %q is not an IPv4 CIDR block", a.IPv4Pool)
		}
	}
	if a.IPv6Pool != "" {
		if v6, err = netip.ParsePrefix(a.IPv6Pool); err != nil || !v6.Addr().Is6() {
			return v4, v6, fmt.Errorf("accelerator: ipv6_pool %q is not an IPv6 CIDR block", a.IPv6Pool)
		}
	}
	return v4.Masked(), v6.Masked(), nil
}
