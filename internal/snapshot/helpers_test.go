package snapshot

import (
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// rrset builds a simple record set.
func rrset(name, typ string, ttl int64, values ...string) zone.RRSet {
	return zone.RRSet{Name: name, Type: typ, TTL: &ttl, Values: values}
}

// weighted builds a weighted record set.
func weighted(name, typ, id string, w int64, values ...string) zone.RRSet {
	r := rrset(name, typ, 60, values...)
	r.SetIdentifier, r.Weight = id, &w
	return r
}

// alias builds an alias record set.
func alias(name, typ, zoneID, target string) zone.RRSet {
	return zone.RRSet{Name: name, Type: typ, AliasTarget: &zone.AliasTarget{HostedZoneID: zoneID, DNSName: target}}
}

// zoneData builds a zone with Route 53's default SOA and NS plus rrsets.
func zoneData(id, name, created string, rrsets ...zone.RRSet) ZoneData {
	all := []zone.RRSet{
		rrset(name, "SOA", 900, "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"),
		rrset(name, "NS", 172800, "ns-1.awsdns-00.com.", "ns-600.awsdns-11.net."),
	}
	return ZoneData{
		Zone:   zone.HostedZone{ID: id, Name: name, CreatedAt: created},
		RRSets: append(all, rrsets...),
	}
}

// mustBuild builds a snapshot or fails the test.
func mustBuild(t testing.TB, zones ...ZoneData) *Snapshot {
	t.Helper()
	s, err := Build(1, zones, nil)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return s
}

// lookup parses name and looks it up.
func lookup(t testing.TB, s *Snapshot, name string, qtype uint16) Result {
	t.Helper()
	var w WireName
	if !w.SetPresentation(name) {
		t.Fatalf("bad name %q", name)
	}
	return s.Lookup(&w, qtype)
}
