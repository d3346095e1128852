package control

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// gaZoneName is the zone that accelerators' DNS names live in.
const gaZoneName = globalaccel.DNSSuffix + "."

// gaTTL is the TTL of accelerator address records.
const gaTTL = 300

// loadGAZone synthesizes the awsglobalaccelerator.com zone Meridian serves
// for its accelerators: every accelerator's DNS name (and dual-stack name)
// with its static addresses, under the Route 53 hosted zone ID that aliases
// to accelerators name. found is false when there are no accelerators.
func loadGAZone(tx store.ReadTx) (zd snapshot.ZoneData, found bool, err error) {
	accs, err := LoadAccelerators(tx)
	if err != nil || len(accs) == 0 {
		return snapshot.ZoneData{}, false, err
	}
	hz := zone.HostedZone{
		ID:          globalaccel.HostedZoneID,
		Name:        gaZoneName,
		NameServers: zone.DefaultNameServers(seedOf(globalaccel.HostedZoneID)),
		CreatedAt:   "0000-00-00T00:00:00.000Z", // before any user zone of the same name
	}
	rrsets := zone.DefaultRecordSets(&hz, DefaultHostmaster)
	for _, a := range accs {
		for name, addrs := range a.DNSRecords() {
			var v4, v6 []string
			for _, ip := range addrs {
				if ip.Is4() {
					v4 = append(v4, ip.String())
				} else {
					v6 = append(v6, ip.String())
				}
			}
			canonical, err := zone.CanonicalName(strings.ToLower(name))
			if err != nil {
				continue
			}
			for _, set := range []struct {
				typ    string
				values []string
			}{{"A", v4}, {"AAAA", v6}} {
				if len(set.values) == 0 {
					continue
				}
				ttl := int64(gaTTL)
				rrsets = append(rrsets, zone.RRSet{Name: canonical, Type: set.typ, TTL: &ttl, Values: set.values})
			}
		}
	}
	sort.Slice(rrsets, func(i, j int) bool { return zone.CompareKeys(rrsets[i].Key(), rrsets[j].Key()) < 0 })
	return snapshot.ZoneData{Zone: hz, RRSets: rrsets}, true, nil
}

// gaAliasTTL is the TTL of answers to aliases that target an accelerator,
// as Route 53 uses a resource's own TTL for aliases to AWS resources (spec
// 2.7: a configurable default of 60 s for external targets).
const gaAliasTTL = 60

// resolveGAAliases answers alias record sets that target an accelerator
// (AliasTarget.HostedZoneId Z2BJ6XQ5FK7U4H) with the accelerator's static
// addresses: each becomes a record set of its own name, type and routing
// fields holding those addresses. Aliases to unknown accelerators, or of a
// type the accelerator has no address for, stay aliases (unserved).
func resolveGAAliases(rrsets []zone.RRSet, records map[string][]netip.Addr) {
	for i := range rrsets {
		rs := &rrsets[i]
		if rs.AliasTarget == nil || rs.AliasTarget.HostedZoneID != globalaccel.HostedZoneID {
			continue
		}
		name := strings.TrimSuffix(strings.ToLower(rs.AliasTarget.DNSName), ".")
		var values []string
		for _, ip := range records[name] {
			if (rs.Type == "A" && ip.Is4()) || (rs.Type == "AAAA" && ip.Is6()) {
				values = append(values, ip.String())
			}
		}
		if len(values) == 0 {
			continue
		}
		ttl := int64(gaAliasTTL)
		rs.AliasTarget, rs.TTL, rs.Values = nil, &ttl, values
	}
}

// gaRecords returns every accelerator's DNS names and addresses.
func gaRecords(tx store.ReadTx) (map[string][]netip.Addr, error) {
	accs, err := LoadAccelerators(tx)
	if err != nil {
		return nil, err
	}
	out := map[string][]netip.Addr{}
	for _, a := range accs {
		for name, addrs := range a.DNSRecords() {
			out[name] = addrs
		}
	}
	return out, nil
}

// hasGAAlias reports whether any record set aliases an accelerator.
func hasGAAlias(rrsets []zone.RRSet) bool {
	for i := range rrsets {
		if a := rrsets[i].AliasTarget; a != nil && a.HostedZoneID == globalaccel.HostedZoneID {
			return true
		}
	}
	return false
}
