package route53

import (
	"context"
	"encoding/xml"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// maxRRSetsPerPage is ListResourceRecordSets' page size limit (and default).
const maxRRSetsPerPage = 300

func (h *handler) changeResourceRecordSets(ctx context.Context, req *request) (reply, error) {
	batch, err := parseChangeBatch(req.body)
	if err != nil {
		return reply{}, err
	}
	ci, err := h.svc.ChangeResourceRecordSets(ctx, req.PathValue("id"), batch)
	if err != nil {
		return reply{}, err
	}
	return reply{doc: changeInfoResponse{XMLName: rootName("ChangeResourceRecordSetsResponse"), ChangeInfo: changeInfoXML(ci)}}, nil
}

type xmlRRSetList struct {
	Items []xmlRRSet `xml:"ResourceRecordSet"`
}

type listResourceRecordSetsResponse struct {
	XMLName              xml.Name
	ResourceRecordSets   xmlRRSetList `xml:"ResourceRecordSets"`
	IsTruncated          bool         `xml:"IsTruncated"`
	NextRecordName       string       `xml:"NextRecordName,omitempty"`
	NextRecordType       string       `xml:"NextRecordType,omitempty"`
	NextRecordIdentifier string       `xml:"NextRecordIdentifier,omitempty"`
	MaxItems             string       `xml:"MaxItems"`
}

func (h *handler) listResourceRecordSets(ctx context.Context, req *request) (reply, error) {
	q := req.URL.Query()
	max, maxEcho, err := parseMaxItems(req.Request, maxRRSetsPerPage, maxRRSetsPerPage)
	if err != nil {
		return reply{}, err
	}
	start, err := startKey(q.Get("name"), q.Get("type"), q.Get("identifier"))
	if err != nil {
		return reply{}, err
	}
	page, err := h.svc.ListResourceRecordSets(ctx, req.PathValue("id"), start, max)
	if err != nil {
		return reply{}, err
	}
	resp := listResourceRecordSetsResponse{
		XMLName:            rootName("ListResourceRecordSetsResponse"),
		ResourceRecordSets: xmlRRSetList{Items: make([]xmlRRSet, len(page.RRSets))},
		IsTruncated:        page.Next != nil,
		MaxItems:           maxEcho,
	}
	for i, rs := range page.RRSets {
		resp.ResourceRecordSets.Items[i] = rrsetXML(rs)
	}
	if n := page.Next; n != nil {
		resp.NextRecordName, resp.NextRecordType, resp.NextRecordIdentifier = n.Name, n.Type, n.SetIdentifier
	}
	return reply{doc: resp}, nil
}

// startKey builds the ListResourceRecordSets start position from the name,
// type and identifier query parameters; the name is canonicalised so that
// any spelling of it (case, trailing dot, escapes) starts at the same place.
func startKey(name, typ, identifier string) (zone.Key, error) {
	if name == "" {
		if typ != "" {
			return zone.Key{}, zone.InvalidInput("The input is not valid: StartRecordType (type) can be given only together with StartRecordName (name).")
		}
		if identifier != "" {
			return zone.Key{}, zone.InvalidInput("The input is not valid: StartRecordIdentifier (identifier) can be given only together with StartRecordName (name) and StartRecordType (type).")
		}
		return zone.Key{}, nil
	}
	canonical, err := zone.CanonicalName(name)
	if err != nil {
		return zone.Key{}, zone.InvalidInput("The input is not valid: StartRecordName (name): " + err.Error())
	}
	if typ != "" && !zone.IsRRType(typ) {
		return zone.Key{}, zone.InvalidInput("1 validation error detected: Value '" + typ +
			"' at 'startRecordType' failed to satisfy constraint: Member must satisfy enum value set: [SOA, A, TXT, NS, CNAME, MX, NAPTR, PTR, SRV, SPF, AAAA, CAA, DS, TLSA, SSHFP, SVCB, HTTPS]")
	}
	if identifier != "" && typ == "" {
		return zone.Key{}, zone.InvalidInput("The input is not valid: StartRecordIdentifier (identifier) can be given only together with StartRecordName (name) and StartRecordType (type).")
	}
	return zone.Key{Name: canonical, Type: typ, SetIdentifier: identifier}, nil
}
