package zone

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ValidateZoneName checks a CreateHostedZone Name and returns its canonical
// form, or an *Error with Code "InvalidDomainName".
//
// A single-label name (a TLD such as "com") gets Route 53's "<name> is
// reserved by AWS!" [OBS, quoted through CloudFormation]; syntax problems use
// the FATAL-problem wording of record names; the empty-name and wildcard
// messages are Meridian's own [OWN].
func ValidateZoneName(name string) (string, error) {
	if utf8.RuneCountInString(name) > MaxRecordNameLen {
		return "", NewError("InvalidDomainName", (&NameError{Name: name, Problem: "DomainNameTooLong", Detail: "Domain name is too long"}).Error())
	}
	labels, err := ParseName(name)
	if err != nil {
		var ne *NameError
		if errors.As(err, &ne) {
			return "", NewError("InvalidDomainName", ne.Error())
		}
		return "", NewError("InvalidDomainName", fmt.Sprintf("%s is not a valid domain name", name))
	}
	switch {
	case len(labels) == 0:
		return "", NewError("InvalidDomainName", fmt.Sprintf("'%s' is not a valid hosted zone name: the name is empty", name))
	case labels[0] == "*":
		return "", NewError("InvalidDomainName", fmt.Sprintf("'%s' is not a valid hosted zone name: the left-most label cannot be a wildcard (*)", name))
	case len(labels) == 1:
		return "", NewError("InvalidDomainName", fmt.Sprintf("%s is reserved by AWS!", strings.TrimSuffix(name, ".")))
	}
	return FormatName(labels), nil
}

// nameServerTLDs are the four TLDs of a Route 53 delegation set, each owning a
// block of 512 server numbers (spec 1.1).
var nameServerTLDs = []string{"com", "net", "org", "co.uk"}

// mix32 is the MurmurHash3 32-bit finalizer: a cheap, well-spread bijection.
func mix32(x uint32) uint32 {
	x ^= x >> 16
	x *= 0x85ebca6b
	x ^= x >> 13
	x *= 0xc2b2ae35
	x ^= x >> 16
	return x
}

// DefaultNameServers returns four name servers (no trailing dots), one per
// TLD in the order .com, .net, .org, .co.uk, following Route 53's numbering:
// ns-<N>.awsdns-<M>.<tld> with N in the TLD's block of 512 and
// M = (N mod 512) div 8, printed with two digits. The same seed always gives
// the same servers.
func DefaultNameServers(seed uint32) []string {
	out := make([]string, len(nameServerTLDs))
	for i, tld := range nameServerTLDs {
		off := int(mix32(seed+uint32(i)*0x9e3779b9) % 512)
		n := i*512 + off
		out[i] = fmt.Sprintf("ns-%d.awsdns-%02d.%s", n, off/8, tld)
	}
	return out
}

// privateZoneNameServers are the placeholder servers of private zones, whose
// apex NS and SOA Route 53 still lists (recalled from real private zones;
// unconfirmed by the spec).
var privateZoneNameServers = []string{"ns-1536.awsdns-00.co.uk", "ns-0.awsdns-00.com", "ns-1024.awsdns-00.org", "ns-512.awsdns-00.net"}

// DefaultRecordSets returns the apex SOA (TTL 900,
// "<ns1>. <hostmaster> 1 7200 900 1209600 86400") and apex NS (TTL 172800,
// the zone's NameServers each with a trailing dot) record sets of z.
// hostmaster is e.g. "awsdns-hostmaster.amazon.com."; a trailing dot is added
// when missing. A zone without NameServers (a private zone) gets Route 53's
// private-zone placeholder servers.
func DefaultRecordSets(z *HostedZone, hostmaster string) []RRSet {
	servers := z.NameServers
	if len(servers) == 0 {
		servers = privateZoneNameServers
	}
	if !strings.HasSuffix(hostmaster, ".") {
		hostmaster += "."
	}
	values := make([]string, len(servers))
	for i, s := range servers {
		values[i] = withDot(s)
	}
	soaTTL, nsTTL := int64(900), int64(172800)
	return []RRSet{
		{
			Name:   z.Name,
			Type:   "SOA",
			TTL:    &soaTTL,
			Values: []string{fmt.Sprintf("%s %s 1 7200 900 1209600 86400", withDot(servers[0]), hostmaster)},
		},
		{
			Name:   z.Name,
			Type:   "NS",
			TTL:    &nsTTL,
			Values: values,
		},
	}
}

func withDot(s string) string {
	if strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}
