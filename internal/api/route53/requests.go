package route53

import (
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// createZoneRequest is a parsed CreateHostedZoneRequest.
type createZoneRequest struct {
	control.CreateZoneInput
	HasVPC bool
}

func parseCreateHostedZone(body []byte) (createZoneRequest, error) {
	var out createZoneRequest
	root, err := parseDocument(body, "CreateHostedZoneRequest")
	if err != nil {
		return out, err
	}
	kids, err := root.complexType("Name", "VPC", "CallerReference", "HostedZoneConfig", "DelegationSetId")
	if err != nil {
		return out, err
	}
	nameEl, err := required(root, kids, "Name")
	if err != nil {
		return out, err
	}
	if out.Name, err = nameEl.leaf(); err != nil {
		return out, err
	}
	if c := kids["VPC"]; c != nil {
		vk, err := c.complexType("VPCRegion", "VPCId")
		if err != nil {
			return out, err
		}
		for _, v := range vk {
			if _, err := v.leaf(); err != nil {
				return out, err
			}
		}
		out.HasVPC = true
	}
	refEl, err := required(root, kids, "CallerReference")
	if err != nil {
		return out, err
	}
	if out.CallerReference, err = refEl.leaf(); err != nil {
		return out, err
	}
	if c := kids["HostedZoneConfig"]; c != nil {
		ck, err := c.complexType("Comment", "PrivateZone")
		if err != nil {
			return out, err
		}
		if cm := ck["Comment"]; cm != nil {
			if out.Comment, err = cm.leaf(); err != nil {
				return out, err
			}
		}
		if pz := ck["PrivateZone"]; pz != nil {
			if out.PrivateZone, err = pz.boolean(); err != nil {
				return out, err
			}
		}
	}
	if c := kids["DelegationSetId"]; c != nil {
		if out.DelegationSetID, err = c.leaf(); err != nil {
			return out, err
		}
	}
	return out, nil
}

func parseUpdateComment(body []byte) (string, error) {
	root, err := parseDocument(body, "UpdateHostedZoneCommentRequest")
	if err != nil {
		return "", err
	}
	kids, err := root.complexType("Comment")
	if err != nil {
		return "", err
	}
	if c := kids["Comment"]; c != nil {
		return c.leaf()
	}
	return "", nil
}

// changeTagsRequest is a parsed ChangeTagsForResourceRequest.
type changeTagsRequest struct {
	Add    []control.Tag
	Remove []string
}

func parseChangeTags(body []byte) (changeTagsRequest, error) {
	var out changeTagsRequest
	root, err := parseDocument(body, "ChangeTagsForResourceRequest")
	if err != nil {
		return out, err
	}
	kids, err := root.complexType("AddTags", "RemoveTagKeys")
	if err != nil {
		return out, err
	}
	if c := kids["AddTags"]; c != nil {
		items, err := c.list("Tag", 1, 0)
		if err != nil {
			return out, err
		}
		for _, item := range items {
			tk, err := item.complexType("Key", "Value")
			if err != nil {
				return out, err
			}
			var t control.Tag
			if k := tk["Key"]; k != nil {
				if t.Key, err = k.leaf(); err != nil {
					return out, err
				}
			}
			if v := tk["Value"]; v != nil {
				if t.Value, err = v.leaf(); err != nil {
					return out, err
				}
			}
			out.Add = append(out.Add, t)
		}
	}
	if c := kids["RemoveTagKeys"]; c != nil {
		items, err := c.list("Key", 1, 0)
		if err != nil {
			return out, err
		}
		for _, item := range items {
			k, err := item.leaf()
			if err != nil {
				return out, err
			}
			out.Remove = append(out.Remove, k)
		}
	}
	return out, nil
}

func parseListTagsForResources(body []byte) ([]string, error) {
	root, err := parseDocument(body, "ListTagsForResourcesRequest")
	if err != nil {
		return nil, err
	}
	kids, err := root.complexType("ResourceIds")
	if err != nil {
		return nil, err
	}
	idsEl, err := required(root, kids, "ResourceIds")
	if err != nil {
		return nil, err
	}
	items, err := idsEl.list("ResourceId", 1, 10)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(items))
	for _, item := range items {
		id, err := item.leaf()
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// createDelegationSetRequest is a parsed CreateReusableDelegationSetRequest.
type createDelegationSetRequest struct {
	CallerReference string
	HostedZoneID    string
}

func parseCreateDelegationSet(body []byte) (createDelegationSetRequest, error) {
	var out createDelegationSetRequest
	root, err := parseDocument(body, "CreateReusableDelegationSetRequest")
	if err != nil {
		return out, err
	}
	kids, err := root.complexType("CallerReference", "HostedZoneId")
	if err != nil {
		return out, err
	}
	refEl, err := required(root, kids, "CallerReference")
	if err != nil {
		return out, err
	}
	if out.CallerReference, err = refEl.leaf(); err != nil {
		return out, err
	}
	if c := kids["HostedZoneId"]; c != nil {
		if out.HostedZoneID, err = c.leaf(); err != nil {
			return out, err
		}
	}
	return out, nil
}

// errPrivateZone is the answer to a CreateHostedZone that names a VPC.
func errPrivateZone() error {
	return zone.InvalidInput("Private hosted zones are not supported by Meridian: a private zone needs a VPC, and Meridian serves public zones only.")
}
