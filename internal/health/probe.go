package health

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// userAgent is sent by HTTP(S) probes (Meridian's own; Route 53 sends
// "Amazon-Route53-Health-Check-Service …").
const userAgent = "Meridian-Health-Check"

// Prober runs single probes. Its zero value probes with Route 53's timeouts
// and the system resolver, and knows no alarms.
type Prober struct {
	// Timeouts of the probes; zero fields take the defaults.
	Timeouts Timeouts
	// Resolver resolves FQDNs; nil: net.DefaultResolver.
	Resolver Resolver

	alarms     map[string]*Alarm
	promClient *http.Client
	t          *Timeouts // defaulted Timeouts, set by NewProber
}

// NewProber returns a prober with the configuration's timeouts and alarms.
func NewProber(cfg Config, r Resolver) *Prober {
	t := cfg.Timeouts.withDefaults()
	p := &Prober{Timeouts: t, Resolver: r, alarms: map[string]*Alarm{}, t: &t}
	for i := range cfg.Alarms {
		a := cfg.Alarms[i]
		p.alarms[alarmKey(a.Region, a.Name)] = &a
	}
	p.promClient = newPromClient(t.Alarm)
	return p
}

// timeouts returns the defaulted timeouts.
func (p *Prober) timeouts() *Timeouts {
	if p.t != nil {
		return p.t
	}
	t := p.Timeouts.withDefaults()
	return &t
}

// Probe runs one probe of a check configuration, as one checker would.
// CALCULATED and RECOVERY_CONTROL checks are not probed: they yield an
// unhealthy result saying so.
func (p *Prober) Probe(ctx context.Context, c healthcheck.Config) Result {
	return p.probe(ctx, newEndpoint(&c))
}

// probe dispatches on the check type.
func (p *Prober) probe(ctx context.Context, e *endpoint) Result {
	switch e.typ {
	case healthcheck.TypeHTTP, healthcheck.TypeHTTPS, healthcheck.TypeHTTPStrMatch, healthcheck.TypeHTTPSStrMatch:
		return p.probeHTTP(ctx, e)
	case healthcheck.TypeTCP:
		return p.probeTCP(ctx, e)
	case healthcheck.TypeCloudWatchMetric:
		return p.probeAlarm(ctx, e)
	}
	// Meridian's wording.
	return failure(fmt.Sprintf("Failure: %s health checks are not probed.", e.typ), netip.Addr{})
}

// dial opens a TCP connection to addr:port within timeout. On failure it
// returns the Route 53-style result, with the source address the system
// would have used.
func dial(ctx context.Context, addr netip.Addr, port int, timeout time.Duration) (net.Conn, netip.Addr, *Result) {
	// No TCP keep-alive: the connection lives for one request, and
	// skipping it saves the socket options' system calls.
	d := net.Dialer{Timeout: timeout, KeepAlive: -1}
	target := net.JoinHostPort(addr.String(), strconv.Itoa(port))
	conn, err := d.DialContext(ctx, "tcp", target)
	if err != nil {
		src := sourceFor(addr, port)
		r := failure(dialFailure(err), src)
		return nil, src, &r
	}
	return conn, localAddr(conn), nil
}

// dialFailure renders a connection error.
func dialFailure(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return statusTimeout
	case errors.Is(err, syscall.ECONNREFUSED):
		return statusRefused
	}
	// Meridian's wording.
	return "Failure: Could not connect to the endpoint: " + err.Error()
}

// localAddr is a connection's local IP address.
func localAddr(c net.Conn) netip.Addr {
	if a, ok := c.LocalAddr().(*net.TCPAddr); ok {
		ap := a.AddrPort()
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

// sourceFor returns the local address the system routes to addr from, by
// connecting a UDP socket (which sends nothing).
func sourceFor(addr netip.Addr, port int) netip.Addr {
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, uint16(port))))
	if err != nil {
		return netip.Addr{}
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap()
}

// isTimeout reports whether err is a deadline or timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ETIMEDOUT) || (errors.As(err, &ne) && ne.Timeout())
}
