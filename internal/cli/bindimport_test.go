package cli

import (
	"reflect"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// TestRoute53ValueEveryType checks the Value string rendered for each record
// type Route 53 supports, read from master-file lines with relative names.
func TestRoute53ValueEveryType(t *testing.T) {
	tests := []struct {
		line string
		typ  string
		want string
	}{
		{"www 300 IN A 192.0.2.1", "A", "192.0.2.1"},
		{"www 300 IN AAAA 2001:DB8:0:0::1", "AAAA", "2001:db8::1"},
		{`@ 300 IN CAA 0 issue "ca.example.net"`, "CAA", `0 issue "ca.example.net"`},
		{`@ 300 IN CAA 128 iodef "mailto:security@example.com"`, "CAA", `128 iodef "mailto:security@example.com"`},
		{"alias 300 IN CNAME www", "CNAME", "www.example.com."},
		{"ext 300 IN CNAME target.example.net.", "CNAME", "target.example.net."},
		{"sub 300 IN DS 60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118", "DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"},
		{"@ 300 IN MX 10 mail", "MX", "10 mail.example.com."},
		{`@ 300 IN NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp.example.com.`, "NAPTR", `100 10 "S" "SIP+D2U" "" _sip._udp.example.com.`},
		{`@ 300 IN NAPTR 100 50 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .`, "NAPTR", `100 50 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .`},
		{"sub 300 IN NS ns1.sub", "NS", "ns1.sub.example.com."},
		{"1.2 300 IN PTR host.example.net.", "PTR", "host.example.net."},
		{`@ 300 IN SPF "v=spf1 -all"`, "SPF", `"v=spf1 -all"`},
		{"_sip._tcp 300 IN SRV 10 60 5060 sipserver", "SRV", "10 60 5060 sipserver.example.com."},
		{`@ 300 IN TXT "hello world"`, "TXT", `"hello world"`},
		{`@ 300 IN TXT "part one" "part two"`, "TXT", `"part one" "part two"`},
		{`@ 300 IN TXT unquoted`, "TXT", `"unquoted"`},
		{`@ 300 IN TXT "say \"hi\""`, "TXT", `"say \"hi\""`},
		{`@ 300 IN TXT "caf\195\169"`, "TXT", `"caf\303\251"`},
		{`@ 300 IN TXT "tab\009x"`, "TXT", `"tab\011x"`},
		{"_443._tcp 300 IN TLSA 3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6", "TLSA",
			"3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6"},
		{"host 300 IN SSHFP 4 2 123456789ABCDEF67890123456789ABCDEF67890123456789ABCDEF123456789", "SSHFP",
			"4 2 123456789ABCDEF67890123456789ABCDEF67890123456789ABCDEF123456789"},
		{"svc 300 IN SVCB 1 svc.example.net. alpn=h2,h3 port=8443", "SVCB", "1 svc.example.net. alpn=h2,h3 port=8443"},
		{"svc 300 IN SVCB 0 pool", "SVCB", "0 pool.example.com."},
		{"@ 300 IN HTTPS 1 . alpn=h3 ipv4hint=192.0.2.1", "HTTPS", "1 . alpn=h3 ipv4hint=192.0.2.1"},
	}
	for _, tc := range tests {
		t.Run(tc.typ+"/"+tc.line, func(t *testing.T) {
			plan, err := parseZoneFile(strings.NewReader(tc.line+"\n"), "test.db", "example.com.", "example.com.")
			if err != nil {
				t.Fatalf("parseZoneFile: %v", err)
			}
			if len(plan.Sets) != 1 {
				t.Fatalf("got %d record sets, want 1", len(plan.Sets))
			}
			s := plan.Sets[0]
			if s.Type != tc.typ {
				t.Errorf("type = %q, want %q", s.Type, tc.typ)
			}
			if !reflect.DeepEqual(s.Values, []string{tc.want}) {
				t.Errorf("values = %q, want [%q]", s.Values, tc.want)
			}
			// The value must be one Meridian's own validator accepts.
			for _, v := range s.Values {
				if err := zone.ValidateValue(s.Type, v); err != nil {
					t.Errorf("zone.ValidateValue(%s, %q): %v", s.Type, v, err)
				}
			}
		})
	}
}

// TestParseZoneFileGrouping checks $ORIGIN, $TTL, @, relative names,
// multi-line records, grouping by (name, type), the smallest TTL per group,
// duplicates and the apex SOA and NS being skipped.
func TestParseZoneFileGrouping(t *testing.T) {
	const file = `$ORIGIN example.com.
$TTL 3600
@	IN	SOA	ns1.example.com. hostmaster.example.com. (
		2024010101 ; serial
		7200       ; refresh
		900        ; retry
		1209600    ; expire
		86400 )    ; minimum
@	172800	IN	NS	ns1.example.com.
@	172800	IN	NS	ns2.example.com.
www	300	IN	A	192.0.2.1
www	60	IN	A	192.0.2.2
WWW	300	IN	A	192.0.2.1 ; a duplicate
	IN	AAAA	2001:db8::1
*.wild	IN	TXT	( "first"
		"second" )
mail.example.com.	IN	MX	10 @
$ORIGIN sub.example.com.
@	IN	NS	ns1
x	IN	A	192.0.2.9
$TTL 120
y	IN	CNAME	x
sub.example.com.	IN	A	192.0.2.10
`
	plan, err := parseZoneFile(strings.NewReader(file), "example.db", "example.com.", "example.com.")
	if err != nil {
		t.Fatalf("parseZoneFile: %v", err)
	}
	want := []recordSet{
		{Name: "www.example.com.", Type: "A", TTL: 60, Values: []string{"192.0.2.1", "192.0.2.2"}},
		{Name: "www.example.com.", Type: "AAAA", TTL: 3600, Values: []string{"2001:db8::1"}},
		{Name: `\052.wild.example.com.`, Type: "TXT", TTL: 3600, Values: []string{`"first" "second"`}},
		{Name: "mail.example.com.", Type: "MX", TTL: 3600, Values: []string{"10 example.com."}},
		{Name: "sub.example.com.", Type: "NS", TTL: 3600, Values: []string{"ns1.sub.example.com."}},
		{Name: "x.sub.example.com.", Type: "A", TTL: 3600, Values: []string{"192.0.2.9"}},
		{Name: "y.sub.example.com.", Type: "CNAME", TTL: 120, Values: []string{"x.sub.example.com."}},
		{Name: "sub.example.com.", Type: "A", TTL: 120, Values: []string{"192.0.2.10"}},
	}
	if !reflect.DeepEqual(plan.Sets, want) {
		t.Errorf("sets:\n got %+v\nwant %+v", plan.Sets, want)
	}
	if plan.ApexSOA != 1 || plan.ApexNS != 2 || plan.Duplicates != 1 || plan.MixedTTL != 1 || plan.Records != 9 {
		t.Errorf("counts: SOA %d NS %d dup %d mixed %d records %d, want 1 2 1 1 9",
			plan.ApexSOA, plan.ApexNS, plan.Duplicates, plan.MixedTTL, plan.Records)
	}
	notes := strings.Join(plan.notes(), "\n")
	for _, frag := range []string{"apex SOA (1 record) and NS (2 records)", "1 record repeated", "1 record set had records with different TTLs"} {
		if !strings.Contains(notes, frag) {
			t.Errorf("notes %q lack %q", notes, frag)
		}
	}
}

func TestParseZoneFileOriginAndSkips(t *testing.T) {
	// The file's names are relative to a different origin than the zone.
	const file = "www 300 IN A 192.0.2.1\n" +
		"www 300 IN LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m\n" +
		"www 300 IN HINFO \"PC\" \"Linux\"\n" +
		"www 300 IN LOC 52 22 24.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m\n"
	plan, err := parseZoneFile(strings.NewReader(file), "f.db", "eu.example.com", "example.com.")
	if err != nil {
		t.Fatalf("parseZoneFile: %v", err)
	}
	if len(plan.Sets) != 1 || plan.Sets[0].Name != "www.eu.example.com." {
		t.Fatalf("sets = %+v, want only www.eu.example.com. A", plan.Sets)
	}
	if got, want := plan.Unsupported, map[string]int{"LOC": 2, "HINFO": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("unsupported = %v, want %v", got, want)
	}
	if notes := strings.Join(plan.notes(), "\n"); !strings.Contains(notes, "HINFO (1), LOC (2)") {
		t.Errorf("notes %q do not list the skipped types", notes)
	}
}

func TestParseZoneFileErrors(t *testing.T) {
	tests := []struct {
		name, file, origin, want string
	}{
		{"outside the zone", "www.other.org. 300 IN A 192.0.2.1\n", "example.com.", "outside the zone example.com."},
		{"parent of the zone", "com. 300 IN A 192.0.2.1\n", "example.com.", "outside the zone"},
		{"class CH", "www 300 CH A 192.0.2.1\n", "example.com.", "only class IN"},
		{"SOA below the apex", "sub 300 IN SOA ns. host. 1 2 3 4 5\n", "example.com.", "only at its apex"},
		{"syntax", "www 300 IN A not-an-address\n", "example.com.", "parsing z.db"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseZoneFile(strings.NewReader(tc.file), "z.db", tc.origin, "example.com.")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestEscapeConversion(t *testing.T) {
	tests := []struct{ decimal, octal string }{
		{`"plain"`, `"plain"`},
		{`"caf\195\169"`, `"caf\303\251"`},
		{`"\000\032\127\255"`, `"\000\040\177\377"`},
		{`"a\"b\\c"`, `"a\"b\\c"`},
		{`"\\123"`, `"\\123"`}, // an escaped backslash followed by digits
	}
	for _, tc := range tests {
		if got := zone.DecimalToOctalEscapes(tc.decimal); got != tc.octal {
			t.Errorf("DecimalToOctalEscapes(%s) = %s, want %s", tc.decimal, got, tc.octal)
		}
		if got := zone.OctalToDecimalEscapes(tc.octal); got != tc.decimal {
			t.Errorf("OctalToDecimalEscapes(%s) = %s, want %s", tc.octal, got, tc.decimal)
		}
	}
}

func TestPresentationLabels(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{".", nil, false},
		{"WWW.Example.COM.", []string{"www", "example", "com"}, false},
		{`a\.b.example.`, []string{"a.b", "example"}, false},
		{`\042x.example.`, []string{`*x`, "example"}, false},
		{"*.example.", []string{"*", "example"}, false},
		{"relative", nil, true},
		{`bad\.`, nil, true},
		{`\999.example.`, nil, true},
	}
	for _, tc := range tests {
		got, err := presentationLabels(tc.in)
		if (err != nil) != tc.wantErr || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("presentationLabels(%q) = %q, %v; want %q (error %t)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestUnquoteSVCBParams(t *testing.T) {
	tests := []struct{ in, want string }{
		{`1 . alpn="h2,h3" port="443"`, `1 . alpn=h2,h3 port=443`},
		{`1 "odd" alpn="h3"`, `1 "odd" alpn=h3`},
		{`1 . key65001="a b" port="8443"`, `1 . key65001="a b" port=8443`},
		{`1 . key65001="a\"b"`, `1 . key65001="a\"b"`},
		{`1 . no-default-alpn alpn=""`, `1 . no-default-alpn alpn=""`},
		{`0 target.example.`, `0 target.example.`},
	}
	for _, tc := range tests {
		if got := unquoteSVCBParams(tc.in); got != tc.want {
			t.Errorf("unquoteSVCBParams(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
