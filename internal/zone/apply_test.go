package zone

import (
	"fmt"
	"strings"
	"testing"
)

func TestApplyNames(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	tooLongName := strings.Join([]string{long63, long63, long63, long63}, ".") + ".example.com"
	runApplyCases(t, []applyCase{
		{
			name:     "name outside the zone",
			batch:    batch(create(rr("www.other.com", "A", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name www.other.com. is not permitted in zone example.com."},
		},
		{
			name:     "suffix that is not a label boundary",
			batch:    batch(create(rr("notexample.com", "A", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name notexample.com. is not permitted in zone example.com."},
		},
		{
			name:     "empty name is the root",
			batch:    batch(create(rr("", "A", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name . is not permitted in zone example.com."},
		},
		{
			name: "case and escapes are canonicalized",
			batch: batch(
				create(rr("WWW.Example.COM.", "A", "192.0.2.1")),
				create(rr("@x.example.com", "TXT", `"hi"`)),
				create(rr(`a\.b.example.com`, "TXT", `"dot"`)),
				create(rr(`\101pex.example.com`, "A", "192.0.2.2")),
			),
			check: wantPut(
				Key{Name: "www.example.com.", Type: "A"},
				Key{Name: `\100x.example.com.`, Type: "TXT"},
				Key{Name: `a\056b.example.com.`, Type: "TXT"},
				Key{Name: "apex.example.com.", Type: "A"},
			),
		},
		{
			name:  "the apex itself is in the zone",
			batch: batch(create(rr("EXAMPLE.com", "MX", "10 mail.example.com"))),
			check: wantPut(Key{Name: "example.com.", Type: "MX"}),
		},
		{
			name:     "label too long",
			batch:    batch(create(rr(strings.Repeat("a", 64)+".example.com", "A", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Invalid Resource Record: FATAL problem: DomainLabelTooLong (Domain label is too long) encountered with '" + strings.Repeat("a", 64) + ".example.com'"},
		},
		{
			name:  "label of 63 is fine",
			batch: batch(create(rr(long63+".example.com", "A", "192.0.2.1"))),
		},
		{
			name:     "name too long",
			batch:    batch(create(rr(tooLongName, "A", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Invalid Resource Record: FATAL problem: DomainNameTooLong (Domain name is too long) encountered with '" + tooLongName + "'"},
		},
		{
			name:     "empty label",
			batch:    batch(create(rr("a..example.com", "A", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Invalid Resource Record: FATAL problem: DomainLabelEmpty (Domain label is empty) encountered with 'a..example.com'"},
		},
		{
			name:     "name over 1024 characters is InvalidInput",
			batch:    batch(create(rr(strings.Repeat("a.", 513), "A", "192.0.2.1"))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '" + strings.Repeat("a.", 513) + "' at 'changeBatch.changes.1.member.resourceRecordSet.name' failed to satisfy constraint: Member must have length less than or equal to 1024"},
		},
		{
			name:  "wildcard A record",
			batch: batch(create(rr("*.example.com", "A", "192.0.2.1")), create(rr("a.*.example.com", "A", "192.0.2.1"))),
			check: wantPut(Key{Name: `\052.example.com.`, Type: "A"}, Key{Name: `a.\052.example.com.`, Type: "A"}),
		},
		{
			name:     "NS may not be a wildcard",
			batch:    batch(create(rr("*.example.com", "NS", "ns1.other.net."))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{`RRSet of type NS with DNS name \052.example.com. is not permitted because NS records cannot be wildcards in zone example.com.`},
		},
		{
			name:  "delegation NS below the apex",
			batch: batch(create(rr("sub.example.com", "NS", "ns1.other.net.", "ns2.other.net."))),
		},
	})
}

func TestApplyEnumsAndValues(t *testing.T) {
	many := func(n int) []string {
		vs := make([]string, n)
		for i := range vs {
			vs[i] = fmt.Sprintf("10.0.%d.%d", i/256, i%256)
		}
		return vs
	}
	bigTXT := `"` + strings.Repeat("x", 4000) + `"`
	runApplyCases(t, []applyCase{
		{
			name:     "unknown action",
			batch:    batch(Change{Action: "MODIFY", RRSet: rr("www.example.com", "A", "192.0.2.1")}),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid XML ; cvc-enumeration-valid: Value 'MODIFY' is not facet-valid with respect to enumeration '[CREATE, DELETE, UPSERT]'. It must be a value from the enumeration."},
		},
		{
			name:     "unknown type",
			batch:    batch(create(rr("www.example.com", "AA", "192.0.2.1"))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid XML ; cvc-enumeration-valid: Value 'AA' is not facet-valid with respect to enumeration '[SOA, A, TXT, NS, CNAME, MX, NAPTR, PTR, SRV, SPF, AAAA, CAA, DS, TLSA, SSHFP, SVCB, HTTPS]'. It must be a value from the enumeration."},
		},
		{
			name:     "type is case-sensitive",
			batch:    batch(create(rr("www.example.com", "a", "192.0.2.1"))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid XML ; cvc-enumeration-valid: Value 'a' is not facet-valid with respect to enumeration '[SOA, A, TXT, NS, CNAME, MX, NAPTR, PTR, SRV, SPF, AAAA, CAA, DS, TLSA, SSHFP, SVCB, HTTPS]'. It must be a value from the enumeration."},
		},
		{
			name:     "negative TTL",
			batch:    batch(create(with(rr("www.example.com", "A", "192.0.2.1"), func(r *RRSet) { r.TTL = i64(-1) }))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '-1' at 'changeBatch.changes.1.member.resourceRecordSet.tTL' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		},
		{
			name: "TTL too large, in the second change",
			batch: batch(
				create(rr("ok.example.com", "A", "192.0.2.1")),
				create(with(rr("www.example.com", "A", "192.0.2.1"), func(r *RRSet) { r.TTL = i64(2147483648) })),
			),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '2147483648' at 'changeBatch.changes.2.member.resourceRecordSet.tTL' failed to satisfy constraint: Member must have value less than or equal to 2147483647"},
		},
		{
			name: "TTL bounds accepted",
			batch: batch(
				create(with(rr("a.example.com", "A", "192.0.2.1"), func(r *RRSet) { r.TTL = i64(0) })),
				create(with(rr("b.example.com", "A", "192.0.2.1"), func(r *RRSet) { r.TTL = i64(2147483647) })),
			),
		},
		{
			name:  "400 values accepted",
			batch: batch(create(rr("many.example.com", "A", many(400)...))),
		},
		{
			name:     "401 values rejected",
			batch:    batch(create(rr("many.example.com", "A", many(401)...))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name many.example.com., type A contains more than 400 resource records"},
		},
		{
			name:     "duplicate value",
			batch:    batch(create(rr("d.example.com", "A", "192.0.2.1", "192.0.2.2", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Duplicate Resource Record: '192.0.2.1'"},
		},
		{
			name:     "value over 4000 characters",
			batch:    batch(create(rr("t.example.com", "TXT", `"a"`, bigTXT))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '" + bigTXT + "' at 'changeBatch.changes.1.member.resourceRecordSet.resourceRecords.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 4000"},
		},
		{
			name: "every bad value in the batch is reported",
			batch: batch(
				create(rr("a.example.com", "A", "192.0.2.256", "192.0.2 .1")),
				create(rr("b.example.com", "AAAA", "2001:db8::g")),
				create(rr("t.example.com", "TXT", "two words")),
			),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{
				"Invalid Resource Record: FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '192.0.2.256'",
				"Invalid Resource Record: FATAL problem: ARRDATANotSingleField (Value contains spaces) encountered with '192.0.2 .1'",
				"Invalid Resource Record: FATAL problem: AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address) encountered with '2001:db8::g'",
				"Invalid Resource Record: FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with 'two words'",
			},
		},
		{
			name: "values of every type accepted",
			batch: batch(
				create(rr("v.example.com", "AAAA", "2001:db8::1")),
				create(rr("v.example.com", "CAA", `0 issue "ca.example.net"`)),
				create(rr("c.example.com", "CNAME", "target.example.net")),
				create(rr("v.example.com", "DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118")),
				create(rr("v.example.com", "MX", "10 mail.example.com")),
				create(rr("v.example.com", "NAPTR", `100 50 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .`)),
				create(rr("v.example.com", "PTR", "host.example.com")),
				create(rr("v.example.com", "SPF", `"v=spf1 -all"`)),
				create(rr("_sip._tcp.example.com", "SRV", "10 5 5060 sip.example.com")),
				create(rr("v.example.com", "TXT", `"a" "b"`)),
				create(rr("_443._tcp.example.com", "TLSA", "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6")),
				create(rr("v.example.com", "SSHFP", "1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac")),
				create(rr("v.example.com", "SVCB", `1 svc.example.com. alpn=h2,h3 port=8443`)),
				create(rr("v.example.com", "HTTPS", `1 . alpn="h3,h2" ipv4hint=192.0.2.1`)),
			),
		},
	})
}

func TestApplyExclusivity(t *testing.T) {
	runApplyCases(t, []applyCase{
		{
			name:     "neither alias nor values; name echoed as sent",
			batch:    batch(create(RRSet{Name: "WWW.example.com", Type: "A"})),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=CREATE, Name=WWW.example.com, Type=A, SetIdentifier=null]"},
		},
		{
			name:     "TTL without values",
			batch:    batch(upsert(RRSet{Name: "www.example.com", Type: "A", TTL: i64(60)})),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=UPSERT, Name=www.example.com, Type=A, SetIdentifier=null]"},
		},
		{
			name:     "values without TTL",
			batch:    batch(del(RRSet{Name: "www.example.com", Type: "A", Values: []string{"192.0.2.1"}})),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=DELETE, Name=www.example.com, Type=A, SetIdentifier=null]"},
		},
		{
			name:     "alias with a TTL",
			batch:    batch(create(with(aliasTo("a.example.com", "A", "Z2BJ6XQ5FK7U4H", "x.awsglobalaccelerator.com"), func(r *RRSet) { r.TTL = i64(60) }))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one in Change with [Action=CREATE, Name=a.example.com, Type=A, SetIdentifier=null]"},
		},
		{
			name: "alias with TTL and values, with a SetIdentifier",
			batch: batch(create(weighted(with(rr("w.example.com", "A", "192.0.2.1"), func(r *RRSet) {
				r.AliasTarget = &AliasTarget{HostedZoneID: "Z2BJ6XQ5FK7U4H", DNSName: "x.awsglobalaccelerator.com"}
			}), "one", 10))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one in Change with [Action=CREATE, Name=w.example.com, Type=A, SetIdentifier=one]"},
		},
		{
			name:  "traffic policy instance alone",
			batch: batch(create(RRSet{Name: "tp.example.com", Type: "A", TrafficPolicyInstanceID: "12345678-abcd"})),
			check: func(t *testing.T, res *Result) {
				if len(res.Put) != 1 || res.Put[0].TrafficPolicyInstanceID != "12345678-abcd" {
					t.Fatalf("Put = %+v", res.Put)
				}
			},
		},
	})
}

func TestApplyCNAME(t *testing.T) {
	runApplyCases(t, []applyCase{
		{
			name:     "CNAME at apex",
			batch:    batch(create(rr("example.com", "CNAME", "other.net"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone example.com."},
		},
		{
			name:     "alias CNAME at apex",
			current:  []RRSet{rr("www.example.com", "CNAME", "other.net")},
			batch:    batch(create(aliasTo("example.com.", "CNAME", testZoneID, "www.example.com"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone example.com."},
		},
		{
			name:     "CNAME next to existing records",
			current:  []RRSet{rr("y.example.com.", "A", "192.0.2.1")},
			batch:    batch(create(rr("y.example.com", "CNAME", "other.net"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet of type CNAME with DNS name y.example.com. is not permitted as it conflicts with other records with the same DNS name in zone example.com."},
		},
		{
			name:     "other type next to an existing CNAME",
			current:  []RRSet{rr("x.example.com.", "CNAME", "other.net")},
			batch:    batch(create(rr("x.example.com", "A", "192.0.2.1")), create(rr("x.example.com", "TXT", `"t"`))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{
				"RRSet of type A with DNS name x.example.com. is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone example.com.",
				"RRSet of type TXT with DNS name x.example.com. is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone example.com.",
			},
		},
		{
			name:    "replace A by CNAME in one batch",
			current: []RRSet{rr("y.example.com.", "A", "192.0.2.1")},
			batch:   batch(del(rr("y.example.com", "A", "192.0.2.1")), create(rr("y.example.com", "CNAME", "other.net"))),
			check: func(t *testing.T, res *Result) {
				if len(res.Delete) != 1 || len(res.Put) != 1 || res.Count != 3 {
					t.Fatalf("result = %+v", res)
				}
			},
		},
		{
			name:  "weighted CNAMEs share a name",
			batch: batch(create(weighted(rr("c.example.com", "CNAME", "a.net"), "a", 1)), create(weighted(rr("c.example.com", "CNAME", "b.net"), "b", 1))),
		},
		{
			name:     "CNAME with two values",
			batch:    batch(create(rr("c.example.com", "CNAME", "a.net", "b.net"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet of type CNAME with DNS name c.example.com. is not permitted because a CNAME record set must contain exactly one value"},
		},
	})
}

func TestApplyApexRecords(t *testing.T) {
	defaults := testDefaults()
	soa, ns := defaults[0], defaults[1]
	newSOA := with(soa, func(r *RRSet) { r.Values = []string{strings.Replace(soa.Values[0], " 1 7200", " 2 7200", 1)} })
	newNS := with(ns, func(r *RRSet) { r.Values = []string{"ns1.example.net.", "ns2.example.net."} })
	runApplyCases(t, []applyCase{
		{
			name:     "delete the SOA",
			batch:    batch(del(soa)),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"A HostedZone must contain exactly one SOA record."},
		},
		{
			name:     "delete the apex NS",
			batch:    batch(del(ns)),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"A HostedZone must contain at least one NS record for the zone itself."},
		},
		{
			name:  "UPSERT the SOA",
			batch: batch(upsert(newSOA)),
			check: wantPut(Key{Name: "example.com.", Type: "SOA"}),
		},
		{
			name:  "DELETE and CREATE the apex NS",
			batch: batch(del(ns), create(newNS)),
			check: func(t *testing.T, res *Result) {
				if len(res.Delete) != 0 || len(res.Put) != 1 || res.Put[0].Values[0] != "ns1.example.net." || res.Count != 2 {
					t.Fatalf("result = %+v", res)
				}
			},
		},
		{
			name:     "SOA below the apex",
			batch:    batch(create(rr("sub.example.com", "SOA", soa.Values[0]))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet of type SOA with DNS name sub.example.com. is not permitted because SOA records are permitted only at apex in zone example.com."},
		},
		{
			name:     "two SOA values",
			batch:    batch(upsert(with(soa, func(r *RRSet) { r.Values = []string{soa.Values[0], newSOA.Values[0]} }))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"A HostedZone must contain exactly one SOA record."},
		},
		{
			name:     "create a second SOA",
			batch:    batch(create(newSOA)),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to create resource record set [name='example.com.', type='SOA'] but it already exists"},
		},
		{
			name:     "delete the SOA with wrong values",
			batch:    batch(del(newSOA)),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='example.com.', type='SOA'] but the values provided do not match the current values"},
		},
	})
}

func TestApplyCreateDelete(t *testing.T) {
	www := rr("www.example.com.", "A", "192.0.2.1", "192.0.2.2")
	w1 := weighted(rr("w.example.com.", "A", "192.0.2.1"), "one", 10)
	hc := with(rr("h.example.com.", "A", "192.0.2.1"), func(r *RRSet) { r.HealthCheckID = "hc-1" })
	mvFalse := with(rr("m.example.com.", "A", "192.0.2.1"), func(r *RRSet) { r.MultiValueAnswer = boolp(false) })
	target := rr("t.example.com.", "A", "192.0.2.9")
	al := aliasTo("al.example.com.", "A", testZoneID, "t.example.com.")
	runApplyCases(t, []applyCase{
		{
			name:     "CREATE of an existing record set",
			current:  []RRSet{www},
			batch:    batch(create(rr("www.example.com", "A", "192.0.2.3"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to create resource record set [name='www.example.com.', type='A'] but it already exists"},
		},
		{
			name:     "CREATE of an existing record set with a SetIdentifier",
			current:  []RRSet{w1},
			batch:    batch(create(weighted(rr("w.example.com", "A", "192.0.2.7"), "one", 5))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to create resource record set [name='w.example.com.', type='A', set-identifier='one'] but it already exists"},
		},
		{
			name:     "DELETE of a missing record set",
			batch:    batch(del(rr("gone.example.com", "A", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='gone.example.com.', type='A'] but it was not found"},
		},
		{
			name:     "DELETE with another TTL",
			current:  []RRSet{www},
			batch:    batch(del(with(www, func(r *RRSet) { r.TTL = i64(60) }))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='www.example.com.', type='A'] but the values provided do not match the current values"},
		},
		{
			name:     "DELETE with a missing value",
			current:  []RRSet{www},
			batch:    batch(del(rr("www.example.com", "A", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='www.example.com.', type='A'] but the values provided do not match the current values"},
		},
		{
			name:    "DELETE with values in another order and the name in upper case",
			current: []RRSet{www},
			batch:   batch(del(rr("WWW.EXAMPLE.COM", "A", "192.0.2.2", "192.0.2.1"))),
			check: func(t *testing.T, res *Result) {
				if len(res.Delete) != 1 || res.Delete[0] != www.Key() || res.Count != 2 {
					t.Fatalf("result = %+v", res)
				}
			},
		},
		{
			name:     "DELETE with another weight",
			current:  []RRSet{w1},
			batch:    batch(del(weighted(rr("w.example.com", "A", "192.0.2.1"), "one", 11))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='w.example.com.', type='A', set-identifier='one'] but the values provided do not match the current values"},
		},
		{
			name:    "DELETE may omit HealthCheckId",
			current: []RRSet{hc},
			batch:   batch(del(rr("h.example.com", "A", "192.0.2.1"))),
		},
		{
			name:     "DELETE with another HealthCheckId",
			current:  []RRSet{hc},
			batch:    batch(del(with(hc, func(r *RRSet) { r.HealthCheckID = "hc-2" }))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='h.example.com.', type='A'] but the values provided do not match the current values"},
		},
		{
			name:    "omitted MultiValueAnswer matches a stored false",
			current: []RRSet{mvFalse},
			batch:   batch(del(rr("m.example.com", "A", "192.0.2.1"))),
		},
		{
			name:    "DELETE of an alias matches the DNS name case-insensitively",
			current: []RRSet{target, al},
			batch:   batch(del(aliasTo("al.example.com", "A", "/hostedzone/"+testZoneID, "T.Example.Com"))),
		},
		{
			name:     "DELETE of an alias with another target",
			current:  []RRSet{target, al},
			batch:    batch(del(aliasTo("al.example.com", "A", testZoneID, "u.example.com"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='al.example.com.', type='A'] but the values provided do not match the current values"},
		},
		{
			name:    "DELETE of an alias with other EvaluateTargetHealth",
			current: []RRSet{target, al},
			batch: batch(del(with(al, func(r *RRSet) {
				r.AliasTarget = &AliasTarget{HostedZoneID: testZoneID, DNSName: "t.example.com.", EvaluateTargetHealth: true}
			}))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='al.example.com.', type='A'] but the values provided do not match the current values"},
		},
		{
			name:     "DELETE of a value record set given as an alias",
			current:  []RRSet{target, www},
			batch:    batch(del(aliasTo("www.example.com", "A", testZoneID, "t.example.com"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='www.example.com.', type='A'] but the values provided do not match the current values"},
		},
		{
			name:     "DELETE of a latency set with another Region",
			current:  []RRSet{latency(target, "l", "us-east-1")},
			batch:    batch(del(latency(target, "l", "us-west-2"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='t.example.com.', type='A', set-identifier='l'] but the values provided do not match the current values"},
		},
		{
			name:     "DELETE of a failover set with another role",
			current:  []RRSet{failover(target, "f", "PRIMARY")},
			batch:    batch(del(failover(target, "f", "SECONDARY"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='t.example.com.', type='A', set-identifier='f'] but the values provided do not match the current values"},
		},
		{
			name:     "DELETE of a geolocation set with another country",
			current:  []RRSet{geo(target, "g", "", "DE", "")},
			batch:    batch(del(geo(target, "g", "", "FR", ""))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='t.example.com.', type='A', set-identifier='g'] but the values provided do not match the current values"},
		},
		{
			name:     "DELETE of an IP-based set with another location",
			current:  []RRSet{cidr(target, "c", "11111111-1111-1111-1111-111111111111", "a")},
			batch:    batch(del(cidr(target, "c", "11111111-1111-1111-1111-111111111111", "b"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='t.example.com.', type='A', set-identifier='c'] but the values provided do not match the current values"},
		},
		{
			name:    "DELETE of matching geoproximity and geolocation sets",
			current: []RRSet{geoprox(target, "p", "us-east-1"), geo(target, "g", "", "DE", "")},
			batch:   batch(del(geoprox(target, "p", "us-east-1")), del(geo(target, "g", "", "DE", ""))),
		},
		{
			name:    "DELETE of a geoproximity set with another bias",
			current: []RRSet{geoprox(target, "p", "us-east-1")},
			batch: batch(del(with(geoprox(target, "p", "us-east-1"), func(r *RRSet) {
				r.GeoProximityLocation.Bias = i64(5)
			}))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='t.example.com.', type='A', set-identifier='p'] but the values provided do not match the current values"},
		},
		{
			name: "DELETE of a geoproximity set with other coordinates",
			current: []RRSet{with(target, func(r *RRSet) {
				r.SetIdentifier = "p"
				r.GeoProximityLocation = &GeoProximityLocation{Coordinates: &Coordinates{Latitude: "1", Longitude: "2"}}
			})},
			batch: batch(del(with(target, func(r *RRSet) {
				r.SetIdentifier = "p"
				r.GeoProximityLocation = &GeoProximityLocation{Coordinates: &Coordinates{Latitude: "1", Longitude: "3"}}
			}))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='t.example.com.', type='A', set-identifier='p'] but the values provided do not match the current values"},
		},
		{
			name:     "DELETE of a traffic policy record set with another instance",
			current:  []RRSet{{Name: "tp.example.com.", Type: "A", TrafficPolicyInstanceID: "tpi-1"}},
			batch:    batch(del(RRSet{Name: "tp.example.com", Type: "A", TrafficPolicyInstanceID: "tpi-2"})),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to delete resource record set [name='tp.example.com.', type='A'] but the values provided do not match the current values"},
		},
		{
			name:    "UPSERT replaces the whole record set",
			current: []RRSet{hc},
			batch:   batch(upsert(rr("h.example.com", "A", "192.0.2.5"))),
			check: func(t *testing.T, res *Result) {
				if len(res.Put) != 1 || res.Put[0].HealthCheckID != "" || res.Put[0].Values[0] != "192.0.2.5" || res.Count != 3 {
					t.Fatalf("result = %+v", res)
				}
			},
		},
	})
}

func TestApplyRepeatedKeys(t *testing.T) {
	www := rr("www.example.com.", "A", "192.0.2.1")
	invalid := func(typ, name string) []string {
		return []string{fmt.Sprintf("The request contains an invalid set of changes for a resource record set '%s %s'", typ, name)}
	}
	runApplyCases(t, []applyCase{
		{
			name:    "DELETE then CREATE",
			current: []RRSet{www},
			batch:   batch(del(www), create(rr("www.example.com", "A", "192.0.2.2"))),
			check: func(t *testing.T, res *Result) {
				if len(res.Delete) != 0 || len(res.Put) != 1 || res.Put[0].Values[0] != "192.0.2.2" || res.Count != 3 {
					t.Fatalf("result = %+v", res)
				}
			},
		},
		{
			name:    "DELETE then UPSERT",
			current: []RRSet{www},
			batch:   batch(del(www), upsert(rr("www.example.com", "A", "192.0.2.2"))),
			check:   wantPut(www.Key()),
		},
		{
			name:     "CREATE twice",
			batch:    batch(create(rr("new.example.com", "A", "192.0.2.1")), create(rr("new.example.com", "A", "192.0.2.2"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: invalid("A", "new.example.com."),
		},
		{
			name:     "UPSERT twice",
			batch:    batch(upsert(rr("new.example.com", "A", "192.0.2.1")), upsert(rr("new.example.com", "A", "192.0.2.2"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: invalid("A", "new.example.com."),
		},
		{
			name:     "DELETE twice",
			current:  []RRSet{www},
			batch:    batch(del(www), del(www)),
			wantCode: "InvalidChangeBatch",
			wantMsgs: invalid("A", "www.example.com."),
		},
		{
			name:     "CREATE then DELETE",
			batch:    batch(create(rr("new.example.com", "A", "192.0.2.1")), del(rr("new.example.com", "A", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: invalid("A", "new.example.com."),
		},
		{
			name:     "DELETE, CREATE, DELETE",
			current:  []RRSet{www},
			batch:    batch(del(www), create(www), del(www)),
			wantCode: "InvalidChangeBatch",
			wantMsgs: invalid("A", "www.example.com."),
		},
		{
			name:     "names differing only in case are one key",
			batch:    batch(create(rr("x.example.com", "A", "192.0.2.1")), create(rr("X.EXAMPLE.COM.", "A", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: invalid("A", "x.example.com."),
		},
		{
			name:  "same name and type, other SetIdentifier, is another key",
			batch: batch(create(weighted(rr("w.example.com", "A", "192.0.2.1"), "a", 1)), create(weighted(rr("w.example.com", "A", "192.0.2.2"), "b", 1))),
		},
	})
}

func TestApplyRoutingFields(t *testing.T) {
	base := rr("r.example.com", "A", "192.0.2.1")
	ctx := func(action, id string) string {
		return fmt.Sprintf(" in Change with [Action=%s, Name=r.example.com, Type=A, SetIdentifier=%s]", action, id)
	}
	const policyList = "[Weight, Region, GeoLocation, Failover, MultiValueAnswer, CidrRoutingConfig, or GeoProximityLocation]"
	const coll = "12345678-90ab-cdef-1234-567890abcdef"
	geoErr := func(g, why string) []string {
		return []string{"Invalid request: Unsupported GeoLocation " + g + " (" + why + ")" + ctx("CREATE", "g")}
	}
	withGeoProx := func(g GeoProximityLocation) RRSet {
		return with(base, func(r *RRSet) { r.SetIdentifier, r.GeoProximityLocation = "p", &g })
	}
	runApplyCases(t, []applyCase{
		{
			name:     "policy field without SetIdentifier",
			batch:    batch(create(with(rr("recordset.", "A", "192.0.2.1"), func(r *RRSet) { r.Weight = i64(10) }))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid request: Missing field 'SetIdentifier' in Change with [Action=CREATE, Name=recordset., Type=A, SetIdentifier=null]"},
		},
		{
			name:     "SetIdentifier without policy field",
			batch:    batch(create(with(base, func(r *RRSet) { r.SetIdentifier = "s1" }))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid request: Expected one of " + policyList + " with a SetIdentifier, but found none" + ctx("CREATE", "s1")},
		},
		{
			name:     "MultiValueAnswer false is no policy",
			batch:    batch(upsert(with(base, func(r *RRSet) { r.SetIdentifier, r.MultiValueAnswer = "s1", boolp(false) }))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid request: Expected one of " + policyList + " with a SetIdentifier, but found none" + ctx("UPSERT", "s1")},
		},
		{
			name:     "two policy fields",
			batch:    batch(create(with(weighted(base, "s1", 1), func(r *RRSet) { r.Region = "us-east-1" }))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid request: Expected at most one of " + policyList + ", but found more than one" + ctx("CREATE", "s1")},
		},
		{
			name:     "SetIdentifier over 128 characters",
			batch:    batch(create(weighted(base, strings.Repeat("s", 129), 1))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '" + strings.Repeat("s", 129) + "' at 'changeBatch.changes.1.member.resourceRecordSet.setIdentifier' failed to satisfy constraint: Member must have length less than or equal to 128"},
		},
		{
			name:     "weight 256",
			batch:    batch(create(weighted(base, "w", 256))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '256' at 'changeBatch.changes.1.member.resourceRecordSet.weight' failed to satisfy constraint: Member must have value less than or equal to 255"},
		},
		{
			name:     "weight -1",
			batch:    batch(create(weighted(base, "w", -1))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '-1' at 'changeBatch.changes.1.member.resourceRecordSet.weight' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		},
		{
			name:  "weights 0 and 255",
			batch: batch(create(weighted(base, "a", 0)), create(weighted(base, "b", 255))),
		},
		{
			name:     "unknown latency region",
			batch:    batch(create(latency(base, "l", "mars-north-1"))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid XML ; cvc-enumeration-valid: Value 'mars-north-1' is not facet-valid with respect to enumeration '[" + strings.Join(LatencyRegions(), ", ") + "]'. It must be a value from the enumeration."},
		},
		{
			name: "every latency region",
			batch: func() ChangeBatch {
				var cs []Change
				for _, reg := range LatencyRegions() {
					cs = append(cs, create(latency(base, reg, reg)))
				}
				return batch(cs...)
			}(),
		},
		{
			name:     "unknown failover role",
			batch:    batch(create(failover(base, "f", "TERTIARY"))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid XML ; cvc-enumeration-valid: Value 'TERTIARY' is not facet-valid with respect to enumeration '[PRIMARY, SECONDARY]'. It must be a value from the enumeration."},
		},
		{
			name:     "continent with country",
			batch:    batch(create(geo(base, "g", "EU", "DE", ""))),
			wantCode: "InvalidInput",
			wantMsgs: geoErr("[ContinentCode=EU, CountryCode=DE, SubdivisionCode=null]", "ContinentCode cannot be combined with CountryCode or SubdivisionCode"),
		},
		{
			name:     "unknown continent",
			batch:    batch(create(geo(base, "g", "XX", "", ""))),
			wantCode: "InvalidInput",
			wantMsgs: geoErr("[ContinentCode=XX, CountryCode=null, SubdivisionCode=null]", "ContinentCode must be one of AF, AN, AS, EU, NA, OC, SA"),
		},
		{
			name:     "unknown country",
			batch:    batch(create(geo(base, "g", "", "XX", ""))),
			wantCode: "InvalidInput",
			wantMsgs: geoErr("[ContinentCode=null, CountryCode=XX, SubdivisionCode=null]", "CountryCode XX is not supported"),
		},
		{
			name:     "excluded country BV",
			batch:    batch(create(geo(base, "g", "", "BV", ""))),
			wantCode: "InvalidInput",
			wantMsgs: geoErr("[ContinentCode=null, CountryCode=BV, SubdivisionCode=null]", "CountryCode BV is not supported"),
		},
		{
			name:     "empty GeoLocation",
			batch:    batch(create(geo(base, "g", "", "", ""))),
			wantCode: "InvalidInput",
			wantMsgs: geoErr("[ContinentCode=null, CountryCode=null, SubdivisionCode=null]", "one of ContinentCode or CountryCode is required"),
		},
		{
			name:     "subdivision outside the US",
			batch:    batch(create(geo(base, "g", "", "DE", "BY"))),
			wantCode: "InvalidInput",
			wantMsgs: geoErr("[ContinentCode=null, CountryCode=DE, SubdivisionCode=BY]", "SubdivisionCode requires CountryCode US"),
		},
		{
			name:     "US territory is a country, not a subdivision",
			batch:    batch(create(geo(base, "g", "", "US", "PR"))),
			wantCode: "InvalidInput",
			wantMsgs: geoErr("[ContinentCode=null, CountryCode=US, SubdivisionCode=PR]", "SubdivisionCode PR is not a supported subdivision of US"),
		},
		{
			name:     "unknown US subdivision",
			batch:    batch(create(geo(base, "g", "", "US", "ZZ"))),
			wantCode: "InvalidInput",
			wantMsgs: geoErr("[ContinentCode=null, CountryCode=US, SubdivisionCode=ZZ]", "SubdivisionCode ZZ is not a supported subdivision of US"),
		},
		{
			name: "valid geolocations",
			batch: batch(
				create(geo(base, "a", "", "US", "CA")),
				create(geo(base, "b", "", "US", "DC")),
				create(geo(base, "c", "", "PR", "")),
				create(geo(base, "d", "", "*", "")),
				create(geo(base, "e", "AN", "", "")),
				create(geo(base, "f", "", "UA", "")),
				create(geo(base, "g", "", "US", "")),
			),
		},
		{
			name:     "CIDR collection ID not a UUID",
			batch:    batch(create(cidr(base, "c", "not-a-uuid", "office"))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value 'not-a-uuid' at 'changeBatch.changes.1.member.resourceRecordSet.cidrRoutingConfig.collectionId' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}"},
		},
		{
			name:     "CIDR config without a collection",
			batch:    batch(create(cidr(base, "c", "", "office"))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value null at 'changeBatch.changes.1.member.resourceRecordSet.cidrRoutingConfig.collectionId' failed to satisfy constraint: Member must not be null"},
		},
		{
			name:     "CIDR location with a space",
			batch:    batch(create(cidr(base, "c", coll, "an office"))),
			wantCode: "InvalidInput",
			wantMsgs: []string{`1 validation error detected: Value 'an office' at 'changeBatch.changes.1.member.resourceRecordSet.cidrRoutingConfig.locationName' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9A-Za-z_\-\*]+`},
		},
		{
			name:     "CIDR location over 16 characters",
			batch:    batch(create(cidr(base, "c", coll, strings.Repeat("x", 17)))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '" + strings.Repeat("x", 17) + "' at 'changeBatch.changes.1.member.resourceRecordSet.cidrRoutingConfig.locationName' failed to satisfy constraint: Member must have length less than or equal to 16"},
		},
		{
			name:  "valid CIDR locations",
			batch: batch(create(cidr(base, "a", coll, "office-1")), create(cidr(base, "b", coll, "*"))),
		},
		{
			name:     "geoproximity without a location",
			batch:    batch(create(withGeoProx(GeoProximityLocation{Bias: i64(5)}))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid request: Expected exactly one of [AWSRegion, LocalZoneGroup, or Coordinates] in GeoProximityLocation, but found none" + ctx("CREATE", "p")},
		},
		{
			name:     "geoproximity with two locations",
			batch:    batch(create(withGeoProx(GeoProximityLocation{AWSRegion: "us-east-1", Coordinates: &Coordinates{Latitude: "1", Longitude: "2"}}))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid request: Expected exactly one of [AWSRegion, LocalZoneGroup, or Coordinates] in GeoProximityLocation, but found more than one" + ctx("CREATE", "p")},
		},
		{
			name:     "latitude out of range",
			batch:    batch(create(withGeoProx(GeoProximityLocation{Coordinates: &Coordinates{Latitude: "91", Longitude: "0"}}))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '91' at 'changeBatch.changes.1.member.resourceRecordSet.geoProximityLocation.coordinates.latitude' failed to satisfy constraint: Member must be between -90 and 90"},
		},
		{
			name:     "latitude with three decimals",
			batch:    batch(create(withGeoProx(GeoProximityLocation{Coordinates: &Coordinates{Latitude: "12.345", Longitude: "0"}}))),
			wantCode: "InvalidInput",
			wantMsgs: []string{`1 validation error detected: Value '12.345' at 'changeBatch.changes.1.member.resourceRecordSet.geoProximityLocation.coordinates.latitude' failed to satisfy constraint: Member must satisfy regular expression pattern: [-+]?[0-9]{1,2}(\.[0-9]{0,2})?`},
		},
		{
			name:     "latitude over 6 characters",
			batch:    batch(create(withGeoProx(GeoProximityLocation{Coordinates: &Coordinates{Latitude: "+12.345", Longitude: "0"}}))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '+12.345' at 'changeBatch.changes.1.member.resourceRecordSet.geoProximityLocation.coordinates.latitude' failed to satisfy constraint: Member must have length less than or equal to 6"},
		},
		{
			name:     "latitude not a number",
			batch:    batch(create(withGeoProx(GeoProximityLocation{Coordinates: &Coordinates{Latitude: "north", Longitude: "0"}}))),
			wantCode: "InvalidInput",
			wantMsgs: []string{`1 validation error detected: Value 'north' at 'changeBatch.changes.1.member.resourceRecordSet.geoProximityLocation.coordinates.latitude' failed to satisfy constraint: Member must satisfy regular expression pattern: [-+]?[0-9]{1,2}(\.[0-9]{0,2})?`},
		},
		{
			name:     "longitude out of range",
			batch:    batch(create(withGeoProx(GeoProximityLocation{Coordinates: &Coordinates{Latitude: "0", Longitude: "-180.5"}}))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '-180.5' at 'changeBatch.changes.1.member.resourceRecordSet.geoProximityLocation.coordinates.longitude' failed to satisfy constraint: Member must be between -180 and 180"},
		},
		{
			name:     "bias 100",
			batch:    batch(create(withGeoProx(GeoProximityLocation{AWSRegion: "us-east-1", Bias: i64(100)}))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '100' at 'changeBatch.changes.1.member.resourceRecordSet.geoProximityLocation.bias' failed to satisfy constraint: Member must have value less than or equal to 99"},
		},
		{
			name: "valid geoproximity locations",
			batch: batch(
				create(with(withGeoProx(GeoProximityLocation{Coordinates: &Coordinates{Latitude: "-33.87", Longitude: "151.21"}, Bias: i64(-99)}), func(r *RRSet) { r.SetIdentifier = "a" })),
				create(with(withGeoProx(GeoProximityLocation{AWSRegion: "eu-west-1", Bias: i64(99)}), func(r *RRSet) { r.SetIdentifier = "b" })),
				create(with(withGeoProx(GeoProximityLocation{LocalZoneGroup: "us-west-2-den-1"}), func(r *RRSet) { r.SetIdentifier = "c" })),
				create(with(withGeoProx(GeoProximityLocation{Coordinates: &Coordinates{Latitude: "90", Longitude: "+180.0"}}), func(r *RRSet) { r.SetIdentifier = "d" })),
			),
		},
	})
}

func TestApplyCombinations(t *testing.T) {
	api := rr("api.example.com.", "A", "192.0.2.1")
	const coll1 = "11111111-1111-1111-1111-111111111111"
	const coll2 = "22222222-2222-2222-2222-222222222222"
	nWeighted := func(n int, mk func(i int) RRSet) ChangeBatch {
		var cs []Change
		for i := 0; i < n; i++ {
			cs = append(cs, create(mk(i)))
		}
		return batch(cs...)
	}
	runApplyCases(t, []applyCase{
		{
			name:     "SetIdentifier set next to a simple one",
			current:  []RRSet{api},
			batch:    batch(create(failover(rr("api.example.com", "A", "192.0.2.2"), "primary", "PRIMARY"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name api.example.com., type A, SetIdentifier primary cannot be created as a non-weighted set exists with the same name and type."},
		},
		{
			name:     "simple set next to weighted ones",
			current:  []RRSet{weighted(api, "w1", 1)},
			batch:    batch(create(rr("api.example.com", "A", "192.0.2.2"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name api.example.com., type A cannot be created as a weighted set exists with the same name and type."},
		},
		{
			name:    "simple replaced by weighted in one batch",
			current: []RRSet{api},
			batch:   batch(del(api), create(weighted(api, "w1", 1)), create(weighted(rr("api.example.com", "A", "192.0.2.2"), "w2", 1))),
		},
		{
			name:     "two routing policies in one group",
			current:  []RRSet{weighted(api, "w1", 1)},
			batch:    batch(create(latency(rr("api.example.com", "A", "192.0.2.2"), "l1", "us-east-1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name api.example.com., type A, SetIdentifier l1 cannot be created as a weighted set exists with the same name and type; all record sets with the same name and type must use the same routing policy (latency)."},
		},
		{
			name:     "two latency sets for one region",
			current:  []RRSet{latency(api, "a", "us-east-1")},
			batch:    batch(create(latency(rr("api.example.com", "A", "192.0.2.2"), "b", "us-east-1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name api.example.com., type A, SetIdentifier b cannot be created as the set with SetIdentifier a already uses Region us-east-1 with the same name and type."},
		},
		{
			name:    "latency regions swapped in one batch",
			current: []RRSet{latency(api, "a", "us-east-1"), latency(rr("api.example.com.", "A", "192.0.2.2"), "b", "eu-west-1")},
			batch:   batch(upsert(latency(api, "a", "eu-west-1")), upsert(latency(rr("api.example.com.", "A", "192.0.2.2"), "b", "us-east-1"))),
		},
		{
			name:     "two geolocation sets for one location",
			current:  []RRSet{geo(api, "de1", "", "DE", "")},
			batch:    batch(create(geo(rr("api.example.com", "A", "192.0.2.2"), "de2", "", "DE", ""))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name api.example.com., type A, SetIdentifier de2 cannot be created as the set with SetIdentifier de1 already uses GeoLocation [ContinentCode=null, CountryCode=DE, SubdivisionCode=null] with the same name and type."},
		},
		{
			name:    "country and its continent are different locations",
			current: []RRSet{geo(api, "de", "", "DE", "")},
			batch:   batch(create(geo(rr("api.example.com", "A", "192.0.2.2"), "eu", "EU", "", "")), create(geo(rr("api.example.com", "A", "192.0.2.3"), "def", "", "*", ""))),
		},
		{
			name:     "two PRIMARY failover sets",
			current:  []RRSet{failover(api, "p1", "PRIMARY")},
			batch:    batch(create(failover(rr("api.example.com", "A", "192.0.2.2"), "p2", "PRIMARY"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name api.example.com., type A, SetIdentifier p2 cannot be created as the set with SetIdentifier p1 already uses Failover PRIMARY with the same name and type."},
		},
		{
			name:  "PRIMARY and SECONDARY",
			batch: batch(create(failover(api, "p", "PRIMARY")), create(failover(rr("api.example.com", "A", "192.0.2.2"), "s", "SECONDARY"))),
		},
		{
			name:     "two records for one CIDR location",
			current:  []RRSet{cidr(api, "a", coll1, "office")},
			batch:    batch(create(cidr(rr("api.example.com", "A", "192.0.2.2"), "b", coll1, "office"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name api.example.com., type A, SetIdentifier b cannot be created as the set with SetIdentifier a already uses CIDR location office with the same name and type."},
		},
		{
			name:     "two CIDR collections in one group",
			current:  []RRSet{cidr(api, "a", coll1, "office")},
			batch:    batch(create(cidr(rr("api.example.com", "A", "192.0.2.2"), "b", coll2, "home"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name api.example.com., type A, SetIdentifier b cannot be created as the sets with the same name and type use CIDR collection " + coll1 + "; all of them must use the same CIDR collection."},
		},
		{
			name: "100 weighted sets",
			batch: nWeighted(100, func(i int) RRSet {
				return weighted(rr("big.example.com", "A", "192.0.2.1"), fmt.Sprint(i), 1)
			}),
		},
		{
			name: "101 weighted sets",
			batch: nWeighted(101, func(i int) RRSet {
				return weighted(rr("big.example.com", "A", "192.0.2.1"), fmt.Sprint(i), 1)
			}),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name big.example.com., type A cannot have more than 100 weighted record sets with the same name and type."},
		},
		{
			name: "31 geoproximity sets",
			batch: nWeighted(31, func(i int) RRSet {
				return geoprox(rr("gp.example.com", "A", "192.0.2.1"), fmt.Sprint(i), "us-east-1")
			}),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name gp.example.com., type A cannot have more than 30 geoproximity record sets with the same name and type."},
		},
		{
			name:     "weighted NS",
			batch:    batch(create(weighted(rr("sub.example.com", "NS", "ns1.other.net"), "a", 1))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name sub.example.com., type NS, SetIdentifier a is not permitted because NS records support only simple routing."},
		},
		{
			name:     "latency DS",
			batch:    batch(create(latency(rr("sub.example.com", "DS", "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"), "a", "us-east-1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name sub.example.com., type DS, SetIdentifier a is not permitted because type DS is not supported by the latency routing policy."},
		},
		{
			name:     "multivalue CNAME",
			batch:    batch(create(multi(rr("m.example.com", "CNAME", "a.net"), "a"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name m.example.com., type CNAME, SetIdentifier a is not permitted because type CNAME is not supported by the multivalue answer routing policy."},
		},
		{
			name:     "multivalue alias",
			batch:    batch(create(multi(aliasTo("m.example.com", "A", "Z2BJ6XQ5FK7U4H", "a1.awsglobalaccelerator.com"), "a"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name m.example.com., type A, SetIdentifier a is not permitted because multivalue answer record sets cannot be aliases."},
		},
		{
			name:  "multivalue A sets",
			batch: batch(create(multi(rr("m.example.com", "A", "192.0.2.1"), "a")), create(multi(rr("m.example.com", "A", "192.0.2.2"), "b"))),
		},
	})
}

func TestApplyAlias(t *testing.T) {
	www := rr("www.example.com.", "A", "192.0.2.1")
	runApplyCases(t, []applyCase{
		{
			name:     "alias without HostedZoneId",
			batch:    batch(create(aliasTo("a.example.com", "A", "", "www.example.com"))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value null at 'changeBatch.changes.1.member.resourceRecordSet.aliasTarget.hostedZoneId' failed to satisfy constraint: Member must not be null"},
		},
		{
			name:     "alias without DNSName",
			batch:    batch(create(aliasTo("a.example.com", "A", testZoneID, ""))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value null at 'changeBatch.changes.1.member.resourceRecordSet.aliasTarget.dNSName' failed to satisfy constraint: Member must not be null"},
		},
		{
			name:     "alias HostedZoneId over 32 characters",
			batch:    batch(create(aliasTo("a.example.com", "A", strings.Repeat("Z", 33), "www.example.com"))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '" + strings.Repeat("Z", 33) + "' at 'changeBatch.changes.1.member.resourceRecordSet.aliasTarget.hostedZoneId' failed to satisfy constraint: Member must have length less than or equal to 32"},
		},
		{
			name:    "apex alias to a record set in the zone",
			current: []RRSet{www},
			batch:   batch(create(aliasTo("example.com", "A", testZoneID, "WWW.example.com"))),
			check: func(t *testing.T, res *Result) {
				if res.Put[0].AliasTarget.DNSName != "WWW.example.com" {
					t.Fatalf("alias DNSName not kept as supplied: %+v", res.Put[0].AliasTarget)
				}
			},
		},
		{
			name:  "alias to a record set created in the same batch",
			batch: batch(create(aliasTo("a.example.com", "A", testZoneID, "www.example.com")), create(www)),
		},
		{
			name:    "alias to a weighted group",
			current: []RRSet{weighted(www, "x", 1)},
			batch:   batch(create(aliasTo("a.example.com", "A", testZoneID, "www.example.com"))),
		},
		{
			name:     "alias target missing",
			batch:    batch(create(aliasTo("a.example.com", "A", testZoneID, "nothere.example.com"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to create an alias that targets nothere.example.com., type A in zone ZTEST, but that target was not found"},
		},
		{
			name:     "alias target of another type",
			current:  []RRSet{rr("v6.example.com.", "AAAA", "2001:db8::1")},
			batch:    batch(create(aliasTo("a.example.com", "A", testZoneID, "v6.example.com"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to create an alias that targets v6.example.com., type A in zone ZTEST, but that target was not found"},
		},
		{
			name:     "alias target deleted in the same batch",
			current:  []RRSet{www},
			batch:    batch(del(www), create(aliasTo("a.example.com", "A", "/hostedzone/"+testZoneID, "www.example.com"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to create an alias that targets www.example.com., type A in zone /hostedzone/ZTEST, but that target was not found"},
		},
		{
			name:     "alias target outside the zone",
			batch:    batch(create(aliasTo("a.example.com", "A", testZoneID, "www.other.com"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to create an alias that targets www.other.com., type A in zone ZTEST, but the alias target name does not lie within the target zone"},
		},
		{
			name:     "alias to itself",
			batch:    batch(create(aliasTo("a.example.com", "A", testZoneID, "A.example.com."))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to create an alias that targets a.example.com., type A in zone ZTEST, but an alias cannot target itself"},
		},
		{
			name:     "alias cycle",
			batch:    batch(create(aliasTo("a.example.com", "A", testZoneID, "b.example.com")), create(aliasTo("b.example.com", "A", testZoneID, "a.example.com"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{
				"Tried to create an alias that targets b.example.com., type A in zone ZTEST, but that target leads back through aliases to a.example.com.",
				"Tried to create an alias that targets a.example.com., type A in zone ZTEST, but that target leads back through aliases to b.example.com.",
			},
		},
		{
			name:  "alias chain without cycle",
			batch: batch(create(www), create(aliasTo("b.example.com", "A", testZoneID, "www.example.com")), create(aliasTo("a.example.com", "A", testZoneID, "b.example.com"))),
		},
		{
			name:  "alias to an external zone is not checked",
			batch: batch(create(aliasTo("ga.example.com", "A", "Z2BJ6XQ5FK7U4H", "a1234.awsglobalaccelerator.com"))),
		},
		{
			name:     "alias of type NS",
			current:  []RRSet{rr("x.example.com.", "NS", "ns1.other.net.")},
			batch:    batch(create(aliasTo("sub.example.com", "NS", testZoneID, "x.example.com"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"RRSet with DNS name sub.example.com., type NS is not permitted because an alias record set cannot have type NS."},
		},
		{
			name: "CloudFront alias evaluating target health",
			batch: batch(create(with(aliasTo("cf.example.com", "A", "Z2FDTNDATAQYW2", "d123.cloudfront.net"), func(r *RRSet) {
				r.AliasTarget.EvaluateTargetHealth = true
			}))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Tried to create an alias that targets d123.cloudfront.net., type A in zone Z2FDTNDATAQYW2, but EvaluateTargetHealth cannot be true when the alias target is a CloudFront distribution"},
		},
		{
			name:     "alias DNSName with an empty label",
			batch:    batch(create(aliasTo("a.example.com", "A", testZoneID, "a..b"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Invalid Resource Record: FATAL problem: DomainLabelEmpty (Domain label is empty) encountered with 'a..b'"},
		},
	})
}

func TestApplyLimits(t *testing.T) {
	values := func(prefix string, n int) []string {
		vs := make([]string, n)
		for i := range vs {
			vs[i] = fmt.Sprintf("10.%s.%d.%d", prefix, i/256, i%256)
		}
		return vs
	}
	// longTXT is a valid TXT value of 15 character-strings, 3,869 characters.
	longTXT := func(i int) string {
		s := make([]string, 15)
		for j := range s {
			s[j] = `"` + strings.Repeat(string(rune('a'+i)), 255) + `"`
		}
		return strings.Join(s, " ")
	}
	txts := func(n int) []string {
		vs := make([]string, n)
		for i := range vs {
			vs[i] = longTXT(i)
		}
		return vs
	}
	runApplyCases(t, []applyCase{
		{
			name:  "1000 records",
			batch: batch(create(rr("a.example.com", "A", values("1", 400)...)), create(rr("b.example.com", "A", values("2", 400)...)), create(rr("c.example.com", "A", values("3", 200)...))),
		},
		{
			name:     "1001 records",
			batch:    batch(create(rr("a.example.com", "A", values("1", 400)...)), create(rr("b.example.com", "A", values("2", 400)...)), create(rr("c.example.com", "A", values("3", 201)...))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Number of records limit of 1000 exceeded."},
		},
		{
			name:     "UPSERT counts twice",
			batch:    batch(upsert(rr("a.example.com", "A", values("1", 251)...)), upsert(rr("b.example.com", "A", values("2", 250)...))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Number of records limit of 1000 exceeded."},
		},
		{
			name:  "32000 value characters are fine",
			batch: batch(create(rr("t.example.com", "TXT", txts(8)...))),
		},
		{
			name:     "value characters over 32000",
			batch:    batch(create(rr("t.example.com", "TXT", txts(9)...))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Number of characters in Value elements limit of 32000 exceeded."},
		},
		{
			name:     "value characters of UPSERT count twice",
			batch:    batch(upsert(rr("t.example.com", "TXT", txts(5)...))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"Number of characters in Value elements limit of 32000 exceeded."},
		},
		{
			name:     "zone quota",
			batch:    batch(create(rr("a.example.com", "A", "192.0.2.1")), create(rr("b.example.com", "A", "192.0.2.1"))),
			env:      Env{MaxRRSets: 3},
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{"The hosted zone example.com. would contain 4 resource record sets, which exceeds its limit of 3."},
		},
		{
			name:    "zone over quota may still shrink or stay",
			current: []RRSet{rr("a.example.com.", "A", "192.0.2.1"), rr("b.example.com.", "A", "192.0.2.1")},
			batch:   batch(upsert(rr("a.example.com", "A", "192.0.2.2"))),
			env:     Env{MaxRRSets: 3},
		},
	})
}

func TestApplyHealthChecksAndBatchShape(t *testing.T) {
	known := Env{HealthCheckExists: func(id string) bool { return id == "hc-ok" }}
	hc := func(r RRSet, id string) RRSet { return with(r, func(r *RRSet) { r.HealthCheckID = id }) }
	runApplyCases(t, []applyCase{
		{
			name:     "unknown health check",
			batch:    batch(create(hc(rr("a.example.com", "A", "192.0.2.1"), "hc-bad"))),
			env:      known,
			wantCode: "NoSuchHealthCheck",
			wantMsgs: []string{"A health check with id hc-bad does not exist."},
		},
		{
			name:  "known health check",
			batch: batch(upsert(hc(rr("a.example.com", "A", "192.0.2.1"), "hc-ok"))),
			env:   known,
		},
		{
			name:    "DELETE of a record set whose health check is gone",
			current: []RRSet{hc(rr("a.example.com.", "A", "192.0.2.1"), "hc-gone")},
			batch:   batch(del(hc(rr("a.example.com", "A", "192.0.2.1"), "hc-gone"))),
			env:     known,
		},
		{
			name:  "nil HealthCheckExists accepts every ID",
			batch: batch(create(hc(rr("a.example.com", "A", "192.0.2.1"), "anything"))),
		},
		{
			name:     "HealthCheckId over 64 characters",
			batch:    batch(create(hc(rr("a.example.com", "A", "192.0.2.1"), strings.Repeat("h", 65)))),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '" + strings.Repeat("h", 65) + "' at 'changeBatch.changes.1.member.resourceRecordSet.healthCheckId' failed to satisfy constraint: Member must have length less than or equal to 64"},
		},
		{
			name:     "empty batch",
			batch:    batch(),
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		},
		{
			name:     "comment over 256 characters",
			batch:    ChangeBatch{Comment: strings.Repeat("c", 257), Changes: []Change{create(rr("a.example.com", "A", "192.0.2.1"))}},
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value '" + strings.Repeat("c", 257) + "' at 'changeBatch.comment' failed to satisfy constraint: Member must have length less than or equal to 256"},
		},
		{
			name:     "shape errors win over batch errors",
			batch:    batch(create(rr("a.example.com", "A", "bad")), Change{Action: "REMOVE", RRSet: rr("b.example.com", "A", "192.0.2.1")}),
			wantCode: "InvalidInput",
			wantMsgs: []string{"Invalid XML ; cvc-enumeration-valid: Value 'REMOVE' is not facet-valid with respect to enumeration '[CREATE, DELETE, UPSERT]'. It must be a value from the enumeration."},
		},
		{
			name:     "several problems in one InvalidChangeBatch",
			current:  []RRSet{rr("x.example.com.", "A", "192.0.2.1")},
			batch:    batch(create(rr("x.example.com", "A", "192.0.2.1")), del(rr("y.example.com", "A", "192.0.2.1")), create(rr("z.other.org", "A", "192.0.2.1"))),
			wantCode: "InvalidChangeBatch",
			wantMsgs: []string{
				"Tried to create resource record set [name='x.example.com.', type='A'] but it already exists",
				"Tried to delete resource record set [name='y.example.com.', type='A'] but it was not found",
				"RRSet with DNS name z.other.org. is not permitted in zone example.com.",
			},
		},
	})
}

func TestApplyResult(t *testing.T) {
	a := rr("a.example.com.", "A", "192.0.2.1")
	b := rr("b.example.com.", "A", "192.0.2.1")
	current := append(testDefaults(), a, b)
	in := batch(del(a), upsert(rr("B.example.com", "A", "192.0.2.2")), create(rr("c.example.com", "TXT", `"v=1"`)))
	res, err := ApplyChanges(testZone(), current, in, Env{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 4 {
		t.Errorf("Count = %d, want 4", res.Count)
	}
	if len(res.Delete) != 1 || res.Delete[0] != a.Key() {
		t.Errorf("Delete = %v, want [%v]", res.Delete, a.Key())
	}
	if len(res.Put) != 2 || res.Put[0].Name != "b.example.com." || res.Put[0].Values[0] != "192.0.2.2" || res.Put[1].Values[0] != `"v=1"` {
		t.Errorf("Put = %+v", res.Put)
	}
	// The caller's batch is not modified.
	if in.Changes[1].RRSet.Name != "B.example.com" {
		t.Errorf("batch name rewritten to %q", in.Changes[1].RRSet.Name)
	}
	if _, err := ApplyChanges(nil, nil, in, Env{}); err == nil {
		t.Error("ApplyChanges(nil zone) succeeded")
	}
	if _, err := ApplyChanges(&HostedZone{ID: "Z", Name: "a..b."}, nil, in, Env{}); err == nil {
		t.Error("ApplyChanges with an invalid zone name succeeded")
	}
}

func TestApplyMessagesStayBounded(t *testing.T) {
	// 300 latency record sets for one region: each is reported once, plus the
	// group cap, never once per pair.
	var cs []Change
	for i := 0; i < 300; i++ {
		cs = append(cs, create(latency(rr("l.example.com", "A", "192.0.2.1"), fmt.Sprint(i), "us-east-1")))
	}
	_, err := ApplyChanges(testZone(), testDefaults(), batch(cs...), Env{})
	e, ok := AsError(err)
	if !ok || e.Code != "InvalidChangeBatch" {
		t.Fatalf("err = %v", err)
	}
	if len(e.Messages) != 301 {
		t.Fatalf("%d messages, want 301", len(e.Messages))
	}
	if want := "RRSet with DNS name l.example.com., type A cannot have more than 100 latency record sets with the same name and type."; !strings.Contains(e.Message, want) {
		t.Fatalf("missing cap message %q", want)
	}
}
