package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// recordSet is one record set read from a master file, ready for Route 53.
type recordSet struct {
	Name   string // canonical Route 53 form
	Type   string
	TTL    uint32 // the smallest TTL among the set's records
	Values []string
}

// importPlan is a master file grouped into Route 53 record sets, with what
// was left out and why.
type importPlan struct {
	Sets        []recordSet
	Records     int            // records kept, duplicates excluded
	ApexSOA     int            // apex SOA records skipped: Route 53 owns them
	ApexNS      int            // apex NS records skipped: Route 53 owns them
	Duplicates  int            // records repeated within their set
	MixedTTL    int            // sets whose records had different TTLs
	Unsupported map[string]int // records of types Route 53 does not store, by type
}

// parseZoneFile reads a BIND master file ($ORIGIN, $TTL, relative names, @,
// parenthesised multi-line records) and groups its records by (name, type).
// origin is the initial $ORIGIN; zoneName is the hosted zone's canonical name.
// Every record must lie inside the zone. The apex SOA and NS are counted and
// skipped; records of types Route 53 lacks are counted and skipped.
func parseZoneFile(r io.Reader, filename, origin, zoneName string) (*importPlan, error) {
	zoneLabels, err := zone.ParseName(zoneName)
	if err != nil {
		return nil, fmt.Errorf("zone name %q: %w", zoneName, err)
	}
	plan := &importPlan{Unsupported: map[string]int{}}
	index := map[string]int{} // name + " " + type → position in plan.Sets
	seen := map[string]bool{} // name + " " + type + " " + value
	mixed := map[int]bool{}   // sets already counted in MixedTTL

	zp := dns.NewZoneParser(r, dns.Fqdn(origin), filename)
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		hdr := rr.Header()
		typ := dns.TypeToString[hdr.Rrtype]
		if hdr.Class != dns.ClassINET {
			return nil, fmt.Errorf("%s %s: only class IN records can be imported, not %s", hdr.Name, typ, dns.ClassToString[hdr.Class])
		}
		labels, err := presentationLabels(hdr.Name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filename, err)
		}
		if !zone.IsSubdomain(labels, zoneLabels) {
			return nil, fmt.Errorf("%s %s is outside the zone %s (check $ORIGIN or --origin)", hdr.Name, typ, zoneName)
		}
		apex := len(labels) == len(zoneLabels)
		switch {
		case typ == "SOA" && apex:
			plan.ApexSOA++
			continue
		case typ == "SOA":
			return nil, fmt.Errorf("%s SOA: a zone has an SOA record only at its apex %s", hdr.Name, zoneName)
		case typ == "NS" && apex:
			plan.ApexNS++
			continue
		case !route53Types[typ]:
			if typ == "" {
				typ = fmt.Sprintf("TYPE%d", hdr.Rrtype)
			}
			plan.Unsupported[typ]++
			continue
		}
		value, err := route53Value(rr)
		if err != nil {
			return nil, err
		}
		name := zone.FormatName(labels)
		key := name + " " + typ
		if seen[key+" "+value] {
			plan.Duplicates++
			continue
		}
		seen[key+" "+value] = true
		plan.Records++
		i, ok := index[key]
		if !ok {
			index[key] = len(plan.Sets)
			plan.Sets = append(plan.Sets, recordSet{Name: name, Type: typ, TTL: hdr.Ttl, Values: []string{value}})
			continue
		}
		set := &plan.Sets[i]
		if hdr.Ttl != set.TTL && !mixed[i] {
			mixed[i] = true
			plan.MixedTTL++
		}
		set.TTL = min(set.TTL, hdr.Ttl)
		set.Values = append(set.Values, value)
	}
	if err := zp.Err(); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", filename, err)
	}
	return plan, nil
}

// notes describes what the plan left out, one line each, for stderr.
func (p *importPlan) notes() []string {
	var out []string
	if p.ApexSOA > 0 || p.ApexNS > 0 {
		out = append(out, fmt.Sprintf("skipped the apex SOA (%s) and NS (%s): Route 53 manages them",
			plural(p.ApexSOA, "record"), plural(p.ApexNS, "record")))
	}
	if len(p.Unsupported) > 0 {
		types := make([]string, 0, len(p.Unsupported))
		for t := range p.Unsupported {
			types = append(types, t)
		}
		sort.Strings(types)
		parts := make([]string, len(types))
		for i, t := range types {
			parts[i] = fmt.Sprintf("%s (%d)", t, p.Unsupported[t])
		}
		out = append(out, "skipped records of types Route 53 does not support: "+strings.Join(parts, ", "))
	}
	if p.Duplicates > 0 {
		out = append(out, fmt.Sprintf("dropped %s repeated within their record set", plural(p.Duplicates, "record")))
	}
	if p.MixedTTL > 0 {
		out = append(out, fmt.Sprintf("%s had records with different TTLs: each uses its smallest TTL", plural(p.MixedTTL, "record set")))
	}
	return out
}

// changes returns one UPSERT per record set.
func (p *importPlan) changes() []types.Change {
	out := make([]types.Change, len(p.Sets))
	for i, s := range p.Sets {
		rrs := make([]types.ResourceRecord, len(s.Values))
		for j, v := range s.Values {
			rrs[j] = types.ResourceRecord{Value: aws.String(v)}
		}
		out[i] = types.Change{
			Action: types.ChangeActionUpsert,
			ResourceRecordSet: &types.ResourceRecordSet{
				Name:            aws.String(s.Name),
				Type:            types.RRType(s.Type),
				TTL:             aws.Int64(int64(s.TTL)),
				ResourceRecords: rrs,
			},
		}
	}
	return out
}

// plural renders "1 record", "3 records", "2 change batches".
func plural(n int, noun string) string {
	switch {
	case n == 1:
		return fmt.Sprintf("%d %s", n, noun)
	case strings.HasSuffix(noun, "ch") || strings.HasSuffix(noun, "s"):
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
