package dnsserver

import (
	"encoding/binary"
	"net/netip"

	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/miekg/dns"
)

// packBufSize is the size of the per-reader buffer responses are packed
// into: the largest DNS message plus one spare byte miekg/dns asks for.
const packBufSize = maxTCPSize + 1

// answerPacket answers one raw query packet. It returns the response bytes
// (in out when they fit) or nil when nothing must be sent: packets shorter
// than a header, and responses (QR=1), which are dropped rather than
// answered with FORMERR so that two servers can never bounce errors at each
// other. Resolve itself answers a response message with FORMERR.
func answerPacket(snap *snapshot.Snapshot, env *routing.Env, pkt []byte, client netip.Addr, udp bool, out []byte) []byte {
	if len(pkt) < headerLen || pkt[2]&0x80 != 0 {
		return nil
	}
	if resp, ok := fastAnswer(snap, env, pkt, client, udp, out); ok {
		return resp
	}
	return answerFull(snap, env, pkt, client, udp, out)
}

// answerFull answers a packet through the full path: unpack, Resolve, pack.
func answerFull(snap *snapshot.Snapshot, env *routing.Env, pkt []byte, client netip.Addr, udp bool, out []byte) []byte {
	if len(pkt) < headerLen || pkt[2]&0x80 != 0 {
		return nil
	}
	req := new(dns.Msg)
	if err := req.Unpack(pkt); err != nil {
		return formErr(pkt, req, out)
	}
	a := resolve(snap, env, req, client, !rawECSValid(pkt), nil)
	limit := maxTCPSize
	if udp {
		limit = udpLimit(a.edns)
	}
	var packed []byte
	a.fit(func(m *dns.Msg) bool {
		b, err := m.PackBuffer(out)
		if err != nil {
			packed = nil
			return false
		}
		packed = b
		return len(b) <= limit
	})
	if a.resp.Truncated || packed == nil {
		b, err := a.resp.PackBuffer(out)
		if err != nil || len(b) > limit {
			return headerOnly(pkt, dns.RcodeServerFailure, out)
		}
		packed = b
	}
	return packed
}

// formErr answers a packet that does not unpack with FORMERR, keeping the
// question when it was read and adding an OPT record when the query had one
// (a malformed client-subnet option, for example, fails unpacking).
func formErr(pkt []byte, partial *dns.Msg, out []byte) []byte {
	m := &dns.Msg{}
	m.Id = binary.BigEndian.Uint16(pkt)
	m.Response = true
	m.Opcode = int(pkt[2]>>3) & 0x0F
	m.RecursionDesired = pkt[2]&0x01 != 0
	m.Rcode = dns.RcodeFormatError
	if len(partial.Question) == 1 && binary.BigEndian.Uint16(pkt[4:]) == 1 {
		m.Question = partial.Question
	}
	if _, ok := rawOPT(pkt); ok {
		m.Extra = []dns.RR{responseOPT(ednsInfo{opt: &dns.OPT{}})}
	}
	b, err := m.PackBuffer(out)
	if err != nil {
		return headerOnly(pkt, dns.RcodeFormatError, out)
	}
	return b
}

// headerOnly writes a response that is just a header: the query's ID,
// opcode and RD bit, QR=1, the given rcode and no records.
func headerOnly(pkt []byte, rcode int, out []byte) []byte {
	if len(pkt) < headerLen {
		return nil
	}
	if cap(out) < headerLen {
		out = make([]byte, headerLen)
	}
	out = out[:headerLen]
	clear(out)
	out[0], out[1] = pkt[0], pkt[1]
	out[2] = 0x80 | pkt[2]&0x79 // QR, opcode, RD
	out[3] = byte(rcode & 0x0F)
	return out
}
