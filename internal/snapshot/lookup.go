package snapshot

import "github.com/miekg/dns"

// Kind classifies the outcome of a lookup.
type Kind uint8

// Lookup outcomes.
const (
	// KindRefused: no zone in the snapshot contains the name.
	KindRefused Kind = iota
	// KindAnswer: Plan answers the query. It is the CNAME plan when the
	// node holds a CNAME and another type was asked.
	KindAnswer
	// KindNoData: the name exists (possibly as an empty non-terminal) but
	// has no record set of the type.
	KindNoData
	// KindNXDomain: the name does not exist and no wildcard covers it.
	KindNXDomain
	// KindReferral: the name is at or below a delegation point (Cut).
	KindReferral
	// KindMinimalANY: a query of type ANY at a name whose record sets cannot
	// be served; answer with a synthesized HINFO (RFC 8482).
	KindMinimalANY
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindRefused:
		return "refused"
	case KindAnswer:
		return "answer"
	case KindNoData:
		return "nodata"
	case KindNXDomain:
		return "nxdomain"
	case KindReferral:
		return "referral"
	case KindMinimalANY:
		return "minimal-any"
	}
	return "unknown"
}

// Result is the outcome of a lookup: which zone, which node and which plan
// answer, with no per-query allocation.
type Result struct {
	Kind Kind
	Zone *Zone
	// Node is the node that supplies the answer: the node named by the
	// query, or the wildcard node when Wildcard is set. Nil for NXDOMAIN,
	// referrals and refusals.
	Node *Node
	// QNode is the node whose name equals the query name, when there is one
	// (even an occluded or empty one); records owned by it take the query
	// name's spelling.
	QNode *Node
	Plan  *Plan
	// Cut is the delegation point of a referral.
	Cut *Node
	// Wildcard reports that the answer is synthesized from a wildcard
	// (RFC 4592); its owner name is the query name.
	Wildcard bool
}

// Lookup finds the answer for (name, qtype): the zone with the longest
// matching suffix, the closest encloser, delegation points, wildcards and
// the plan for the type. It does not allocate.
func (s *Snapshot) Lookup(q *WireName, qtype uint16) Result {
	var z *Zone
	zi := -1
	for i := max(0, q.nl-s.maxApexLabels); i <= q.nl; i++ {
		cand := s.byName[string(q.suffix(i))]
		if cand == nil {
			continue
		}
		if z == nil {
			z, zi = cand, i
			if qtype == dns.TypeDS && i == 0 {
				continue // DS at an apex belongs to the parent zone, if served
			}
			break
		}
		z, zi = cand, i
		break
	}
	if z == nil {
		return Result{Kind: KindRefused}
	}
	res := Result{Zone: z}

	// Closest encloser: the longest existing name at or above the query
	// name. The apex always exists, so the loop finds one.
	var enc *Node
	ei := zi
	for i := 0; i <= zi; i++ {
		if n := z.nodes[string(q.suffix(i))]; n != nil {
			enc, ei = n, i
			break
		}
	}
	if enc == nil {
		enc, ei = z.apex, zi
	}
	if ei == 0 {
		res.QNode = enc
	}

	if enc.cut != nil {
		if qtype == dns.TypeDS && ei == 0 && enc.cut == enc {
			// DS at a delegation point is parent-side data.
			res.Node = enc
			if res.Plan = enc.Plan(dns.TypeDS); res.Plan == nil {
				res.Kind = KindNoData
			} else {
				res.Kind = KindAnswer
			}
			return res
		}
		res.Kind, res.Cut = KindReferral, enc.cut
		return res
	}

	node := enc
	if ei != 0 {
		// RFC 4592: the source of synthesis is "*." + closest encloser.
		var wb [maxWireLen]byte
		wb[0], wb[1] = 1, '*'
		n := copy(wb[2:], q.suffix(ei))
		w := z.nodes[string(wb[:2+n])]
		if w == nil {
			res.Kind = KindNXDomain
			return res
		}
		if w.cut != nil {
			res.Kind, res.Cut = KindReferral, w.cut
			return res
		}
		node, res.Wildcard = w, true
	}
	res.Node = node
	return node.answer(res, qtype)
}

// answer completes res for a query of qtype at node.
func (n *Node) answer(res Result, qtype uint16) Result {
	if qtype == dns.TypeANY {
		if n.Empty() {
			res.Kind = KindNoData
			return res
		}
		if res.Plan = n.anyPlan(); res.Plan == nil {
			res.Kind = KindMinimalANY
		} else {
			res.Kind = KindAnswer
		}
		return res
	}
	if qtype != dns.TypeCNAME {
		if p := n.Plan(dns.TypeCNAME); p != nil {
			res.Kind, res.Plan = KindAnswer, p
			return res
		}
	}
	if res.Plan = n.Plan(qtype); res.Plan == nil {
		res.Kind = KindNoData
	} else {
		res.Kind = KindAnswer
	}
	return res
}
