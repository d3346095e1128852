package dnsserver

import (
	"net"
	"testing"

	"github.com/miekg/dns"
)

func TestServerTruncation(t *testing.T) {
	s := startServer(t)
	tests := []struct {
		name      string
		qname     string
		proto     string
		bufsize   uint16 // 0 = no EDNS
		tc        bool
		answers   int
		authority int
		extra     int // excluding OPT
	}{
		{"512 without EDNS", "big.example.com.", "udp", 0, true, 0, 0, 0},
		{"fits the advertised size", "big.example.com.", "udp", 1232, false, 12, 2, 0},
		{"advertised size below 512 counts as 512", "big.example.com.", "udp", 100, true, 0, 0, 0},
		{"never more than 4096 over UDP", "huge.example.com.", "udp", 65000, true, 0, 0, 0},
		{"TCP carries it all", "huge.example.com.", "tcp", 0, false, 30, 2, 0},
		{"optional additional dropped, no TC", "tomany.example.com.", "udp", 0, false, 1, 2, 0},
		{"additional kept when it fits", "tomany.example.com.", "udp", 4096, false, 1, 2, 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := new(dns.Msg)
			m.SetQuestion(tc.qname, dns.TypeTXT)
			if tc.qname == "tomany.example.com." {
				m.SetQuestion(tc.qname, dns.TypeA)
			}
			if tc.bufsize != 0 {
				m.SetEdns0(tc.bufsize, false)
			}
			addr := s.UDPAddr().String()
			if tc.proto == "tcp" {
				addr = s.TCPAddr().String()
			}
			r := exchange(t, tc.proto, addr, m)
			extra := len(normalize(r.Extra))
			if r.Truncated != tc.tc || len(r.Answer) != tc.answers || len(r.Ns) != tc.authority || extra != tc.extra {
				t.Errorf("tc=%v answers=%d authority=%d extra=%d, want tc=%v %d %d %d",
					r.Truncated, len(r.Answer), len(r.Ns), extra, tc.tc, tc.answers, tc.authority, tc.extra)
			}
			if len(r.Question) != 1 || r.Question[0].Name != tc.qname {
				t.Errorf("question %v", r.Question)
			}
			if (tc.bufsize != 0) != (r.IsEdns0() != nil) {
				t.Errorf("OPT present = %v", r.IsEdns0() != nil)
			}
		})
	}
}

// ecsOption builds a client-subnet option.
func ecsOption(family uint16, addr string, source, scope uint8) *dns.EDNS0_SUBNET {
	return &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: family, SourceNetmask: source, SourceScope: scope, Address: net.ParseIP(addr)}
}

func TestServerEDNS(t *testing.T) {
	s := startServer(t)
	tests := []struct {
		name    string
		version uint8
		do      bool
		options []dns.EDNS0
		twoOPT  bool
		rcode   int
		echo    *dns.EDNS0_SUBNET // expected ECS in the response
	}{
		{name: "plain EDNS", rcode: dns.RcodeSuccess},
		{name: "DO bit copied", do: true, rcode: dns.RcodeSuccess},
		{name: "BADVERS for version 1", version: 1, rcode: dns.RcodeBadVers},
		{name: "two OPT records", twoOPT: true, rcode: dns.RcodeFormatError},
		{name: "ECS IPv4 echoed with scope 0", options: []dns.EDNS0{ecsOption(1, "203.0.113.0", 24, 0)},
			rcode: dns.RcodeSuccess, echo: ecsOption(1, "203.0.113.0", 24, 0)},
		{name: "ECS IPv6 echoed with scope 0", options: []dns.EDNS0{ecsOption(2, "2001:db8:abcd::", 48, 0)},
			rcode: dns.RcodeSuccess, echo: ecsOption(2, "2001:db8:abcd::", 48, 0)},
		{name: "ECS source 0 echoed", options: []dns.EDNS0{ecsOption(1, "0.0.0.0", 0, 0)},
			rcode: dns.RcodeSuccess, echo: ecsOption(1, "0.0.0.0", 0, 0)},
		{name: "ECS scope set in query", options: []dns.EDNS0{ecsOption(1, "203.0.113.0", 24, 8)}, rcode: dns.RcodeFormatError},
		// Raw options: miekg/dns masks the address of an EDNS0_SUBNET when packing.
		{name: "ECS address bits beyond prefix", options: []dns.EDNS0{&dns.EDNS0_LOCAL{Code: dns.EDNS0SUBNET, Data: []byte{0, 1, 23, 0, 203, 0, 113}}}, rcode: dns.RcodeFormatError},
		{name: "ECS IPv6 bits beyond prefix", options: []dns.EDNS0{&dns.EDNS0_LOCAL{Code: dns.EDNS0SUBNET, Data: []byte{0, 2, 60, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x0f}}}, rcode: dns.RcodeFormatError},
		{name: "ECS unknown family", options: []dns.EDNS0{&dns.EDNS0_LOCAL{Code: dns.EDNS0SUBNET, Data: []byte{0, 3, 8, 0, 1}}}, rcode: dns.RcodeFormatError},
		{name: "ECS prefix longer than the family", options: []dns.EDNS0{&dns.EDNS0_LOCAL{Code: dns.EDNS0SUBNET, Data: []byte{0, 1, 33, 0, 1, 2, 3, 4, 5}}}, rcode: dns.RcodeFormatError},
		{name: "ECS raw exact octets accepted", options: []dns.EDNS0{&dns.EDNS0_LOCAL{Code: dns.EDNS0SUBNET, Data: []byte{0, 1, 23, 0, 203, 0, 112}}},
			rcode: dns.RcodeSuccess, echo: ecsOption(1, "203.0.112.0", 23, 0)},
		{name: "two ECS options", options: []dns.EDNS0{ecsOption(1, "203.0.113.0", 24, 0), ecsOption(1, "198.51.100.0", 24, 0)}, rcode: dns.RcodeFormatError},
		{name: "ECS with too many address octets", options: []dns.EDNS0{&dns.EDNS0_LOCAL{Code: dns.EDNS0SUBNET, Data: []byte{0, 1, 24, 0, 203, 0, 113, 0}}}, rcode: dns.RcodeFormatError},
		{name: "ECS with too few address octets", options: []dns.EDNS0{&dns.EDNS0_LOCAL{Code: dns.EDNS0SUBNET, Data: []byte{0, 1, 24, 0, 203, 0}}}, rcode: dns.RcodeFormatError},
		{name: "unknown option ignored", options: []dns.EDNS0{&dns.EDNS0_LOCAL{Code: 65001, Data: []byte{1, 2}}}, rcode: dns.RcodeSuccess},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := new(dns.Msg)
			m.SetQuestion("www.example.com.", dns.TypeA)
			m.SetEdns0(1232, tc.do)
			opt := m.IsEdns0()
			opt.SetVersion(tc.version)
			opt.Option = tc.options
			if tc.twoOPT {
				second := *opt
				m.Extra = append(m.Extra, &second)
			}
			r := exchange(t, "udp", s.UDPAddr().String(), m)
			if r.Rcode != tc.rcode {
				t.Fatalf("rcode %s, want %s", dns.RcodeToString[r.Rcode], dns.RcodeToString[tc.rcode])
			}
			ropt := r.IsEdns0()
			if ropt == nil {
				t.Fatalf("no OPT in the response")
			}
			if ropt.UDPSize() != maxUDPSize || ropt.Version() != 0 || ropt.Do() != tc.do {
				t.Errorf("OPT size=%d version=%d do=%v", ropt.UDPSize(), ropt.Version(), ropt.Do())
			}
			if tc.rcode == dns.RcodeSuccess && len(r.Answer) != 3 {
				t.Errorf("%d answers", len(r.Answer))
			}
			if tc.rcode != dns.RcodeSuccess && len(r.Answer) != 0 {
				t.Errorf("error response with answers")
			}
			var got *dns.EDNS0_SUBNET
			for _, o := range ropt.Option {
				if e, ok := o.(*dns.EDNS0_SUBNET); ok {
					got = e
				}
			}
			switch {
			case tc.echo == nil && got != nil:
				t.Errorf("unexpected ECS %v", got)
			case tc.echo != nil && got == nil:
				t.Errorf("ECS not echoed")
			case tc.echo != nil:
				if got.Family != tc.echo.Family || got.SourceNetmask != tc.echo.SourceNetmask || got.SourceScope != 0 || !got.Address.Equal(tc.echo.Address) {
					t.Errorf("ECS echoed as %v, want %v", got, tc.echo)
				}
			}
		})
	}
}
