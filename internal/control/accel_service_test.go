package control

import (
	"net/netip"
	"testing"
)

func TestAcceleratorConfigValidate(t *testing.T) {
	p := netip.MustParsePrefix
	tests := []struct {
		name string
		cfg  AcceleratorConfig
		ok   bool
	}{
		{"zero", AcceleratorConfig{}, true},
		{"full", AcceleratorConfig{Account: "000011112222", IPv4Pool: p("10.9.0.0/24"), IPv6Pool: p("fd00:ac::/64"), Regions: []string{"lab-1"}, MaxAccelerators: 5, MinInterval: 2}, true},
		{"/30 pool", AcceleratorConfig{IPv4Pool: p("10.9.0.0/30")}, true},
		{"/31 pool", AcceleratorConfig{IPv4Pool: p("10.9.0.0/31")}, true},
		{"/32 pool", AcceleratorConfig{IPv4Pool: p("10.9.0.1/32")}, false},
		{"IPv6 as IPv4 pool", AcceleratorConfig{IPv4Pool: p("fd00::/64")}, false},
		{"IPv4 as IPv6 pool", AcceleratorConfig{IPv6Pool: p("10.0.0.0/8")}, false},
		{"short account", AcceleratorConfig{Account: "1234"}, false},
		{"letters in account", AcceleratorConfig{Account: "12345678901x"}, false},
		{"empty region", AcceleratorConfig{Regions: []string{""}}, false},
		{"region with space", AcceleratorConfig{Regions: []string{"my lab"}}, false},
		{"negative quota", AcceleratorConfig{MaxAccelerators: -1}, false},
	}
	for _, tc := range tests {
		if err := tc.cfg.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
