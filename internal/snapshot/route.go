package snapshot

import "github.com/meridian-gtm/meridian/internal/zone"

// routeData is the compiled data of a weighted, failover, latency,
// geolocation, geoproximity or IP-based plan. Member indexes are -1 when
// absent.
type routeData struct {
	primary, secondary int         // failover
	china              int         // latency: the member in cn-north-1
	geo                *GeoIndex   // geolocation
	prox               []Proximity // geoproximity, one per member
	cidr               *CidrTable  // IP-based
	weights            weightTable // weighted, when a weight is positive
}

// MaxGroupMembers is the most record sets a routing-policy group may hold to
// be served; Route 53 allows 100 (spec 2.4), so only a corrupt store reaches
// it. Routing keeps per-member state in fixed arrays of this size.
const MaxGroupMembers = 256

// ChinaRegion is the latency region whose record answers clients located in
// China whatever the latency (spec 2.6).
const ChinaRegion = "cn-north-1"

// Owner returns the plan's owner name in miekg/dns presentation form.
func (p *Plan) Owner() string { return p.node.name }

// AlwaysHealthy reports that health checks cannot affect the plan: no member
// has a health check, and neither has any member of a group reached through
// an alias with EvaluateTargetHealth.
func (p *Plan) AlwaysHealthy() bool { return p.alwaysHealthy }

// WeightTotal returns the sum of the positive weights of a weighted plan, 0
// when every weight is 0 (or the plan is not weighted).
func (p *Plan) WeightTotal() uint64 {
	if p.route == nil {
		return 0
	}
	return p.route.weights.total
}

// WeightedMember maps r, uniform in [0, WeightTotal()), to a member index in
// proportion to the members' weights.
func (p *Plan) WeightedMember(r uint64) int {
	t := &p.route.weights
	lo, hi := 0, len(t.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if r < t.cum[mid] {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return t.index[lo]
}

// Failover returns the member indexes of the PRIMARY and SECONDARY record
// sets of a failover plan, -1 for a side that is absent.
func (p *Plan) Failover() (primary, secondary int) {
	if p.route == nil {
		return -1, -1
	}
	return p.route.primary, p.route.secondary
}

// ChinaMember returns the index of a latency plan's cn-north-1 member, or -1.
func (p *Plan) ChinaMember() int {
	if p.route == nil {
		return -1
	}
	return p.route.china
}

// Geo returns the location index of a geolocation plan, nil for others.
func (p *Plan) Geo() *GeoIndex {
	if p.route == nil {
		return nil
	}
	return p.route.geo
}

// Proximity returns where geoproximity member i is placed.
func (p *Plan) Proximity(i int) Proximity {
	if p.route == nil || i < 0 || i >= len(p.route.prox) {
		return Proximity{}
	}
	return p.route.prox[i]
}

// Cidr returns the prefix table of an IP-based plan, nil for others.
func (p *Plan) Cidr() *CidrTable {
	if p.route == nil {
		return nil
	}
	return p.route.cidr
}

// GeoIndex finds the geolocation members for a location: by US state (or
// any subdivision), country, continent, and the default location "*".
// Countries and continents are array-indexed so that matching a client
// costs no map lookup unless the group has subdivision records.
type GeoIndex struct {
	country     [countrySlots]uint16 // member+1 by countryIndex, 0 none
	continent   [len(continentCodes)]uint16
	subdivision map[geoKey]int
	def         int
	located     int // records with a location other than the default
}

type geoKey struct{ country, subdivision string }

// countrySlots indexes two-letter country codes.
const countrySlots = 26 * 26

// continentCodes are the Route 53 continent codes.
var continentCodes = [...]string{"AF", "AN", "AS", "EU", "NA", "OC", "SA"}

// countryContinent is the Route 53 country→continent table (spec 8.2) by
// countryIndex: continent index + 1, 0 for codes not in the table.
var countryContinent = func() (t [countrySlots]uint8) {
	for i := range t {
		cc := string([]byte{byte('A' + i/26), byte('A' + i%26)})
		if c, ok := zone.CountryContinent(cc); ok {
			t[i] = uint8(continentIndex(c) + 1)
		}
	}
	return t
}()

// countryIndex maps a two-letter upper-case code to 0..675, else -1.
func countryIndex(cc string) int {
	if len(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' {
		return -1
	}
	return int(cc[0]-'A')*26 + int(cc[1]-'A')
}

// continentIndex maps a continent code to its index in continentCodes, else
// -1.
func continentIndex(c string) int {
	for i, x := range continentCodes {
		if x == c {
			return i
		}
	}
	return -1
}

// Match returns the members for a client location, -1 where the group has
// none: its subdivision's, its country's, its continent's and the default.
// The continent comes from the Route 53 country→continent table (spec 8.2)
// when the country is in it, else from continent (the locator's). It does
// not allocate.
func (g *GeoIndex) Match(country, subdivision, continent string) (sub, cty, cont, def int) {
	if g == nil {
		return -1, -1, -1, -1
	}
	sub, cty, cont, def = -1, -1, -1, g.def
	ci := countryIndex(country)
	k := -1
	if ci >= 0 {
		cty = int(g.country[ci]) - 1
		k = int(countryContinent[ci]) - 1
	}
	if k < 0 {
		k = continentIndex(continent)
	}
	if k >= 0 {
		cont = int(g.continent[k]) - 1
	}
	if subdivision != "" && len(g.subdivision) > 0 {
		if i, ok := g.subdivision[geoKey{country, subdivision}]; ok {
			sub = i
		}
	}
	return sub, cty, cont, def
}

// Default returns the member for the default location "*", or -1.
func (g *GeoIndex) Default() int {
	if g == nil {
		return -1
	}
	return g.def
}

// OnlyDefault reports whether the default location is the only one, so
// that the answer does not depend on where the client is.
func (g *GeoIndex) OnlyDefault() bool { return g != nil && g.located == 0 }

// Proximity places a geoproximity record set: either explicit coordinates,
// or the coordinates of an AWS region looked up at query time (AWSRegion,
// or the region a LocalZoneGroup belongs to).
type Proximity struct {
	// Region is the region whose coordinates place the record, "" when the
	// record has explicit Coordinates.
	Region string
	// Latitude and Longitude are the explicit coordinates when HasCoords.
	Latitude, Longitude float64
	HasCoords           bool
	// Bias is the record's bias, -99..99 (0 when absent).
	Bias float64
}
