package zone

import (
	"errors"
	"reflect"
	"testing"
)

// fuzzCurrent is a small zone with routing groups, aliases and a CNAME.
func fuzzCurrent() []RRSet {
	return append(testDefaults(),
		rr("www.example.com.", "A", "192.0.2.1", "192.0.2.2"),
		rr("c.example.com.", "CNAME", "www.example.com"),
		weighted(rr("w.example.com.", "A", "192.0.2.3"), "one", 10),
		weighted(rr("w.example.com.", "A", "192.0.2.4"), "two", 20),
		latency(rr("l.example.com.", "AAAA", "2001:db8::1"), "use1", "us-east-1"),
		failover(rr("f.example.com.", "A", "192.0.2.5"), "p", "PRIMARY"),
		geo(rr("g.example.com.", "TXT", `"de"`), "de", "", "DE", ""),
		aliasTo("example.com.", "A", testZoneID, "www.example.com."),
	)
}

var fuzzSeeds = []string{
	fullBatchJSON,
	`{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"www.example.com","Type":"A","TTL":300,"ResourceRecords":[{"Value":"192.0.2.1"},{"Value":"192.0.2.2"}]}},{"Action":"CREATE","ResourceRecordSet":{"Name":"www.example.com","Type":"CNAME","TTL":60,"ResourceRecords":[{"Value":"x.example.net"}]}}]}`,
	`{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"a.example.com","Type":"A","AliasTarget":{"HostedZoneId":"ZTEST","DNSName":"b.example.com","EvaluateTargetHealth":false}}},{"Action":"CREATE","ResourceRecordSet":{"Name":"b.example.com","Type":"A","AliasTarget":{"HostedZoneId":"ZTEST","DNSName":"a.example.com","EvaluateTargetHealth":true}}}]}`,
	`{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"w.example.com","Type":"A","SetIdentifier":"three","Region":"eu-west-1","TTL":60,"ResourceRecords":[{"Value":"192.0.2.9"}]}}]}`,
	`{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"example.com","Type":"NS","TTL":172800,"ResourceRecords":[{"Value":"x."}]}}]}`,
	`{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"*.example.com","Type":"NS","TTL":60,"ResourceRecords":[{"Value":"\"a\" b"},{"Value":"1 . alpn=\"h2"}]}}]}`,
	`{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"g.example.com","Type":"TXT","SetIdentifier":"x","GeoLocation":{"CountryCode":"US","SubdivisionCode":"ZZ"},"TTL":1,"ResourceRecords":[{"Value":"\"q\""}]}}]}`,
	`{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"p.example.com","Type":"A","SetIdentifier":"x","GeoProximityLocation":{"Coordinates":{"Latitude":"-0.","Longitude":"+180"},"Bias":0},"TTL":1,"ResourceRecords":[{"Value":"192.0.2.1"}]}}]}`,
}

// FuzzApplyChanges parses arbitrary JSON as a change batch and applies it to
// a small zone: it must never panic, must fail only with *Error, and a
// success must be self-consistent.
func FuzzApplyChanges(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	z := testZone()
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseChangeBatchJSON(data)
		if err != nil {
			return
		}
		current := fuzzCurrent()
		env := Env{HealthCheckExists: func(id string) bool { return len(id)%2 == 0 }, MaxRRSets: 40}
		res, err := ApplyChanges(z, current, b, env)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == "" || e.Message == "" {
				t.Fatalf("error %v is not a complete *Error", err)
			}
			if e.Code == "InvalidChangeBatch" && len(e.Messages) == 0 {
				t.Fatalf("InvalidChangeBatch without messages")
			}
			return
		}
		if !reflect.DeepEqual(current, fuzzCurrent()) {
			t.Fatalf("ApplyChanges modified current")
		}
		checkResultConsistent(t, current, res)
		if res.Count > env.MaxRRSets {
			t.Fatalf("Count %d over the quota %d", res.Count, env.MaxRRSets)
		}
		apex, _ := ParseName(z.Name)
		for _, r := range res.Put {
			labels, err := ParseName(r.Name)
			if err != nil || !IsSubdomain(labels, apex) {
				t.Fatalf("Put %q outside the zone", r.Name)
			}
			for _, v := range r.Values {
				if err := ValidateValue(r.Type, v); err != nil {
					t.Fatalf("Put an invalid value: %v", err)
				}
			}
		}
		// A batch that succeeded renders and parses back to itself.
		out, err := ChangeBatchJSON(b)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseChangeBatchJSON(out)
		if err != nil || !reflect.DeepEqual(again, b) {
			t.Fatalf("round trip failed: %v\n%s", err, out)
		}
	})
}

// FuzzParseName checks that ParseName never panics and that a parsed name
// formats and parses back to the same labels.
func FuzzParseName(f *testing.F) {
	for _, s := range []string{"", ".", "example.com", "Example.COM.", `\052.example.com`, `a\.b.c`, `a\`, `\777`, "a..b", `\065\066C`, "@.x", "a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		labels, err := ParseName(s)
		if err != nil {
			var ne *NameError
			if !errors.As(err, &ne) || ne.Problem == "" {
				t.Fatalf("ParseName(%q) error %v is not a *NameError", s, err)
			}
			return
		}
		wire := 1
		for _, l := range labels {
			if l == "" || len(l) > MaxLabelLen {
				t.Fatalf("ParseName(%q) gave label %q", s, l)
			}
			wire += len(l) + 1
		}
		if wire > MaxNameLen {
			t.Fatalf("ParseName(%q) gave a %d-byte name", s, wire)
		}
		canon := FormatName(labels)
		again, err := ParseName(canon)
		if err != nil || !reflect.DeepEqual(again, labels) {
			t.Fatalf("ParseName(FormatName(%q)) = %q, %v; want %q", s, again, err, labels)
		}
		if c, err := CanonicalName(canon); err != nil || c != canon {
			t.Fatalf("CanonicalName not idempotent on %q: %q, %v", canon, c, err)
		}
	})
}
