package zone

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestValidateZoneName(t *testing.T) {
	cases := []struct {
		in, want string // want is the canonical name, or the error message
		ok       bool
	}{
		{"example.com", "example.com.", true},
		{"Example.COM.", "example.com.", true},
		{"sub.example.co.uk", "sub.example.co.uk.", true},
		{`a\@b.example.com`, `a\100b.example.com.`, true},
		{"xn--bcher-kva.example", "xn--bcher-kva.example.", true},
		{"a.*.example.com", `a.\052.example.com.`, true},
		{"com", "com is reserved by AWS!", false},
		{"com.", "com is reserved by AWS!", false},
		{"test2", "test2 is reserved by AWS!", false},
		{"", "'' is not a valid hosted zone name: the name is empty", false},
		{".", "'.' is not a valid hosted zone name: the name is empty", false},
		{"*.example.com", "'*.example.com' is not a valid hosted zone name: the left-most label cannot be a wildcard (*)", false},
		{"a..example.com", "Invalid Resource Record: FATAL problem: DomainLabelEmpty (Domain label is empty) encountered with 'a..example.com'", false},
		{".example.com", "Invalid Resource Record: FATAL problem: DomainLabelEmpty (Domain label is empty) encountered with '.example.com'", false},
		{"exa mple.com", "Invalid Resource Record: FATAL problem: InvalidCharacterString (Value contains characters that must be escaped) encountered with 'exa mple.com'", false},
		{strings.Repeat("a", 64) + ".com", "Invalid Resource Record: FATAL problem: DomainLabelTooLong (Domain label is too long) encountered with '" + strings.Repeat("a", 64) + ".com'", false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ValidateZoneName(tc.in)
			if tc.ok {
				if err != nil || got != tc.want {
					t.Fatalf("ValidateZoneName(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Code != "InvalidDomainName" || e.Message != tc.want {
				t.Fatalf("ValidateZoneName(%q) error = %v; want InvalidDomainName %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestDefaultNameServers(t *testing.T) {
	re := regexp.MustCompile(`^ns-(\d+)\.awsdns-(\d\d)\.(com|net|org|co\.uk)$`)
	tlds := []string{"com", "net", "org", "co.uk"}
	distinct := make(map[string]bool)
	for seed := uint32(0); seed < 200; seed++ {
		ns := DefaultNameServers(seed)
		if len(ns) != 4 {
			t.Fatalf("seed %d: %d servers", seed, len(ns))
		}
		for i, s := range ns {
			m := re.FindStringSubmatch(s)
			if m == nil {
				t.Fatalf("seed %d: %q does not match ns-<N>.awsdns-<MM>.<tld>", seed, s)
			}
			n, _ := strconv.Atoi(m[1])
			mm, _ := strconv.Atoi(m[2])
			if m[3] != tlds[i] || n < i*512 || n >= (i+1)*512 || mm != (n%512)/8 {
				t.Fatalf("seed %d: %q breaks the numbering scheme", seed, s)
			}
		}
		if !reflect.DeepEqual(ns, DefaultNameServers(seed)) {
			t.Fatalf("seed %d: not deterministic", seed)
		}
		distinct[ns[0]] = true
	}
	if len(distinct) < 100 {
		t.Errorf("only %d distinct first servers over 200 seeds", len(distinct))
	}
}

func TestDefaultRecordSets(t *testing.T) {
	z := &HostedZone{ID: "Z1", Name: "example.com.", NameServers: []string{"ns-448.awsdns-56.com", "ns-966.awsdns-56.net", "ns-1311.awsdns-35.org", "ns-1890.awsdns-44.co.uk"}}
	got := DefaultRecordSets(z, "awsdns-hostmaster.amazon.com")
	want := []RRSet{
		{Name: "example.com.", Type: "SOA", TTL: i64(900), Values: []string{"ns-448.awsdns-56.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}},
		{Name: "example.com.", Type: "NS", TTL: i64(172800), Values: []string{"ns-448.awsdns-56.com.", "ns-966.awsdns-56.net.", "ns-1311.awsdns-35.org.", "ns-1890.awsdns-44.co.uk."}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("DefaultRecordSets:\n got %s\nwant %s", dump(got), dump(want))
	}
	for _, r := range got {
		for _, v := range r.Values {
			if err := ValidateValue(r.Type, v); err != nil {
				t.Errorf("default %s value invalid: %v", r.Type, err)
			}
		}
	}
	priv := DefaultRecordSets(&HostedZone{ID: "Z2", Name: "internal.", PrivateZone: true}, "awsdns-hostmaster.amazon.com.")
	if priv[0].Values[0] != "ns-1536.awsdns-00.co.uk. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400" || len(priv[1].Values) != 4 {
		t.Errorf("private zone defaults = %s", dump(priv))
	}
}

func dump(rs []RRSet) string {
	var b strings.Builder
	for _, r := range rs {
		ttl := "nil"
		if r.TTL != nil {
			ttl = strconv.FormatInt(*r.TTL, 10)
		}
		fmt.Fprintf(&b, "{%s %s ttl=%s %q} ", r.Name, r.Type, ttl, r.Values)
	}
	return b.String()
}
