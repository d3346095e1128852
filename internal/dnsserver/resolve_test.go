package dnsserver

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

var testClient = netip.MustParseAddr("192.0.2.200")

var testPrefix = netip.PrefixFrom(testClient, 32)

func TestResolveEdgeCases(t *testing.T) {
	snap := fixtureSnapshot(t)
	query := func(name string, qtype uint16) *dns.Msg {
		m := new(dns.Msg)
		m.SetQuestion(name, qtype)
		return m
	}
	response := query("www.example.com.", dns.TypeA)
	response.Response = true
	badVers := query("www.example.com.", dns.TypeA)
	badVers.SetEdns0(1232, false)
	badVers.IsEdns0().SetVersion(2)

	tests := []struct {
		name   string
		snap   *snapshot.Snapshot
		req    *dns.Msg
		proto  string
		rcode  int
		tc     bool
		answer int
	}{
		{"nil request", snap, nil, "udp", dns.RcodeFormatError, false, 0},
		{"response message", snap, response, "udp", dns.RcodeFormatError, false, 0},
		{"BADVERS", snap, badVers, "udp", dns.RcodeBadVers, false, 0},
		{"nil snapshot refuses", nil, query("www.example.com.", dns.TypeA), "udp", dns.RcodeRefused, false, 0},
		{"UDP truncates without EDNS", snap, query("big.example.com.", dns.TypeTXT), "udp", dns.RcodeSuccess, true, 0},
		{"proto is case-insensitive", snap, query("big.example.com.", dns.TypeTXT), "UDP", dns.RcodeSuccess, true, 0},
		{"TCP does not", snap, query("big.example.com.", dns.TypeTXT), "tcp", dns.RcodeSuccess, false, 12},
		{"answers", snap, query("www.example.com.", dns.TypeA), "udp", dns.RcodeSuccess, false, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Resolve(tc.snap, nil, tc.req, testClient, tc.proto)
			if r == nil || !r.Response {
				t.Fatalf("no response message: %v", r)
			}
			if r.Rcode != tc.rcode || r.Truncated != tc.tc || len(r.Answer) != tc.answer {
				t.Errorf("rcode %s tc %v answers %d, want %s %v %d", dns.RcodeToString[r.Rcode], r.Truncated, len(r.Answer),
					dns.RcodeToString[tc.rcode], tc.tc, tc.answer)
			}
			if _, err := r.Pack(); err != nil {
				t.Errorf("response does not pack: %v", err)
			}
		})
	}
}

func TestResolveDoesNotModifySnapshot(t *testing.T) {
	snap := fixtureSnapshot(t)
	m := new(dns.Msg)
	m.SetQuestion("WWW.EXAMPLE.COM.", dns.TypeA)
	for range 5 {
		r := Resolve(snap, nil, m, testClient, "udp")
		for _, rr := range r.Answer {
			if rr.Header().Name != "WWW.EXAMPLE.COM." {
				t.Fatalf("owner %q", rr.Header().Name)
			}
		}
	}
	m.SetQuestion("www.example.com.", dns.TypeA)
	r := Resolve(snap, nil, m, testClient, "udp")
	for _, rr := range r.Answer {
		if rr.Header().Name != "www.example.com." {
			t.Fatalf("snapshot record renamed to %q", rr.Header().Name)
		}
	}
}

func TestServerFollowsHolder(t *testing.T) {
	h := snapshot.NewHolder()
	s := New(Config{Addr: "127.0.0.1:0", Sockets: 1, Logger: quietLogger()}, h)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	}()
	m := new(dns.Msg)
	m.SetQuestion("www.example.com.", dns.TypeA)
	if r := exchange(t, "udp", s.UDPAddr().String(), m); r.Rcode != dns.RcodeRefused {
		t.Fatalf("empty snapshot: %s", dns.RcodeToString[r.Rcode])
	}
	h.Store(fixtureSnapshot(t))
	if r := exchange(t, "udp", s.UDPAddr().String(), m); r.Rcode != dns.RcodeSuccess || len(r.Answer) != 3 {
		t.Fatalf("after Store: %s, %d answers", dns.RcodeToString[r.Rcode], len(r.Answer))
	}
	ttl := int64(30)
	next, err := h.Load().With(2, []snapshot.ZoneData{{
		Zone: zone.HostedZone{ID: "ZEX", Name: "example.com."},
		RRSets: []zone.RRSet{
			{Name: "example.com.", Type: "SOA", TTL: &ttl, Values: []string{"ns. host. 1 2 3 4 5"}},
			{Name: "www.example.com.", Type: "A", TTL: &ttl, Values: []string{"192.0.2.77"}},
		},
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.Store(next)
	r := exchange(t, "udp", s.UDPAddr().String(), m)
	if len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != "192.0.2.77" {
		t.Fatalf("after update: %v", r.Answer)
	}
}
