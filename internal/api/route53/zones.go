package route53

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"

	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// Page sizes of the zone listings (spec 4.5).
const maxZonesPerPage = 100

type xmlHostedZoneList struct {
	Items []xmlHostedZone `xml:"HostedZone"`
}

func zoneListXML(zones []control.ZoneInfo) xmlHostedZoneList {
	l := xmlHostedZoneList{Items: make([]xmlHostedZone, len(zones))}
	for i, z := range zones {
		l.Items[i] = hostedZoneXML(z)
	}
	return l
}

type createHostedZoneResponse struct {
	XMLName       xml.Name
	HostedZone    xmlHostedZone     `xml:"HostedZone"`
	ChangeInfo    xmlChangeInfo     `xml:"ChangeInfo"`
	DelegationSet *xmlDelegationSet `xml:"DelegationSet,omitempty"`
}

func (h *handler) createHostedZone(ctx context.Context, req *request) (reply, error) {
	in, err := parseCreateHostedZone(req.body)
	if err != nil {
		return reply{}, err
	}
	if in.HasVPC {
		return reply{}, errPrivateZone()
	}
	z, ci, err := h.svc.CreateHostedZone(ctx, in.CreateZoneInput)
	if err != nil {
		return reply{}, err
	}
	return reply{
		status:   http.StatusCreated,
		location: "/2013-04-01/hostedzone/" + z.ID,
		doc: createHostedZoneResponse{
			XMLName:       rootName("CreateHostedZoneResponse"),
			HostedZone:    hostedZoneXML(z),
			ChangeInfo:    changeInfoXML(ci),
			DelegationSet: zoneDelegationSetXML(z),
		},
	}, nil
}

type getHostedZoneResponse struct {
	XMLName       xml.Name
	HostedZone    xmlHostedZone     `xml:"HostedZone"`
	DelegationSet *xmlDelegationSet `xml:"DelegationSet,omitempty"`
}

func (h *handler) getHostedZone(ctx context.Context, req *request) (reply, error) {
	z, err := h.svc.GetHostedZone(ctx, req.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{doc: getHostedZoneResponse{
		XMLName:       rootName("GetHostedZoneResponse"),
		HostedZone:    hostedZoneXML(z),
		DelegationSet: zoneDelegationSetXML(z),
	}}, nil
}

type listHostedZonesResponse struct {
	XMLName     xml.Name
	HostedZones xmlHostedZoneList `xml:"HostedZones"`
	Marker      string            `xml:"Marker,omitempty"`
	IsTruncated bool              `xml:"IsTruncated"`
	NextMarker  string            `xml:"NextMarker,omitempty"`
	MaxItems    string            `xml:"MaxItems"`
}

func (h *handler) listHostedZones(ctx context.Context, req *request) (reply, error) {
	q := req.URL.Query()
	max, maxEcho, err := parseMaxItems(req.Request, maxZonesPerPage, maxZonesPerPage)
	if err != nil {
		return reply{}, err
	}
	zoneType := q.Get("hostedzonetype")
	if zoneType != "" && zoneType != "PrivateHostedZone" {
		return reply{}, enumInputError(zoneType, "hostedZoneType", []string{"PrivateHostedZone"})
	}
	zones, err := h.svc.ListHostedZones(ctx)
	if err != nil {
		return reply{}, err
	}
	if ds := q.Get("delegationsetid"); ds != "" {
		ds = control.StripPrefix(ds)
		if _, err := h.svc.GetReusableDelegationSet(ctx, ds); err != nil {
			return reply{}, err
		}
		zones = filterZones(zones, func(z control.ZoneInfo) bool { return z.DelegationSetID == ds })
	}
	if zoneType == "PrivateHostedZone" {
		zones = filterZones(zones, func(z control.ZoneInfo) bool { return z.PrivateZone })
	}
	marker := q.Get("marker")
	start := 0
	if marker != "" {
		id := control.StripPrefix(marker)
		start = -1
		for i, z := range zones {
			if z.ID == id {
				start = i
				break
			}
		}
		if start < 0 {
			return reply{}, zone.InvalidInput("The marker " + marker + " does not name a hosted zone in this listing.")
		}
	}
	page, next := pageOf(zones, start, max)
	resp := listHostedZonesResponse{
		XMLName:     rootName("ListHostedZonesResponse"),
		HostedZones: zoneListXML(page),
		Marker:      marker,
		IsTruncated: next != nil,
		MaxItems:    maxEcho,
	}
	if next != nil {
		resp.NextMarker = next.ID
	}
	return reply{doc: resp}, nil
}

// pageOf returns up to max zones from start, and the first zone of the next
// page (nil when this page is the last).
func pageOf(zones []control.ZoneInfo, start, max int) ([]control.ZoneInfo, *control.ZoneInfo) {
	if start >= len(zones) {
		return nil, nil
	}
	end := start + max
	if end >= len(zones) {
		return zones[start:], nil
	}
	return zones[start:end], &zones[end]
}

func filterZones(zones []control.ZoneInfo, keep func(control.ZoneInfo) bool) []control.ZoneInfo {
	var out []control.ZoneInfo
	for _, z := range zones {
		if keep(z) {
			out = append(out, z)
		}
	}
	return out
}

type listHostedZonesByNameResponse struct {
	XMLName          xml.Name
	HostedZones      xmlHostedZoneList `xml:"HostedZones"`
	DNSName          string            `xml:"DNSName,omitempty"`
	HostedZoneID     string            `xml:"HostedZoneId,omitempty"`
	IsTruncated      bool              `xml:"IsTruncated"`
	NextDNSName      string            `xml:"NextDNSName,omitempty"`
	NextHostedZoneID string            `xml:"NextHostedZoneId,omitempty"`
	MaxItems         string            `xml:"MaxItems"`
}

func (h *handler) listHostedZonesByName(ctx context.Context, req *request) (reply, error) {
	q := req.URL.Query()
	max, maxEcho, err := parseMaxItems(req.Request, maxZonesPerPage, maxZonesPerPage)
	if err != nil {
		return reply{}, err
	}
	dnsName, zoneID := q.Get("dnsname"), q.Get("hostedzoneid")
	if zoneID != "" && dnsName == "" {
		return reply{}, zone.InvalidInput("The parameter hostedzoneid can be given only together with dnsname.")
	}
	startKey := ""
	if dnsName != "" {
		canonical, err := zone.CanonicalName(dnsName)
		if err != nil {
			var ne *zone.NameError
			if errors.As(err, &ne) {
				return reply{}, zone.NewError("InvalidDomainName", ne.Error())
			}
			return reply{}, zone.NewError("InvalidDomainName", dnsName+" is not a valid domain name")
		}
		startKey = control.ZoneSortKey(canonical, control.StripPrefix(zoneID))
	}
	zones, err := h.svc.ListHostedZones(ctx)
	if err != nil {
		return reply{}, err
	}
	start := 0
	for start < len(zones) && control.ZoneSortKey(zones[start].Name, zones[start].ID) < startKey {
		start++
	}
	page, next := pageOf(zones, start, max)
	resp := listHostedZonesByNameResponse{
		XMLName:      rootName("ListHostedZonesByNameResponse"),
		HostedZones:  zoneListXML(page),
		DNSName:      dnsName,
		HostedZoneID: zoneID,
		IsTruncated:  next != nil,
		MaxItems:     maxEcho,
	}
	if next != nil {
		resp.NextDNSName, resp.NextHostedZoneID = next.Name, next.ID
	}
	return reply{doc: resp}, nil
}

type getHostedZoneCountResponse struct {
	XMLName         xml.Name
	HostedZoneCount int `xml:"HostedZoneCount"`
}

func (h *handler) getHostedZoneCount(ctx context.Context, _ *request) (reply, error) {
	n, err := h.svc.HostedZoneCount(ctx)
	if err != nil {
		return reply{}, err
	}
	return reply{doc: getHostedZoneCountResponse{XMLName: rootName("GetHostedZoneCountResponse"), HostedZoneCount: n}}, nil
}

type updateHostedZoneCommentResponse struct {
	XMLName    xml.Name
	HostedZone xmlHostedZone `xml:"HostedZone"`
}

func (h *handler) updateHostedZoneComment(ctx context.Context, req *request) (reply, error) {
	comment, err := parseUpdateComment(req.body)
	if err != nil {
		return reply{}, err
	}
	z, err := h.svc.UpdateHostedZoneComment(ctx, req.PathValue("id"), comment)
	if err != nil {
		return reply{}, err
	}
	return reply{doc: updateHostedZoneCommentResponse{XMLName: rootName("UpdateHostedZoneCommentResponse"), HostedZone: hostedZoneXML(z)}}, nil
}

type changeInfoResponse struct {
	XMLName    xml.Name
	ChangeInfo xmlChangeInfo `xml:"ChangeInfo"`
}

func (h *handler) deleteHostedZone(ctx context.Context, req *request) (reply, error) {
	ci, err := h.svc.DeleteHostedZone(ctx, req.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{doc: changeInfoResponse{XMLName: rootName("DeleteHostedZoneResponse"), ChangeInfo: changeInfoXML(ci)}}, nil
}

func (h *handler) getChange(ctx context.Context, req *request) (reply, error) {
	ci, err := h.svc.GetChange(ctx, req.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{doc: changeInfoResponse{XMLName: rootName("GetChangeResponse"), ChangeInfo: changeInfoXML(ci)}}, nil
}
