package dnsserver

import (
	"context"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDig queries a running server with the real dig (skipped when dig is
// not installed).
func TestDig(t *testing.T) {
	dig, err := exec.LookPath("dig")
	if err != nil {
		t.Skip("dig not installed")
	}
	s := startServer(t)
	_, port, _ := net.SplitHostPort(s.UDPAddr().String())
	flagsRe := regexp.MustCompile(`;; flags: ([a-z ]+);`)
	tests := []struct {
		name    string
		args    []string
		status  string
		flags   string
		contain []string
	}{
		{"udp answer", []string{"www.example.com", "A"}, "NOERROR", "qr aa",
			[]string{"www.example.com.\t300\tIN\tA\t192.0.2.1", "www.example.com.\t300\tIN\tA\t192.0.2.3", "example.com.\t\t172800\tIN\tNS\tns-1.awsdns-00.com."}},
		{"tcp nxdomain", []string{"+tcp", "nope.example.com", "A"}, "NXDOMAIN", "qr aa",
			[]string{"example.com.\t\t900\tIN\tSOA\tns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}},
		{"client subnet echoed", []string{"+subnet=203.0.113.0/24", "www.example.com", "A"}, "NOERROR", "qr aa",
			[]string{"CLIENT-SUBNET: 203.0.113.0/24/0"}},
		{"geolocation by subnet, scope longer than the source", []string{"+subnet=203.0.113.0/24", "geo.example.com", "A"}, "NOERROR", "qr aa",
			[]string{"CLIENT-SUBNET: 203.0.113.0/24/25", "geo.example.com.\t60\tIN\tA\t192.0.2.121"}},
		{"latency by subnet", []string{"+subnet=198.51.100.0/24", "lat.example.com", "A"}, "NOERROR", "qr aa",
			[]string{"CLIENT-SUBNET: 198.51.100.0/24/24", "lat.example.com.\t60\tIN\tA\t192.0.2.112"}},
		{"IP-based by IPv6 subnet over TCP", []string{"+tcp", "+subnet=2001:db8:abcd::/48", "ip.example.com", "A"}, "NOERROR", "qr aa",
			[]string{"CLIENT-SUBNET: 2001:db8:abcd::/48/48", "60\tIN\tA\t192.0.2.131"}},
		{"weighted: scope 0", []string{"+subnet=203.0.113.0/24", "w.example.com", "A"}, "NOERROR", "qr aa",
			[]string{"CLIENT-SUBNET: 203.0.113.0/24/0", "60\tIN\tA\t192.0.2.101"}},
		{"truncated at 512", []string{"+noedns", "+ignore", "big.example.com", "TXT"}, "NOERROR", "qr aa tc", nil},
		{"referral", []string{"www.sub.example.com", "A"}, "NOERROR", "qr",
			[]string{"sub.example.com.\t3600\tIN\tNS\tns1.sub.example.com.", "ns1.sub.example.com.\t3600\tIN\tA\t192.0.2.53"}},
		{"refused", []string{"example.org", "A"}, "REFUSED", "qr", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			args := append([]string{"@127.0.0.1", "-p", port, "+norec", "+time=2", "+tries=1"}, tc.args...)
			out, err := exec.CommandContext(ctx, dig, args...).CombinedOutput()
			text := string(out)
			if err != nil {
				t.Fatalf("dig %v: %v\n%s", args, err, text)
			}
			if !strings.Contains(text, "status: "+tc.status+",") {
				t.Errorf("status is not %s:\n%s", tc.status, text)
			}
			if m := flagsRe.FindStringSubmatch(text); m == nil || m[1] != tc.flags {
				t.Errorf("flags %v, want %q:\n%s", m, tc.flags, text)
			}
			for _, c := range tc.contain {
				if !strings.Contains(text, c) {
					t.Errorf("output lacks %q:\n%s", c, text)
				}
			}
		})
	}
}
