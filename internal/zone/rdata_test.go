package zone

import (
	"strings"
	"testing"
)

func TestValidateValue(t *testing.T) {
	fatal := func(problem, detail, value string) string {
		return "Invalid Resource Record: FATAL problem: " + problem + " (" + detail + ") encountered with '" + value + "'"
	}
	s255 := strings.Repeat("x", 255)
	s256 := strings.Repeat("x", 256)
	cases := []struct {
		typ, value string
		want       string // "" for valid
	}{
		// A
		{"A", "192.0.2.1", ""},
		{"A", "192.0.2.256", fatal("ARRDATAIllegalIPv4Address", "Value is not a valid IPv4 address", "192.0.2.256")},
		{"A", "2001:db8::1", fatal("ARRDATAIllegalIPv4Address", "Value is not a valid IPv4 address", "2001:db8::1")},
		{"A", "", fatal("ARRDATAIllegalIPv4Address", "Value is not a valid IPv4 address", "")},
		{"A", "192.0.2.1 192.0.2.2", fatal("ARRDATANotSingleField", "Value contains spaces", "192.0.2.1 192.0.2.2")},
		{"A", "192.0.2.1\n", fatal("InvalidCharacterString", "Value contains characters that must be escaped", "192.0.2.1\n")},
		// AAAA
		{"AAAA", "2001:db8::1", ""},
		{"AAAA", "2001:0db8:0000:0000:0000:0000:0000:0001", ""},
		{"AAAA", "::ffff:192.0.2.1", ""},
		{"AAAA", "192.0.2.1", fatal("AAAARRDATAIllegalIPv6Address", "Value is not a valid IPv6 address", "192.0.2.1")},
		{"AAAA", "fe80::1%eth0", fatal("AAAARRDATAIllegalIPv6Address", "Value is not a valid IPv6 address", "fe80::1%eth0")},
		// CNAME, NS, PTR
		{"CNAME", "target.example.net", ""},
		{"CNAME", "target.example.net.", ""},
		{"CNAME", "a b", fatal("CNAMERRDATANotSingleField", "Value contains spaces", "a b")},
		{"CNAME", "a..b", fatal("DomainLabelEmpty", "Domain label is empty", "a..b")},
		{"CNAME", "", fatal("CNAMERRDATAIllegalFormat", "Value is empty", "")},
		{"NS", "ns-1.awsdns-00.com.", ""},
		{"NS", strings.Repeat("n", 64) + ".com", fatal("DomainLabelTooLong", "Domain label is too long", strings.Repeat("n", 64)+".com")},
		{"PTR", "host.example.com", ""},
		{"PTR", "host\xff.example.com", fatal("InvalidCharacterString", "Value contains characters that must be escaped", "host\xff.example.com")},
		// TXT and SPF
		{"TXT", `"hello world"`, ""},
		{"TXT", `"a" "b"`, ""},
		{"TXT", `"a""b"`, ""},
		{"TXT", "word", ""},
		{"TXT", `""`, ""},
		{"TXT", `"say \"hi\" \255"`, ""},
		{"TXT", `"` + s255 + `"`, ""},
		{"TXT", `"` + s256 + `"`, fatal("TXTRDATATooLong", "Value is too long", `"`+s256+`"`)},
		{"TXT", `"` + s255 + `" "` + s255 + `"`, ""},
		{"TXT", `"` + strings.Repeat(`\065`, 255) + `"`, ""},
		{"TXT", s256, fatal("TXTRDATATooLong", "Value is too long", s256)},
		{"TXT", "two words", fatal("InvalidCharacterString", "Value should be enclosed in quotation marks", "two words")},
		{"TXT", `"ok" trailing`, fatal("InvalidCharacterString", "Value should be enclosed in quotation marks", `"ok" trailing`)},
		{"TXT", `"unterminated`, fatal("UnbalancedQuotes", "Value has unbalanced quotes", `"unterminated`)},
		{"TXT", `a"b`, fatal("InvalidCharacterString", "Value should be enclosed in quotation marks", `a"b`)},
		{"TXT", "", fatal("InvalidCharacterString", "Value should be enclosed in quotation marks", "")},
		{"TXT", `trailing\`, fatal("InvalidCharacterString", "Value contains characters that must be escaped", `trailing\`)},
		{"SPF", `"v=spf1 include:_spf.example.com ~all"`, ""},
		{"SPF", "v=spf1 -all", fatal("InvalidCharacterString", "Value should be enclosed in quotation marks", "v=spf1 -all")},
		// MX
		{"MX", "10 mail.example.com", ""},
		{"MX", "0 .", ""},
		{"MX", "mail.example.com", fatal("MXRRDATAIllegalFormat", "Value must be a priority and a mail server name", "mail.example.com")},
		{"MX", "70000 mail.example.com", fatal("MXRRDATAIllegalFormat", "Priority must be an integer from 0 to 65535", "70000 mail.example.com")},
		{"MX", "-1 mail.example.com", fatal("MXRRDATAIllegalFormat", "Priority must be an integer from 0 to 65535", "-1 mail.example.com")},
		{"MX", "10 mail..example.com", fatal("DomainLabelEmpty", "Domain label is empty", "10 mail..example.com")},
		// SRV
		{"SRV", "10 5 5060 sip.example.com", ""},
		{"SRV", "10 5 sip.example.com", fatal("SRVRRDATAIllegalFormat", "Value must be a priority, a weight, a port and a target name", "10 5 sip.example.com")},
		{"SRV", "10 5 65536 sip.example.com", fatal("SRVRRDATAIllegalFormat", "Port must be an integer from 0 to 65535", "10 5 65536 sip.example.com")},
		// SOA
		{"SOA", "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400", ""},
		{"SOA", "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600", fatal("SOARRDATAIllegalFormat", "Value must have seven fields: primary name server, hostmaster, serial, refresh, retry, expire and minimum", "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600")},
		{"SOA", "ns. host. 4294967296 1 1 1 1", fatal("SOARRDATAIllegalFormat", "Serial, refresh, retry, expire and minimum must be integers from 0 to 4294967295", "ns. host. 4294967296 1 1 1 1")},
		// CAA
		{"CAA", `0 issue "ca.example.net"`, ""},
		{"CAA", `128 iodef "mailto:security@example.com"`, ""},
		{"CAA", `0 issue ca.example.net`, fatal("InvalidCharacterString", "Value should be enclosed in quotation marks", "0 issue ca.example.net")},
		{"CAA", `256 issue "ca.example.net"`, fatal("CAARRDATAIllegalFormat", "Flag must be an integer from 0 to 255", `256 issue "ca.example.net"`)},
		{"CAA", `0 is-sue "ca.example.net"`, fatal("CAARRDATAIllegalFormat", "Tag must be 1 to 15 letters and digits", `0 is-sue "ca.example.net"`)},
		{"CAA", `0 issue`, fatal("CAARRDATAIllegalFormat", `Value must be a flag, a tag and a quoted value, for example 0 issue "ca.example.net"`, `0 issue`)},
		// DS, SSHFP, TLSA
		{"DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118", ""},
		{"DS", "60485 5 1 2BB183AF 5F22588179A53B0A98631FAD1A292118", ""},
		{"DS", "60485 5 1 XYZ1", fatal("DSRRDATAIllegalFormat", "Data must be hexadecimal", "60485 5 1 XYZ1")},
		{"DS", "70000 5 1 AB", fatal("DSRRDATAIllegalFormat", "Field 1 must be an integer from 0 to 65535", "70000 5 1 AB")},
		{"DS", "60485 5 1", fatal("DSRRDATAIllegalFormat", "Value must contain key tag, algorithm, digest type and digest", "60485 5 1")},
		{"SSHFP", "1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac", ""},
		{"SSHFP", "1 1 abc", fatal("SSHFPRRDATAIllegalFormat", "Data must be an even number of hexadecimal digits", "1 1 abc")},
		{"TLSA", "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6", ""},
		{"TLSA", "3 1 256 0C72", fatal("TLSARRDATAIllegalFormat", "Field 3 must be an integer from 0 to 255", "3 1 256 0C72")},
		// NAPTR
		{"NAPTR", `100 50 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .`, ""},
		{"NAPTR", `100 50 "s" "SIP+D2U" "" _sip._udp.example.com.`, ""},
		{"NAPTR", `100 50 "u" "E2U+sip" "!^.*$!sip:info@example.com!" sip.example.com`, fatal("NAPTRRRDATAIllegalFormat", `Use either regexp or replacement: when regexp is set, replacement must be "."`, `100 50 "u" "E2U+sip" "!^.*$!sip:info@example.com!" sip.example.com`)},
		{"NAPTR", `100 "u" "E2U+sip" "" .`, fatal("NAPTRRRDATAIllegalFormat", `Value must be order, preference, "flags", "service", "regexp" and replacement`, `100 "u" "E2U+sip" "" .`)},
		{"NAPTR", `100 50 "u!" "E2U+sip" "" .`, fatal("NAPTRRRDATAIllegalFormat", "Flags must contain only letters and digits", `100 50 "u!" "E2U+sip" "" .`)},
		// SVCB and HTTPS
		{"SVCB", "0 svc.example.com.", ""},
		{"SVCB", "1 . alpn=h2 port=8443", ""},
		{"HTTPS", `1 . alpn="h3,h2" ipv4hint=192.0.2.1,192.0.2.2`, ""},
		{"HTTPS", "0 . alpn=h2", fatal("HTTPSRRDATAIllegalFormat", "A record with priority 0 (alias mode) cannot have parameters", "0 . alpn=h2")},
		{"HTTPS", "1 . port=notaport", fatal("HTTPSRRDATAIllegalFormat", "Parameters must be in RFC 9460 presentation format", "1 . port=notaport")},
		{"SVCB", "1 . alpn=h2 ; comment", fatal("SVCBRRDATAIllegalFormat", "Parameters must be in RFC 9460 presentation format", "1 . alpn=h2 ; comment")},
		{"SVCB", `1 . alpn="h2`, fatal("UnbalancedQuotes", "Value has unbalanced quotes", `1 . alpn="h2`)},
		{"SVCB", "x .", fatal("SVCBRRDATAIllegalFormat", "Priority must be an integer from 0 to 65535", "x .")},
		// Unknown type
		{"X25", "311061700956", fatal("UnsupportedRRType", "Record type X25 is not supported", "311061700956")},
	}
	for _, tc := range cases {
		t.Run(tc.typ+"/"+tc.value, func(t *testing.T) {
			err := ValidateValue(tc.typ, tc.value)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Fatalf("ValidateValue(%s, %q)\n got %q\nwant %q", tc.typ, tc.value, got, tc.want)
			}
		})
	}
}
