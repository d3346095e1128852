package route53

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/meridian-gtm/meridian/internal/api/awserr"
	"github.com/meridian-gtm/meridian/internal/api/explain"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

// Answerer runs TestDNSAnswer's simulated query through the DNS answer
// engine on the data the DNS server is serving now.
type Answerer interface {
	// ExplainZone answers req as the name servers of hosted zone zoneID
	// would for a resolver at client: over UDP, and again over TCP when that
	// reply is truncated; proto is the protocol of the reply returned ("UDP"
	// or "TCP").
	ExplainZone(zoneID string, req *dns.Msg, client netip.Addr) (resp *dns.Msg, ex *routing.Explanation, proto string, err error)
	// DefaultResolver is the resolver address simulated when the request
	// names none (Route 53 simulates one in us-east-1).
	DefaultResolver() netip.Addr
}

// testDNSRecordTypes is the model's RRType enumeration, the types recordtype
// may name.
var testDNSRecordTypes = []string{"SOA", "A", "TXT", "NS", "CNAME", "MX", "NAPTR", "PTR", "SRV", "SPF", "AAAA", "CAA", "DS", "TLSA", "SSHFP", "SVCB", "HTTPS"}

// maxRecordNameLen is the model's length limit of recordname (DNSName).
const maxRecordNameLen = 1024

type xmlRecordData struct {
	Items []string `xml:"RecordDataEntry"`
}

type testDNSAnswerResponse struct {
	XMLName      xml.Name
	Nameserver   string        `xml:"Nameserver"`
	RecordName   string        `xml:"RecordName"`
	RecordType   string        `xml:"RecordType"`
	RecordData   xmlRecordData `xml:"RecordData"`
	ResponseCode string        `xml:"ResponseCode"`
	Protocol     string        `xml:"Protocol"`
}

// testDNSInput is a validated TestDNSAnswer request.
type testDNSInput struct {
	zoneID     string
	recordName string // as the client sent it, echoed back
	qname      string // miekg/dns presentation form
	qtype      uint16
	typeName   string
	resolver   netip.Addr   // invalid: the answerer's default
	subnet     netip.Prefix // invalid: no client-subnet option
}

// testDNSAnswer simulates a query to the zone's name servers (spec 4.5
// TestDNSAnswer): the answer engine runs in process on the serving
// snapshot, from the requested resolver or the simulated one, with an EDNS
// client-subnet option when the request gives one.
func (h *handler) testDNSAnswer(ctx context.Context, req *request) (reply, error) {
	in, err := parseTestDNSAnswer(req.URL.Query())
	if err != nil {
		return reply{}, err
	}
	z, err := h.svc.GetHostedZone(ctx, in.zoneID)
	if err != nil {
		return reply{}, err
	}
	if h.answerer == nil {
		return reply{}, awserr.New("ServiceUnavailable", "TestDNSAnswer is not available: this API server does not serve DNS.", http.StatusServiceUnavailable)
	}
	resolver := in.resolver
	if !resolver.IsValid() {
		resolver = h.answerer.DefaultResolver()
	}
	msg, _, proto, err := h.answerer.ExplainZone(z.ID, explain.NewQuery(in.qname, in.qtype, in.subnet), resolver)
	if err != nil {
		return reply{}, fmt.Errorf("test dns answer for zone %s: %w", z.ID, err)
	}
	out := testDNSAnswerResponse{
		XMLName:      rootName("TestDNSAnswerResponse"),
		RecordName:   in.recordName,
		RecordType:   in.typeName,
		RecordData:   xmlRecordData{Items: make([]string, 0, len(msg.Answer))},
		ResponseCode: dns.RcodeToString[msg.Rcode],
		Protocol:     proto,
	}
	if len(z.NameServers) > 0 {
		out.Nameserver = z.NameServers[0]
	}
	for _, rr := range msg.Answer {
		out.RecordData.Items = append(out.RecordData.Items, recordData(rr))
	}
	return reply{doc: out}, nil
}

// recordData renders one answer's rdata in presentation form, without
// owner, TTL, class and type, with Route 53's octal escapes.
func recordData(rr dns.RR) string {
	return zone.DecimalToOctalEscapes(strings.TrimPrefix(rr.String(), rr.Header().String()))
}

// parseTestDNSAnswer validates the query parameters.
func parseTestDNSAnswer(q map[string][]string) (testDNSInput, error) {
	get := func(k string) (string, bool) {
		v, ok := q[k]
		if !ok || len(v) == 0 {
			return "", false
		}
		return v[0], true
	}
	var in testDNSInput
	id, ok := get("hostedzoneid")
	if !ok || id == "" {
		return in, nullParam("hostedZoneId")
	}
	in.zoneID = id
	name, ok := get("recordname")
	if !ok || name == "" {
		return in, nullParam("recordName")
	}
	if len(name) > maxRecordNameLen {
		return in, zone.InvalidInput(fmt.Sprintf("1 validation error detected: Value '%s' at 'recordName' failed to satisfy constraint: Member must have length less than or equal to %d", name, maxRecordNameLen))
	}
	labels, err := zone.ParseName(name)
	if err != nil {
		return in, zone.InvalidInput(fmt.Sprintf("Invalid record name '%s': %s", name, nameProblem(err)))
	}
	in.recordName, in.qname = name, zone.DNSName(labels)
	typ, ok := get("recordtype")
	if !ok || typ == "" {
		return in, nullParam("recordType")
	}
	if !slices.Contains(testDNSRecordTypes, typ) {
		return in, enumInputError(typ, "recordType", testDNSRecordTypes)
	}
	in.typeName, in.qtype = typ, dns.StringToType[typ]
	if s, ok := get("resolverip"); ok && s != "" {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return in, zone.InvalidInput(fmt.Sprintf("The resolver IP address '%s' is not a valid IPv4 or IPv6 address.", s))
		}
		in.resolver = a.Unmap()
	}
	ip, hasIP := get("edns0clientsubnetip")
	mask, hasMask := get("edns0clientsubnetmask")
	hasIP, hasMask = hasIP && ip != "", hasMask && mask != ""
	if hasMask && !hasIP {
		return in, zone.InvalidInput("An EDNS0 client subnet mask (edns0clientsubnetmask) requires an EDNS0 client subnet IP address (edns0clientsubnetip).")
	}
	if !hasIP {
		return in, nil
	}
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Zone() != "" {
		return in, zone.InvalidInput(fmt.Sprintf("The EDNS0 client subnet IP address '%s' is not a valid IPv4 or IPv6 address.", ip))
	}
	a = a.Unmap()
	bits, limit := explain.DefaultSubnetBits6, 128
	if a.Is4() {
		bits, limit = explain.DefaultSubnetBits4, 32
	}
	if hasMask {
		n, err := strconv.Atoi(mask)
		if err != nil || n < 0 || n > limit || len(mask) > 3 {
			family := "IPv6"
			if a.Is4() {
				family = "IPv4"
			}
			return in, zone.InvalidInput(fmt.Sprintf("The EDNS0 client subnet mask '%s' is not valid for the %s address %s: specify a value between 0 and %d.", mask, family, ip, limit))
		}
		bits = n
	}
	in.subnet = netip.PrefixFrom(a, bits).Masked()
	return in, nil
}

// nullParam is the constraint violation for a missing required parameter.
func nullParam(member string) error {
	return zone.InvalidInput("1 validation error detected: Value null at '" + member + "' failed to satisfy constraint: Member must not be null")
}

// nameProblem returns the description of a name error, e.g. "Domain label
// is empty".
func nameProblem(err error) string {
	var ne *zone.NameError
	if errors.As(err, &ne) {
		return ne.Detail
	}
	return err.Error()
}
