package dnsserver

import (
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// testCase is one query and the response it must get, in the style of
// CoreDNS's test.Case. Record lists are compared as sets.
type testCase struct {
	name   string
	qname  string
	qtype  uint16
	rcode  int
	aa     bool
	answer []string
	ns     []string
	extra  []string
}

var apexNS = []string{
	"example.com. 172800 IN NS ns-1.awsdns-00.com.",
	"example.com. 172800 IN NS ns-600.awsdns-11.net.",
}

const negSOA = "example.com. 900 IN SOA ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"

var cases = []testCase{
	{name: "simple A, apex NS in authority", qname: "www.example.com.", qtype: dns.TypeA, aa: true,
		answer: []string{"www.example.com. 300 IN A 192.0.2.1", "www.example.com. 300 IN A 192.0.2.2", "www.example.com. 300 IN A 192.0.2.3"},
		ns:     apexNS},
	{name: "AAAA", qname: "www.example.com.", qtype: dns.TypeAAAA, aa: true,
		answer: []string{"www.example.com. 300 IN AAAA 2001:db8::1"}, ns: apexNS},
	{name: "NODATA with negative-TTL SOA", qname: "www.example.com.", qtype: dns.TypeMX, aa: true, ns: []string{negSOA}},
	{name: "NXDOMAIN with SOA", qname: "nope.example.com.", qtype: dns.TypeA, rcode: dns.RcodeNameError, aa: true, ns: []string{negSOA}},
	{name: "empty non-terminal is NODATA", qname: "b.example.com.", qtype: dns.TypeA, aa: true, ns: []string{negSOA}},
	{name: "below empty non-terminal is NXDOMAIN", qname: "x.b.example.com.", qtype: dns.TypeA, rcode: dns.RcodeNameError, aa: true, ns: []string{negSOA}},
	{name: "wildcard synthesizes under the query name", qname: "host.wild.example.com.", qtype: dns.TypeA, aa: true,
		answer: []string{"host.wild.example.com. 60 IN A 10.0.0.1"}, ns: apexNS},
	{name: "wildcard two labels down", qname: "a.host.wild.example.com.", qtype: dns.TypeA, aa: true,
		answer: []string{"a.host.wild.example.com. 60 IN A 10.0.0.1"}, ns: apexNS},
	{name: "wildcard NODATA", qname: "host.wild.example.com.", qtype: dns.TypeTXT, aa: true, ns: []string{negSOA}},
	{name: "wildcard parent is ENT", qname: "wild.example.com.", qtype: dns.TypeA, aa: true, ns: []string{negSOA}},
	{name: "CNAME for A, target addresses in additional", qname: "cname.example.com.", qtype: dns.TypeA, aa: true,
		answer: []string{"cname.example.com. 300 IN CNAME www.example.com."}, ns: apexNS,
		extra: []string{"www.example.com. 300 IN A 192.0.2.1", "www.example.com. 300 IN A 192.0.2.2", "www.example.com. 300 IN A 192.0.2.3", "www.example.com. 300 IN AAAA 2001:db8::1"}},
	{name: "CNAME for any other type", qname: "cname.example.com.", qtype: dns.TypeTXT, aa: true,
		answer: []string{"cname.example.com. 300 IN CNAME www.example.com."}, ns: apexNS,
		extra: []string{"www.example.com. 300 IN A 192.0.2.1", "www.example.com. 300 IN A 192.0.2.2", "www.example.com. 300 IN A 192.0.2.3", "www.example.com. 300 IN AAAA 2001:db8::1"}},
	{name: "CNAME out of zone, nothing chased", qname: "ext.example.com.", qtype: dns.TypeA, aa: true,
		answer: []string{"ext.example.com. 300 IN CNAME www.example.net."}, ns: apexNS},
	{name: "MX with additional", qname: "example.com.", qtype: dns.TypeMX, aa: true,
		answer: []string{"example.com. 300 IN MX 10 mail.example.com."}, ns: apexNS,
		extra: []string{"mail.example.com. 300 IN A 192.0.2.25"}},
	{name: "SRV with additional", qname: "_sip._tcp.example.com.", qtype: dns.TypeSRV, aa: true,
		answer: []string{"_sip._tcp.example.com. 300 IN SRV 1 1 5060 mail.example.com."}, ns: apexNS,
		extra: []string{"mail.example.com. 300 IN A 192.0.2.25"}},
	{name: "apex NS answer has no authority copy", qname: "example.com.", qtype: dns.TypeNS, aa: true, answer: apexNS},
	{name: "apex SOA", qname: "example.com.", qtype: dns.TypeSOA, aa: true,
		answer: []string{"example.com. 900 IN SOA ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}, ns: apexNS},
	{name: "in-zone alias at apex answers under its own name", qname: "example.com.", qtype: dns.TypeA, aa: true,
		answer: []string{"example.com. 300 IN A 192.0.2.1", "example.com. 300 IN A 192.0.2.2", "example.com. 300 IN A 192.0.2.3"}, ns: apexNS},
	{name: "alias resolves only for its own type", qname: "example.com.", qtype: dns.TypeAAAA, aa: true, ns: []string{negSOA}},
	{name: "referral at zone cut", qname: "sub.example.com.", qtype: dns.TypeA,
		ns:    []string{"sub.example.com. 3600 IN NS ns1.sub.example.com.", "sub.example.com. 3600 IN NS ns.example.net."},
		extra: []string{"ns1.sub.example.com. 3600 IN A 192.0.2.53"}},
	{name: "referral below zone cut, occluded data hidden", qname: "www.sub.example.com.", qtype: dns.TypeA,
		ns:    []string{"sub.example.com. 3600 IN NS ns1.sub.example.com.", "sub.example.com. 3600 IN NS ns.example.net."},
		extra: []string{"ns1.sub.example.com. 3600 IN A 192.0.2.53"}},
	{name: "DS at the cut answered from the parent", qname: "sub.example.com.", qtype: dns.TypeDS, aa: true,
		answer: []string{"sub.example.com. 3600 IN DS 12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE58D6A6F2B5F11C6A0E6A4B1C"}, ns: apexNS},
	{name: "longest-suffix zone", qname: "www.sub2.example.com.", qtype: dns.TypeA, aa: true,
		answer: []string{"www.sub2.example.com. 300 IN A 203.0.113.7"}, ns: []string{"sub2.example.com. 172800 IN NS ns-2.awsdns-00.com."}},
	{name: "child zone negative TTL is min(SOA TTL, MINIMUM)", qname: "nope.sub2.example.com.", qtype: dns.TypeA, rcode: dns.RcodeNameError, aa: true,
		ns: []string{"sub2.example.com. 300 IN SOA ns-2.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 300"}},
	{name: "outside our zones", qname: "example.org.", qtype: dns.TypeA, rcode: dns.RcodeRefused},
	{name: "weighted, weight 0 never beside weight 1", qname: "w.example.com.", qtype: dns.TypeA, aa: true,
		answer: []string{"w.example.com. 60 IN A 192.0.2.101"}, ns: apexNS},
	{name: "latency, client of unknown latency: SetIdentifier order", qname: "lat.example.com.", qtype: dns.TypeA, aa: true,
		answer: []string{"lat.example.com. 60 IN A 192.0.2.113"}, ns: apexNS},
	{name: "IP-based without its CIDR collection", qname: "ipx.example.com.", qtype: dns.TypeA, rcode: dns.RcodeServerFailure},
	{name: "geolocation with no record for the client: no answer", qname: "geonodef.example.com.", qtype: dns.TypeA, aa: true, ns: []string{negSOA}},
	{name: "alias to another zone not served yet", qname: "cf.example.com.", qtype: dns.TypeA, rcode: dns.RcodeServerFailure},
	{name: "ANY returns one rrset", qname: "www.example.com.", qtype: dns.TypeANY, aa: true,
		answer: []string{"www.example.com. 300 IN A 192.0.2.1", "www.example.com. 300 IN A 192.0.2.2", "www.example.com. 300 IN A 192.0.2.3"}, ns: apexNS},
	{name: "ANY without servable rrset synthesizes HINFO", qname: "ipx.example.com.", qtype: dns.TypeANY, aa: true,
		answer: []string{`ipx.example.com. 900 IN HINFO "RFC8482" ""`}, ns: apexNS},
}

func exchange(t *testing.T, net, addr string, m *dns.Msg) *dns.Msg {
	t.Helper()
	c := &dns.Client{Net: net, Timeout: 3 * time.Second, UDPSize: 65535}
	r, _, err := c.Exchange(m, addr)
	if err != nil {
		t.Fatalf("%s exchange: %v", net, err)
	}
	return r
}

func TestServerCases(t *testing.T) {
	s := startServer(t)
	for _, proto := range []string{"udp", "tcp"} {
		addr := s.UDPAddr().String()
		if proto == "tcp" {
			addr = s.TCPAddr().String()
		}
		for _, tc := range cases {
			t.Run(proto+"/"+tc.name, func(t *testing.T) {
				m := new(dns.Msg)
				m.SetQuestion(tc.qname, tc.qtype)
				r := exchange(t, proto, addr, m)
				checkResponse(t, m, r, tc)
			})
		}
	}
}

func checkResponse(t *testing.T, q, r *dns.Msg, tc testCase) {
	t.Helper()
	if r.Id != q.Id || !r.Response || r.Opcode != dns.OpcodeQuery {
		t.Errorf("header id=%d response=%v opcode=%d", r.Id, r.Response, r.Opcode)
	}
	if r.Rcode != tc.rcode {
		t.Errorf("rcode = %s, want %s", dns.RcodeToString[r.Rcode], dns.RcodeToString[tc.rcode])
	}
	if r.Authoritative != tc.aa {
		t.Errorf("AA = %v, want %v", r.Authoritative, tc.aa)
	}
	if r.RecursionAvailable {
		t.Errorf("RA = 1")
	}
	if r.RecursionDesired != q.RecursionDesired {
		t.Errorf("RD not copied")
	}
	if r.Truncated {
		t.Errorf("TC = 1")
	}
	if len(r.Question) != 1 || r.Question[0] != q.Question[0] {
		t.Errorf("question = %v, want %v", r.Question, q.Question)
	}
	for _, sec := range []struct {
		name      string
		got, want []string
	}{
		{"answer", normalize(r.Answer), expect(t, tc.answer)},
		{"authority", normalize(r.Ns), expect(t, tc.ns)},
		{"additional", normalize(r.Extra), expect(t, tc.extra)},
	} {
		if !slices.Equal(sec.got, sec.want) {
			t.Errorf("%s:\n got %q\nwant %q", sec.name, sec.got, sec.want)
		}
	}
}

func TestServerPreservesQueryNameCase(t *testing.T) {
	s := startServer(t)
	tests := []struct {
		qname      string
		qtype      uint16
		ownersSame bool // every answer owner equals the query name
		authority  string
	}{
		{"WwW.ExAmPlE.cOm.", dns.TypeA, true, "example.com."},
		{"HoSt.WiLd.ExAmPlE.CoM.", dns.TypeA, true, "example.com."},
		{"ExAmPlE.CoM.", dns.TypeA, true, "ExAmPlE.CoM."},
		{"ExAmPlE.CoM.", dns.TypeTXT, true, "ExAmPlE.CoM."}, // NODATA: SOA owner is the query name
		{"CnAmE.eXaMpLe.CoM.", dns.TypeA, true, "example.com."},
	}
	for _, tc := range tests {
		m := new(dns.Msg)
		m.SetQuestion(tc.qname, tc.qtype)
		r := exchange(t, "udp", s.UDPAddr().String(), m)
		if r.Question[0].Name != tc.qname {
			t.Errorf("%s: question name %q", tc.qname, r.Question[0].Name)
		}
		for _, rr := range r.Answer {
			if rr.Header().Name != tc.qname {
				t.Errorf("%s: answer owner %q", tc.qname, rr.Header().Name)
			}
		}
		// Names other than the query name may take its spelling too (the
		// fast path compresses them against the question); compare them
		// case-insensitively, and the query name itself exactly.
		if len(r.Ns) == 0 || !strings.EqualFold(r.Ns[0].Header().Name, tc.authority) ||
			(strings.EqualFold(tc.authority, tc.qname) && r.Ns[0].Header().Name != tc.qname) {
			t.Errorf("%s: authority %v, want owner %q", tc.qname, r.Ns, tc.authority)
		}
	}
}

func TestServerRandomizesOrder(t *testing.T) {
	s := startServer(t)
	orders := map[string]bool{}
	for range 60 {
		m := new(dns.Msg)
		m.SetQuestion("www.example.com.", dns.TypeA)
		r := exchange(t, "udp", s.UDPAddr().String(), m)
		var vals []string
		for _, rr := range r.Answer {
			vals = append(vals, rr.(*dns.A).A.String())
		}
		orders[strings.Join(vals, ",")] = true
	}
	if len(orders) < 2 {
		t.Errorf("60 answers all in one order: %v", orders)
	}
}

func TestServerProtocolErrors(t *testing.T) {
	s := startServer(t)
	addr := s.UDPAddr().String()
	tests := []struct {
		name  string
		build func() *dns.Msg
		proto string
		rcode int
	}{
		{"class CH refused", func() *dns.Msg {
			m := new(dns.Msg)
			m.SetQuestion("version.bind.", dns.TypeTXT)
			m.Question[0].Qclass = dns.ClassCHAOS
			return m
		}, "udp", dns.RcodeRefused},
		{"class CH in our zone refused", func() *dns.Msg {
			m := new(dns.Msg)
			m.SetQuestion("www.example.com.", dns.TypeA)
			m.Question[0].Qclass = dns.ClassCHAOS
			return m
		}, "udp", dns.RcodeRefused},
		{"AXFR refused", func() *dns.Msg {
			m := new(dns.Msg)
			m.SetAxfr("example.com.")
			return m
		}, "tcp", dns.RcodeRefused},
		{"IXFR refused", func() *dns.Msg {
			m := new(dns.Msg)
			m.SetQuestion("example.com.", dns.TypeIXFR)
			return m
		}, "udp", dns.RcodeRefused},
		{"NOTIFY not implemented", func() *dns.Msg {
			m := new(dns.Msg)
			m.SetNotify("example.com.")
			return m
		}, "udp", dns.RcodeNotImplemented},
		{"UPDATE not implemented", func() *dns.Msg {
			m := new(dns.Msg)
			m.SetUpdate("example.com.")
			return m
		}, "udp", dns.RcodeNotImplemented},
		{"no question", func() *dns.Msg {
			m := new(dns.Msg)
			m.Id = dns.Id()
			return m
		}, "udp", dns.RcodeFormatError},
		{"two questions", func() *dns.Msg {
			m := new(dns.Msg)
			m.SetQuestion("www.example.com.", dns.TypeA)
			m.Question = append(m.Question, m.Question[0])
			return m
		}, "udp", dns.RcodeFormatError},
		{"answer section in query", func() *dns.Msg {
			m := new(dns.Msg)
			m.SetQuestion("www.example.com.", dns.TypeA)
			rr, _ := dns.NewRR("www.example.com. 60 IN A 192.0.2.1")
			m.Answer = []dns.RR{rr}
			return m
		}, "udp", dns.RcodeFormatError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := addr
			if tc.proto == "tcp" {
				a = s.TCPAddr().String()
			}
			m := tc.build()
			r := exchange(t, tc.proto, a, m)
			if r.Rcode != tc.rcode || r.Id != m.Id || !r.Response || r.Authoritative || len(r.Answer) != 0 {
				t.Errorf("rcode %s aa=%v answers=%d, want %s", dns.RcodeToString[r.Rcode], r.Authoritative, len(r.Answer), dns.RcodeToString[tc.rcode])
			}
		})
	}
}

// rawExchange sends raw bytes over UDP and returns the reply, or nil on
// timeout.
func rawExchange(t *testing.T, addr string, pkt []byte) []byte {
	t.Helper()
	c, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(pkt); err != nil {
		t.Fatal(err)
	}
	if err := c.SetReadDeadline(time.Now().Add(300 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 65535)
	n, err := c.Read(buf)
	if err != nil {
		return nil
	}
	return buf[:n]
}

func TestServerRawPackets(t *testing.T) {
	s := startServer(t)
	addr := s.UDPAddr().String()
	query := new(dns.Msg)
	query.SetQuestion("www.example.com.", dns.TypeA)
	good, err := query.Pack()
	if err != nil {
		t.Fatal(err)
	}
	response := append([]byte(nil), good...)
	response[2] |= 0x80
	garbage := append([]byte(nil), good[:headerLen]...)
	garbage = append(garbage, 0xC0, 0xFF, 0x00) // dangling pointer in the question
	truncatedQ := good[:len(good)-3]

	tests := []struct {
		name  string
		pkt   []byte
		reply bool
		rcode int
	}{
		{"short packet dropped", good[:5], false, 0},
		{"response dropped", response, false, 0},
		{"garbage gets FORMERR", garbage, true, dns.RcodeFormatError},
		{"cut-off question gets FORMERR", truncatedQ, true, dns.RcodeFormatError},
		{"good query answered", good, true, dns.RcodeSuccess},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := rawExchange(t, addr, tc.pkt)
			if (b != nil) != tc.reply {
				t.Fatalf("reply = %v, want %v", b != nil, tc.reply)
			}
			if b == nil {
				return
			}
			r := new(dns.Msg)
			if err := r.Unpack(b); err != nil {
				t.Fatalf("unpack reply: %v", err)
			}
			if r.Rcode != tc.rcode || r.Id != query.Id || !r.Response {
				t.Errorf("rcode %s id %d", dns.RcodeToString[r.Rcode], r.Id)
			}
		})
	}
}

func TestServerConcurrentSocketsShareAPort(t *testing.T) {
	s := startServer(t)
	u := s.UDPAddr().(*net.UDPAddr)
	tc := s.TCPAddr().(*net.TCPAddr)
	if u.Port == 0 || u.Port != tc.Port {
		t.Fatalf("udp %v tcp %v", u, tc)
	}
	if len(s.udp) != 2 {
		t.Fatalf("%d UDP sockets, want 2", len(s.udp))
	}
	for _, c := range s.udp {
		if c.LocalAddr().(*net.UDPAddr).Port != u.Port {
			t.Errorf("socket on port %d, want %d", c.LocalAddr().(*net.UDPAddr).Port, u.Port)
		}
	}
	// Many sources spread over the sockets; every query is answered.
	for i := range 40 {
		m := new(dns.Msg)
		m.SetQuestion("www.example.com.", dns.TypeA)
		if r := exchange(t, "udp", u.String(), m); r.Rcode != dns.RcodeSuccess {
			t.Fatalf("query %d: %s", i, dns.RcodeToString[r.Rcode])
		}
	}
}

func TestServerTCPPipelining(t *testing.T) {
	s := startServer(t)
	conn, err := dns.Dial("tcp", s.TCPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	names := []string{"www.example.com.", "mail.example.com.", "nope.example.com."}
	var ids []uint16
	for _, n := range names {
		m := new(dns.Msg)
		m.SetQuestion(n, dns.TypeA)
		ids = append(ids, m.Id)
		if err := conn.WriteMsg(m); err != nil {
			t.Fatal(err)
		}
	}
	for i := range names {
		if err := conn.SetReadDeadline(time.Now().Add(3 * time.Second)); err != nil {
			t.Fatal(err)
		}
		r, err := conn.ReadMsg()
		if err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
		if r.Id != ids[i] || r.Question[0].Name != names[i] {
			t.Errorf("reply %d: id %d question %v", i, r.Id, r.Question)
		}
	}
}

func TestServerStartErrors(t *testing.T) {
	h := fixtureHolder(t)
	s := New(Config{Addr: "not-an-address", Logger: quietLogger()}, h)
	if err := s.Start(); err == nil {
		t.Errorf("bad address accepted")
	}
	s1 := startServer(t)
	if err := s1.Start(); err == nil {
		t.Errorf("second Start accepted")
	}
}
