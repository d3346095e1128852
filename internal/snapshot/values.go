package snapshot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// parseValue parses one Route 53 value of the given type into a record owned
// by owner (miekg/dns presentation form) with the given TTL. Host names in
// values may lack the trailing dot; they are taken as fully qualified.
// Route 53 writes escaped bytes in names and character strings as three-digit
// octal \NNN; they are rewritten to the decimal \DDD that miekg/dns reads.
func parseValue(owner string, rtype uint16, typeName string, ttl uint32, value string) (dns.RR, error) {
	if value == "" {
		return nil, errors.New("empty value")
	}
	if strings.ContainsAny(value, "\n\r") {
		return nil, errors.New("value contains a line break")
	}
	switch rtype {
	case dns.TypeCNAME, dns.TypeNS, dns.TypePTR:
		value = zone.OctalToDecimalEscapes(strings.TrimSpace(value))
	case dns.TypeMX, dns.TypeSRV:
		value = convertLastField(value)
	case dns.TypeTXT, dns.TypeSPF:
		value = zone.OctalToDecimalEscapes(value)
	}
	line := owner + " " + strconv.FormatUint(uint64(ttl), 10) + " IN " + typeName + " " + value + "\n"
	zp := dns.NewZoneParser(strings.NewReader(line), ".", "")
	zp.SetIncludeAllowed(false)
	rr, ok := zp.Next()
	if err := zp.Err(); err != nil {
		return nil, fmt.Errorf("parse %s value: %w", typeName, err)
	}
	if !ok || rr == nil {
		return nil, fmt.Errorf("parse %s value: no record", typeName)
	}
	if _, more := zp.Next(); more {
		return nil, fmt.Errorf("parse %s value: more than one record", typeName)
	}
	if rr.Header().Rrtype != rtype {
		return nil, fmt.Errorf("parse %s value: got type %s", typeName, dns.TypeToString[rr.Header().Rrtype])
	}
	rr.Header().Name = owner
	return rr, nil
}

// convertLastField rewrites the octal escapes of the last whitespace-separated
// field (the host name of MX and SRV values).
func convertLastField(v string) string {
	v = strings.TrimSpace(v)
	i := strings.LastIndexAny(v, " \t")
	if i < 0 {
		return zone.OctalToDecimalEscapes(v)
	}
	return v[:i+1] + zone.OctalToDecimalEscapes(v[i+1:])
}

// targetName returns the host name a record points at, for the Additional
// section: MX exchange, SRV target, NS host, CNAME target.
func targetName(rr dns.RR) (string, bool) {
	switch v := rr.(type) {
	case *dns.MX:
		return v.Mx, true
	case *dns.SRV:
		return v.Target, true
	case *dns.NS:
		return v.Ns, true
	case *dns.CNAME:
		return v.Target, true
	}
	return "", false
}
