package health

import (
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// endpoint is a probing check's configuration, prepared once per
// configuration version.
type endpoint struct {
	typ    string
	ip     netip.Addr // valid when IPAddress is set
	fqdn   string     // without the trailing dot
	port   int
	path   string // request target, with its leading '/'
	host   string // Host header
	search string
	tls    bool
	match  bool
	sni    bool
	// alarm identifies a CLOUDWATCH_METRIC check's alarm; insufficient is
	// its InsufficientDataHealthStatus.
	alarmRegion, alarmName string
	insufficient           string
}

// newEndpoint prepares a check's configuration. Missing optional fields
// take Route 53's defaults (port 80/443).
func newEndpoint(c *healthcheck.Config) *endpoint {
	e := &endpoint{
		typ:          c.Type,
		fqdn:         strings.TrimSuffix(c.FullyQualifiedDomainName, "."),
		search:       c.SearchString,
		sni:          c.EnableSNI != nil && *c.EnableSNI,
		insufficient: c.InsufficientDataHealthStatus,
	}
	if a, err := netip.ParseAddr(c.IPAddress); err == nil {
		e.ip = a.Unmap()
	}
	if c.AlarmIdentifier != nil {
		e.alarmRegion, e.alarmName = c.AlarmIdentifier.Region, c.AlarmIdentifier.Name
	}
	switch c.Type {
	case healthcheck.TypeHTTPS, healthcheck.TypeHTTPSStrMatch:
		e.tls = true
	}
	switch c.Type {
	case healthcheck.TypeHTTPStrMatch, healthcheck.TypeHTTPSStrMatch:
		e.match = true
	}
	defPort := 80
	if e.tls {
		defPort = 443
	}
	e.port = defPort
	if c.Port != nil {
		e.port = int(*c.Port)
	}
	e.path = requestTarget(c.ResourcePath)
	e.host = hostHeader(e.fqdn, e.ip, e.port, defPort)
	return e
}

// targetKey names the endpoint for the per-target probe spacing.
func (e *endpoint) targetKey() string {
	h := e.fqdn
	if e.ip.IsValid() {
		h = e.ip.String()
	}
	return net.JoinHostPort(h, strconv.Itoa(e.port))
}

// hostHeader applies spec 3.1: the FQDN on the type's default port (80 for
// HTTP, 443 for HTTPS), FQDN:port on any other, and the IP address in place
// of a missing FQDN.
func hostHeader(fqdn string, ip netip.Addr, port, defPort int) string {
	h := fqdn
	if h == "" && ip.IsValid() {
		h = ip.String()
		if ip.Is6() {
			h = "[" + h + "]"
		}
	}
	if port == defPort {
		return h
	}
	if strings.HasPrefix(h, "[") {
		return h + ":" + strconv.Itoa(port)
	}
	return net.JoinHostPort(h, strconv.Itoa(port))
}

// requestTarget returns the resource path with a leading '/' (spec 3.1) and
// with bytes that cannot appear in a request line percent-encoded.
func requestTarget(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c <= ' ' || c >= 0x7f {
			const hex = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
