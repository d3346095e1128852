package zone

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// This file reads and writes change batches in the JSON form that
// `aws route53 change-resource-record-sets --change-batch file://x.json`
// takes. Field names match exactly (case-sensitive, as the CLI checks them);
// an unknown field is an error that names it and lists the allowed ones.

// The allowed members of each JSON object, in the model's order.
var (
	batchFields  = []string{"Comment", "Changes"}
	changeFields = []string{"Action", "ResourceRecordSet"}
	rrsetFields  = []string{"Name", "Type", "SetIdentifier", "Weight", "Region", "GeoLocation", "Failover",
		"MultiValueAnswer", "TTL", "ResourceRecords", "AliasTarget", "HealthCheckId", "TrafficPolicyInstanceId",
		"CidrRoutingConfig", "GeoProximityLocation"}
	recordFields       = []string{"Value"}
	aliasFields        = []string{"HostedZoneId", "DNSName", "EvaluateTargetHealth"}
	geoFields          = []string{"ContinentCode", "CountryCode", "SubdivisionCode"}
	cidrFields         = []string{"CollectionId", "LocationName"}
	geoProximityFields = []string{"AWSRegion", "LocalZoneGroup", "Coordinates", "Bias"}
	coordinateFields   = []string{"Latitude", "Longitude"}
)

// object is one decoded JSON object with its path for messages.
type object struct {
	path string
	m    map[string]json.RawMessage
}

// jsonType names the JSON kind of raw for messages.
func jsonType(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func decodeObject(path string, raw json.RawMessage, allowed []string) (*object, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, fmt.Errorf("%s: expected a JSON object, found %s", path, jsonType(raw))
	}
	var unknown []string
	for k := range m {
		if !contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("%s: unknown field %q, must be one of: %s", path, unknown[0], strings.Join(allowed, ", "))
	}
	return &object{path: path, m: m}, nil
}

// has reports whether the member is present and not null.
func (o *object) has(key string) bool {
	raw, ok := o.m[key]
	return ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func (o *object) field(key string) string { return o.path + "." + key }

// str returns a string member; required members must be present, and present
// optional ones must not be empty (the model gives them a minimum length of 1
// or an enumeration, and an empty element means nothing here).
func (o *object) str(key string, required bool) (string, error) {
	if !o.has(key) {
		if required {
			return "", fmt.Errorf("%s: missing required field", o.field(key))
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(o.m[key], &s); err != nil {
		return "", fmt.Errorf("%s: expected a string, found %s", o.field(key), jsonType(o.m[key]))
	}
	if s == "" && !required {
		return "", fmt.Errorf("%s: must not be empty (omit the field instead)", o.field(key))
	}
	return s, nil
}

func (o *object) int(key string) (*int64, error) {
	if !o.has(key) {
		return nil, nil
	}
	var n int64
	if err := json.Unmarshal(o.m[key], &n); err != nil {
		return nil, fmt.Errorf("%s: expected an integer, found %s", o.field(key), strings.TrimSpace(string(o.m[key])))
	}
	return &n, nil
}

func (o *object) bool(key string, required bool) (*bool, error) {
	if !o.has(key) {
		if required {
			return nil, fmt.Errorf("%s: missing required field", o.field(key))
		}
		return nil, nil
	}
	var b bool
	if err := json.Unmarshal(o.m[key], &b); err != nil {
		return nil, fmt.Errorf("%s: expected true or false, found %s", o.field(key), jsonType(o.m[key]))
	}
	return &b, nil
}

func (o *object) obj(key string, allowed []string) (*object, error) {
	if !o.has(key) {
		return nil, nil
	}
	return decodeObject(o.field(key), o.m[key], allowed)
}

func (o *object) array(key string) ([]json.RawMessage, bool, error) {
	if !o.has(key) {
		return nil, false, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(o.m[key], &list); err != nil {
		return nil, false, fmt.Errorf("%s: expected an array, found %s", o.field(key), jsonType(o.m[key]))
	}
	return list, true, nil
}

// ParseChangeBatchJSON parses the exact JSON that `aws route53
// change-resource-record-sets --change-batch file://x.json` takes:
// {"Comment": …, "Changes": [{"Action": …, "ResourceRecordSet": {…}}]}.
// Unknown fields, wrong JSON types, missing required fields and empty strings
// in optional string fields are errors naming the field by its path, e.g.
// `ChangeBatch.Changes[0].ResourceRecordSet.AliasTarget.DNSName: missing required
// field`.
// It checks the JSON shape only; ApplyChanges judges the content.
func ParseChangeBatchJSON(data []byte) (ChangeBatch, error) {
	var b ChangeBatch
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return b, fmt.Errorf("invalid change batch: invalid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return b, errors.New("invalid change batch: unexpected data after the JSON object")
	}
	top, err := decodeObject("ChangeBatch", raw, batchFields)
	if err != nil {
		return b, fmt.Errorf("invalid change batch: %w", err)
	}
	if b.Comment, err = top.str("Comment", false); err != nil {
		return b, fmt.Errorf("invalid change batch: %w", err)
	}
	list, ok, err := top.array("Changes")
	if err != nil {
		return b, fmt.Errorf("invalid change batch: %w", err)
	}
	if !ok {
		return b, errors.New("invalid change batch: ChangeBatch.Changes: missing required field")
	}
	b.Changes = make([]Change, 0, len(list))
	for i, item := range list {
		c, err := parseChange(fmt.Sprintf("ChangeBatch.Changes[%d]", i), item)
		if err != nil {
			return ChangeBatch{}, fmt.Errorf("invalid change batch: %w", err)
		}
		b.Changes = append(b.Changes, c)
	}
	return b, nil
}

func parseChange(path string, raw json.RawMessage) (Change, error) {
	var c Change
	o, err := decodeObject(path, raw, changeFields)
	if err != nil {
		return c, err
	}
	action, err := o.str("Action", true)
	if err != nil {
		return c, err
	}
	c.Action = Action(action)
	rr, err := o.obj("ResourceRecordSet", rrsetFields)
	if err != nil {
		return c, err
	}
	if rr == nil {
		return c, fmt.Errorf("%s.ResourceRecordSet: missing required field", path)
	}
	c.RRSet, err = parseRRSet(rr)
	return c, err
}

func parseRRSet(o *object) (RRSet, error) {
	var r RRSet
	var err error
	strs := []struct {
		key      string
		dst      *string
		required bool
	}{
		{"Name", &r.Name, true},
		{"Type", &r.Type, true},
		{"SetIdentifier", &r.SetIdentifier, false},
		{"Region", &r.Region, false},
		{"Failover", &r.Failover, false},
		{"HealthCheckId", &r.HealthCheckID, false},
		{"TrafficPolicyInstanceId", &r.TrafficPolicyInstanceID, false},
	}
	for _, s := range strs {
		if *s.dst, err = o.str(s.key, s.required); err != nil {
			return r, err
		}
	}
	if r.Weight, err = o.int("Weight"); err != nil {
		return r, err
	}
	if r.TTL, err = o.int("TTL"); err != nil {
		return r, err
	}
	if r.MultiValueAnswer, err = o.bool("MultiValueAnswer", false); err != nil {
		return r, err
	}
	if r.Values, err = parseRecords(o); err != nil {
		return r, err
	}
	if r.GeoLocation, err = parseGeo(o); err != nil {
		return r, err
	}
	if r.AliasTarget, err = parseAlias(o); err != nil {
		return r, err
	}
	if r.CidrRoutingConfig, err = parseCidr(o); err != nil {
		return r, err
	}
	r.GeoProximityLocation, err = parseGeoProximity(o)
	return r, err
}

func parseRecords(o *object) ([]string, error) {
	list, _, err := o.array("ResourceRecords")
	if err != nil || len(list) == 0 {
		return nil, err
	}
	values := make([]string, 0, len(list))
	for i, item := range list {
		rec, err := decodeObject(fmt.Sprintf("%s.ResourceRecords[%d]", o.path, i), item, recordFields)
		if err != nil {
			return nil, err
		}
		v, err := rec.str("Value", true)
		if err != nil {
			return nil, err
		}
		values = append(values, v)
	}
	return values, nil
}

func parseGeo(o *object) (*GeoLocation, error) {
	g, err := o.obj("GeoLocation", geoFields)
	if err != nil || g == nil {
		return nil, err
	}
	var out GeoLocation
	for _, f := range []struct {
		key string
		dst *string
	}{{"ContinentCode", &out.ContinentCode}, {"CountryCode", &out.CountryCode}, {"SubdivisionCode", &out.SubdivisionCode}} {
		if *f.dst, err = g.str(f.key, false); err != nil {
			return nil, err
		}
	}
	return &out, nil
}

func parseAlias(o *object) (*AliasTarget, error) {
	a, err := o.obj("AliasTarget", aliasFields)
	if err != nil || a == nil {
		return nil, err
	}
	var out AliasTarget
	if out.HostedZoneID, err = a.str("HostedZoneId", true); err != nil {
		return nil, err
	}
	if out.DNSName, err = a.str("DNSName", true); err != nil {
		return nil, err
	}
	eth, err := a.bool("EvaluateTargetHealth", true)
	if err != nil {
		return nil, err
	}
	out.EvaluateTargetHealth = *eth
	return &out, nil
}

func parseCidr(o *object) (*CidrRoutingConfig, error) {
	c, err := o.obj("CidrRoutingConfig", cidrFields)
	if err != nil || c == nil {
		return nil, err
	}
	var out CidrRoutingConfig
	if out.CollectionID, err = c.str("CollectionId", true); err != nil {
		return nil, err
	}
	if out.LocationName, err = c.str("LocationName", true); err != nil {
		return nil, err
	}
	return &out, nil
}

func parseGeoProximity(o *object) (*GeoProximityLocation, error) {
	g, err := o.obj("GeoProximityLocation", geoProximityFields)
	if err != nil || g == nil {
		return nil, err
	}
	var out GeoProximityLocation
	if out.AWSRegion, err = g.str("AWSRegion", false); err != nil {
		return nil, err
	}
	if out.LocalZoneGroup, err = g.str("LocalZoneGroup", false); err != nil {
		return nil, err
	}
	if out.Bias, err = g.int("Bias"); err != nil {
		return nil, err
	}
	co, err := g.obj("Coordinates", coordinateFields)
	if err != nil || co == nil {
		return &out, err
	}
	out.Coordinates = &Coordinates{}
	if out.Coordinates.Latitude, err = co.str("Latitude", true); err != nil {
		return nil, err
	}
	if out.Coordinates.Longitude, err = co.str("Longitude", true); err != nil {
		return nil, err
	}
	return &out, nil
}

// The output shapes of ChangeBatchJSON, with the CLI's member names in the
// model's order.
type (
	jsonBatch struct {
		Comment string       `json:"Comment,omitempty"`
		Changes []jsonChange `json:"Changes"`
	}
	jsonChange struct {
		Action            Action    `json:"Action"`
		ResourceRecordSet jsonRRSet `json:"ResourceRecordSet"`
	}
	jsonRRSet struct {
		Name                    string            `json:"Name"`
		Type                    string            `json:"Type"`
		SetIdentifier           string            `json:"SetIdentifier,omitempty"`
		Weight                  *int64            `json:"Weight,omitempty"`
		Region                  string            `json:"Region,omitempty"`
		GeoLocation             *jsonGeo          `json:"GeoLocation,omitempty"`
		Failover                string            `json:"Failover,omitempty"`
		MultiValueAnswer        *bool             `json:"MultiValueAnswer,omitempty"`
		TTL                     *int64            `json:"TTL,omitempty"`
		ResourceRecords         []jsonRecord      `json:"ResourceRecords,omitempty"`
		AliasTarget             *jsonAlias        `json:"AliasTarget,omitempty"`
		HealthCheckID           string            `json:"HealthCheckId,omitempty"`
		TrafficPolicyInstanceID string            `json:"TrafficPolicyInstanceId,omitempty"`
		CidrRoutingConfig       *jsonCidr         `json:"CidrRoutingConfig,omitempty"`
		GeoProximityLocation    *jsonGeoProximity `json:"GeoProximityLocation,omitempty"`
	}
	jsonRecord struct {
		Value string `json:"Value"`
	}
	jsonGeo struct {
		ContinentCode   string `json:"ContinentCode,omitempty"`
		CountryCode     string `json:"CountryCode,omitempty"`
		SubdivisionCode string `json:"SubdivisionCode,omitempty"`
	}
	jsonAlias struct {
		HostedZoneID         string `json:"HostedZoneId"`
		DNSName              string `json:"DNSName"`
		EvaluateTargetHealth bool   `json:"EvaluateTargetHealth"`
	}
	jsonCidr struct {
		CollectionID string `json:"CollectionId"`
		LocationName string `json:"LocationName"`
	}
	jsonGeoProximity struct {
		AWSRegion      string           `json:"AWSRegion,omitempty"`
		LocalZoneGroup string           `json:"LocalZoneGroup,omitempty"`
		Coordinates    *jsonCoordinates `json:"Coordinates,omitempty"`
		Bias           *int64           `json:"Bias,omitempty"`
	}
	jsonCoordinates struct {
		Latitude  string `json:"Latitude"`
		Longitude string `json:"Longitude"`
	}
)

// ChangeBatchJSON renders a batch in the JSON form ParseChangeBatchJSON
// reads, indented by two spaces, with HTML characters left unescaped.
func ChangeBatchJSON(b ChangeBatch) ([]byte, error) {
	out := jsonBatch{Comment: b.Comment, Changes: make([]jsonChange, len(b.Changes))}
	for i, c := range b.Changes {
		out.Changes[i] = jsonChange{Action: c.Action, ResourceRecordSet: toJSONRRSet(&c.RRSet)}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("render change batch: encode JSON: %w", err)
	}
	return buf.Bytes(), nil
}

func toJSONRRSet(r *RRSet) jsonRRSet {
	j := jsonRRSet{
		Name:                    r.Name,
		Type:                    r.Type,
		SetIdentifier:           r.SetIdentifier,
		Weight:                  r.Weight,
		Region:                  r.Region,
		Failover:                r.Failover,
		MultiValueAnswer:        r.MultiValueAnswer,
		TTL:                     r.TTL,
		HealthCheckID:           r.HealthCheckID,
		TrafficPolicyInstanceID: r.TrafficPolicyInstanceID,
	}
	for _, v := range r.Values {
		j.ResourceRecords = append(j.ResourceRecords, jsonRecord{Value: v})
	}
	if g := r.GeoLocation; g != nil {
		j.GeoLocation = &jsonGeo{ContinentCode: g.ContinentCode, CountryCode: g.CountryCode, SubdivisionCode: g.SubdivisionCode}
	}
	if a := r.AliasTarget; a != nil {
		j.AliasTarget = &jsonAlias{HostedZoneID: a.HostedZoneID, DNSName: a.DNSName, EvaluateTargetHealth: a.EvaluateTargetHealth}
	}
	if c := r.CidrRoutingConfig; c != nil {
		j.CidrRoutingConfig = &jsonCidr{CollectionID: c.CollectionID, LocationName: c.LocationName}
	}
	if g := r.GeoProximityLocation; g != nil {
		j.GeoProximityLocation = &jsonGeoProximity{AWSRegion: g.AWSRegion, LocalZoneGroup: g.LocalZoneGroup, Bias: g.Bias}
		if co := g.Coordinates; co != nil {
			j.GeoProximityLocation.Coordinates = &jsonCoordinates{Latitude: co.Latitude, Longitude: co.Longitude}
		}
	}
	return j
}
