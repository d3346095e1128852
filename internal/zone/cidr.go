package zone

// CidrCollection is a Route 53 CIDR collection: named locations, each a list
// of CIDR blocks, that IP-based record sets refer to. Location "*" is never
// stored; it is the default that IP-based record sets may name.
type CidrCollection struct {
	ID              string              `json:"id"` // UUID
	Name            string              `json:"name"`
	CallerReference string              `json:"callerReference"`
	Version         int64               `json:"version"`
	Locations       map[string][]string `json:"locations"` // location name → CIDR blocks in canonical form
}
