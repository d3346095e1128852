package cli

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// route53Types are the record types Route 53 stores.
var route53Types = map[string]bool{
	"A": true, "AAAA": true, "CAA": true, "CNAME": true, "DS": true, "MX": true,
	"NAPTR": true, "NS": true, "PTR": true, "SOA": true, "SPF": true, "SRV": true,
	"TXT": true, "TLSA": true, "SSHFP": true, "SVCB": true, "HTTPS": true,
}

// presentationRdata returns the RR's rdata in presentation format: its
// String() after the header. TXT and SPF keep their quoted strings.
func presentationRdata(rr dns.RR) (string, error) {
	full, hdr := rr.String(), rr.Header().String()
	if !strings.HasPrefix(full, hdr) {
		return "", fmt.Errorf("cannot render %s record %q", dns.TypeToString[rr.Header().Rrtype], full)
	}
	return full[len(hdr):], nil
}

// route53Value renders an RR's rdata as a Route 53 Value string: the
// presentation format, with miekg/dns's decimal \DDD escapes rewritten as the
// octal \NNN escapes Route 53 reads. SVCB and HTTPS parameters whose values
// need no quoting are written unquoted (alpn=h2,h3 rather than alpn="h2,h3"),
// both being RFC 9460 presentation format.
func route53Value(rr dns.RR) (string, error) {
	s, err := presentationRdata(rr)
	if err != nil {
		return "", err
	}
	switch rr.Header().Rrtype {
	case dns.TypeSVCB, dns.TypeHTTPS:
		s = unquoteSVCBParams(s)
	}
	return zone.DecimalToOctalEscapes(s), nil
}

// unquoteSVCBParams drops the quotes around SVCB parameter values that hold
// nothing a master file would need quoted.
func unquoteSVCBParams(s string) string {
	fields := strings.Split(s, " ")
	for i, f := range fields {
		eq := strings.IndexByte(f, '=')
		if i < 2 || eq < 0 || len(f) < eq+3 || f[eq+1] != '"' || f[len(f)-1] != '"' {
			continue
		}
		inner := f[eq+2 : len(f)-1]
		if inner != "" && !strings.ContainsAny(inner, " \t\"\\;()") {
			fields[i] = f[:eq+1] + inner
		}
	}
	return strings.Join(fields, " ")
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// presentationLabels splits a fully qualified name in miekg/dns presentation
// format (\DDD decimal and \X escapes) into raw labels, letters lowercased.
func presentationLabels(name string) ([]string, error) {
	if name == "." {
		return nil, nil
	}
	if !strings.HasSuffix(name, ".") {
		return nil, fmt.Errorf("name %q is not fully qualified", name)
	}
	var labels []string
	var cur []byte
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch c {
		case '.':
			if len(cur) == 0 {
				return nil, fmt.Errorf("name %q has an empty label", name)
			}
			labels = append(labels, string(cur))
			cur = cur[:0]
			continue
		case '\\':
			if i+3 < len(name) && isDigit(name[i+1]) && isDigit(name[i+2]) && isDigit(name[i+3]) {
				v := int(name[i+1]-'0')*100 + int(name[i+2]-'0')*10 + int(name[i+3]-'0')
				if v > 255 {
					return nil, fmt.Errorf("name %q has an invalid escape", name)
				}
				c = byte(v)
				i += 3
			} else if i+1 < len(name) {
				i++
				c = name[i]
			} else {
				return nil, fmt.Errorf("name %q ends with an escape", name)
			}
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		cur = append(cur, c)
	}
	if len(cur) > 0 {
		return nil, fmt.Errorf("name %q is not fully qualified", name)
	}
	return labels, nil
}

// bindOwner renders raw labels as a master-file owner name: "@" for the
// origin, relative to the origin below it, absolute otherwise.
func bindOwner(labels, origin []string) string {
	if !zone.IsSubdomain(labels, origin) {
		return zone.DNSName(labels)
	}
	rel := labels[:len(labels)-len(origin)]
	if len(rel) == 0 {
		return "@"
	}
	return strings.TrimSuffix(zone.DNSName(rel), ".")
}
