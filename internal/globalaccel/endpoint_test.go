package globalaccel

import (
	"strings"
	"testing"
)

func TestParseEndpointID(t *testing.T) {
	tests := []struct {
		in        string
		canonical string
		port      uint16
		hint      string // part of the error message
	}{
		{"192.0.2.10", "192.0.2.10", 0, ""},
		{"192.0.2.10:8080", "192.0.2.10:8080", 8080, ""},
		{"127.0.0.1:9001", "127.0.0.1:9001", 9001, ""},
		{"10.0.0.5", "10.0.0.5", 0, ""},
		{"2001:db8::10", "2001:db8::10", 0, ""},
		{"2001:DB8:0:0::10", "2001:db8::10", 0, ""},
		{"[2001:db8::10]:443", "[2001:db8::10]:443", 443, ""},
		{"::ffff:192.0.2.1", "192.0.2.1", 0, ""},
		{"", "", 0, "required"},
		{"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188", "", 0, "load balancer"},
		{"ARN:aws:ec2:us-east-1:123456789012:instance/i-1", "", 0, "ARN"},
		{"i-0123456789abcdef0", "", 0, "EC2 instance"},
		{"eipalloc-0123456789abcdef0", "", 0, "Elastic IP"},
		{"web.example.com", "", 0, "host names"},
		{"web.example.com:80", "", 0, "host names"},
		{"192.0.2.10:0", "", 0, "port 0"},
		{"192.0.2.10:65536", "", 0, "not an IP"},
		{"192.0.2.300", "", 0, "not an IP"},
		{"2001:db8::10:443", "2001:db8::10:443", 0, ""}, // a valid IPv6 address, not address+port
		{"fe80::1%eth0", "", 0, "zone"},
		{"0.0.0.0", "", 0, "unicast"},
		{"::", "", 0, "unicast"},
		{"224.0.0.1", "", 0, "unicast"},
		{"ff02::1", "", 0, "unicast"},
		{"255.255.255.255", "", 0, "unicast"},
	}
	for _, tc := range tests {
		_, port, err := ParseEndpointID(tc.in)
		canonical, cerr := CanonicalEndpointID(tc.in)
		if tc.hint != "" {
			if codeOf(err) != invalidArgument || !strings.Contains(err.Error(), tc.hint) || codeOf(cerr) != invalidArgument {
				t.Errorf("%q: error %v, want InvalidArgumentException mentioning %q", tc.in, err, tc.hint)
			}
			continue
		}
		if err != nil || cerr != nil || canonical != tc.canonical || port != tc.port {
			t.Errorf("%q: canonical %q port %d err %v/%v; want %q %d", tc.in, canonical, port, err, cerr, tc.canonical, tc.port)
		}
	}
}
