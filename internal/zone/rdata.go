package zone

import (
	"encoding/hex"
	"errors"
	"net/netip"
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// Problem codes. ARRDATAIllegalIPv4Address, ARRDATANotSingleField,
// AAAARRDATAIllegalIPv6Address, TXTRDATATooLong and InvalidCharacterString
// are Route 53's [OBS]; UnbalancedQuotes is recalled from real responses but
// unconfirmed; "<TYPE>RRDATANotSingleField" for the other single-field types
// and "<TYPE>RRDATAIllegalFormat" are Meridian's [OWN], in the same style.
const (
	problemIllegalIPv4  = "ARRDATAIllegalIPv4Address"
	problemIllegalIPv6  = "AAAARRDATAIllegalIPv6Address"
	problemTXTTooLong   = "TXTRDATATooLong"
	problemBadCharacter = "InvalidCharacterString"
	problemUnbalanced   = "UnbalancedQuotes"
)

// Details printed in parentheses.
const (
	detailIPv4       = "Value is not a valid IPv4 address"
	detailIPv6       = "Value is not a valid IPv6 address"
	detailSpaces     = "Value contains spaces"
	detailTooLong    = "Value is too long"
	detailQuote      = "Value should be enclosed in quotation marks"
	detailUnbalanced = "Value has unbalanced quotes"
	detailEscape     = "Value contains characters that must be escaped"
	detailEmpty      = "Value is empty"
)

// ValidateValue checks one resource record Value of the given record type
// against Route 53's syntax and returns a *ValueError describing the first
// problem, or nil. Host names inside values may omit the trailing dot.
func ValidateValue(typ, value string) error {
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return &ValueError{Value: value, Problem: problemBadCharacter, Detail: detailEscape}
		}
	}
	var err *ValueError
	switch typ {
	case "A":
		err = checkA(value)
	case "AAAA":
		err = checkAAAA(value)
	case "CNAME", "NS", "PTR":
		err = checkSingleName(typ, value)
	case "TXT", "SPF":
		err = checkTXT(value)
	case "MX":
		err = checkMX(value)
	case "SRV":
		err = checkSRV(value)
	case "SOA":
		err = checkSOA(value)
	case "CAA":
		err = checkCAA(value)
	case "DS":
		err = checkHexRecord(typ, value, []uint64{65535, 255, 255}, "key tag, algorithm, digest type and digest")
	case "SSHFP":
		err = checkHexRecord(typ, value, []uint64{255, 255}, "algorithm, fingerprint type and fingerprint")
	case "TLSA":
		err = checkHexRecord(typ, value, []uint64{255, 255, 255}, "usage, selector, matching type and certificate data")
	case "NAPTR":
		err = checkNAPTR(value)
	case "SVCB", "HTTPS":
		err = checkSVCB(typ, value)
	default:
		err = &ValueError{Value: value, Problem: "UnsupportedRRType", Detail: "Record type " + typ + " is not supported"}
	}
	if err == nil {
		return nil
	}
	return err
}

func illegal(typ, value, detail string) *ValueError {
	return &ValueError{Value: value, Problem: typ + "RRDATAIllegalFormat", Detail: detail}
}

func hasSpace(s string) bool { return strings.ContainsAny(s, " \t") }

// fields splits s on runs of spaces and tabs.
func fields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
}

func checkA(v string) *ValueError {
	if hasSpace(v) {
		return &ValueError{Value: v, Problem: "ARRDATANotSingleField", Detail: detailSpaces}
	}
	a, err := netip.ParseAddr(v)
	if err != nil || !a.Is4() {
		return &ValueError{Value: v, Problem: problemIllegalIPv4, Detail: detailIPv4}
	}
	return nil
}

func checkAAAA(v string) *ValueError {
	a, err := netip.ParseAddr(v)
	if err != nil || !a.Is6() || a.Zone() != "" {
		return &ValueError{Value: v, Problem: problemIllegalIPv6, Detail: detailIPv6}
	}
	return nil
}

// checkSingleName validates CNAME, NS and PTR values: exactly one host name.
func checkSingleName(typ, v string) *ValueError {
	if v == "" {
		return illegal(typ, v, detailEmpty)
	}
	if hasSpace(v) {
		return &ValueError{Value: v, Problem: typ + "RRDATANotSingleField", Detail: detailSpaces}
	}
	return checkHost(v, v)
}

// checkHost validates a host name field; problems are reported against the
// whole value.
func checkHost(name, whole string) *ValueError {
	if _, err := ParseName(name); err != nil {
		var ne *NameError
		if errors.As(err, &ne) {
			return &ValueError{Value: whole, Problem: ne.Problem, Detail: ne.Detail}
		}
		return &ValueError{Value: whole, Problem: problemBadCharacter, Detail: detailEscape}
	}
	return nil
}

// parseUint parses a plain decimal number no larger than max.
func parseUint(s string, max uint64) bool {
	if s == "" || s[0] == '+' || s[0] == '-' {
		return false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n <= max
}

func checkMX(v string) *ValueError {
	f := fields(v)
	if len(f) != 2 {
		return illegal("MX", v, "Value must be a priority and a mail server name")
	}
	if !parseUint(f[0], 65535) {
		return illegal("MX", v, "Priority must be an integer from 0 to 65535")
	}
	return checkHost(f[1], v)
}

func checkSRV(v string) *ValueError {
	f := fields(v)
	if len(f) != 4 {
		return illegal("SRV", v, "Value must be a priority, a weight, a port and a target name")
	}
	for i, what := range []string{"Priority", "Weight", "Port"} {
		if !parseUint(f[i], 65535) {
			return illegal("SRV", v, what+" must be an integer from 0 to 65535")
		}
	}
	return checkHost(f[3], v)
}

func checkSOA(v string) *ValueError {
	f := fields(v)
	if len(f) != 7 {
		return illegal("SOA", v, "Value must have seven fields: primary name server, hostmaster, serial, refresh, retry, expire and minimum")
	}
	for _, n := range f[:2] {
		if err := checkHost(n, v); err != nil {
			return err
		}
	}
	for _, n := range f[2:] {
		if !parseUint(n, 4294967295) {
			return illegal("SOA", v, "Serial, refresh, retry, expire and minimum must be integers from 0 to 4294967295")
		}
	}
	return nil
}

// token is one field of a value in DNS presentation format.
type token struct {
	text   string // raw text, quotes removed when quoted, escapes kept
	quoted bool
}

// tokenize splits v into whitespace-separated fields; a field that starts with
// a quote runs to the matching unescaped quote. A quote inside an unquoted
// field, or one never closed, is UnbalancedQuotes. v holds no control
// characters (ValidateValue rejects them first).
func tokenize(v string) ([]token, *ValueError) {
	unbalanced := &ValueError{Value: v, Problem: problemUnbalanced, Detail: detailUnbalanced}
	var out []token
	i := 0
	for i < len(v) {
		switch v[i] {
		case ' ', '\t':
			i++
			continue
		case '"':
			j := i + 1
			for j < len(v) && v[j] != '"' {
				if v[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(v) {
				return nil, unbalanced
			}
			out = append(out, token{text: v[i+1 : j], quoted: true})
			i = j + 1
			continue
		}
		j := i
		for j < len(v) && v[j] != ' ' && v[j] != '\t' {
			if v[j] == '"' {
				return nil, unbalanced
			}
			if v[j] == '\\' {
				j++
			}
			j++
		}
		j = min(j, len(v))
		out = append(out, token{text: v[i:j]})
		i = j
	}
	return out, nil
}

// stringLen returns the length in bytes of a character-string after
// unescaping: "\NNN" (three octal digits) and "\x" each count as one.
func stringLen(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			if i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
				i += 3
			} else {
				i++
			}
		}
		n++
	}
	return n
}

// checkTXT validates TXT and SPF values: one unquoted word, or one or more
// quoted character-strings of at most 255 characters each.
func checkTXT(v string) *ValueError {
	t := strings.Trim(v, " \t")
	if t == "" {
		return &ValueError{Value: v, Problem: problemBadCharacter, Detail: detailQuote}
	}
	if t[0] != '"' {
		if hasSpace(t) || strings.Contains(t, `"`) {
			return &ValueError{Value: v, Problem: problemBadCharacter, Detail: detailQuote}
		}
		if strings.HasSuffix(t, `\`) && (len(t)-len(strings.TrimRight(t, `\`)))%2 == 1 {
			return &ValueError{Value: v, Problem: problemBadCharacter, Detail: detailEscape}
		}
		if stringLen(t) > MaxTXTStringLen {
			return &ValueError{Value: v, Problem: problemTXTTooLong, Detail: detailTooLong}
		}
		return nil
	}
	toks, verr := tokenize(t)
	if verr != nil {
		verr.Value = v
		return verr
	}
	for _, tok := range toks {
		if !tok.quoted {
			return &ValueError{Value: v, Problem: problemBadCharacter, Detail: detailQuote}
		}
		if stringLen(tok.text) > MaxTXTStringLen {
			return &ValueError{Value: v, Problem: problemTXTTooLong, Detail: detailTooLong}
		}
	}
	return nil
}

func checkCAA(v string) *ValueError {
	toks, verr := tokenize(v)
	if verr != nil {
		return verr
	}
	if len(toks) != 3 || toks[0].quoted || toks[1].quoted {
		return illegal("CAA", v, `Value must be a flag, a tag and a quoted value, for example 0 issue "ca.example.net"`)
	}
	if !parseUint(toks[0].text, 255) {
		return illegal("CAA", v, "Flag must be an integer from 0 to 255")
	}
	tag := toks[1].text
	if tag == "" || len(tag) > 15 || !isAlnum(tag) {
		return illegal("CAA", v, "Tag must be 1 to 15 letters and digits")
	}
	if !toks[2].quoted {
		return &ValueError{Value: v, Problem: problemBadCharacter, Detail: detailQuote}
	}
	return nil
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// checkHexRecord validates DS, SSHFP and TLSA: leading integer fields with the
// given maxima, then hexadecimal data (which may be split by spaces).
func checkHexRecord(typ, v string, maxima []uint64, shape string) *ValueError {
	f := fields(v)
	if len(f) < len(maxima)+1 {
		return illegal(typ, v, "Value must contain "+shape)
	}
	for i, max := range maxima {
		if !parseUint(f[i], max) {
			return illegal(typ, v, "Field "+strconv.Itoa(i+1)+" must be an integer from 0 to "+strconv.FormatUint(max, 10))
		}
	}
	data := strings.Join(f[len(maxima):], "")
	if len(data)%2 != 0 {
		return illegal(typ, v, "Data must be an even number of hexadecimal digits")
	}
	if _, err := hex.DecodeString(data); err != nil {
		return illegal(typ, v, "Data must be hexadecimal")
	}
	return nil
}

func checkNAPTR(v string) *ValueError {
	toks, verr := tokenize(v)
	if verr != nil {
		return verr
	}
	if len(toks) != 6 {
		return illegal("NAPTR", v, `Value must be order, preference, "flags", "service", "regexp" and replacement`)
	}
	if !parseUint(toks[0].text, 65535) || !parseUint(toks[1].text, 65535) {
		return illegal("NAPTR", v, "Order and preference must be integers from 0 to 65535")
	}
	if !isAlnum(toks[2].text) {
		return illegal("NAPTR", v, "Flags must contain only letters and digits")
	}
	for _, t := range toks[2:5] {
		if stringLen(t.text) > MaxTXTStringLen {
			return illegal("NAPTR", v, "Flags, service and regexp must each be at most 255 characters")
		}
	}
	if toks[5].quoted {
		return illegal("NAPTR", v, "Replacement must be a domain name")
	}
	if err := checkHost(toks[5].text, v); err != nil {
		return err
	}
	if toks[4].text != "" && toks[5].text != "." {
		return illegal("NAPTR", v, `Use either regexp or replacement: when regexp is set, replacement must be "."`)
	}
	return nil
}

// checkSVCB validates SVCB and HTTPS: priority, target name, then SvcParams,
// which miekg/dns parses.
func checkSVCB(typ, v string) *ValueError {
	f := fields(v)
	if len(f) < 2 {
		return illegal(typ, v, "Value must be a priority, a target name and optional parameters")
	}
	if !parseUint(f[0], 65535) {
		return illegal(typ, v, "Priority must be an integer from 0 to 65535")
	}
	if err := checkHost(f[1], v); err != nil {
		return err
	}
	rest := strings.TrimSpace(v)
	for _, field := range f[:2] {
		rest = strings.TrimLeft(rest[len(field):], " \t")
	}
	if rest == "" {
		return nil
	}
	if f[0] == "0" {
		return illegal(typ, v, "A record with priority 0 (alias mode) cannot have parameters")
	}
	outside, ok := outsideQuotes(rest)
	if !ok {
		return &ValueError{Value: v, Problem: problemUnbalanced, Detail: detailUnbalanced}
	}
	if strings.ContainsAny(outside, "();$@") {
		return illegal(typ, v, "Parameters must be in RFC 9460 presentation format")
	}
	if _, err := dns.NewRR(". 300 IN " + typ + " " + f[0] + " . " + rest); err != nil {
		return illegal(typ, v, "Parameters must be in RFC 9460 presentation format")
	}
	return nil
}

// outsideQuotes returns the text of s outside double quotes (escapes honoured)
// and whether every quote is closed.
func outsideQuotes(s string) (string, bool) {
	var b strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' {
			i++
			continue
		}
		if c == '"' {
			in = !in
			continue
		}
		if !in {
			b.WriteByte(c)
		}
	}
	return b.String(), !in
}
