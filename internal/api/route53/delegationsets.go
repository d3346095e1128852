package route53

import (
	"context"
	"encoding/xml"
	"net/http"

	"github.com/meridian-gtm/meridian/internal/control"
)

// maxDelegationSetsPerPage is ListReusableDelegationSets' page size limit.
const maxDelegationSetsPerPage = 100

type delegationSetResponse struct {
	XMLName       xml.Name
	DelegationSet xmlDelegationSet `xml:"DelegationSet"`
}

func (h *handler) createReusableDelegationSet(ctx context.Context, req *request) (reply, error) {
	in, err := parseCreateDelegationSet(req.body)
	if err != nil {
		return reply{}, err
	}
	ds, err := h.svc.CreateReusableDelegationSet(ctx, in.CallerReference, in.HostedZoneID)
	if err != nil {
		return reply{}, err
	}
	return reply{
		status:   http.StatusCreated,
		location: "/2013-04-01/delegationset/" + ds.ID,
		doc:      delegationSetResponse{XMLName: rootName("CreateReusableDelegationSetResponse"), DelegationSet: reusableSetXML(ds)},
	}, nil
}

func (h *handler) getReusableDelegationSet(ctx context.Context, req *request) (reply, error) {
	ds, err := h.svc.GetReusableDelegationSet(ctx, req.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{doc: delegationSetResponse{XMLName: rootName("GetReusableDelegationSetResponse"), DelegationSet: reusableSetXML(ds)}}, nil
}

type xmlDelegationSetList struct {
	Items []xmlDelegationSet `xml:"DelegationSet"`
}

type listReusableDelegationSetsResponse struct {
	XMLName        xml.Name
	DelegationSets xmlDelegationSetList `xml:"DelegationSets"`
	Marker         string               `xml:"Marker,omitempty"`
	IsTruncated    bool                 `xml:"IsTruncated"`
	NextMarker     string               `xml:"NextMarker,omitempty"`
	MaxItems       string               `xml:"MaxItems"`
}

func (h *handler) listReusableDelegationSets(ctx context.Context, req *request) (reply, error) {
	max, maxEcho, err := parseMaxItems(req.Request, maxDelegationSetsPerPage, maxDelegationSetsPerPage)
	if err != nil {
		return reply{}, err
	}
	sets, err := h.svc.ListReusableDelegationSets(ctx)
	if err != nil {
		return reply{}, err
	}
	marker := req.URL.Query().Get("marker")
	start := 0
	if marker != "" {
		// Sets are listed by ID, so a marker whose set was deleted meanwhile
		// still has a well-defined position.
		id := control.StripPrefix(marker)
		for start < len(sets) && sets[start].ID < id {
			start++
		}
	}
	resp := listReusableDelegationSetsResponse{
		XMLName:  rootName("ListReusableDelegationSetsResponse"),
		Marker:   marker,
		MaxItems: maxEcho,
	}
	end := min(start+max, len(sets))
	for _, ds := range sets[start:end] {
		resp.DelegationSets.Items = append(resp.DelegationSets.Items, reusableSetXML(ds))
	}
	if end < len(sets) {
		resp.IsTruncated = true
		resp.NextMarker = sets[end].ID
	}
	return reply{doc: resp}, nil
}

func (h *handler) deleteReusableDelegationSet(ctx context.Context, req *request) (reply, error) {
	if err := h.svc.DeleteReusableDelegationSet(ctx, req.PathValue("id")); err != nil {
		return reply{}, err
	}
	return reply{doc: emptyResponse("DeleteReusableDelegationSetResponse")}, nil
}
