package snapshot

import "github.com/miekg/dns"

// Zone is one compiled hosted zone: a map from lowercase wire-format owner
// name to node, with empty non-terminals materialised, delegation points
// marked and every (node, type) precompiled into a Plan. It is immutable.
type Zone struct {
	id        string
	name      string // canonical (Route 53) form
	createdAt string
	apexKey   string // lowercase wire form of the name
	nodes     map[string]*Node
	apex      *Node
	negSOA    *dns.SOA // the apex SOA with TTL = min(SOA TTL, MINIMUM), nil when missing
	// negSOAWire is negSOA pre-packed like Member.Wire.
	negSOAWire []byte
	apexLen    int // labels in the zone name
	problems   []string
}

// ID returns the hosted zone ID.
func (z *Zone) ID() string { return z.id }

// Name returns the zone name in canonical Route 53 form.
func (z *Zone) Name() string { return z.name }

// Apex returns the apex node.
func (z *Zone) Apex() *Node { return z.apex }

// Problems lists what could not be compiled or will not be served: values
// that failed to parse, record sets outside the zone, routing policies and
// alias targets that are not served yet.
func (z *Zone) Problems() []string { return z.problems }

// NegativeSOA returns the apex SOA record with its TTL lowered to the
// negative-caching TTL min(SOA TTL, SOA MINIMUM) (RFC 2308), for the
// Authority section of NXDOMAIN and NODATA answers; nil when the zone has no
// valid SOA.
func (z *Zone) NegativeSOA() *dns.SOA { return z.negSOA }

// NegativeTTL returns the negative-caching TTL, or 0 without an SOA.
func (z *Zone) NegativeTTL() uint32 {
	if z.negSOA == nil {
		return 0
	}
	return z.negSOA.Hdr.Ttl
}

// ApexNS returns the plan of the apex NS record set, or nil.
func (z *Zone) ApexNS() *Plan { return z.apex.Plan(dns.TypeNS) }

// Node returns the node with the given lowercase wire-format name, or nil.
func (z *Zone) Node(wire []byte) *Node { return z.nodes[string(wire)] }

// NodeCount returns the number of nodes, empty non-terminals included.
func (z *Zone) NodeCount() int { return len(z.nodes) }

// NegativeSOAWire returns NegativeSOA pre-packed like Member.Wire (owner a
// compression pointer to patch), or nil.
func (z *Zone) NegativeSOAWire() []byte { return z.negSOAWire }

// ApexLabels returns the number of labels in the zone name.
func (z *Zone) ApexLabels() int { return z.apexLen }
