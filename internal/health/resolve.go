package health

import (
	"context"
	"fmt"
	"net"
	"net/netip"
)

// Resolver looks up a check's FullyQualifiedDomainName. *net.Resolver
// implements it; tests point one at their own DNS server with a custom Dial.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// resolve returns the IPv4 address a probe of e goes to: the configured
// IPAddress, or the first A record of the FQDN, looked up at every probe
// over IPv4 only (spec 3.1). A failed lookup yields the "DNS resolution
// failed" result.
func (p *Prober) resolve(ctx context.Context, e *endpoint) (netip.Addr, *Result) {
	if e.ip.IsValid() {
		return e.ip, nil
	}
	if e.fqdn == "" {
		r := failure(statusDNSFailed+": the health check has neither an IP address nor a domain name.", netip.Addr{})
		return netip.Addr{}, &r
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeouts().Resolve)
	defer cancel()
	r := p.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	addrs, err := r.LookupNetIP(ctx, "ip4", e.fqdn+".")
	for _, a := range addrs {
		if a = a.Unmap(); a.Is4() {
			return a, nil
		}
	}
	detail := "no A record"
	if err != nil {
		detail = err.Error()
	}
	res := failure(fmt.Sprintf("%s for %s: %s", statusDNSFailed, e.fqdn, detail), netip.Addr{})
	return netip.Addr{}, &res
}
