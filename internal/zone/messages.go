package zone

import (
	"fmt"
	"strings"
)

// This file builds the texts of Route 53 errors. Messages marked [OBS] in the
// comments are real Route 53 wording quoted in the spec; the ones marked [OWN]
// are Meridian's wording for cases whose real text is unconfirmed (spec 9.3),
// written in the same style so that clients see one voice.

// ValueError is a problem with one resource record Value, in Route 53's
// "FATAL problem" vocabulary.
type ValueError struct {
	Value   string
	Problem string // e.g. "ARRDATAIllegalIPv4Address"
	Detail  string // the text in parentheses
}

// Error renders the problem as Route 53 prints it inside InvalidChangeBatch.
func (e *ValueError) Error() string {
	return fmt.Sprintf("Invalid Resource Record: FATAL problem: %s (%s) encountered with '%s'", e.Problem, e.Detail, e.Value)
}

// changeContext renders the "[Action=…, Name=…, Type=…, SetIdentifier=…]"
// suffix of InvalidInput messages: values exactly as the client sent them,
// "null" for a missing SetIdentifier [OBS].
func changeContext(c *Change) string {
	sid := "null"
	if c.RRSet.SetIdentifier != "" {
		sid = c.RRSet.SetIdentifier
	}
	return fmt.Sprintf("[Action=%s, Name=%s, Type=%s, SetIdentifier=%s]", c.Action, c.RRSet.Name, c.RRSet.Type, sid)
}

// invalidRequest returns "Invalid request: <detail> in Change with […]" as
// InvalidInput, the shape of Route 53's request-level messages [OBS pattern].
func invalidRequest(c *Change, detail string) *Error {
	return InvalidInput("Invalid request: " + detail + " in Change with " + changeContext(c))
}

// enumError is the XML-schema enumeration failure [spec 4.2; moto's wording,
// believed to be AWS's schema validator].
func enumError(value string, allowed []string) *Error {
	return InvalidInput(fmt.Sprintf("Invalid XML ; cvc-enumeration-valid: Value '%s' is not facet-valid with respect to enumeration '[%s]'. It must be a value from the enumeration.", value, strings.Join(allowed, ", ")))
}

// constraintError is the generic AWS constraint-violation wording [INF,
// standard AWS wording, spec 4.2]. path is the member path, e.g.
// "changeBatch.changes.1.member.resourceRecordSet.weight".
func constraintError(value, path, constraint string) *Error {
	return InvalidInput(fmt.Sprintf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, path, constraint))
}

// nullError is the constraint violation for a missing required member.
func nullError(path string) *Error {
	return InvalidInput(fmt.Sprintf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", path))
}

// rrsetRef renders "[name='x.', type='A']" with ", set-identifier='id'"
// inside the brackets when the record set has one [OBS].
func rrsetRef(k Key) string {
	if k.SetIdentifier != "" {
		return fmt.Sprintf("[name='%s', type='%s', set-identifier='%s']", k.Name, k.Type, k.SetIdentifier)
	}
	return fmt.Sprintf("[name='%s', type='%s']", k.Name, k.Type)
}

// msgAlreadyExists: CREATE of an existing record set [OBS].
func msgAlreadyExists(k Key) string {
	return "Tried to create resource record set " + rrsetRef(k) + " but it already exists"
}

// msgNotFound: DELETE of a missing record set [OBS].
func msgNotFound(k Key) string {
	return "Tried to delete resource record set " + rrsetRef(k) + " but it was not found"
}

// msgValuesMismatch: DELETE whose data differs from the stored record set [OBS].
func msgValuesMismatch(k Key) string {
	return "Tried to delete resource record set " + rrsetRef(k) + " but the values provided do not match the current values"
}

// msgInvalidSet: a key changed more than once in a disallowed sequence [OBS].
func msgInvalidSet(k Key) string {
	return fmt.Sprintf("The request contains an invalid set of changes for a resource record set '%s %s'", k.Type, k.Name)
}

// msgNotInZone: a name outside the zone [OBS].
func msgNotInZone(name, zone string) string {
	return fmt.Sprintf("RRSet with DNS name %s is not permitted in zone %s", name, zone)
}

// msgCNAMEAtApex [OBS].
func msgCNAMEAtApex(name, zone string) string {
	return fmt.Sprintf("RRSet of type CNAME with DNS name %s is not permitted at apex in zone %s", name, zone)
}

// msgCNAMEConflicts: a CNAME added next to other types [OBS].
func msgCNAMEConflicts(name, zone string) string {
	return fmt.Sprintf("RRSet of type CNAME with DNS name %s is not permitted as it conflicts with other records with the same DNS name in zone %s", name, zone)
}

// msgConflictingCNAME: another type added next to a CNAME [OBS, as the spec
// quotes it; one real response shows two spaces before "CNAME"].
func msgConflictingCNAME(typ, name, zone string) string {
	return fmt.Sprintf("RRSet of type %s with DNS name %s is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone %s", typ, name, zone)
}

// The apex SOA/NS protection messages [OBS].
const (
	msgExactlyOneSOA = "A HostedZone must contain exactly one SOA record."
	msgApexNS        = "A HostedZone must contain at least one NS record for the zone itself."
)

// msgSOANotAtApex [OWN].
func msgSOANotAtApex(name, zone string) string {
	return fmt.Sprintf("RRSet of type SOA with DNS name %s is not permitted because SOA records are permitted only at apex in zone %s", name, zone)
}

// msgNSWildcard [OWN].
func msgNSWildcard(name, zone string) string {
	return fmt.Sprintf("RRSet of type NS with DNS name %s is not permitted because NS records cannot be wildcards in zone %s", name, zone)
}

// msgCNAMESingleValue [OWN].
func msgCNAMESingleValue(name string) string {
	return fmt.Sprintf("RRSet of type CNAME with DNS name %s is not permitted because a CNAME record set must contain exactly one value", name)
}

// msgTooManyValues [OWN]; the limit itself is from the Developer Guide.
func msgTooManyValues(k Key) string {
	return fmt.Sprintf("RRSet with DNS name %s, type %s contains more than %d resource records", k.Name, k.Type, MaxValuesPerRRSet)
}

// msgDuplicateValue [OBS].
func msgDuplicateValue(v string) string {
	return fmt.Sprintf("Duplicate Resource Record: '%s'", v)
}

// rrsetDesc renders "RRSet with DNS name x., type A[, SetIdentifier id]", the
// subject of the observed policy-combination message.
func rrsetDesc(k Key) string {
	if k.SetIdentifier != "" {
		return fmt.Sprintf("RRSet with DNS name %s, type %s, SetIdentifier %s", k.Name, k.Type, k.SetIdentifier)
	}
	return fmt.Sprintf("RRSet with DNS name %s, type %s", k.Name, k.Type)
}

// msgNonWeightedExists: a SetIdentifier record set where a simple one
// exists [OBS].
func msgNonWeightedExists(k Key) string {
	return rrsetDesc(k) + " cannot be created as a non-weighted set exists with the same name and type."
}

// msgWeightedExists: a simple record set where SetIdentifier ones exist
// [OWN, mirrors the observed message].
func msgWeightedExists(k Key) string {
	return rrsetDesc(k) + " cannot be created as a weighted set exists with the same name and type."
}

// msgMixedPolicy [OWN].
func msgMixedPolicy(k Key, p, other Policy) string {
	return fmt.Sprintf("%s cannot be created as a %s set exists with the same name and type; all record sets with the same name and type must use the same routing policy (%s).", rrsetDesc(k), other, p)
}

// msgDuplicateLocation: per-policy uniqueness [OWN].
func msgDuplicateLocation(k Key, what, otherID string) string {
	return fmt.Sprintf("%s cannot be created as the set with SetIdentifier %s already uses %s with the same name and type.", rrsetDesc(k), otherID, what)
}

// msgCidrCollection [OWN].
func msgCidrCollection(k Key, want string) string {
	return fmt.Sprintf("%s cannot be created as the sets with the same name and type use CIDR collection %s; all of them must use the same CIDR collection.", rrsetDesc(k), want)
}

// msgTooManyInGroup [OWN]; the caps are from the Developer Guide.
func msgTooManyInGroup(name, typ string, p Policy, limit int) string {
	return fmt.Sprintf("RRSet with DNS name %s, type %s cannot have more than %d %s record sets with the same name and type.", name, typ, limit, p)
}

// msgPolicyType: a type that the policy does not allow [OWN].
func msgPolicyType(k Key, p Policy) string {
	if k.Type == "NS" {
		return fmt.Sprintf("%s is not permitted because NS records support only simple routing.", rrsetDesc(k))
	}
	return fmt.Sprintf("%s is not permitted because type %s is not supported by the %s routing policy.", rrsetDesc(k), k.Type, p)
}

// msgMultiValueAlias [OWN].
func msgMultiValueAlias(k Key) string {
	return rrsetDesc(k) + " is not permitted because multivalue answer record sets cannot be aliases."
}

// msgAliasType [OWN].
func msgAliasType(k Key) string {
	return fmt.Sprintf("%s is not permitted because an alias record set cannot have type %s.", rrsetDesc(k), k.Type)
}

// aliasPrefix is the observed start of alias-target messages [OBS].
func aliasPrefix(target, typ, zoneID string) string {
	return fmt.Sprintf("Tried to create an alias that targets %s, type %s in zone %s, but", target, typ, zoneID)
}

// msgAliasNotFound [OBS].
func msgAliasNotFound(target, typ, zoneID string) string {
	return aliasPrefix(target, typ, zoneID) + " that target was not found"
}

// msgAliasOutsideZone [OBS].
func msgAliasOutsideZone(target, typ, zoneID string) string {
	return aliasPrefix(target, typ, zoneID) + " the alias target name does not lie within the target zone"
}

// msgAliasSelf [OWN].
func msgAliasSelf(target, typ, zoneID string) string {
	return aliasPrefix(target, typ, zoneID) + " an alias cannot target itself"
}

// msgAliasCycle [OWN].
func msgAliasCycle(target, typ, zoneID, name string) string {
	return aliasPrefix(target, typ, zoneID) + " that target leads back through aliases to " + name
}

// msgAliasCloudFrontHealth [OWN; the rule is from the API model].
func msgAliasCloudFrontHealth(target, typ, zoneID string) string {
	return aliasPrefix(target, typ, zoneID) + " EvaluateTargetHealth cannot be true when the alias target is a CloudFront distribution"
}

// msgRecordLimit is moto's wording for the 1,000-record limit [INF, spec 9.14].
func msgRecordLimit() string {
	return fmt.Sprintf("Number of records limit of %d exceeded.", MaxBatchRecords)
}

// msgValueCharLimit [OWN, modelled on the record-limit message].
func msgValueCharLimit() string {
	return fmt.Sprintf("Number of characters in Value elements limit of %d exceeded.", MaxBatchValueChars)
}

// msgZoneQuota [OWN].
func msgZoneQuota(zone string, count, limit int) string {
	return fmt.Sprintf("The hosted zone %s would contain %d resource record sets, which exceeds its limit of %d.", zone, count, limit)
}
