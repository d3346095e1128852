// Package zone holds Meridian's model of Route 53 hosted zones and resource
// record sets, and every Route 53 validation rule for them. It is pure: no I/O,
// no clocks, no randomness of its own. It is the single source of truth for what
// is valid.
package zone

// HostedZone is one hosted zone as Route 53 describes it.
//
// ID is the bare identifier ("Z…", no "/hostedzone/" prefix). Name is in
// canonical form (see CanonicalName): lowercase, \NNN-escaped, with a trailing dot.
type HostedZone struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	CallerReference string   `json:"callerReference"`
	Comment         string   `json:"comment,omitempty"`
	PrivateZone     bool     `json:"privateZone,omitempty"`
	DelegationSetID string   `json:"delegationSetId,omitempty"` // bare "N…" when the zone uses a reusable set
	NameServers     []string `json:"nameServers"`               // without trailing dots, as the API lists them
	CreatedAt       string   `json:"createdAt,omitempty"`       // RFC 3339 with milliseconds, UTC
}

// RRSet is one resource record set, identified by (Name, Type, SetIdentifier).
//
// Pointer fields are optional: nil means the client did not send the element.
// Name is stored in canonical form; Values are stored exactly as supplied.
type RRSet struct {
	Name                    string                `json:"name"`
	Type                    string                `json:"type"`
	SetIdentifier           string                `json:"setIdentifier,omitempty"`
	Weight                  *int64                `json:"weight,omitempty"`
	Region                  string                `json:"region,omitempty"`
	GeoLocation             *GeoLocation          `json:"geoLocation,omitempty"`
	Failover                string                `json:"failover,omitempty"`
	MultiValueAnswer        *bool                 `json:"multiValueAnswer,omitempty"`
	TTL                     *int64                `json:"ttl,omitempty"`
	Values                  []string              `json:"values,omitempty"`
	AliasTarget             *AliasTarget          `json:"aliasTarget,omitempty"`
	HealthCheckID           string                `json:"healthCheckId,omitempty"`
	TrafficPolicyInstanceID string                `json:"trafficPolicyInstanceId,omitempty"`
	CidrRoutingConfig       *CidrRoutingConfig    `json:"cidrRoutingConfig,omitempty"`
	GeoProximityLocation    *GeoProximityLocation `json:"geoProximityLocation,omitempty"`
}

// GeoLocation selects clients by continent, country and subdivision.
// CountryCode "*" is the default location.
type GeoLocation struct {
	ContinentCode   string `json:"continentCode,omitempty"`
	CountryCode     string `json:"countryCode,omitempty"`
	SubdivisionCode string `json:"subdivisionCode,omitempty"`
}

// AliasTarget points an alias record set at another record set or AWS resource.
// DNSName is kept as supplied; comparisons use its canonical form.
type AliasTarget struct {
	HostedZoneID         string `json:"hostedZoneId"`
	DNSName              string `json:"dnsName"`
	EvaluateTargetHealth bool   `json:"evaluateTargetHealth"`
}

// CidrRoutingConfig ties an IP-based record set to a CIDR collection location.
type CidrRoutingConfig struct {
	CollectionID string `json:"collectionId"`
	LocationName string `json:"locationName"`
}

// GeoProximityLocation places a geoproximity record set. Exactly one of
// AWSRegion, LocalZoneGroup or Coordinates is set. Latitude and Longitude are
// kept as the decimal strings the API carries.
type GeoProximityLocation struct {
	AWSRegion      string       `json:"awsRegion,omitempty"`
	LocalZoneGroup string       `json:"localZoneGroup,omitempty"`
	Coordinates    *Coordinates `json:"coordinates,omitempty"`
	Bias           *int64       `json:"bias,omitempty"`
}

// Coordinates are a latitude and longitude as decimal strings.
type Coordinates struct {
	Latitude  string `json:"latitude"`
	Longitude string `json:"longitude"`
}

// Action is what a Change does: CREATE, DELETE or UPSERT.
type Action string

// The three change actions.
const (
	ActionCreate Action = "CREATE"
	ActionDelete Action = "DELETE"
	ActionUpsert Action = "UPSERT"
)

// Change is one element of a change batch.
type Change struct {
	Action Action `json:"action"`
	RRSet  RRSet  `json:"rrset"`
}

// ChangeBatch is the body of ChangeResourceRecordSets.
type ChangeBatch struct {
	Comment string   `json:"comment,omitempty"`
	Changes []Change `json:"changes"`
}

// Key identifies a record set within a zone.
type Key struct {
	Name          string // canonical
	Type          string
	SetIdentifier string
}

// Key returns the record set's identity.
func (r *RRSet) Key() Key {
	return Key{Name: r.Name, Type: r.Type, SetIdentifier: r.SetIdentifier}
}

// IsAlias reports whether the record set is an alias.
func (r *RRSet) IsAlias() bool { return r.AliasTarget != nil }
