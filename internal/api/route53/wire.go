package route53

import (
	"encoding/xml"
	"time"

	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// This file holds the XML shapes of Route 53 responses, with members in the
// model's order, and the conversions from control's types.

// timeFormat is ISO-8601 UTC with milliseconds, as Route 53 writes timestamps.
const timeFormat = "2006-01-02T15:04:05.000Z"

// Resource ID prefixes in responses.
const (
	prefixHostedZone    = "/hostedzone/"
	prefixChange        = "/change/"
	prefixDelegationSet = "/delegationset/"
)

// rootName returns the namespaced name of a response's root element.
func rootName(local string) xml.Name { return xml.Name{Space: Namespace, Local: local} }

type xmlHostedZone struct {
	ID                     string        `xml:"Id"`
	Name                   string        `xml:"Name"`
	CallerReference        string        `xml:"CallerReference"`
	Config                 xmlZoneConfig `xml:"Config"`
	ResourceRecordSetCount int           `xml:"ResourceRecordSetCount"`
}

type xmlZoneConfig struct {
	Comment     string `xml:"Comment,omitempty"`
	PrivateZone bool   `xml:"PrivateZone"`
}

func hostedZoneXML(z control.ZoneInfo) xmlHostedZone {
	return xmlHostedZone{
		ID:                     prefixHostedZone + z.ID,
		Name:                   z.Name,
		CallerReference:        z.CallerReference,
		Config:                 xmlZoneConfig{Comment: z.Comment, PrivateZone: z.PrivateZone},
		ResourceRecordSetCount: z.RRSetCount,
	}
}

type xmlChangeInfo struct {
	ID          string `xml:"Id"`
	Status      string `xml:"Status"`
	SubmittedAt string `xml:"SubmittedAt"`
	Comment     string `xml:"Comment,omitempty"`
}

func changeInfoXML(ci control.ChangeInfo) xmlChangeInfo {
	return xmlChangeInfo{
		ID:          prefixChange + ci.ID,
		Status:      ci.Status,
		SubmittedAt: formatTime(ci.SubmittedAt),
		Comment:     ci.Comment,
	}
}

type xmlNameServers struct {
	Items []string `xml:"NameServer"`
}

type xmlDelegationSet struct {
	ID              string         `xml:"Id,omitempty"`
	CallerReference string         `xml:"CallerReference,omitempty"`
	NameServers     xmlNameServers `xml:"NameServers"`
}

// zoneDelegationSetXML is a zone's delegation set: with the reusable set's
// Id when the zone uses one, otherwise just the name servers.
func zoneDelegationSetXML(z control.ZoneInfo) *xmlDelegationSet {
	ds := &xmlDelegationSet{NameServers: xmlNameServers{Items: z.NameServers}}
	if z.DelegationSetID != "" {
		ds.ID = prefixDelegationSet + z.DelegationSetID
	}
	return ds
}

func reusableSetXML(ds control.DelegationSet) xmlDelegationSet {
	return xmlDelegationSet{
		ID:              prefixDelegationSet + ds.ID,
		CallerReference: ds.CallerReference,
		NameServers:     xmlNameServers{Items: ds.NameServers},
	}
}

type xmlRRSet struct {
	Name                    string                   `xml:"Name"`
	Type                    string                   `xml:"Type"`
	SetIdentifier           string                   `xml:"SetIdentifier,omitempty"`
	Weight                  *int64                   `xml:"Weight,omitempty"`
	Region                  string                   `xml:"Region,omitempty"`
	GeoLocation             *xmlGeoLocation          `xml:"GeoLocation,omitempty"`
	Failover                string                   `xml:"Failover,omitempty"`
	MultiValueAnswer        *bool                    `xml:"MultiValueAnswer,omitempty"`
	TTL                     *int64                   `xml:"TTL,omitempty"`
	ResourceRecords         *xmlResourceRecords      `xml:"ResourceRecords,omitempty"`
	AliasTarget             *xmlAliasTarget          `xml:"AliasTarget,omitempty"`
	HealthCheckID           string                   `xml:"HealthCheckId,omitempty"`
	TrafficPolicyInstanceID string                   `xml:"TrafficPolicyInstanceId,omitempty"`
	CidrRoutingConfig       *xmlCidrRoutingConfig    `xml:"CidrRoutingConfig,omitempty"`
	GeoProximityLocation    *xmlGeoProximityLocation `xml:"GeoProximityLocation,omitempty"`
}

type xmlGeoLocation struct {
	ContinentCode   string `xml:"ContinentCode,omitempty"`
	CountryCode     string `xml:"CountryCode,omitempty"`
	SubdivisionCode string `xml:"SubdivisionCode,omitempty"`
}

type xmlResourceRecords struct {
	Items []xmlResourceRecord `xml:"ResourceRecord"`
}

type xmlResourceRecord struct {
	Value string `xml:"Value"`
}

type xmlAliasTarget struct {
	HostedZoneID         string `xml:"HostedZoneId"`
	DNSName              string `xml:"DNSName"`
	EvaluateTargetHealth bool   `xml:"EvaluateTargetHealth"`
}

type xmlCidrRoutingConfig struct {
	CollectionID string `xml:"CollectionId"`
	LocationName string `xml:"LocationName"`
}

type xmlGeoProximityLocation struct {
	AWSRegion      string          `xml:"AWSRegion,omitempty"`
	LocalZoneGroup string          `xml:"LocalZoneGroup,omitempty"`
	Coordinates    *xmlCoordinates `xml:"Coordinates,omitempty"`
	Bias           *int64          `xml:"Bias,omitempty"`
}

type xmlCoordinates struct {
	Latitude  string `xml:"Latitude"`
	Longitude string `xml:"Longitude"`
}

// rrsetXML renders a stored record set as ListResourceRecordSets returns
// it: the canonical (lowercase, escaped, dotted) name, the alias target's
// DNS name in canonical form with its trailing dot, and no TTL or values on
// an alias.
func rrsetXML(rs zone.RRSet) xmlRRSet {
	out := xmlRRSet{
		Name:                    rs.Name,
		Type:                    rs.Type,
		SetIdentifier:           rs.SetIdentifier,
		Weight:                  rs.Weight,
		Region:                  rs.Region,
		Failover:                rs.Failover,
		MultiValueAnswer:        rs.MultiValueAnswer,
		HealthCheckID:           rs.HealthCheckID,
		TrafficPolicyInstanceID: rs.TrafficPolicyInstanceID,
	}
	if g := rs.GeoLocation; g != nil {
		out.GeoLocation = &xmlGeoLocation{ContinentCode: g.ContinentCode, CountryCode: g.CountryCode, SubdivisionCode: g.SubdivisionCode}
	}
	if a := rs.AliasTarget; a != nil {
		name, err := zone.CanonicalName(a.DNSName)
		if err != nil {
			name = a.DNSName
		}
		out.AliasTarget = &xmlAliasTarget{HostedZoneID: a.HostedZoneID, DNSName: name, EvaluateTargetHealth: a.EvaluateTargetHealth}
	} else {
		out.TTL = rs.TTL
		if len(rs.Values) > 0 {
			rr := &xmlResourceRecords{Items: make([]xmlResourceRecord, len(rs.Values))}
			for i, v := range rs.Values {
				rr.Items[i].Value = v
			}
			out.ResourceRecords = rr
		}
	}
	if c := rs.CidrRoutingConfig; c != nil {
		out.CidrRoutingConfig = &xmlCidrRoutingConfig{CollectionID: c.CollectionID, LocationName: c.LocationName}
	}
	if g := rs.GeoProximityLocation; g != nil {
		x := &xmlGeoProximityLocation{AWSRegion: g.AWSRegion, LocalZoneGroup: g.LocalZoneGroup, Bias: g.Bias}
		if g.Coordinates != nil {
			x.Coordinates = &xmlCoordinates{Latitude: g.Coordinates.Latitude, Longitude: g.Coordinates.Longitude}
		}
		out.GeoProximityLocation = x
	}
	return out
}

type xmlTags struct {
	Items []xmlTag `xml:"Tag"`
}

type xmlTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type xmlResourceTagSet struct {
	ResourceType string  `xml:"ResourceType"`
	ResourceID   string  `xml:"ResourceId"`
	Tags         xmlTags `xml:"Tags"`
}

func tagSetXML(resourceType, id string, tags []control.Tag) xmlResourceTagSet {
	ts := xmlResourceTagSet{ResourceType: resourceType, ResourceID: id}
	for _, t := range tags {
		ts.Tags.Items = append(ts.Tags.Items, xmlTag(t))
	}
	return ts
}

type xmlLimit struct {
	Type  string `xml:"Type"`
	Value int64  `xml:"Value"`
}

// formatTime renders a timestamp as Route 53 does.
func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }
