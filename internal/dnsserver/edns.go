package dnsserver

import (
	"encoding/binary"
	"net"

	"github.com/miekg/dns"
)

// EDNS limits (spec 2.1): at most 4096 bytes over UDP with EDNS0, 512
// without.
const (
	maxUDPSize    = 4096
	minUDPSize    = 512
	maxTCPSize    = 65535
	optionCodeECS = 8
	familyIPv4    = 1
	familyIPv6    = 2
	headerLen     = 12
)

// ednsInfo is what the query's OPT record asks for.
type ednsInfo struct {
	opt *dns.OPT          // nil without EDNS
	ecs *dns.EDNS0_SUBNET // the client-subnet option, nil when absent
	bad bool              // malformed: more than one OPT, more than one ECS, or a bad ECS
}

// parseEDNS examines the query's additional section.
func parseEDNS(req *dns.Msg) ednsInfo {
	var e ednsInfo
	for _, rr := range req.Extra {
		opt, ok := rr.(*dns.OPT)
		if !ok {
			continue
		}
		if e.opt != nil {
			e.bad = true // RFC 6891 6.1.1: more than one OPT
			return e
		}
		e.opt = opt
	}
	if e.opt == nil {
		return e
	}
	for _, o := range e.opt.Option {
		sub, ok := o.(*dns.EDNS0_SUBNET)
		if !ok {
			continue
		}
		if e.ecs != nil || !validECS(sub) {
			e.bad = true // RFC 7871 7.1.1
			return e
		}
		e.ecs = sub
	}
	return e
}

// validECS checks a parsed client-subnet option against RFC 7871: a known
// family, a source prefix within the family's length, a zero scope prefix in
// queries, and no address bits set beyond the source prefix.
func validECS(e *dns.EDNS0_SUBNET) bool {
	if e.SourceScope != 0 {
		return false
	}
	var addr net.IP
	switch e.Family {
	case 0:
		// dig sends family 0 with a zero prefix for "+subnet=0"; miekg/dns
		// accepts only that form.
		return e.SourceNetmask == 0
	case familyIPv4:
		if e.SourceNetmask > 32 {
			return false
		}
		if addr = e.Address.To4(); addr == nil {
			return false
		}
	case familyIPv6:
		if e.SourceNetmask > 128 {
			return false
		}
		if addr = e.Address.To16(); addr == nil {
			return false
		}
	default:
		return false
	}
	bits := int(e.SourceNetmask)
	for i, b := range addr {
		switch {
		case bits >= 8*(i+1):
			continue
		case bits <= 8*i:
			if b != 0 {
				return false
			}
		default:
			if b&(0xff>>(bits-8*i)) != 0 {
				return false
			}
		}
	}
	return true
}

// echoECS returns the client-subnet option for the response: same family,
// source prefix and address, scope 0 until the answer is routed (resolve
// sets the scope the decision supports).
func echoECS(e *dns.EDNS0_SUBNET) *dns.EDNS0_SUBNET {
	return &dns.EDNS0_SUBNET{
		Code:          dns.EDNS0SUBNET,
		Family:        e.Family,
		SourceNetmask: e.SourceNetmask,
		SourceScope:   0,
		Address:       e.Address,
	}
}

// responseOPT builds the OPT record of a response: our UDP payload size,
// version 0, the DO bit copied, and the ECS option echoed when asked.
func responseOPT(e ednsInfo) *dns.OPT {
	o := &dns.OPT{Hdr: dns.RR_Header{Name: ".", Rrtype: dns.TypeOPT}}
	o.SetUDPSize(maxUDPSize)
	if e.opt.Do() {
		o.SetDo()
	}
	if e.ecs != nil {
		o.Option = []dns.EDNS0{echoECS(e.ecs)}
	}
	return o
}

// udpLimit is the largest UDP response the requester accepts: 512 without
// EDNS, else its advertised size (at least 512) capped to 4096.
func udpLimit(e ednsInfo) int {
	if e.opt == nil {
		return minUDPSize
	}
	return min(max(int(e.opt.UDPSize()), minUDPSize), maxUDPSize)
}

// rawECSValid checks what miekg/dns cannot see after unpacking: that every
// client-subnet option in the packet's OPT record carries exactly as many
// address octets as its source prefix needs (RFC 7871 6). Packets it cannot
// walk are left to the unpacker.
func rawECSValid(pkt []byte) bool {
	rd, found := rawOPT(pkt)
	return !found || optionsECSLengthsOK(rd)
}

// rawOPT finds the first OPT record in the additional section of a raw
// message and returns its RDATA. It reports false when there is none or the
// message cannot be walked.
func rawOPT(pkt []byte) ([]byte, bool) {
	if len(pkt) < headerLen {
		return nil, false
	}
	qd := int(binary.BigEndian.Uint16(pkt[4:]))
	an := int(binary.BigEndian.Uint16(pkt[6:]))
	ns := int(binary.BigEndian.Uint16(pkt[8:]))
	ar := int(binary.BigEndian.Uint16(pkt[10:]))
	off := headerLen
	var ok bool
	for range qd {
		if off, ok = skipName(pkt, off); !ok || off+4 > len(pkt) {
			return nil, false
		}
		off += 4
	}
	for i := 0; i < an+ns+ar; i++ {
		if off, ok = skipName(pkt, off); !ok || off+10 > len(pkt) {
			return nil, false
		}
		rtype := binary.BigEndian.Uint16(pkt[off:])
		rdlen := int(binary.BigEndian.Uint16(pkt[off+8:]))
		off += 10
		if off+rdlen > len(pkt) {
			return nil, false
		}
		if i >= an+ns && rtype == dns.TypeOPT {
			return pkt[off : off+rdlen], true
		}
		off += rdlen
	}
	return nil, false
}

// optionsECSLengthsOK walks EDNS options and checks client-subnet lengths.
func optionsECSLengthsOK(rd []byte) bool {
	for len(rd) >= 4 {
		code := binary.BigEndian.Uint16(rd)
		olen := int(binary.BigEndian.Uint16(rd[2:]))
		if 4+olen > len(rd) {
			return true // the unpacker rejects it
		}
		if code == optionCodeECS {
			if olen < 4 {
				return false
			}
			src := int(rd[6])
			if olen != 4+(src+7)/8 {
				return false
			}
		}
		rd = rd[4+olen:]
	}
	return true
}

// skipName returns the offset just past the (possibly compressed) name at
// off.
func skipName(pkt []byte, off int) (int, bool) {
	for off < len(pkt) {
		b := pkt[off]
		switch {
		case b == 0:
			return off + 1, true
		case b&0xC0 == 0xC0:
			if off+2 > len(pkt) {
				return 0, false
			}
			return off + 2, true
		case b&0xC0 != 0:
			return 0, false
		default:
			off += 1 + int(b)
		}
	}
	return 0, false
}
