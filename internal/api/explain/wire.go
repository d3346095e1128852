package explain

import (
	"strings"

	"github.com/meridian-gtm/meridian/internal/api/getapi"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/miekg/dns"
)

// Path is where the explain endpoint is served.
const Path = "/meridian/v1/explain"

// Response is the explain endpoint's answer: the query that was run, the
// reply the DNS server gives it and why.
type Response struct {
	Query       Query                `json:"query"`
	Reply       Reply                `json:"reply"`
	Explanation *routing.Explanation `json:"explanation"`
}

// Query is the simulated query.
type Query struct {
	// Name is the query name, fully qualified, in presentation form.
	Name string `json:"name"`
	Type string `json:"type"`
	// Client is the address of the resolver the query came from.
	Client string `json:"client"`
	// Subnet is the EDNS Client Subnet the query carried, in CIDR form;
	// empty without one.
	Subnet string `json:"subnet,omitempty"`
	// Protocol is the transport of the reply: "UDP", or "TCP" when the UDP
	// reply was truncated.
	Protocol string `json:"protocol"`
}

// Reply is the DNS reply.
type Reply struct {
	Rcode         string   `json:"rcode"`
	Authoritative bool     `json:"authoritative"`
	Answer        []Record `json:"answer"`
	Authority     []Record `json:"authority"`
	Additional    []Record `json:"additional,omitempty"`
	// ECSScope is the scope prefix length of the reply's client-subnet
	// option; nil when the reply carries none (the query had none).
	ECSScope *uint8 `json:"ecs_scope"`
}

// Record is one resource record of the reply.
type Record struct {
	Name string `json:"name"`
	TTL  uint32 `json:"ttl"`
	Type string `json:"type"`
	// Data is the rdata in presentation form.
	Data string `json:"data"`
}

// ErrorResponse is the body of every failed request.
type ErrorResponse = getapi.ErrorResponse

// ErrorDetail names a failure: an AWS-style code (InvalidInput,
// SignatureDoesNotMatch, …) and a message.
type ErrorDetail = getapi.ErrorDetail

// replyOf renders a DNS reply.
func replyOf(m *dns.Msg) Reply {
	r := Reply{
		Rcode:         dns.RcodeToString[m.Rcode],
		Authoritative: m.Authoritative,
		Answer:        records(m.Answer),
		Authority:     records(m.Ns),
	}
	for _, rr := range m.Extra {
		if opt, ok := rr.(*dns.OPT); ok {
			for _, o := range opt.Option {
				if e, ok := o.(*dns.EDNS0_SUBNET); ok {
					scope := e.SourceScope
					r.ECSScope = &scope
				}
			}
			continue
		}
		r.Additional = append(r.Additional, record(rr))
	}
	return r
}

func records(rrs []dns.RR) []Record {
	out := make([]Record, 0, len(rrs))
	for _, rr := range rrs {
		out = append(out, record(rr))
	}
	return out
}

func record(rr dns.RR) Record {
	h := rr.Header()
	return Record{Name: h.Name, TTL: h.Ttl, Type: dns.Type(h.Rrtype).String(), Data: RData(rr)}
}

// RData renders the rdata of rr in presentation form: the record without
// its owner name, TTL, class and type.
func RData(rr dns.RR) string {
	return strings.TrimPrefix(rr.String(), rr.Header().String())
}
