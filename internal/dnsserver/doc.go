// Package dnsserver is Meridian's authoritative DNS server: UDP and TCP
// listeners (several SO_REUSEPORT UDP sockets, one reader each) in front of
// Resolve, the pure answer engine over a compiled snapshot.
//
// Answers follow spec section 2.1: AA=1 for zone data and RA=0; REFUSED
// outside every served zone, for classes other than IN and for AXFR/IXFR;
// NOTIMP for opcodes other than QUERY; FORMERR for malformed queries (not
// exactly one question, records in the answer or authority section, a
// response message, more than one OPT record, a malformed client-subnet
// option); BADVERS for EDNS versions above 0. NXDOMAIN and NODATA carry the
// zone SOA with TTL min(SOA TTL, MINIMUM); positive answers carry the apex NS
// in Authority and in-zone A/AAAA of MX, SRV, NS and CNAME targets in
// Additional; CNAMEs are never chased; referrals (AA=0) carry the delegation
// NS and in-zone glue; DS at a cut is answered from the parent side. ANY gets
// one record set, or a synthesized HINFO "RFC8482" (RFC 8482). Record order
// within a record set is random. The query name is echoed byte for byte, and
// records owned by it take its spelling (0x20 randomisation survives).
//
// Routing policies (weighted, failover, multivalue, latency, geolocation,
// geoproximity, IP-based, and alias trees of them) are chosen by package
// routing for the client: the subnet of the query's client-subnet option
// (RFC 7871) when its source prefix is nonzero, else the resolver's
// address, with the locator, latency map, region catalog and health checks
// of the Config's Env.
//
// EDNS0: the response OPT advertises 4096 bytes and copies the DO bit. UDP
// answers are limited to 512 bytes without EDNS, else to the requester's size
// (at least 512) capped to 4096; what does not fit loses its Additional
// records, then the Authority of positive answers, and otherwise is sent as
// header and question only with TC=1. A client-subnet option is echoed with
// its family, address and source prefix, and a scope prefix that is 0 when
// the answer did not depend on the client and otherwise the longest prefix
// of the location, latency and CIDR table entries the decision consulted
// (docs/ecs.md).
//
// On the network, packets with QR=1 are dropped instead of answered with
// FORMERR (Resolve does answer them), so that two servers never bounce
// errors at each other. Plain queries (one IN question, at most an OPT record
// without options or with one client-subnet option) take a fast path that
// routes and writes pre-packed records, Additional addresses included, with
// no allocation; everything else goes through Resolve.
//
// Each UDP socket has one reader. On Linux it takes up to Config.UDPBatch
// queued datagrams with one recvmmsg, answers each into its own buffer and
// sends the answers with one sendmmsg (udpbatch_linux.go); elsewhere it
// reads and answers one packet at a time. The sockets ask for
// Config.UDPBuffer bytes of receive and send buffer, so that bursts wait in
// the kernel instead of being dropped.
package dnsserver
