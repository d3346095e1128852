package zone

// Limits from the Route 53 Developer Guide and API model (spec 1.2, 4.5, 6.1).
const (
	MaxValuesPerRRSet       = 400
	MaxValueLen             = 4000 // characters in one Value
	MaxTXTStringLen         = 255  // characters in one TXT/SPF character-string
	MaxTTL                  = 2147483647
	MaxRecordNameLen        = 1024 // characters in a Name or AliasTarget.DNSName
	MaxSetIdentifierLen     = 128
	MaxWeight               = 255
	MaxHealthCheckIDLen     = 64
	MaxTrafficPolicyIDLen   = 36
	MaxAliasZoneIDLen       = 32
	MaxBatchRecords         = 1000  // ResourceRecord elements per request, UPSERT twice
	MaxBatchValueChars      = 32000 // Value characters per request, UPSERT twice
	DefaultMaxRRSets        = 10000 // record sets per zone (default quota)
	MaxPolicyGroupSize      = 100   // weighted/latency/geolocation/multivalue/IP-based per (Name, Type)
	MaxGeoproximityGroup    = 30    // geoproximity per (Name, Type)
	MaxCommentLen           = 256
	MaxBias                 = 99
	MaxGeoProximityFieldLen = 64 // AWSRegion, LocalZoneGroup
)

// Policy is the routing policy of a record set, derived from which routing
// field it carries.
type Policy string

// The routing policies. The strings are used in messages.
const (
	PolicySimple       Policy = "simple"
	PolicyWeighted     Policy = "weighted"
	PolicyLatency      Policy = "latency"
	PolicyGeolocation  Policy = "geolocation"
	PolicyFailover     Policy = "failover"
	PolicyMultiValue   Policy = "multivalue answer"
	PolicyIPBased      Policy = "IP-based"
	PolicyGeoproximity Policy = "geoproximity"
)

// PolicyOf returns the routing policy of r: the policy of the first routing
// field present, or PolicySimple when there is none. MultiValueAnswer counts
// only when true (an omitted MultiValueAnswer is false).
func PolicyOf(r *RRSet) Policy {
	ps := policyFields(r)
	if len(ps) == 0 {
		return PolicySimple
	}
	return ps[0]
}

// policyFields lists the policies of every routing field r carries, in the
// model's element order.
func policyFields(r *RRSet) []Policy {
	var ps []Policy
	if r.Weight != nil {
		ps = append(ps, PolicyWeighted)
	}
	if r.Region != "" {
		ps = append(ps, PolicyLatency)
	}
	if r.GeoLocation != nil {
		ps = append(ps, PolicyGeolocation)
	}
	if r.Failover != "" {
		ps = append(ps, PolicyFailover)
	}
	if r.MultiValueAnswer != nil && *r.MultiValueAnswer {
		ps = append(ps, PolicyMultiValue)
	}
	if r.CidrRoutingConfig != nil {
		ps = append(ps, PolicyIPBased)
	}
	if r.GeoProximityLocation != nil {
		ps = append(ps, PolicyGeoproximity)
	}
	return ps
}

// policyTypeAllowed reports whether record sets of type typ may use policy p
// (spec 2.4): NS, SOA and DS only simple; multivalue not CNAME.
func policyTypeAllowed(p Policy, typ string) bool {
	if p == PolicySimple {
		return true
	}
	switch typ {
	case "A", "AAAA", "CAA", "MX", "NAPTR", "PTR", "SPF", "SRV", "TXT", "TLSA", "SSHFP", "SVCB", "HTTPS":
		return true
	case "CNAME":
		return p != PolicyMultiValue
	}
	return false
}

// groupLimit is the most record sets of a non-simple, non-failover policy p
// one (Name, Type) may hold.
func groupLimit(p Policy) int {
	if p == PolicyGeoproximity {
		return MaxGeoproximityGroup
	}
	return MaxPolicyGroupSize
}
