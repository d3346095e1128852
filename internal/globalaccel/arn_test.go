package globalaccel

import (
	"fmt"
	"net/netip"
	"regexp"
	"testing"
)

const (
	testAcc = "arn:aws:globalaccelerator::123456789012:accelerator/17f66cbd-d355-4998-97f6-5ee97e5dd2b3"
	testLis = testAcc + "/listener/04fd050c"
	testEG  = testLis + "/endpoint-group/c16bb882000e"
)

func TestParseARN(t *testing.T) {
	tests := []struct {
		in   string
		kind string
		want ARN
		code string
	}{
		{testAcc, KindAccelerator, ARN{"123456789012", "17f66cbd-d355-4998-97f6-5ee97e5dd2b3", "", ""}, ""},
		{testLis, KindListener, ARN{"123456789012", "17f66cbd-d355-4998-97f6-5ee97e5dd2b3", "04fd050c", ""}, ""},
		{testEG, KindEndpointGroup, ARN{"123456789012", "17f66cbd-d355-4998-97f6-5ee97e5dd2b3", "04fd050c", "c16bb882000e"}, ""},
		{"", "", ARN{}, invalidArgument},
		{"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1", "", ARN{}, invalidArgument},
		{"arn:aws:globalaccelerator::1234:accelerator/17f66cbd-d355-4998-97f6-5ee97e5dd2b3", "", ARN{}, invalidArgument},
		{"arn:aws:globalaccelerator::123456789012:accelerator/17F66CBD-D355-4998-97F6-5EE97E5DD2B3", "", ARN{}, invalidArgument},
		{"arn:aws:globalaccelerator::123456789012:accelerator/not-a-uuid", "", ARN{}, invalidArgument},
		{testAcc + "/listener/04fd050", "", ARN{}, invalidArgument},
		{testAcc + "/listener", "", ARN{}, invalidArgument},
		{testAcc + "/listner/04fd050c", "", ARN{}, invalidArgument},
		{testLis + "/endpoint-group/c16bb882000", "", ARN{}, invalidArgument},
		{testEG + "/extra/x", "", ARN{}, invalidArgument},
		{"arn:aws:globalaccelerator::123456789012:attachment/17f66cbd-d355-4998-97f6-5ee97e5dd2b3", "", ARN{}, invalidArgument},
	}
	for _, tc := range tests {
		got, err := ParseARN("ResourceArn", tc.in)
		if codeOf(err) != tc.code || got != tc.want {
			t.Errorf("ParseARN(%q) = %+v, %v; want %+v, %q", tc.in, got, err, tc.want, tc.code)
			continue
		}
		if err == nil {
			if got.Kind() != tc.kind || got.String() != tc.in {
				t.Errorf("%q: kind %s, String %q", tc.in, got.Kind(), got.String())
			}
			if got.AcceleratorARN() != testAcc {
				t.Errorf("%q: accelerator ARN %q", tc.in, got.AcceleratorARN())
			}
		}
	}
	if a, _ := ParseARN("x", testEG); a.ListenerARN() != testLis {
		t.Errorf("ListenerARN of a group ARN = %q", a.ListenerARN())
	}
	if a, _ := ParseARN("x", testAcc); a.ListenerARN() != "" {
		t.Errorf("ListenerARN of an accelerator ARN = %q", a.ListenerARN())
	}
}

func TestParseKind(t *testing.T) {
	if _, err := ParseKind("ListenerArn", testLis, KindListener); err != nil {
		t.Error(err)
	}
	for _, s := range []string{testAcc, testEG} {
		_, err := ParseKind("ListenerArn", s, KindListener)
		wantCode(t, err, invalidArgument)
	}
}

func TestGeneratedIDs(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	dns := regexp.MustCompile(`^a[0-9a-f]{16}\.awsglobalaccelerator\.com$`)
	seen := map[string]bool{}
	for range 50 {
		id := NewUUID()
		if !uuid.MatchString(id) || seen[id] {
			t.Fatalf("NewUUID() = %q (seen before: %v)", id, seen[id])
		}
		seen[id] = true
		if n := NewDNSName(); !dns.MatchString(n) {
			t.Fatalf("NewDNSName() = %q", n)
		}
		arn := EndpointGroupARN(ListenerARN(AcceleratorARN(DefaultAccount, id), NewHex(8)), NewHex(12))
		if a, err := ParseARN("x", arn); err != nil || a.Kind() != KindEndpointGroup {
			t.Fatalf("generated ARN %q does not parse: %v", arn, err)
		}
	}
	a := Accelerator{DNSName: "a0123456789abcdef.awsglobalaccelerator.com", IPAddressType: IPAddressTypeIPv4}
	if a.DualStackDNSName() != "" {
		t.Errorf("IPV4 dual-stack name %q", a.DualStackDNSName())
	}
	a.IPAddressType = IPAddressTypeDualStack
	if got := a.DualStackDNSName(); got != "a0123456789abcdef.dualstack.awsglobalaccelerator.com" {
		t.Errorf("dual-stack name %q", got)
	}
}

func TestHealthCheckID(t *testing.T) {
	shape := regexp.MustCompile(`^ga-[0-9a-f]{16}$`)
	id := HealthCheckID(testEG, "192.0.2.1")
	if !shape.MatchString(id) {
		t.Errorf("HealthCheckID = %q", id)
	}
	if HealthCheckID(testEG, "192.0.2.1") != id {
		t.Error("HealthCheckID is not deterministic")
	}
	for _, other := range []string{HealthCheckID(testEG, "192.0.2.2"), HealthCheckID(testLis+"/endpoint-group/000000000000", "192.0.2.1"), HealthCheckID(testEG+"1", "92.0.2.1")} {
		if other == id {
			t.Errorf("HealthCheckID collides: %q", other)
		}
	}
}

func TestDNSRecords(t *testing.T) {
	v4 := []netip.Addr{netip.MustParseAddr("127.0.100.1"), netip.MustParseAddr("127.0.100.2")}
	v6 := []netip.Addr{netip.MustParseAddr("fd00::1"), netip.MustParseAddr("fd00::2")}
	a := Accelerator{DNSName: "a0123456789ABCDEF.awsglobalaccelerator.com", IPAddressType: IPAddressTypeIPv4, IPv4: v4, IPv6: v6}
	got := a.DNSRecords()
	if len(got) != 1 || fmt.Sprint(got["a0123456789abcdef.awsglobalaccelerator.com"]) != "[127.0.100.1 127.0.100.2]" {
		t.Errorf("IPV4 records %v (reserved IPv6 addresses must not be served)", got)
	}
	a.IPAddressType = IPAddressTypeDualStack
	got = a.DNSRecords()
	if len(got) != 2 || len(got["a0123456789abcdef.awsglobalaccelerator.com"]) != 2 ||
		fmt.Sprint(got["a0123456789abcdef.dualstack.awsglobalaccelerator.com"]) != "[127.0.100.1 127.0.100.2 fd00::1 fd00::2]" {
		t.Errorf("dual-stack records %v", got)
	}
	if len((&Accelerator{}).DNSRecords()) != 0 {
		t.Error("records for an accelerator without a name")
	}
}
