package route53

import (
	"context"
	"encoding/xml"
	"net/http"
	"strconv"

	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// The CIDR collection operations (spec 4.5 "CIDR collections"). Their lists
// have no locationName in the model, so items are <member> elements, except
// a CidrList, whose items are <Cidr>.

// maxCidrPageSize caps maxresults of the CIDR list operations; the model
// gives no maximum, so Meridian uses Route 53's usual 100.
const maxCidrPageSize = 100

type xmlCidrCollection struct {
	Arn     string `xml:"Arn"`
	ID      string `xml:"Id"`
	Name    string `xml:"Name"`
	Version int64  `xml:"Version"`
}

func cidrCollectionXML(c control.CidrCollection) xmlCidrCollection {
	return xmlCidrCollection{Arn: c.ARN, ID: c.ID, Name: c.Name, Version: c.Version}
}

type createCidrCollectionResponse struct {
	XMLName    xml.Name
	Collection xmlCidrCollection `xml:"Collection"`
}

type changeCidrCollectionResponse struct {
	XMLName xml.Name
	ID      string `xml:"Id"`
}

// The list wrappers are structs so that an empty list is still an element.

type xmlCidrCollections struct {
	Items []xmlCidrCollection `xml:"member"`
}

type listCidrCollectionsResponse struct {
	XMLName         xml.Name
	NextToken       string             `xml:"NextToken,omitempty"`
	CidrCollections xmlCidrCollections `xml:"CidrCollections"`
}

type xmlLocationSummary struct {
	LocationName string `xml:"LocationName"`
}

type xmlCidrLocations struct {
	Items []xmlLocationSummary `xml:"member"`
}

type listCidrLocationsResponse struct {
	XMLName       xml.Name
	NextToken     string           `xml:"NextToken,omitempty"`
	CidrLocations xmlCidrLocations `xml:"CidrLocations"`
}

type xmlCidrBlockSummary struct {
	CidrBlock    string `xml:"CidrBlock"`
	LocationName string `xml:"LocationName"`
}

type xmlCidrBlocks struct {
	Items []xmlCidrBlockSummary `xml:"member"`
}

type listCidrBlocksResponse struct {
	XMLName    xml.Name
	NextToken  string        `xml:"NextToken,omitempty"`
	CidrBlocks xmlCidrBlocks `xml:"CidrBlocks"`
}

func (h *handler) createCidrCollection(ctx context.Context, req *request) (reply, error) {
	name, ref, err := parseCreateCidrCollection(req.body)
	if err != nil {
		return reply{}, err
	}
	c, err := h.svc.CreateCidrCollection(ctx, name, ref)
	if err != nil {
		return reply{}, err
	}
	return reply{
		status:   http.StatusCreated,
		location: "/2013-04-01/cidrcollection/" + c.ID,
		doc:      createCidrCollectionResponse{XMLName: rootName("CreateCidrCollectionResponse"), Collection: cidrCollectionXML(c)},
	}, nil
}

func (h *handler) changeCidrCollection(ctx context.Context, req *request) (reply, error) {
	version, changes, err := parseChangeCidrCollection(req.body)
	if err != nil {
		return reply{}, err
	}
	ci, err := h.svc.ChangeCidrCollection(ctx, req.PathValue("id"), version, changes)
	if err != nil {
		return reply{}, err
	}
	return reply{doc: changeCidrCollectionResponse{XMLName: rootName("ChangeCidrCollectionResponse"), ID: prefixChange + ci.ID}}, nil
}

func (h *handler) listCidrCollections(ctx context.Context, req *request) (reply, error) {
	max, err := parseMaxResults(req.Request)
	if err != nil {
		return reply{}, err
	}
	page, err := h.svc.ListCidrCollections(ctx, req.URL.Query().Get("nexttoken"), max)
	if err != nil {
		return reply{}, err
	}
	resp := listCidrCollectionsResponse{
		XMLName:   rootName("ListCidrCollectionsResponse"),
		NextToken: page.NextToken,
	}
	for _, c := range page.Collections {
		resp.CidrCollections.Items = append(resp.CidrCollections.Items, cidrCollectionXML(c))
	}
	return reply{doc: resp}, nil
}

func (h *handler) listCidrLocations(ctx context.Context, req *request) (reply, error) {
	max, err := parseMaxResults(req.Request)
	if err != nil {
		return reply{}, err
	}
	page, err := h.svc.ListCidrLocations(ctx, req.PathValue("id"), req.URL.Query().Get("nexttoken"), max)
	if err != nil {
		return reply{}, err
	}
	resp := listCidrLocationsResponse{
		XMLName:   rootName("ListCidrLocationsResponse"),
		NextToken: page.NextToken,
	}
	for _, loc := range page.Locations {
		resp.CidrLocations.Items = append(resp.CidrLocations.Items, xmlLocationSummary{LocationName: loc})
	}
	return reply{doc: resp}, nil
}

func (h *handler) listCidrBlocks(ctx context.Context, req *request) (reply, error) {
	max, err := parseMaxResults(req.Request)
	if err != nil {
		return reply{}, err
	}
	q := req.URL.Query()
	page, err := h.svc.ListCidrBlocks(ctx, req.PathValue("id"), q.Get("location"), q.Get("nexttoken"), max)
	if err != nil {
		return reply{}, err
	}
	resp := listCidrBlocksResponse{
		XMLName:   rootName("ListCidrBlocksResponse"),
		NextToken: page.NextToken,
	}
	for _, b := range page.Blocks {
		resp.CidrBlocks.Items = append(resp.CidrBlocks.Items, xmlCidrBlockSummary(b))
	}
	return reply{doc: resp}, nil
}

func (h *handler) deleteCidrCollection(ctx context.Context, req *request) (reply, error) {
	if err := h.svc.DeleteCidrCollection(ctx, req.PathValue("id")); err != nil {
		return reply{}, err
	}
	return reply{doc: emptyResponse("DeleteCidrCollectionResponse")}, nil
}

// parseMaxResults reads the maxresults query parameter of the CIDR list
// operations: absent gives the default page size, values above
// maxCidrPageSize are capped, and anything but a positive integer is
// InvalidInput.
func parseMaxResults(r *http.Request) (int, error) {
	s := r.URL.Query().Get("maxresults")
	if s == "" {
		return control.DefaultCidrPageSize, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, zone.InvalidInput("1 validation error detected: Value '" + s + "' at 'maxResults' failed to satisfy constraint: Member must be a positive integer")
	}
	return min(n, maxCidrPageSize), nil
}

func parseCreateCidrCollection(body []byte) (name, callerRef string, err error) {
	root, err := parseDocument(body, "CreateCidrCollectionRequest")
	if err != nil {
		return "", "", err
	}
	kids, err := root.complexType("Name", "CallerReference")
	if err != nil {
		return "", "", err
	}
	nameEl, err := required(root, kids, "Name")
	if err != nil {
		return "", "", err
	}
	if name, err = nameEl.leaf(); err != nil {
		return "", "", err
	}
	refEl, err := required(root, kids, "CallerReference")
	if err != nil {
		return "", "", err
	}
	if callerRef, err = refEl.leaf(); err != nil {
		return "", "", err
	}
	return name, callerRef, nil
}

// parseChangeCidrCollection reads a ChangeCidrCollectionRequest. Changes
// items are <member>, as the SDKs send them; <CidrCollectionChange>, the
// name the API reference's request syntax shows, is accepted too. Values are
// validated by the control plane.
func parseChangeCidrCollection(body []byte) (*int64, []control.CidrChange, error) {
	root, err := parseDocument(body, "ChangeCidrCollectionRequest")
	if err != nil {
		return nil, nil, err
	}
	kids, err := root.complexType("CollectionVersion", "Changes")
	if err != nil {
		return nil, nil, err
	}
	var version *int64
	if v := kids["CollectionVersion"]; v != nil {
		n, err := v.long()
		if err != nil {
			return nil, nil, err
		}
		version = &n
	}
	changesEl, err := required(root, kids, "Changes")
	if err != nil {
		return nil, nil, err
	}
	itemName := "member"
	if len(changesEl.children) > 0 && changesEl.children[0].name == "CidrCollectionChange" {
		itemName = "CidrCollectionChange"
	}
	items, err := changesEl.list(itemName, 1, control.MaxCidrBlocksPerRequest)
	if err != nil {
		return nil, nil, err
	}
	changes := make([]control.CidrChange, 0, len(items))
	for _, item := range items {
		ck, err := item.complexType("LocationName", "Action", "CidrList")
		if err != nil {
			return nil, nil, err
		}
		var c control.CidrChange
		locEl, err := required(item, ck, "LocationName")
		if err != nil {
			return nil, nil, err
		}
		if c.LocationName, err = locEl.leaf(); err != nil {
			return nil, nil, err
		}
		actEl, err := required(item, ck, "Action")
		if err != nil {
			return nil, nil, err
		}
		action, err := actEl.leaf()
		if err != nil {
			return nil, nil, err
		}
		c.Action = control.CidrAction(action)
		listEl, err := required(item, ck, "CidrList")
		if err != nil {
			return nil, nil, err
		}
		cidrs, err := listEl.list("Cidr", 1, control.MaxCidrBlocksPerRequest)
		if err != nil {
			return nil, nil, err
		}
		for _, el := range cidrs {
			s, err := el.nonEmpty("Cidr")
			if err != nil {
				return nil, nil, err
			}
			c.CidrList = append(c.CidrList, s)
		}
		changes = append(changes, c)
	}
	return version, changes, nil
}
