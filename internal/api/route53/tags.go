package route53

import (
	"context"
	"encoding/xml"

	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// checkResourceType rejects a tag resource type other than hostedzone and
// healthcheck, as the model's TagResourceType enumeration does.
func checkResourceType(t string) error {
	if t == control.ResourceHostedZone || t == control.ResourceHealthCheck {
		return nil
	}
	return zone.InvalidInput("1 validation error detected: Value '" + t +
		"' at 'resourceType' failed to satisfy constraint: Member must satisfy enum value set: [healthcheck, hostedzone]")
}

func (h *handler) changeTagsForResource(ctx context.Context, req *request) (reply, error) {
	typ := req.PathValue("type")
	if err := checkResourceType(typ); err != nil {
		return reply{}, err
	}
	in, err := parseChangeTags(req.body)
	if err != nil {
		return reply{}, err
	}
	if err := h.svc.ChangeTags(ctx, typ, req.PathValue("id"), in.Add, in.Remove); err != nil {
		return reply{}, err
	}
	return reply{doc: emptyResponse("ChangeTagsForResourceResponse")}, nil
}

type listTagsForResourceResponse struct {
	XMLName        xml.Name
	ResourceTagSet xmlResourceTagSet `xml:"ResourceTagSet"`
}

func (h *handler) listTagsForResource(ctx context.Context, req *request) (reply, error) {
	typ := req.PathValue("type")
	if err := checkResourceType(typ); err != nil {
		return reply{}, err
	}
	id := control.StripPrefix(req.PathValue("id"))
	tags, err := h.svc.ListTags(ctx, typ, id)
	if err != nil {
		return reply{}, err
	}
	return reply{doc: listTagsForResourceResponse{
		XMLName:        rootName("ListTagsForResourceResponse"),
		ResourceTagSet: tagSetXML(typ, id, tags),
	}}, nil
}

type xmlResourceTagSets struct {
	Items []xmlResourceTagSet `xml:"ResourceTagSet"`
}

type listTagsForResourcesResponse struct {
	XMLName         xml.Name
	ResourceTagSets xmlResourceTagSets `xml:"ResourceTagSets"`
}

func (h *handler) listTagsForResources(ctx context.Context, req *request) (reply, error) {
	typ := req.PathValue("type")
	if err := checkResourceType(typ); err != nil {
		return reply{}, err
	}
	ids, err := parseListTagsForResources(req.body)
	if err != nil {
		return reply{}, err
	}
	resp := listTagsForResourcesResponse{XMLName: rootName("ListTagsForResourcesResponse")}
	for _, id := range ids {
		id = control.StripPrefix(id)
		tags, err := h.svc.ListTags(ctx, typ, id)
		if err != nil {
			return reply{}, err
		}
		resp.ResourceTagSets.Items = append(resp.ResourceTagSets.Items, tagSetXML(typ, id, tags))
	}
	return reply{doc: resp}, nil
}
