package route53

import "github.com/meridian-gtm/meridian/internal/zone"

// parseChangeBatch parses a ChangeResourceRecordSetsRequest body into a
// change batch. It checks the document's structure (known elements, each at
// most once, required ones present) and the lexical form of numbers and
// booleans, with AWS's XML-schema wording; enumerations, lengths, ranges,
// patterns and every semantic rule are package zone's (ApplyChanges), so the
// API and the config file judge a batch the same way. Names and values are
// passed on exactly as the client sent them.
func parseChangeBatch(body []byte) (zone.ChangeBatch, error) {
	root, err := parseDocument(body, "ChangeResourceRecordSetsRequest")
	if err != nil {
		return zone.ChangeBatch{}, err
	}
	kids, err := root.complexType("ChangeBatch")
	if err != nil {
		return zone.ChangeBatch{}, err
	}
	cbEl, err := required(root, kids, "ChangeBatch")
	if err != nil {
		return zone.ChangeBatch{}, err
	}
	cb, err := cbEl.complexType("Comment", "Changes")
	if err != nil {
		return zone.ChangeBatch{}, err
	}
	var batch zone.ChangeBatch
	if c := cb["Comment"]; c != nil {
		if batch.Comment, err = c.leaf(); err != nil {
			return zone.ChangeBatch{}, err
		}
	}
	changesEl, err := required(cbEl, cb, "Changes")
	if err != nil {
		return zone.ChangeBatch{}, err
	}
	items, err := changesEl.list("Change", 1, 0)
	if err != nil {
		return zone.ChangeBatch{}, err
	}
	batch.Changes = make([]zone.Change, 0, len(items))
	for _, item := range items {
		ch, err := parseChange(item)
		if err != nil {
			return zone.ChangeBatch{}, err
		}
		batch.Changes = append(batch.Changes, ch)
	}
	return batch, nil
}

func parseChange(el *element) (zone.Change, error) {
	kids, err := el.complexType("Action", "ResourceRecordSet")
	if err != nil {
		return zone.Change{}, err
	}
	actionEl, err := required(el, kids, "Action")
	if err != nil {
		return zone.Change{}, err
	}
	action, err := actionEl.leaf()
	if err != nil {
		return zone.Change{}, err
	}
	rrEl, err := required(el, kids, "ResourceRecordSet")
	if err != nil {
		return zone.Change{}, err
	}
	rs, err := parseRRSet(rrEl)
	if err != nil {
		return zone.Change{}, err
	}
	return zone.Change{Action: zone.Action(action), RRSet: rs}, nil
}

func parseRRSet(el *element) (zone.RRSet, error) {
	var rs zone.RRSet
	kids, err := el.complexType("Name", "Type", "SetIdentifier", "Weight", "Region", "GeoLocation", "Failover",
		"MultiValueAnswer", "TTL", "ResourceRecords", "AliasTarget", "HealthCheckId", "TrafficPolicyInstanceId",
		"CidrRoutingConfig", "GeoProximityLocation")
	if err != nil {
		return rs, err
	}
	nameEl, err := required(el, kids, "Name")
	if err != nil {
		return rs, err
	}
	if rs.Name, err = nameEl.leaf(); err != nil {
		return rs, err
	}
	typeEl, err := required(el, kids, "Type")
	if err != nil {
		return rs, err
	}
	if rs.Type, err = typeEl.leaf(); err != nil {
		return rs, err
	}
	if c := kids["SetIdentifier"]; c != nil {
		if rs.SetIdentifier, err = c.nonEmpty("ResourceRecordSetIdentifier"); err != nil {
			return rs, err
		}
	}
	if c := kids["Weight"]; c != nil {
		w, err := c.long()
		if err != nil {
			return rs, err
		}
		rs.Weight = &w
	}
	if c := kids["Region"]; c != nil {
		if rs.Region, err = c.nonEmpty("ResourceRecordSetRegion"); err != nil {
			return rs, err
		}
	}
	if c := kids["GeoLocation"]; c != nil {
		if rs.GeoLocation, err = parseGeoLocation(c); err != nil {
			return rs, err
		}
	}
	if c := kids["Failover"]; c != nil {
		if rs.Failover, err = c.nonEmpty("ResourceRecordSetFailover"); err != nil {
			return rs, err
		}
	}
	if c := kids["MultiValueAnswer"]; c != nil {
		b, err := c.boolean()
		if err != nil {
			return rs, err
		}
		rs.MultiValueAnswer = &b
	}
	if c := kids["TTL"]; c != nil {
		ttl, err := c.long()
		if err != nil {
			return rs, err
		}
		rs.TTL = &ttl
	}
	if c := kids["ResourceRecords"]; c != nil {
		if rs.Values, err = parseValues(c); err != nil {
			return rs, err
		}
	}
	if c := kids["AliasTarget"]; c != nil {
		if rs.AliasTarget, err = parseAliasTarget(c); err != nil {
			return rs, err
		}
	}
	if c := kids["HealthCheckId"]; c != nil {
		if rs.HealthCheckID, err = c.nonEmpty("HealthCheckId"); err != nil {
			return rs, err
		}
	}
	if c := kids["TrafficPolicyInstanceId"]; c != nil {
		if rs.TrafficPolicyInstanceID, err = c.nonEmpty("TrafficPolicyInstanceId"); err != nil {
			return rs, err
		}
	}
	if c := kids["CidrRoutingConfig"]; c != nil {
		if rs.CidrRoutingConfig, err = parseCidrRoutingConfig(c); err != nil {
			return rs, err
		}
	}
	if c := kids["GeoProximityLocation"]; c != nil {
		if rs.GeoProximityLocation, err = parseGeoProximity(c); err != nil {
			return rs, err
		}
	}
	return rs, nil
}

func parseValues(el *element) ([]string, error) {
	items, err := el.list("ResourceRecord", 1, 0)
	if err != nil {
		return nil, err
	}
	values := make([]string, 0, len(items))
	for _, item := range items {
		kids, err := item.complexType("Value")
		if err != nil {
			return nil, err
		}
		vEl, err := required(item, kids, "Value")
		if err != nil {
			return nil, err
		}
		v, err := vEl.leaf()
		if err != nil {
			return nil, err
		}
		values = append(values, v)
	}
	return values, nil
}

func parseAliasTarget(el *element) (*zone.AliasTarget, error) {
	kids, err := el.complexType("HostedZoneId", "DNSName", "EvaluateTargetHealth")
	if err != nil {
		return nil, err
	}
	var at zone.AliasTarget
	zEl, err := required(el, kids, "HostedZoneId")
	if err != nil {
		return nil, err
	}
	if at.HostedZoneID, err = zEl.leaf(); err != nil {
		return nil, err
	}
	nEl, err := required(el, kids, "DNSName")
	if err != nil {
		return nil, err
	}
	if at.DNSName, err = nEl.leaf(); err != nil {
		return nil, err
	}
	eEl, err := required(el, kids, "EvaluateTargetHealth")
	if err != nil {
		return nil, err
	}
	if at.EvaluateTargetHealth, err = eEl.boolean(); err != nil {
		return nil, err
	}
	return &at, nil
}

func parseGeoLocation(el *element) (*zone.GeoLocation, error) {
	kids, err := el.complexType("ContinentCode", "CountryCode", "SubdivisionCode")
	if err != nil {
		return nil, err
	}
	var g zone.GeoLocation
	if c := kids["ContinentCode"]; c != nil {
		if g.ContinentCode, err = c.nonEmpty("GeoLocationContinentCode"); err != nil {
			return nil, err
		}
	}
	if c := kids["CountryCode"]; c != nil {
		if g.CountryCode, err = c.nonEmpty("GeoLocationCountryCode"); err != nil {
			return nil, err
		}
	}
	if c := kids["SubdivisionCode"]; c != nil {
		if g.SubdivisionCode, err = c.nonEmpty("GeoLocationSubdivisionCode"); err != nil {
			return nil, err
		}
	}
	return &g, nil
}

func parseCidrRoutingConfig(el *element) (*zone.CidrRoutingConfig, error) {
	kids, err := el.complexType("CollectionId", "LocationName")
	if err != nil {
		return nil, err
	}
	var c zone.CidrRoutingConfig
	idEl, err := required(el, kids, "CollectionId")
	if err != nil {
		return nil, err
	}
	if c.CollectionID, err = idEl.leaf(); err != nil {
		return nil, err
	}
	locEl, err := required(el, kids, "LocationName")
	if err != nil {
		return nil, err
	}
	if c.LocationName, err = locEl.leaf(); err != nil {
		return nil, err
	}
	return &c, nil
}

func parseGeoProximity(el *element) (*zone.GeoProximityLocation, error) {
	kids, err := el.complexType("AWSRegion", "LocalZoneGroup", "Coordinates", "Bias")
	if err != nil {
		return nil, err
	}
	var g zone.GeoProximityLocation
	if c := kids["AWSRegion"]; c != nil {
		if g.AWSRegion, err = c.nonEmpty("AWSRegion"); err != nil {
			return nil, err
		}
	}
	if c := kids["LocalZoneGroup"]; c != nil {
		if g.LocalZoneGroup, err = c.nonEmpty("LocalZoneGroup"); err != nil {
			return nil, err
		}
	}
	if c := kids["Coordinates"]; c != nil {
		ck, err := c.complexType("Latitude", "Longitude")
		if err != nil {
			return nil, err
		}
		var co zone.Coordinates
		latEl, err := required(c, ck, "Latitude")
		if err != nil {
			return nil, err
		}
		if co.Latitude, err = latEl.leaf(); err != nil {
			return nil, err
		}
		lonEl, err := required(c, ck, "Longitude")
		if err != nil {
			return nil, err
		}
		if co.Longitude, err = lonEl.leaf(); err != nil {
			return nil, err
		}
		g.Coordinates = &co
	}
	if c := kids["Bias"]; c != nil {
		b, err := c.long()
		if err != nil {
			return nil, err
		}
		g.Bias = &b
	}
	return &g, nil
}
