package dnsserver

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"

	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/miekg/dns"
)

// fastMaxRRs bounds the records the fast path writes; larger answers take
// the full path.
const fastMaxRRs = 64

// optRecord is the OPT record of a fast-path response without options: root
// owner, type OPT, UDP size 4096, extended rcode 0, version 0; byte 7 holds
// the DO bit.
var optRecord = [11]byte{0, 0, 41, maxUDPSize >> 8, maxUDPSize & 0xff, 0, 0, 0, 0, 0, 0}

// fastAnswer answers the common query straight from pre-packed records,
// without unpacking into a dns.Msg: a plain QUERY with one uncompressed IN
// question of an ordinary type, nothing else but an optional OPT record
// (version 0) without options or with one well-formed client-subnet option.
// It handles positive answers (any routing policy, with the in-zone
// addresses of MX, SRV, NS and CNAME targets in Additional), NODATA,
// NXDOMAIN and REFUSED, when everything fits the size limit.
// Anything else returns ok=false and takes the full path, which gives the
// same answer (names compressed differently).
func fastAnswer(snap *snapshot.Snapshot, env *routing.Env, pkt []byte, client netip.Addr, udp bool, out []byte) ([]byte, bool) {
	if snap == nil || len(pkt) < headerLen+5 || pkt[2]&0xF8 != 0 || pkt[3]&0x0F != 0 {
		return nil, false // a response, another opcode, or an rcode set
	}
	if binary.BigEndian.Uint16(pkt[4:]) != 1 || binary.BigEndian.Uint16(pkt[6:]) != 0 || binary.BigEndian.Uint16(pkt[8:]) != 0 {
		return nil, false
	}
	ar := binary.BigEndian.Uint16(pkt[10:])
	off := headerLen
	for {
		if off >= len(pkt) {
			return nil, false
		}
		l := int(pkt[off])
		if l == 0 {
			off++
			break
		}
		if l > 63 {
			return nil, false // compression pointer or bad label
		}
		off += 1 + l
	}
	qnameEnd := off
	if off+4 > len(pkt) {
		return nil, false
	}
	qtype := binary.BigEndian.Uint16(pkt[off:])
	if binary.BigEndian.Uint16(pkt[off+2:]) != dns.ClassINET || qtype == 0 || (qtype >= 128 && qtype <= 255) {
		return nil, false // meta types (AXFR, IXFR, ANY, ...) take the full path
	}
	off += 4
	limit := maxTCPSize
	if udp {
		limit = minUDPSize
	}
	hasOPT, do := false, false
	var ecs fastECS
	switch ar {
	case 0:
		if off != len(pkt) {
			return nil, false
		}
	case 1:
		if off+11 > len(pkt) || pkt[off] != 0 || binary.BigEndian.Uint16(pkt[off+1:]) != dns.TypeOPT ||
			pkt[off+5] != 0 || pkt[off+6] != 0 {
			return nil, false
		}
		rdlen := int(binary.BigEndian.Uint16(pkt[off+9:]))
		if off+11+rdlen != len(pkt) || (rdlen != 0 && !ecs.parse(pkt[off+11:])) {
			return nil, false
		}
		hasOPT, do = true, pkt[off+7]&0x80 != 0
		if udp {
			limit = min(max(int(binary.BigEndian.Uint16(pkt[off+3:])), minUDPSize), maxUDPSize)
		}
	default:
		return nil, false
	}
	var q snapshot.WireName
	if !q.SetWire(pkt[headerLen:qnameEnd]) {
		return nil, false
	}
	res := snap.Lookup(&q, qtype)
	cp, fromECS := routing.ClientPrefix(client, ecs.prefix())
	rq := routing.NewQuery(env, cp, fromECS, nil)

	w := fastWriter{out: out, limit: limit}
	var rcode byte
	aa := true
	var picked, nsPicked routing.Picked
	var members, nsMembers []*snapshot.Member
	var soa []byte
	switch res.Kind {
	case snapshot.KindAnswer:
		if routing.Pick(&rq, res.Plan, &picked) != routing.OK {
			return nil, false
		}
		members = picked.Members()
		if !(res.Plan.Type == dns.TypeNS && res.Node == res.Zone.Apex() && !res.Wildcard) {
			p := res.Zone.ApexNS()
			if p == nil || routing.Pick(&rq, p, &nsPicked) != routing.OK {
				return nil, false
			}
			nsMembers = nsPicked.Members()
		}
	case snapshot.KindNoData, snapshot.KindNXDomain:
		if soa = res.Zone.NegativeSOAWire(); soa == nil {
			return nil, false
		}
		if res.Kind == snapshot.KindNXDomain {
			rcode = dns.RcodeNameError
		}
	case snapshot.KindRefused:
		aa, rcode = false, dns.RcodeRefused
	default:
		return nil, false
	}

	// Header and question.
	if !w.put(pkt[:2]) {
		return nil, false
	}
	flags := byte(0x80) | pkt[2]&0x01 // QR, RD copied
	if aa {
		flags |= 0x04
	}
	w.byte(flags)
	w.byte(pkt[3]&0x10 | rcode) // CD copied
	w.put([]byte{0, 1, 0, 0, 0, 0, 0, 0})
	if !w.put(pkt[headerLen : qnameEnd+4]) {
		return nil, false
	}
	apexPtr := uint16(0xC000 | (headerLen + q.LabelOffset(q.Labels()-zoneLabels(res.Zone))))
	var an, ns int
	var ok bool
	if an, ok = w.records(members, 0xC00C); !ok {
		return nil, false
	}
	if ns, ok = w.records(nsMembers, apexPtr); !ok {
		return nil, false
	}
	if soa != nil {
		if !w.put(soa) {
			return nil, false
		}
		binary.BigEndian.PutUint16(w.out[w.n-len(soa):], apexPtr)
		ns++
	}
	var extra int
	if extra, ok = w.additional(&rq, members, &res, &q, apexPtr); !ok {
		return nil, false
	}
	if hasOPT {
		start := w.n
		if !w.put(optRecord[:]) {
			return nil, false
		}
		if do {
			w.out[start+7] = 0x80
		}
		if ecs.present {
			var scope uint8
			if fromECS {
				scope = rq.Scope()
			}
			if !ecs.write(&w, scope) {
				return nil, false
			}
			binary.BigEndian.PutUint16(w.out[start+9:], uint16(w.n-start-11))
		}
	}
	binary.BigEndian.PutUint16(w.out[6:], uint16(an))
	binary.BigEndian.PutUint16(w.out[8:], uint16(ns))
	if hasOPT {
		extra++
	}
	binary.BigEndian.PutUint16(w.out[10:], uint16(extra))
	return w.out[:w.n], true
}

// fastECS is a client-subnet option read from a raw query.
type fastECS struct {
	present bool
	family  uint16
	source  uint8
	addr    [16]byte
}

// parse reads OPT RDATA holding exactly one option, a well-formed
// client-subnet option (RFC 7871: known family, source prefix within it, a
// zero scope, exactly the address octets the prefix needs, no bits set past
// it). Anything else reports false and takes the full path.
func (e *fastECS) parse(rd []byte) bool {
	if len(rd) < 8 || binary.BigEndian.Uint16(rd) != optionCodeECS || int(binary.BigEndian.Uint16(rd[2:])) != len(rd)-4 {
		return false
	}
	e.family, e.source = binary.BigEndian.Uint16(rd[4:]), rd[6]
	addr := rd[8:]
	switch {
	case rd[7] != 0:
		return false
	case e.family == familyIPv4 && e.source <= 32:
	case e.family == familyIPv6 && e.source <= 128:
	default:
		return false
	}
	n := (int(e.source) + 7) / 8
	if len(addr) != n {
		return false
	}
	if rem := e.source % 8; n > 0 && rem != 0 && addr[n-1]&(0xFF>>rem) != 0 {
		return false
	}
	copy(e.addr[:], addr)
	e.present = true
	return true
}

// prefix returns the option's subnet, invalid when absent.
func (e *fastECS) prefix() netip.Prefix {
	if !e.present {
		return netip.Prefix{}
	}
	var a netip.Addr
	if e.family == familyIPv4 {
		a = netip.AddrFrom4([4]byte(e.addr[:4]))
	} else {
		a = netip.AddrFrom16(e.addr)
	}
	return netip.PrefixFrom(a, int(e.source))
}

// write appends the option for the response: same family, source prefix
// and address, the given scope.
func (e *fastECS) write(w *fastWriter, scope uint8) bool {
	n := (int(e.source) + 7) / 8
	hdr := [8]byte{0, optionCodeECS, 0, byte(4 + n), byte(e.family >> 8), byte(e.family), e.source, scope}
	return w.put(hdr[:]) && w.put(e.addr[:n])
}

func zoneLabels(z *snapshot.Zone) int {
	if z == nil {
		return 0
	}
	return z.ApexLabels()
}

// fastWriter appends to out up to limit bytes.
type fastWriter struct {
	out   []byte
	n     int
	limit int
}

func (w *fastWriter) put(b []byte) bool {
	if w.n+len(b) > w.limit || w.n+len(b) > len(w.out) {
		return false
	}
	w.n += copy(w.out[w.n:], b)
	return true
}

func (w *fastWriter) byte(b byte) { w.put([]byte{b}) }

// maxAdditionalNodes is how many distinct target nodes the Additional
// section is deduplicated over, as in the full path (answer.positive).
const maxAdditionalNodes = 16

// additional writes, for the chosen members of a positive answer, the A and
// AAAA records of the in-zone nodes their values name (outside delegations),
// each (node, type) in random order, as answer.positive does. It returns
// how many records it wrote.
func (w *fastWriter) additional(rq *routing.Query, members []*snapshot.Member, res *snapshot.Result, q *snapshot.WireName, apexPtr uint16) (int, bool) {
	var seen [maxAdditionalNodes]*snapshot.Node
	nseen, total := 0, 0
	for _, m := range members {
		for _, x := range m.Extra() {
			if x.Cut() != nil || contains(seen[:nseen], x) {
				continue
			}
			if nseen < len(seen) {
				seen[nseen] = x
				nseen++
			}
			owner := ownerRef{ptr: 0xC00C}
			if x != res.QNode {
				owner = ownerRef{node: x, zoneLabels: zoneLabels(res.Zone), apexPtr: apexPtr}
			}
			for _, t := range [...]uint16{dns.TypeA, dns.TypeAAAA} {
				p := x.Plan(t)
				if p == nil {
					continue
				}
				var picked routing.Picked
				if routing.Pick(rq, p, &picked) != routing.OK {
					continue
				}
				n, ok := w.recordsOwned(picked.Members(), &owner)
				if !ok {
					return 0, false
				}
				total += n
			}
		}
	}
	return total, true
}

// ownerRef is the owner name of records written by recordsOwned: either a
// compression pointer, or a node whose name is written once, as its labels
// below the zone apex followed by a pointer to the apex, the first time a
// record needs it (later records point at it).
type ownerRef struct {
	ptr        uint16 // 0 until the name is in the message
	node       *snapshot.Node
	zoneLabels int
	apexPtr    uint16
}

// writeName writes the owner's name and points ptr at it.
func (o *ownerRef) writeName(w *fastWriter) bool {
	var name snapshot.WireName
	if !name.SetPresentation(o.node.Name()) || name.Labels() < o.zoneLabels {
		return false
	}
	start := w.n
	below := name.LabelOffset(name.Labels() - o.zoneLabels)
	if !w.put(name.Bytes()[:below]) || !w.put([]byte{byte(o.apexPtr >> 8), byte(o.apexPtr)}) {
		return false
	}
	if start > 0x3FFF {
		return false // beyond what a compression pointer reaches
	}
	o.ptr = 0xC000 | uint16(start)
	return true
}

// records writes every pre-packed record of members in random order, each
// owner set to the compression pointer ptr, and returns how many it wrote.
func (w *fastWriter) records(members []*snapshot.Member, ptr uint16) (int, bool) {
	return w.recordsOwned(members, &ownerRef{ptr: ptr})
}

// packedRef locates one pre-packed record: its member and its bytes within
// the member's Packed.
type packedRef struct {
	member     uint8
	start, end uint32
}

// recordsOwned writes every pre-packed record of members in random order
// under the owner o, and returns how many it wrote.
func (w *fastWriter) recordsOwned(members []*snapshot.Member, o *ownerRef) (int, bool) {
	// Members are at most routing.MaxMultiValue, records per answer at
	// most fastMaxRRs.
	var refs [fastMaxRRs]packedRef
	n := 0
	for mi, m := range members {
		wire := m.Packed()
		if wire == nil {
			return 0, false
		}
		for off := 0; off < len(wire); n++ {
			if n == fastMaxRRs || off+12 > len(wire) {
				return 0, false
			}
			end := off + 12 + int(binary.BigEndian.Uint16(wire[off+10:]))
			if end > len(wire) {
				return 0, false
			}
			refs[n] = packedRef{member: uint8(mi), start: uint32(off), end: uint32(end)}
			off = end
		}
	}
	for i := n - 1; i > 0; i-- {
		j := rand.IntN(i + 1)
		refs[i], refs[j] = refs[j], refs[i]
	}
	for _, ref := range refs[:n] {
		chunk := members[ref.member].Packed()[ref.start:ref.end]
		if o.ptr == 0 {
			// The first record carries the name itself.
			if !o.writeName(w) || !w.put(chunk[2:]) {
				return 0, false
			}
			continue
		}
		if !w.put(chunk) {
			return 0, false
		}
		binary.BigEndian.PutUint16(w.out[w.n-len(chunk):], o.ptr)
	}
	return n, true
}
