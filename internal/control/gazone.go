package control

import (
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
