package cli

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// rrset builds a record set as ListResourceRecordSets returns it.
func rrset(name string, typ types.RRType, ttl int64, values ...string) types.ResourceRecordSet {
	s := types.ResourceRecordSet{Name: aws.String(name), Type: typ, TTL: aws.Int64(ttl)}
	for _, v := range values {
		s.ResourceRecords = append(s.ResourceRecords, types.ResourceRecord{Value: aws.String(v)})
	}
	return s
}

func TestRenderZoneFile(t *testing.T) {
	weighted := rrset("api.example.com.", types.RRTypeA, 60, "192.0.2.7", "192.0.2.8")
	weighted.SetIdentifier, weighted.Weight, weighted.HealthCheckId = aws.String("blue"), aws.Int64(10), aws.String("hc-1")
	apexAlias := types.ResourceRecordSet{Name: aws.String("example.com."), Type: types.RRTypeAaaa,
		AliasTarget: &types.AliasTarget{HostedZoneId: aws.String("Z35SXDOTRQ7X7K"), DNSName: aws.String("lb.example.net."), EvaluateTargetHealth: true}}
	geoAlias := types.ResourceRecordSet{Name: aws.String("geo.example.com."), Type: types.RRTypeA, SetIdentifier: aws.String("eu"),
		GeoLocation: &types.GeoLocation{ContinentCode: aws.String("EU")},
		AliasTarget: &types.AliasTarget{HostedZoneId: aws.String("Z1"), DNSName: aws.String("www.example.com.")}}
	checked := rrset("hc.example.com.", types.RRTypeA, 300, "192.0.2.9")
	checked.HealthCheckId = aws.String("hc-2")
	sets := []types.ResourceRecordSet{
		apexAlias,
		rrset("example.com.", types.RRTypeMx, 300, "10 mail.example.com", "20 mx.example.net."),
		rrset("example.com.", types.RRTypeNs, 172800, "ns-1.awsdns-00.com.", "ns-600.awsdns-11.net."),
		rrset("example.com.", types.RRTypeSoa, 900, "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"),
		rrset("example.com.", types.RRTypeTxt, 300, `"v=spf1 -all"`, `"caf\303\251" "two"`),
		weighted,
		geoAlias,
		checked,
		rrset(`\052.wild.example.com.`, types.RRTypeCname, 300, "www.example.com"),
		rrset("www.example.com.", types.RRTypeA, 300, "192.0.2.1"),
		rrset("bad.example.com.", types.RRTypeA, 300, "not-an-ip"),
		rrset("other.example.org.", types.RRTypeA, 300, "192.0.2.3"),
	}
	res, err := renderZoneFile(zoneRef{ID: "Z123", Name: "example.com."}, sets)
	if err != nil {
		t.Fatal(err)
	}
	want := `; hosted zone example.com. (Z123), exported by meridian
$ORIGIN example.com.
$TTL 300
@	900	IN	SOA	ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400
@	172800	IN	NS	ns-1.awsdns-00.com.
@	172800	IN	NS	ns-600.awsdns-11.net.
; alias lb.example.net. hosted-zone-id=Z35SXDOTRQ7X7K evaluate-target-health=true
;@	IN	AAAA
@	300	IN	MX	10 mail.example.com.
@	300	IN	MX	20 mx.example.net.
@	300	IN	TXT	"v=spf1 -all"
@	300	IN	TXT	"caf\195\169" "two"
; weighted set-identifier=blue weight=10 health-check-id=hc-1
;api	60	IN	A	192.0.2.7
;api	60	IN	A	192.0.2.8
; geolocation set-identifier=eu continent=EU alias www.example.com. hosted-zone-id=Z1 evaluate-target-health=false
;geo	IN	A
hc	300	IN	A	192.0.2.9	; health-check-id=hc-2
*.wild	300	IN	CNAME	www.example.com.
www	300	IN	A	192.0.2.1
; value does not parse as A:
;bad	300	IN	A	not-an-ip
other.example.org.	300	IN	A	192.0.2.3
`
	if res.Text != want {
		t.Errorf("rendered:\n%s\nwant:\n%s", res.Text, want)
	}
	if res.Sets != 9 || res.Commented != 3 || res.Unparsed != 1 {
		t.Errorf("counts: sets %d commented %d unparsed %d, want 9 3 1", res.Sets, res.Commented, res.Unparsed)
	}
}

// TestImportExportRoundTrip imports a master file, renders the record sets as
// the server would list them, exports them, and imports the export again:
// the record sets must come back the same.
func TestImportExportRoundTrip(t *testing.T) {
	const file = `$ORIGIN example.com.
$TTL 3600
@	IN	SOA	ns1 hostmaster 1 7200 900 1209600 86400
@	IN	NS	ns1
@	IN	MX	10 mail
@	IN	TXT	"v=spf1 include:_spf.example.net -all" "second string"
@	IN	CAA	0 issue "letsencrypt.org"
@	IN	HTTPS	1 . alpn=h2,h3
mail	300	IN	A	192.0.2.25
mail	300	IN	AAAA	2001:db8::25
www	60	IN	A	192.0.2.1
www	60	IN	A	192.0.2.2
*.apps	IN	CNAME	www
_sip._tcp	IN	SRV	10 60 5060 sip
sip	IN	NAPTR	100 10 "S" "SIP+D2U" "" _sip._udp.example.com.
sub	IN	NS	ns1.sub
sub	IN	DS	60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118
ssh	IN	SSHFP	1 1 123456789ABCDEF67890123456789ABCDEF67890
_25._tcp.mail	IN	TLSA	3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6
svc	IN	SVCB	1 svc.example.net. port=8443
1.2	IN	PTR	host.example.com.
spf	IN	SPF	"v=spf1 -all"
odd	IN	TXT	"tab\009and\"quote\" and caf\195\169"
`
	first, err := parseZoneFile(strings.NewReader(file), "in.db", "example.com.", "example.com.")
	if err != nil {
		t.Fatal(err)
	}
	// What the server would list: the apex SOA and NS it owns, then the sets.
	listed := []types.ResourceRecordSet{
		rrset("example.com.", types.RRTypeSoa, 900, "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"),
		rrset("example.com.", types.RRTypeNs, 172800, "ns-1.awsdns-00.com."),
	}
	for _, s := range first.Sets {
		listed = append(listed, rrset(s.Name, types.RRType(s.Type), int64(s.TTL), s.Values...))
	}
	res, err := renderZoneFile(zoneRef{ID: "Z123", Name: "example.com."}, listed)
	if err != nil {
		t.Fatal(err)
	}
	if res.Commented != 0 || res.Unparsed != 0 {
		t.Fatalf("export commented %d and left %d unparsed:\n%s", res.Commented, res.Unparsed, res.Text)
	}
	second, err := parseZoneFile(strings.NewReader(res.Text), "out.db", "example.com.", "example.com.")
	if err != nil {
		t.Fatalf("re-importing the export: %v\n%s", err, res.Text)
	}
	if !reflect.DeepEqual(first.Sets, second.Sets) {
		t.Errorf("round trip changed the record sets:\nfirst  %+v\nsecond %+v\nexport:\n%s", first.Sets, second.Sets, res.Text)
	}
	if second.ApexSOA != 1 || second.ApexNS != 1 {
		t.Errorf("re-import skipped SOA %d NS %d, want 1 and 1", second.ApexSOA, second.ApexNS)
	}
}

func TestBindOwner(t *testing.T) {
	origin := []string{"example", "com"}
	tests := []struct {
		labels []string
		want   string
	}{
		{[]string{"example", "com"}, "@"},
		{[]string{"www", "example", "com"}, "www"},
		{[]string{"*", "example", "com"}, "*"},
		{[]string{"a.b", "example", "com"}, `a\046b`},
		{[]string{"x", "example", "org"}, "x.example.org."},
		{[]string{"com"}, "com."},
	}
	for _, tc := range tests {
		if got := bindOwner(tc.labels, origin); got != tc.want {
			t.Errorf("bindOwner(%q) = %q, want %q", tc.labels, got, tc.want)
		}
	}
}
