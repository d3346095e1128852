package dnsserver

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

func rrset(name, typ string, ttl int64, values ...string) zone.RRSet {
	return zone.RRSet{Name: name, Type: typ, TTL: &ttl, Values: values}
}

// bigTXT returns n TXT values of size characters each.
func bigTXT(n, size int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(`"%03d%s"`, i, strings.Repeat("x", size-3))
	}
	return out
}

// manyA returns n distinct A values in 198.51.100.0/24.
func manyA(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("198.51.100.%d", i+1)
	}
	return out
}

// fixtureZones is the test world: example.com with every kind of name, and
// a child zone sub2.example.com served from the same server.
func fixtureZones() []snapshot.ZoneData {
	w1, w0 := int64(1), int64(0)
	weightA := rrset("w.example.com.", "A", 60, "192.0.2.101")
	weightA.SetIdentifier, weightA.Weight = "one", &w1
	weightB := rrset("w.example.com.", "A", 60, "192.0.2.102")
	weightB.SetIdentifier, weightB.Weight = "zero", &w0
	ex := snapshot.ZoneData{
		Zone: zone.HostedZone{ID: "ZEX", Name: "example.com.", CreatedAt: "2024-01-01T00:00:00.000Z"},
		RRSets: []zone.RRSet{
			rrset("example.com.", "SOA", 900, "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"),
			rrset("example.com.", "NS", 172800, "ns-1.awsdns-00.com.", "ns-600.awsdns-11.net."),
			rrset("example.com.", "MX", 300, "10 mail.example.com"),
			{Name: "example.com.", Type: "A", AliasTarget: &zone.AliasTarget{HostedZoneID: "ZEX", DNSName: "www.example.com."}},
			rrset("www.example.com.", "A", 300, "192.0.2.1", "192.0.2.2", "192.0.2.3"),
			rrset("www.example.com.", "AAAA", 300, "2001:db8::1"),
			rrset("mail.example.com.", "A", 300, "192.0.2.25"),
			rrset("_sip._tcp.example.com.", "SRV", 300, "1 1 5060 mail.example.com"),
			rrset("cname.example.com.", "CNAME", 300, "www.example.com"),
			rrset("ext.example.com.", "CNAME", 300, "www.example.net"),
			rrset(`\052.wild.example.com.`, "A", 60, "10.0.0.1"),
			rrset("a.b.example.com.", "TXT", 300, `"deep"`),
			rrset("sub.example.com.", "NS", 3600, "ns1.sub.example.com", "ns.example.net"),
			rrset("sub.example.com.", "DS", 3600, "12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE58D6A6F2B5F11C6A0E6A4B1C"),
			rrset("ns1.sub.example.com.", "A", 3600, "192.0.2.53"),
			rrset("www.sub.example.com.", "A", 3600, "192.0.2.99"),
			rrset("big.example.com.", "TXT", 60, bigTXT(12, 60)...),
			rrset("huge.example.com.", "TXT", 60, bigTXT(30, 200)...),
			rrset("manya.example.com.", "A", 60, manyA(40)...),
			rrset("tomany.example.com.", "CNAME", 60, "manya.example.com."),
			weightA, weightB,
			{Name: "cf.example.com.", Type: "A", AliasTarget: &zone.AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d111111abcdef8.cloudfront.net."}},
		},
	}
	ex.RRSets = append(ex.RRSets, routedRRSets()...)
	child := snapshot.ZoneData{
		Zone: zone.HostedZone{ID: "ZSUB2", Name: "sub2.example.com.", CreatedAt: "2024-01-02T00:00:00.000Z"},
		RRSets: []zone.RRSet{
			rrset("sub2.example.com.", "SOA", 600, "ns-2.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 300"),
			rrset("sub2.example.com.", "NS", 172800, "ns-2.awsdns-00.com."),
			rrset("www.sub2.example.com.", "A", 300, "203.0.113.7"),
		},
	}
	return []snapshot.ZoneData{ex, child}
}

func fixtureSnapshot(t testing.TB) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Build(1, fixtureZones(), fixtureCollections())
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return s
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startServer runs a server on 127.0.0.1:0 with the fixture snapshot.
func startServer(t testing.TB) *Server {
	t.Helper()
	h := snapshot.NewHolder()
	h.Store(fixtureSnapshot(t))
	s := New(Config{Addr: "127.0.0.1:0", Sockets: 2, Logger: quietLogger(), Env: routing.NewEnvHolder(testEnv(healthstate.NewHolder()))}, h)
	if err := s.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return s
}

// normalize renders records one per line, sorted, OPT excluded.
func normalize(rrs []dns.RR) []string {
	var out []string
	for _, rr := range rrs {
		if rr.Header().Rrtype == dns.TypeOPT {
			continue
		}
		out = append(out, strings.ReplaceAll(rr.String(), "\t", " "))
	}
	slices.Sort(out)
	return out
}

// expect renders expected records the same way.
func expect(t testing.TB, lines []string) []string {
	t.Helper()
	var rrs []dns.RR
	for _, l := range lines {
		rr, err := dns.NewRR(l)
		if err != nil {
			t.Fatalf("bad expected record %q: %v", l, err)
		}
		rrs = append(rrs, rr)
	}
	return normalize(rrs)
}

func fixtureHolder(t testing.TB) *snapshot.Holder {
	t.Helper()
	h := snapshot.NewHolder()
	h.Store(fixtureSnapshot(t))
	return h
}

// TestMain keeps the snapshot compiler's warnings about the fixture's
// deliberately unserved record sets out of the test output.
func TestMain(m *testing.M) {
	slog.SetDefault(quietLogger())
	os.Exit(m.Run())
}
