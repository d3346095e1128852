package zone

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Env gives ApplyChanges what it cannot know by itself.
type Env struct {
	HealthCheckExists func(id string) bool // nil: every ID exists
	MaxRRSets         int                  // per-zone quota; 0 means 10000
	// CidrLocationExists reports whether CIDR collection collectionID exists
	// and holds location; location "*" (the default, which every collection
	// has) asks only whether the collection exists. nil: everything exists.
	CidrLocationExists func(collectionID, location string) bool
}

// Result is what a valid batch does to the zone: record sets to write (full
// replacement at their Key), keys to delete, and the number of record sets in
// the zone afterwards. A key deleted and then created again in the batch
// appears only in Put.
type Result struct {
	Put    []RRSet
	Delete []Key
	Count  int
}

// ApplyChanges validates batch as a whole against the zone's current record
// sets (apex SOA/NS included) and returns its effect.
//
// Names in the batch are as the client supplied them; Put holds canonical
// names (CanonicalName) and otherwise the supplied data (values verbatim).
// Changes apply in order to a working copy, so DELETE then CREATE of one key
// works; the rules that relate record sets to each other (CNAME exclusivity,
// routing-policy combinations, alias targets, apex SOA/NS) are judged on the
// batch's net effect.
//
// On any problem it returns an *Error, and nothing applies: InvalidInput for
// the first shape error (enumerations, lengths, ranges, exclusivity of alias
// vs TTL+values, SetIdentifier rules, GeoLocation codes), NoSuchHealthCheck for
// an unknown HealthCheckId on CREATE/UPSERT, NoSuchCidrCollectionException or
// NoSuchCidrLocationException for an unknown CIDR collection or location on
// CREATE/UPSERT, otherwise InvalidChangeBatch carrying every validation
// message found.
func ApplyChanges(z *HostedZone, current []RRSet, batch ChangeBatch, env Env) (*Result, error) {
	if z == nil {
		return nil, fmt.Errorf("zone: apply changes: no hosted zone")
	}
	apex, err := ParseName(z.Name)
	if err != nil {
		return nil, fmt.Errorf("zone: apply changes to %q: %w", z.Name, err)
	}
	if e := checkBatchShape(&batch); e != nil {
		return nil, e
	}
	for i := range batch.Changes {
		if e := checkChangeShape(i+1, &batch.Changes[i]); e != nil {
			return nil, e
		}
	}
	if env.HealthCheckExists != nil {
		for _, c := range batch.Changes {
			id := c.RRSet.HealthCheckID
			if c.Action != ActionDelete && id != "" && !env.HealthCheckExists(id) {
				return nil, NoSuchHealthCheck(id)
			}
		}
	}
	if e := checkCidrReferences(batch.Changes, env.CidrLocationExists); e != nil {
		return nil, e
	}
	a := newApplier(z, apex, current)
	a.checkLimits(batch.Changes)
	for i := range batch.Changes {
		a.apply(&batch.Changes[i])
	}
	a.checkNetEffect()
	max := env.MaxRRSets
	if max <= 0 {
		max = DefaultMaxRRSets
	}
	if n := len(a.sets); n > max && n > a.before {
		a.add(msgZoneQuota(a.zoneName, n, max))
	}
	if len(a.msgs) > 0 {
		return nil, InvalidChangeBatch(a.msgs...)
	}
	return a.result(), nil
}

// checkCidrReferences returns NoSuchCidrCollectionException or
// NoSuchCidrLocationException for the first CREATE or UPSERT whose
// CidrRoutingConfig names a collection or location that does not exist.
func checkCidrReferences(changes []Change, exists func(collectionID, location string) bool) *Error {
	if exists == nil {
		return nil
	}
	for _, c := range changes {
		cfg := c.RRSet.CidrRoutingConfig
		if c.Action == ActionDelete || cfg == nil {
			continue
		}
		if !exists(cfg.CollectionID, "*") {
			return NewError("NoSuchCidrCollectionException", "No CIDR collection found with ID: "+cfg.CollectionID)
		}
		if cfg.LocationName != "*" && !exists(cfg.CollectionID, cfg.LocationName) {
			return NewError("NoSuchCidrLocationException", "No CIDR location found with name "+cfg.LocationName+" in CIDR collection: "+cfg.CollectionID)
		}
	}
	return nil
}

// applier holds the working copy of one ApplyChanges call.
type applier struct {
	zoneID   string
	zoneName string   // canonical
	apex     []string // labels
	before   int      // record sets before the batch
	sets     map[Key]RRSet
	existed  map[Key]bool
	putOrder []Key        // keys written by the batch, first write first
	put      map[Key]bool // keys whose final value came from the batch
	delOrder []Key
	history  map[Key][]Action
	msgs     []string
	seen     map[string]bool
}

func newApplier(z *HostedZone, apex []string, current []RRSet) *applier {
	a := &applier{
		zoneID:   bareZoneID(z.ID),
		zoneName: FormatName(apex),
		apex:     apex,
		sets:     make(map[Key]RRSet, len(current)),
		existed:  make(map[Key]bool, len(current)),
		put:      make(map[Key]bool),
		history:  make(map[Key][]Action),
		seen:     make(map[string]bool),
	}
	for _, r := range current {
		if c, err := CanonicalName(r.Name); err == nil {
			r.Name = c
		}
		a.sets[r.Key()] = r
		a.existed[r.Key()] = true
	}
	a.before = len(a.sets)
	return a
}

func bareZoneID(id string) string {
	id = strings.TrimPrefix(id, "/hostedzone/")
	return strings.TrimPrefix(id, "hostedzone/")
}

// add records a message once.
func (a *applier) add(msg string) {
	if !a.seen[msg] {
		a.seen[msg] = true
		a.msgs = append(a.msgs, msg)
	}
}

// checkLimits applies the per-request limits: ResourceRecord elements (an
// alias counts as one) and Value characters, both counted twice for UPSERT.
func (a *applier) checkLimits(changes []Change) {
	records, chars := 0, 0
	for _, c := range changes {
		mult := 1
		if c.Action == ActionUpsert {
			mult = 2
		}
		n := len(c.RRSet.Values)
		if c.RRSet.AliasTarget != nil {
			n++
		}
		records += mult * n
		for _, v := range c.RRSet.Values {
			chars += mult * utf8.RuneCountInString(v)
		}
	}
	if records > MaxBatchRecords {
		a.add(msgRecordLimit())
	}
	if chars > MaxBatchValueChars {
		a.add(msgValueCharLimit())
	}
}

// apply runs one change against the working copy, recording messages.
func (a *applier) apply(c *Change) {
	r := c.RRSet
	labels, err := ParseName(r.Name)
	if err != nil {
		a.add(err.Error())
		return
	}
	name := FormatName(labels)
	if !IsSubdomain(labels, a.apex) {
		a.add(msgNotInZone(name, a.zoneName))
		return
	}
	r.Name = name
	key := r.Key()

	prev := a.history[key]
	a.history[key] = append(prev, c.Action)
	if len(prev) > 0 && !(len(prev) == 1 && prev[0] == ActionDelete && c.Action != ActionDelete) {
		a.add(msgInvalidSet(key))
		return
	}

	if c.Action == ActionDelete {
		cur, ok := a.sets[key]
		switch {
		case !ok:
			a.add(msgNotFound(key))
		case !deleteMatches(&cur, &r):
			a.add(msgValuesMismatch(key))
		default:
			delete(a.sets, key)
			if a.put[key] {
				delete(a.put, key)
			}
			if a.existed[key] {
				a.delOrder = append(a.delOrder, key)
			}
		}
		return
	}

	a.checkRecord(labels, &r)
	if c.Action == ActionCreate {
		if _, ok := a.sets[key]; ok {
			a.add(msgAlreadyExists(key))
			return
		}
	}
	r.Values = append([]string(nil), r.Values...)
	a.sets[key] = r
	if !a.put[key] {
		a.put[key] = true
		a.putOrder = append(a.putOrder, key)
	}
}

// checkRecord runs the checks that need only the record set itself.
func (a *applier) checkRecord(labels []string, r *RRSet) {
	key := r.Key()
	atApex := len(labels) == len(a.apex)
	if r.Type == "CNAME" && atApex {
		a.add(msgCNAMEAtApex(r.Name, a.zoneName))
	}
	if r.Type == "SOA" {
		if !atApex {
			a.add(msgSOANotAtApex(r.Name, a.zoneName))
		} else if len(r.Values) > 1 {
			a.add(msgExactlyOneSOA)
		}
	}
	if r.Type == "NS" && len(labels) > 0 && labels[0] == "*" {
		a.add(msgNSWildcard(r.Name, a.zoneName))
	}
	p := PolicyOf(r)
	if !policyTypeAllowed(p, r.Type) {
		a.add(msgPolicyType(key, p))
	}
	if r.AliasTarget != nil {
		a.checkAliasRecord(r, p)
	}
	if len(r.Values) > MaxValuesPerRRSet {
		a.add(msgTooManyValues(key))
	}
	if r.Type == "CNAME" && len(r.Values) > 1 {
		a.add(msgCNAMESingleValue(r.Name))
	}
	dup := make(map[string]bool, len(r.Values))
	for _, v := range r.Values {
		if err := ValidateValue(r.Type, v); err != nil {
			a.add(err.Error())
		}
		if dup[v] {
			a.add(msgDuplicateValue(v))
		}
		dup[v] = true
	}
}

// cloudFrontZoneID is the alias hosted zone ID of every CloudFront
// distribution (spec 8.3).
const cloudFrontZoneID = "Z2FDTNDATAQYW2"

// checkAliasRecord runs the alias checks that need no other record set.
func (a *applier) checkAliasRecord(r *RRSet, p Policy) {
	key := r.Key()
	if p == PolicyMultiValue {
		a.add(msgMultiValueAlias(key))
	}
	if r.Type == "NS" || r.Type == "SOA" {
		a.add(msgAliasType(key))
	}
	target, err := CanonicalName(r.AliasTarget.DNSName)
	if err != nil {
		a.add(err.Error())
		return
	}
	zid := bareZoneID(r.AliasTarget.HostedZoneID)
	if zid == cloudFrontZoneID && r.AliasTarget.EvaluateTargetHealth {
		a.add(msgAliasCloudFrontHealth(target, r.Type, zid))
	}
}

// deleteMatches reports whether the data of a DELETE matches the stored
// record set: TTL, values as a set, alias target (zone ID, canonical DNS name,
// EvaluateTargetHealth) and traffic policy instance always; routing fields and
// HealthCheckId when supplied; an omitted MultiValueAnswer counts as false.
func deleteMatches(cur, del *RRSet) bool {
	if !eqInt(cur.TTL, del.TTL) || !sameValueSet(cur.Values, del.Values) {
		return false
	}
	if cur.TrafficPolicyInstanceID != del.TrafficPolicyInstanceID {
		return false
	}
	if (cur.AliasTarget == nil) != (del.AliasTarget == nil) {
		return false
	}
	if cur.AliasTarget != nil && !sameAlias(cur.AliasTarget, del.AliasTarget) {
		return false
	}
	if del.Weight != nil && !eqInt(cur.Weight, del.Weight) {
		return false
	}
	if del.Region != "" && del.Region != cur.Region {
		return false
	}
	if del.Failover != "" && del.Failover != cur.Failover {
		return false
	}
	if del.HealthCheckID != "" && del.HealthCheckID != cur.HealthCheckID {
		return false
	}
	if del.GeoLocation != nil && (cur.GeoLocation == nil || *cur.GeoLocation != *del.GeoLocation) {
		return false
	}
	if del.CidrRoutingConfig != nil && (cur.CidrRoutingConfig == nil || *cur.CidrRoutingConfig != *del.CidrRoutingConfig) {
		return false
	}
	if del.GeoProximityLocation != nil && !sameGeoProximity(cur.GeoProximityLocation, del.GeoProximityLocation) {
		return false
	}
	return boolOr(cur.MultiValueAnswer) == boolOr(del.MultiValueAnswer)
}

func eqInt(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func boolOr(b *bool) bool { return b != nil && *b }

func sameValueSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	count := make(map[string]int, len(a))
	for _, v := range a {
		count[v]++
	}
	for _, v := range b {
		if count[v] == 0 {
			return false
		}
		count[v]--
	}
	return true
}

func sameAlias(a, b *AliasTarget) bool {
	if bareZoneID(a.HostedZoneID) != bareZoneID(b.HostedZoneID) || a.EvaluateTargetHealth != b.EvaluateTargetHealth {
		return false
	}
	an, errA := CanonicalName(a.DNSName)
	bn, errB := CanonicalName(b.DNSName)
	if errA != nil || errB != nil {
		return strings.EqualFold(a.DNSName, b.DNSName)
	}
	return an == bn
}

func sameGeoProximity(a, b *GeoProximityLocation) bool {
	if a == nil {
		return false
	}
	if a.AWSRegion != b.AWSRegion || a.LocalZoneGroup != b.LocalZoneGroup || !eqInt(a.Bias, b.Bias) {
		return false
	}
	if (a.Coordinates == nil) != (b.Coordinates == nil) {
		return false
	}
	return a.Coordinates == nil || *a.Coordinates == *b.Coordinates
}

// result assembles the Result from the working copy.
func (a *applier) result() *Result {
	res := &Result{Count: len(a.sets)}
	for _, k := range a.putOrder {
		if a.put[k] {
			res.Put = append(res.Put, a.sets[k])
		}
	}
	for _, k := range a.delOrder {
		if _, ok := a.sets[k]; !ok {
			res.Delete = append(res.Delete, k)
		}
	}
	return res
}
