package zone

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file holds the InvalidInput checks: what Route 53's request schema
// rejects before any record set is looked at (enumerations, lengths, ranges,
// patterns, required members) and the element-exclusivity rules.

var (
	actionEnum   = []string{"CREATE", "DELETE", "UPSERT"}
	rrTypeEnum   = []string{"SOA", "A", "TXT", "NS", "CNAME", "MX", "NAPTR", "PTR", "SRV", "SPF", "AAAA", "CAA", "DS", "TLSA", "SSHFP", "SVCB", "HTTPS"}
	failoverEnum = []string{"PRIMARY", "SECONDARY"}

	cidrCollectionIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$`)
	cidrLocationPattern     = regexp.MustCompile(`^[0-9A-Za-z_\-\*]+$`)
	latitudePattern         = regexp.MustCompile(`^[-+]?[0-9]{1,2}(\.[0-9]{0,2})?$`)
	longitudePattern        = regexp.MustCompile(`^[-+]?[0-9]{1,3}(\.[0-9]{0,2})?$`)
)

// IsRRType reports whether t is a record type Route 53 supports.
func IsRRType(t string) bool { return contains(rrTypeEnum, t) }

func runes(s string) int { return utf8.RuneCountInString(s) }

// checkBatchShape checks the batch-level members.
func checkBatchShape(b *ChangeBatch) *Error {
	if runes(b.Comment) > MaxCommentLen {
		return constraintError(b.Comment, "changeBatch.comment", fmt.Sprintf("Member must have length less than or equal to %d", MaxCommentLen))
	}
	if len(b.Changes) == 0 {
		return constraintError("[]", "changeBatch.changes", "Member must have length greater than or equal to 1")
	}
	return nil
}

// checkChangeShape returns the first InvalidInput problem of change number n
// (1-based, as AWS paths count).
func checkChangeShape(n int, c *Change) *Error {
	r := &c.RRSet
	base := fmt.Sprintf("changeBatch.changes.%d.member.resourceRecordSet", n)
	if !contains(actionEnum, string(c.Action)) {
		return enumError(string(c.Action), actionEnum)
	}
	if runes(r.Name) > MaxRecordNameLen {
		return constraintError(r.Name, base+".name", fmt.Sprintf("Member must have length less than or equal to %d", MaxRecordNameLen))
	}
	if !IsRRType(r.Type) {
		return enumError(r.Type, rrTypeEnum)
	}
	if runes(r.SetIdentifier) > MaxSetIdentifierLen {
		return constraintError(r.SetIdentifier, base+".setIdentifier", fmt.Sprintf("Member must have length less than or equal to %d", MaxSetIdentifierLen))
	}
	if r.Weight != nil && (*r.Weight < 0 || *r.Weight > MaxWeight) {
		return rangeError(*r.Weight, base+".weight", 0, MaxWeight)
	}
	if r.Region != "" && !IsLatencyRegion(r.Region) {
		return enumError(r.Region, latencyRegions)
	}
	if r.Failover != "" && !contains(failoverEnum, r.Failover) {
		return enumError(r.Failover, failoverEnum)
	}
	if r.TTL != nil && (*r.TTL < 0 || *r.TTL > MaxTTL) {
		return rangeError(*r.TTL, base+".tTL", 0, MaxTTL)
	}
	for i, v := range r.Values {
		if runes(v) > MaxValueLen {
			return constraintError(v, fmt.Sprintf("%s.resourceRecords.%d.member.value", base, i+1), fmt.Sprintf("Member must have length less than or equal to %d", MaxValueLen))
		}
	}
	if runes(r.HealthCheckID) > MaxHealthCheckIDLen {
		return constraintError(r.HealthCheckID, base+".healthCheckId", fmt.Sprintf("Member must have length less than or equal to %d", MaxHealthCheckIDLen))
	}
	if runes(r.TrafficPolicyInstanceID) > MaxTrafficPolicyIDLen {
		return constraintError(r.TrafficPolicyInstanceID, base+".trafficPolicyInstanceId", fmt.Sprintf("Member must have length less than or equal to %d", MaxTrafficPolicyIDLen))
	}
	if e := checkAliasShape(base, r.AliasTarget); e != nil {
		return e
	}
	if e := checkCidrShape(base, r.CidrRoutingConfig); e != nil {
		return e
	}
	if e := checkGeoProximityShape(base, c); e != nil {
		return e
	}
	if e := checkExclusivity(c); e != nil {
		return e
	}
	if e := checkPolicyFields(c); e != nil {
		return e
	}
	return checkGeoLocation(c)
}

func rangeError(v int64, path string, min, max int64) *Error {
	s := strconv.FormatInt(v, 10)
	if v < min {
		return constraintError(s, path, fmt.Sprintf("Member must have value greater than or equal to %d", min))
	}
	return constraintError(s, path, fmt.Sprintf("Member must have value less than or equal to %d", max))
}

func checkAliasShape(base string, a *AliasTarget) *Error {
	if a == nil {
		return nil
	}
	switch {
	case a.HostedZoneID == "":
		return nullError(base + ".aliasTarget.hostedZoneId")
	case runes(a.HostedZoneID) > MaxAliasZoneIDLen:
		return constraintError(a.HostedZoneID, base+".aliasTarget.hostedZoneId", fmt.Sprintf("Member must have length less than or equal to %d", MaxAliasZoneIDLen))
	case a.DNSName == "":
		return nullError(base + ".aliasTarget.dNSName")
	case runes(a.DNSName) > MaxRecordNameLen:
		return constraintError(a.DNSName, base+".aliasTarget.dNSName", fmt.Sprintf("Member must have length less than or equal to %d", MaxRecordNameLen))
	}
	return nil
}

func checkCidrShape(base string, c *CidrRoutingConfig) *Error {
	if c == nil {
		return nil
	}
	switch {
	case c.CollectionID == "":
		return nullError(base + ".cidrRoutingConfig.collectionId")
	case !cidrCollectionIDPattern.MatchString(c.CollectionID):
		return constraintError(c.CollectionID, base+".cidrRoutingConfig.collectionId", "Member must satisfy regular expression pattern: [0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}")
	case c.LocationName == "":
		return nullError(base + ".cidrRoutingConfig.locationName")
	case runes(c.LocationName) > 16:
		return constraintError(c.LocationName, base+".cidrRoutingConfig.locationName", "Member must have length less than or equal to 16")
	case !cidrLocationPattern.MatchString(c.LocationName):
		return constraintError(c.LocationName, base+".cidrRoutingConfig.locationName", `Member must satisfy regular expression pattern: [0-9A-Za-z_\-\*]+`)
	}
	return nil
}

func checkGeoProximityShape(base string, c *Change) *Error {
	g := c.RRSet.GeoProximityLocation
	if g == nil {
		return nil
	}
	path := base + ".geoProximityLocation"
	if g.Bias != nil && (*g.Bias < -MaxBias || *g.Bias > MaxBias) {
		return rangeError(*g.Bias, path+".bias", -MaxBias, MaxBias)
	}
	n := 0
	if g.AWSRegion != "" {
		n++
		if runes(g.AWSRegion) > MaxGeoProximityFieldLen {
			return constraintError(g.AWSRegion, path+".aWSRegion", fmt.Sprintf("Member must have length less than or equal to %d", MaxGeoProximityFieldLen))
		}
	}
	if g.LocalZoneGroup != "" {
		n++
		if runes(g.LocalZoneGroup) > MaxGeoProximityFieldLen {
			return constraintError(g.LocalZoneGroup, path+".localZoneGroup", fmt.Sprintf("Member must have length less than or equal to %d", MaxGeoProximityFieldLen))
		}
	}
	if co := g.Coordinates; co != nil {
		n++
		if e := checkCoordinate(co.Latitude, path+".coordinates.latitude", latitudePattern, 6, 90); e != nil {
			return e
		}
		if e := checkCoordinate(co.Longitude, path+".coordinates.longitude", longitudePattern, 7, 180); e != nil {
			return e
		}
	}
	switch {
	case n == 0:
		// [OWN] wording, modelled on the alias/value exclusivity message.
		return invalidRequest(c, "Expected exactly one of [AWSRegion, LocalZoneGroup, or Coordinates] in GeoProximityLocation, but found none")
	case n > 1:
		return invalidRequest(c, "Expected exactly one of [AWSRegion, LocalZoneGroup, or Coordinates] in GeoProximityLocation, but found more than one")
	}
	return nil
}

func checkCoordinate(v, path string, pattern *regexp.Regexp, maxLen int, limit float64) *Error {
	if v == "" {
		return nullError(path)
	}
	if len(v) > maxLen {
		return constraintError(v, path, fmt.Sprintf("Member must have length less than or equal to %d", maxLen))
	}
	if !pattern.MatchString(v) {
		return constraintError(v, path, "Member must satisfy regular expression pattern: "+strings.Trim(pattern.String(), "^$"))
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(v, "."), 64)
	if err != nil || f < -limit || f > limit {
		// [OWN] range wording.
		return constraintError(v, path, fmt.Sprintf("Member must be between %g and %g", -limit, limit))
	}
	return nil
}

// checkExclusivity enforces exactly one of AliasTarget, TTL+ResourceRecords,
// or TrafficPolicyInstanceId [OBS wording].
func checkExclusivity(c *Change) *Error {
	r := &c.RRSet
	hasTTL, hasValues := r.TTL != nil, len(r.Values) > 0
	n := 0
	if r.AliasTarget != nil {
		n++
	}
	if hasTTL && hasValues {
		n++
	}
	if r.TrafficPolicyInstanceID != "" {
		n++
	}
	partial := hasTTL != hasValues
	found := ""
	switch {
	case n == 0:
		found = "none"
	case n > 1 || partial:
		found = "more than one"
	default:
		return nil
	}
	return InvalidInput("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found " + found + " in Change with " + changeContext(c))
}

// checkPolicyFields enforces: at most one routing field; SetIdentifier present
// exactly when one is. The missing-SetIdentifier text is Route 53's [OBS];
// the other two are [OWN], modelled on the exclusivity message.
func checkPolicyFields(c *Change) *Error {
	ps := policyFields(&c.RRSet)
	const list = "[Weight, Region, GeoLocation, Failover, MultiValueAnswer, CidrRoutingConfig, or GeoProximityLocation]"
	switch {
	case len(ps) > 1:
		return invalidRequest(c, "Expected at most one of "+list+", but found more than one")
	case len(ps) == 1 && c.RRSet.SetIdentifier == "":
		return invalidRequest(c, "Missing field 'SetIdentifier'")
	case len(ps) == 0 && c.RRSet.SetIdentifier != "":
		return invalidRequest(c, "Expected one of "+list+" with a SetIdentifier, but found none")
	}
	return nil
}

// geoString renders a GeoLocation as "[ContinentCode=…, CountryCode=…,
// SubdivisionCode=…]" with null for missing codes.
func geoString(g *GeoLocation) string {
	or := func(s string) string {
		if s == "" {
			return "null"
		}
		return s
	}
	return fmt.Sprintf("[ContinentCode=%s, CountryCode=%s, SubdivisionCode=%s]", or(g.ContinentCode), or(g.CountryCode), or(g.SubdivisionCode))
}

// checkGeoLocation enforces the GeoLocation rules. The API reference says a
// ContinentCode with a CountryCode or SubdivisionCode is InvalidInput; the
// other cases follow it. All wording here is [OWN].
func checkGeoLocation(c *Change) *Error {
	g := c.RRSet.GeoLocation
	if g == nil {
		return nil
	}
	bad := func(why string) *Error {
		return invalidRequest(c, "Unsupported GeoLocation "+geoString(g)+" ("+why+")")
	}
	switch {
	case g.ContinentCode != "" && (g.CountryCode != "" || g.SubdivisionCode != ""):
		return bad("ContinentCode cannot be combined with CountryCode or SubdivisionCode")
	case g.ContinentCode == "" && g.CountryCode == "":
		return bad("one of ContinentCode or CountryCode is required")
	case g.ContinentCode != "" && !IsContinent(g.ContinentCode):
		return bad("ContinentCode must be one of AF, AN, AS, EU, NA, OC, SA")
	case g.CountryCode != "" && g.CountryCode != "*":
		if _, ok := CountryContinent(g.CountryCode); !ok {
			return bad("CountryCode " + g.CountryCode + " is not supported")
		}
	}
	if g.SubdivisionCode != "" {
		if g.CountryCode != "US" {
			return bad("SubdivisionCode requires CountryCode US")
		}
		if !IsSubdivision(g.CountryCode, g.SubdivisionCode) {
			return bad("SubdivisionCode " + g.SubdivisionCode + " is not a supported subdivision of US")
		}
	}
	return nil
}
