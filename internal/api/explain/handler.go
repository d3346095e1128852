package explain

import (
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/meridian-gtm/meridian/internal/api/getapi"
	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/miekg/dns"
)

// SigningService is the SigV4 service name requests are signed for: the
// Route 53 API's, so that the same client configuration signs both.
const SigningService = "route53"

// maxBodyBytes bounds the (normally empty) request body read for the
// signature check.
const maxBodyBytes = 64 << 10

// Handler serves GET /meridian/v1/explain?name=&type=&client=&subnet=:
//
//   - name (required): the query name, in DNS presentation form;
//   - type: the query type mnemonic (A, AAAA, TXT, …, or TYPEnnn), default A;
//   - client: the address of the resolver the query comes from, default
//     Engine.DefaultResolver;
//   - subnet: an EDNS Client Subnet for the query, in CIDR form, or an
//     address alone for a /24 (IPv4) or /64 (IPv6) subnet.
//
// Requests are SigV4-verified for service "route53" like the Route 53 API.
// Answers are a Response as JSON; failures an ErrorResponse.
type Handler struct {
	engine *Engine
	ep     getapi.Endpoint
}

// NewHandler returns the explain endpoint over engine, accepting requests
// signed with creds.
func NewHandler(engine *Engine, creds auth.Credentials, logger *slog.Logger) *Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Handler{engine: engine, ep: getapi.Endpoint{
		Name: "explain", Path: Path, Service: SigningService,
		BadRequestCode: "InvalidInput", MaxBody: maxBodyBytes,
		Creds: creds, Logger: logger, Now: time.Now,
	}}
}

func invalidInput(format string, args ...any) *getapi.Error {
	return getapi.BadRequest("InvalidInput", fmt.Sprintf(format, args...))
}

// ServeHTTP verifies the signature, runs the query and writes the JSON.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.ep.Admit(w, r) {
		return
	}
	resp, aerr := h.explain(r)
	if aerr != nil {
		getapi.WriteError(w, aerr)
		return
	}
	getapi.WriteJSON(w, http.StatusOK, resp)
}

// params are the validated query parameters.
type params struct {
	name   string
	qtype  uint16
	client netip.Addr
	subnet netip.Prefix
}

// explain validates the parameters and runs the query.
func (h *Handler) explain(r *http.Request) (*Response, *getapi.Error) {
	p, aerr := h.parse(r)
	if aerr != nil {
		return nil, aerr
	}
	req := NewQuery(p.name, p.qtype, p.subnet)
	msg, ex, proto := h.engine.Explain(req, p.client)
	q := Query{Name: req.Question[0].Name, Type: dns.Type(p.qtype).String(), Client: p.client.String(), Protocol: proto}
	if p.subnet.IsValid() {
		q.Subnet = p.subnet.Masked().String()
	}
	dropNonFinite(ex)
	return &Response{Query: q, Reply: replyOf(msg), Explanation: ex}, nil
}

// dropNonFinite clears the numbers JSON cannot carry (an infinite or NaN
// RTT or distance means it is unknown).
func dropNonFinite(ex *routing.Explanation) {
	if ex == nil {
		return
	}
	finite := func(p **float64) {
		if *p != nil && (math.IsNaN(**p) || math.IsInf(**p, 0)) {
			*p = nil
		}
	}
	if l := ex.Location; l != nil {
		finite(&l.Latitude)
		finite(&l.Longitude)
	}
	for i := range ex.Steps {
		for j := range ex.Steps[i].Candidates {
			c := &ex.Steps[i].Candidates[j]
			finite(&c.RTTMillis)
			finite(&c.DistanceKm)
			finite(&c.BiasedKm)
		}
	}
}

func (h *Handler) parse(r *http.Request) (params, *getapi.Error) {
	v := r.URL.Query()
	var p params
	p.name = v.Get("name")
	if p.name == "" {
		return p, invalidInput("the query name (parameter name) is required")
	}
	if _, ok := dns.IsDomainName(p.name); !ok {
		return p, invalidInput("%q is not a valid domain name", p.name)
	}
	p.qtype = dns.TypeA
	if t := v.Get("type"); t != "" {
		qt, ok := ParseType(t)
		if !ok {
			return p, invalidInput("%q is not a DNS record type", t)
		}
		p.qtype = qt
	}
	p.client = h.engine.DefaultResolver()
	if c := v.Get("client"); c != "" {
		a, err := netip.ParseAddr(c)
		if err != nil || a.Zone() != "" {
			return p, invalidInput("client %q is not an IPv4 or IPv6 address", c)
		}
		p.client = a.Unmap()
	}
	if s := v.Get("subnet"); s != "" {
		sub, err := ParseSubnet(s)
		if err != nil {
			return p, invalidInput("subnet: %v", err)
		}
		p.subnet = sub
	}
	return p, nil
}

// ParseType returns the query type a mnemonic (any case) or a TYPEnnn form
// names; meta types other than ANY are refused.
func ParseType(s string) (uint16, bool) {
	u := strings.ToUpper(s)
	if t, ok := dns.StringToType[u]; ok {
		switch t {
		case dns.TypeNone, dns.TypeOPT, dns.TypeTSIG, dns.TypeTKEY, dns.TypeMAILA, dns.TypeMAILB:
			return 0, false
		}
		return t, true
	}
	if n, ok := strings.CutPrefix(u, "TYPE"); ok {
		if t, err := strconv.ParseUint(n, 10, 16); err == nil && t != 0 {
			return uint16(t), true
		}
	}
	return 0, false
}

// Default client-subnet lengths when only an address is given (Route 53's
// TestDNSAnswer defaults).
const (
	DefaultSubnetBits4 = 24
	DefaultSubnetBits6 = 64
)

// ParseSubnet reads a client subnet: CIDR form, or an address alone for its
// /24 (IPv4) or /64 (IPv6). An IPv4-mapped IPv6 address is taken as IPv4.
// The result has its host bits cleared.
func ParseSubnet(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%q is not an address or a CIDR subnet", s)
		}
		a = a.Unmap()
		bits := DefaultSubnetBits6
		if a.Is4() {
			bits = DefaultSubnetBits4
		}
		return netip.PrefixFrom(a, bits).Masked(), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an address or a CIDR subnet", s)
	}
	if a := p.Addr(); a.Is4In6() {
		if p.Bits() < 96 {
			return netip.Prefix{}, fmt.Errorf("%q: an IPv4-mapped subnet needs a prefix of at least 96 bits", s)
		}
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}
