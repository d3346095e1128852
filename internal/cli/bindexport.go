package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// defaultExportTTL is the $TTL written when no record set has a TTL.
const defaultExportTTL = 300

// exportResult is a rendered master file and what it could not express.
type exportResult struct {
	Text      string
	Sets      int // record sets written as records
	Commented int // record sets with a set identifier or alias target, written as comments
	Unparsed  int // values that did not parse as their type, written as comments
}

// renderZoneFile renders a zone's record sets as a BIND master file with
// $ORIGIN and $TTL, owner names relative to the origin where possible. The
// apex SOA and NS come first, the rest in the order given. Record sets that
// BIND cannot express (with a SetIdentifier or an AliasTarget) become comment
// lines describing them, so nothing is silently lost.
func renderZoneFile(ref zoneRef, sets []types.ResourceRecordSet) (*exportResult, error) {
	origin, err := zone.ParseName(ref.Name)
	if err != nil {
		return nil, fmt.Errorf("zone name %q: %w", ref.Name, err)
	}
	type item struct {
		set    types.ResourceRecordSet
		labels []string
	}
	var head, rest []item
	ttlCount := map[int64]int{}
	for _, s := range sets {
		labels, err := zone.ParseName(aws.ToString(s.Name))
		if err != nil {
			return nil, fmt.Errorf("record set %q: %w", aws.ToString(s.Name), err)
		}
		it := item{set: s, labels: labels}
		apex := len(labels) == len(origin) && zone.IsSubdomain(labels, origin)
		if apex && s.SetIdentifier == nil && s.AliasTarget == nil && (s.Type == types.RRTypeSoa || s.Type == types.RRTypeNs) {
			head = append(head, it)
		} else {
			rest = append(rest, it)
		}
		if s.TTL != nil && s.SetIdentifier == nil && s.AliasTarget == nil {
			ttlCount[*s.TTL]++
		}
	}
	// SOA before NS, as a master file begins.
	if len(head) == 2 && head[0].set.Type == types.RRTypeNs {
		head[0], head[1] = head[1], head[0]
	}
	defTTL := int64(defaultExportTTL)
	if len(ttlCount) > 0 {
		best := -1
		for ttl, n := range ttlCount {
			if n > best || (n == best && ttl < defTTL) {
				defTTL, best = ttl, n
			}
		}
	}

	res := &exportResult{}
	var b strings.Builder
	fmt.Fprintf(&b, "; hosted zone %s (%s), exported by meridian\n", ref.Name, ref.ID)
	fmt.Fprintf(&b, "$ORIGIN %s\n", zone.DNSName(origin))
	fmt.Fprintf(&b, "$TTL %d\n", defTTL)
	for _, it := range append(head, rest...) {
		s := it.set
		owner := bindOwner(it.labels, origin)
		ttl := ""
		if s.TTL != nil {
			ttl = strconv.FormatInt(*s.TTL, 10)
		}
		if s.SetIdentifier != nil || s.AliasTarget != nil {
			res.Commented++
			var desc []string
			if s.SetIdentifier != nil || len(extrasSummary(s)) > 0 {
				desc = append(desc, routingSummary(s))
			}
			if s.AliasTarget != nil {
				desc = append(desc, aliasSummary(s.AliasTarget))
			}
			fmt.Fprintf(&b, "; %s\n", strings.Join(desc, " "))
			if s.AliasTarget != nil {
				fmt.Fprintf(&b, ";%s\tIN\t%s\n", owner, s.Type)
			}
			for _, rr := range s.ResourceRecords {
				fmt.Fprintf(&b, ";%s\n", recordLine(owner, ttl, string(s.Type), aws.ToString(rr.Value)))
			}
			continue
		}
		res.Sets++
		trailer := ""
		if extras := extrasSummary(s); len(extras) > 0 {
			trailer = "\t; " + strings.Join(extras, " ")
		}
		for _, rr := range s.ResourceRecords {
			value := aws.ToString(rr.Value)
			rdata, err := bindRdata(string(s.Type), value)
			if err != nil {
				res.Unparsed++
				fmt.Fprintf(&b, "; value does not parse as %s:\n;%s\n", s.Type, recordLine(owner, ttl, string(s.Type), value))
				continue
			}
			fmt.Fprintf(&b, "%s%s\n", recordLine(owner, ttl, string(s.Type), rdata), trailer)
		}
	}
	res.Text = b.String()
	return res, nil
}

// recordLine renders one master-file record line; an empty ttl is left out.
func recordLine(owner, ttl, typ, rdata string) string {
	if ttl == "" {
		return owner + "\tIN\t" + typ + "\t" + rdata
	}
	return owner + "\t" + ttl + "\tIN\t" + typ + "\t" + rdata
}

// bindRdata converts a Route 53 Value into master-file rdata: octal escapes
// become decimal ones, and host names Route 53 treats as fully qualified
// (with or without their trailing dot) get the dot, so the master file means
// what the record set means. The value is parsed as its type to do so.
func bindRdata(typ, value string) (string, error) {
	if strings.ContainsAny(value, "\n\r") {
		return "", fmt.Errorf("value contains a line break")
	}
	line := ". 0 IN " + typ + " " + zone.OctalToDecimalEscapes(value)
	zp := dns.NewZoneParser(strings.NewReader(line), ".", "")
	rr, ok := zp.Next()
	if err := zp.Err(); err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("empty value")
	}
	if _, more := zp.Next(); more {
		return "", fmt.Errorf("value holds more than one record")
	}
	return presentationRdata(rr)
}
