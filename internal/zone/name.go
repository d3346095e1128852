package zone

import (
	"fmt"
	"strings"
)

// Name limits from RFC 1035 and the Route 53 Developer Guide.
const (
	MaxLabelLen = 63
	MaxNameLen  = 255 // wire length, including length bytes and the root
)

// NameError describes why a name is invalid, in Route 53's vocabulary:
// Problem is the FATAL problem code (e.g. "DomainLabelEmpty"), Detail the text
// in parentheses.
type NameError struct {
	Name    string
	Problem string
	Detail  string
}

// Error renders the problem as Route 53 prints it inside InvalidChangeBatch.
func (e *NameError) Error() string {
	return fmt.Sprintf("Invalid Resource Record: FATAL problem: %s (%s) encountered with '%s'", e.Problem, e.Detail, e.Name)
}

// ParseName parses a name as a client supplies it to the API: a trailing dot
// is optional, letters may be of either case, and any byte may be written as a
// three-digit octal escape \NNN. It returns the lowercase raw labels, leftmost
// first; the root name ("." or "") yields no labels.
func ParseName(s string) ([]string, error) {
	if s == "" || s == "." {
		return nil, nil
	}
	var labels []string
	var cur []byte
	wire := 1 // root byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if len(cur) == 0 {
				return nil, &NameError{Name: s, Problem: "DomainLabelEmpty", Detail: "Domain label is empty"}
			}
			labels = append(labels, string(cur))
			wire += len(cur) + 1
			cur = cur[:0]
			continue
		case c == '\\':
			if i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
				v := int(s[i+1]-'0')*64 + int(s[i+2]-'0')*8 + int(s[i+3]-'0')
				if v > 255 {
					return nil, &NameError{Name: s, Problem: "InvalidCharacterString", Detail: "Value contains an invalid escape sequence"}
				}
				c = byte(v)
				i += 3
			} else if i+1 < len(s) {
				i++
				c = s[i]
			} else {
				return nil, &NameError{Name: s, Problem: "InvalidCharacterString", Detail: "Value ends with an escape character"}
			}
		case c < 0x21 || c > 0x7e:
			return nil, &NameError{Name: s, Problem: "InvalidCharacterString", Detail: "Value contains characters that must be escaped"}
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		cur = append(cur, c)
		if len(cur) > MaxLabelLen {
			return nil, &NameError{Name: s, Problem: "DomainLabelTooLong", Detail: "Domain label is too long"}
		}
	}
	if len(cur) > 0 {
		labels = append(labels, string(cur))
		wire += len(cur) + 1
	}
	if wire > MaxNameLen {
		return nil, &NameError{Name: s, Problem: "DomainNameTooLong", Detail: "Domain name is too long"}
	}
	return labels, nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// FormatName renders raw labels in Route 53's output form: every byte other
// than a-z, 0-9, '-' and '_' as a \NNN octal escape, with a trailing dot.
func FormatName(labels []string) string {
	if len(labels) == 0 {
		return "."
	}
	var b strings.Builder
	for _, l := range labels {
		for i := 0; i < len(l); i++ {
			c := l[i]
			if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "\\%03o", c)
			}
		}
		b.WriteByte('.')
	}
	return b.String()
}

// CanonicalName returns the canonical (Route 53 output) form of a name.
func CanonicalName(s string) (string, error) {
	labels, err := ParseName(s)
	if err != nil {
		return "", err
	}
	return FormatName(labels), nil
}

// DNSName renders raw labels in miekg/dns presentation form (fully qualified,
// special bytes as \DDD decimal escapes), suitable for dns.RR headers.
func DNSName(labels []string) string {
	if len(labels) == 0 {
		return "."
	}
	var b strings.Builder
	for _, l := range labels {
		for i := 0; i < len(l); i++ {
			c := l[i]
			if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '*' {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "\\%03d", c)
			}
		}
		b.WriteByte('.')
	}
	return b.String()
}

// IsSubdomain reports whether child equals parent or lies below it; both are
// label slices as ParseName returns them.
func IsSubdomain(child, parent []string) bool {
	if len(child) < len(parent) {
		return false
	}
	off := len(child) - len(parent)
	for i := range parent {
		if child[off+i] != parent[i] {
			return false
		}
	}
	return true
}

// ReversedSortKey returns the name with its labels reversed, as Route 53 sorts
// names in ListResourceRecordSets and ListHostedZonesByName: the escaped labels
// from the top down, each followed by a dot ("com.example.www.").
func ReversedSortKey(canonical string) string {
	labels, err := ParseName(canonical)
	if err != nil {
		return canonical
	}
	var b strings.Builder
	for i := len(labels) - 1; i >= 0; i-- {
		b.WriteString(FormatName(labels[i : i+1]))
	}
	return b.String()
}
