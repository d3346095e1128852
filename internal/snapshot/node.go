package snapshot

import "github.com/miekg/dns"

// Node is one owner name of a compiled zone: its plans (one per type), or
// none for an empty non-terminal. Nodes are immutable once published.
type Node struct {
	name  string // miekg/dns presentation form, lowercase, fully qualified
	plans []Plan // sorted by Type
	cut   *Node  // highest delegation point at or above this node, below the apex
}

// Name returns the node's owner name in miekg/dns presentation form.
func (n *Node) Name() string { return n.name }

// Empty reports whether the node is an empty non-terminal (no record sets).
func (n *Node) Empty() bool { return len(n.plans) == 0 }

// Plans returns the node's plans, ordered by type.
func (n *Node) Plans() []Plan { return n.plans }

// Plan returns the node's plan for type t, or nil.
func (n *Node) Plan(t uint16) *Plan {
	for i := range n.plans {
		if n.plans[i].Type == t {
			return &n.plans[i]
		}
		if n.plans[i].Type > t {
			break
		}
	}
	return nil
}

// Cut returns the highest delegation point (a node with NS records below the
// apex) at or above this node, or nil. Data at or below a cut is not
// authoritative; only glue is served from it.
func (n *Node) Cut() *Node { return n.cut }

// IsCut reports whether the node is itself a delegation point.
func (n *Node) IsCut() bool { return n.cut == n }

// anyPlan chooses the one record set answered for a query of type ANY (RFC
// 8482): A, then AAAA, then the lowest type, skipping plans that cannot be
// served. It returns nil when no plan can be served.
func (n *Node) anyPlan() *Plan {
	for _, t := range [...]uint16{dns.TypeA, dns.TypeAAAA} {
		if p := n.Plan(t); p != nil && p.Unserved == "" {
			return p
		}
	}
	for i := range n.plans {
		if n.plans[i].Unserved == "" {
			return &n.plans[i]
		}
	}
	return nil
}
