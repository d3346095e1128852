package zone

import (
	"fmt"
	"strings"
)

// OctalToDecimalEscapes rewrites Route 53's \NNN (octal) escapes as the \DDD
// (decimal) escapes of RFC 1035 presentation format, which BIND master files
// and miekg/dns read. Other escapes are kept as they are.
func OctalToDecimalEscapes(s string) string {
	return rewriteEscapes(s, isOctal, 8, `\%03d`)
}

// DecimalToOctalEscapes rewrites \DDD (decimal) escapes as Route 53's \NNN
// (octal) escapes. Other escapes are kept as they are.
func DecimalToOctalEscapes(s string) string {
	return rewriteEscapes(s, isDecimal, 10, `\%03o`)
}

func isDecimal(c byte) bool { return c >= '0' && c <= '9' }

// rewriteEscapes re-renders every three-digit escape written in base (its
// digits accepted by digit) with the format out, when its value is a byte.
func rewriteEscapes(s string, digit func(byte) bool, base int, out string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		if i+3 < len(s) && digit(s[i+1]) && digit(s[i+2]) && digit(s[i+3]) {
			v := int(s[i+1]-'0')*base*base + int(s[i+2]-'0')*base + int(s[i+3]-'0')
			if v <= 255 {
				fmt.Fprintf(&b, out, v)
				i += 3
				continue
			}
		}
		b.WriteByte(c)
		b.WriteByte(s[i+1])
		i++
	}
	return b.String()
}
