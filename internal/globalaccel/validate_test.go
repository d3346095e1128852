package globalaccel

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		code string
	}{
		{"web", ""},
		{"a", ""},
		{"My-Accelerator.prod-2", ""},
		{"9", ""},
		{strings.Repeat("a", 64), ""},
		{strings.Repeat("a", 65), invalidArgument},
		{"", invalidArgument},
		{"-web", invalidArgument},
		{"web-", invalidArgument},
		{".web", invalidArgument},
		{"web.", invalidArgument},
		{"we b", invalidArgument},
		{"we_b", invalidArgument},
		{"wéb", invalidArgument},
		{"web/1", invalidArgument},
	}
	for _, tc := range tests {
		if got := codeOf(ValidateName(tc.name)); got != tc.code {
			t.Errorf("ValidateName(%q) = %q, want %q", tc.name, got, tc.code)
		}
	}
}

func TestValidateToken(t *testing.T) {
	for token, code := range map[string]string{
		"":                       invalidArgument,
		"x":                      "",
		strings.Repeat("t", 255): "",
		strings.Repeat("t", 256): invalidArgument,
	} {
		if got := codeOf(ValidateToken(token)); got != code {
			t.Errorf("ValidateToken(%d chars) = %q, want %q", len(token), got, code)
		}
	}
}

func TestValidateTag(t *testing.T) {
	tests := []struct {
		key, value, code string
	}{
		{"Name", "web", ""},
		{"Name", "", ""},
		{strings.Repeat("k", 128), strings.Repeat("v", 256), ""},
		{"", "v", invalidArgument},
		{strings.Repeat("k", 129), "v", invalidArgument},
		{"k", strings.Repeat("v", 257), invalidArgument},
		{"aws:created", "v", invalidArgument},
		{"AWS:x", "v", invalidArgument},
	}
	for _, tc := range tests {
		if got := codeOf(ValidateTag(tc.key, tc.value)); got != tc.code {
			t.Errorf("ValidateTag(%q, %d chars) = %q, want %q", tc.key, len(tc.value), got, tc.code)
		}
	}
}

func TestEnums(t *testing.T) {
	tests := []struct {
		name      string
		parse     func(string) (string, error)
		in, out   string
		wantError bool
	}{
		{"type default", func(s string) (string, error) { return ParseIPAddressType(s, false) }, "", "IPV4", false},
		{"type IPV4", func(s string) (string, error) { return ParseIPAddressType(s, false) }, "IPV4", "IPV4", false},
		{"dual stack without pool", func(s string) (string, error) { return ParseIPAddressType(s, false) }, "DUAL_STACK", "", true},
		{"dual stack with pool", func(s string) (string, error) { return ParseIPAddressType(s, true) }, "DUAL_STACK", "DUAL_STACK", false},
		{"type lowercase", func(s string) (string, error) { return ParseIPAddressType(s, true) }, "ipv4", "", true},
		{"protocol TCP", ParseProtocol, "TCP", "TCP", false},
		{"protocol UDP", ParseProtocol, "UDP", "UDP", false},
		{"protocol missing", ParseProtocol, "", "", true},
		{"protocol HTTP", ParseProtocol, "HTTP", "", true},
		{"affinity default", ParseClientAffinity, "", "NONE", false},
		{"affinity SOURCE_IP", ParseClientAffinity, "SOURCE_IP", "SOURCE_IP", false},
		{"affinity bad", ParseClientAffinity, "COOKIE", "", true},
	}
	for _, tc := range tests {
		out, err := tc.parse(tc.in)
		if (err != nil) != tc.wantError || out != tc.out {
			t.Errorf("%s: %q → %q, %v", tc.name, tc.in, out, err)
		}
		if err != nil {
			wantCode(t, err, invalidArgument)
		}
	}
}

func TestValidatePortRanges(t *testing.T) {
	r := func(from, to int) PortRange { return PortRange{from, to} }
	many := make([]PortRange, 11)
	for i := range many {
		many[i] = r(i+1, i+1)
	}
	tests := []struct {
		name   string
		ranges []PortRange
		code   string
	}{
		{"one port", []PortRange{r(80, 80)}, ""},
		{"full range", []PortRange{r(1, 65535)}, ""},
		{"ten ranges", many[:10], ""},
		{"adjacent", []PortRange{r(80, 89), r(90, 99)}, ""},
		{"none", nil, invalidArgument},
		{"eleven ranges", many, invalidArgument},
		{"port 0", []PortRange{r(0, 10)}, invalidPortRange},
		{"port 65536", []PortRange{r(65530, 65536)}, invalidPortRange},
		{"reversed", []PortRange{r(90, 80)}, invalidPortRange},
		{"overlap", []PortRange{r(80, 90), r(90, 100)}, invalidPortRange},
		{"contained", []PortRange{r(1, 1000), r(443, 443)}, invalidPortRange},
		{"duplicate", []PortRange{r(443, 443), r(443, 443)}, invalidPortRange},
	}
	for _, tc := range tests {
		if got := codeOf(ValidatePortRanges(tc.ranges)); got != tc.code {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.code)
		}
	}
}

func TestValidateRegion(t *testing.T) {
	opts := Options{Regions: []string{"home-lab"}}
	tests := []struct {
		region string
		opts   Options
		code   string
	}{
		{"us-east-1", Options{}, ""},
		{"ap-southeast-2", Options{}, ""},
		{"home-lab", opts, ""},
		{"home-lab", Options{}, invalidArgument},
		{"", Options{}, invalidArgument},
		{"us-east-9", Options{}, invalidArgument},
		{"US-EAST-1", Options{}, invalidArgument},
	}
	for _, tc := range tests {
		if got := codeOf(ValidateRegion(tc.region, tc.opts)); got != tc.code {
			t.Errorf("ValidateRegion(%q, %v) = %q, want %q", tc.region, tc.opts.Regions, got, tc.code)
		}
	}
}

func TestNewEndpointGroupDefaults(t *testing.T) {
	g, err := NewEndpointGroup("arn", "us-east-1", GroupSettings{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := EndpointGroup{ARN: "arn", Region: "us-east-1", TrafficDialPercentage: 100, HealthCheckProtocol: "TCP",
		HealthCheckPath: "/", HealthCheckIntervalSeconds: 30, ThresholdCount: 3}
	if g.ARN != want.ARN || g.Region != want.Region || g.TrafficDialPercentage != 100 || g.HealthCheckProtocol != "TCP" ||
		g.HealthCheckPath != "/" || g.HealthCheckIntervalSeconds != 30 || g.ThresholdCount != 3 || g.HealthCheckPort != 0 ||
		g.Endpoints != nil || g.PortOverrides != nil {
		t.Errorf("defaults %+v", g)
	}
	l := Listener{PortRanges: []PortRange{{443, 443}, {80, 80}}}
	if p := g.EffectiveHealthCheckPort(&l); p != 443 {
		t.Errorf("default health check port %d, want the listener's first port 443", p)
	}
	g.HealthCheckPort = 8080
	if p := g.EffectiveHealthCheckPort(&l); p != 8080 {
		t.Errorf("configured health check port %d", p)
	}
	if _, err := NewEndpointGroup("arn", "nowhere-1", GroupSettings{}, Options{}); codeOf(err) != invalidArgument {
		t.Errorf("unknown region: %v", err)
	}
}

func TestGroupSettingsApply(t *testing.T) {
	overrides := func(pairs ...int) []PortOverride {
		var out []PortOverride
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, PortOverride{pairs[i], pairs[i+1]})
		}
		return out
	}
	eleven := make([]PortOverride, 11)
	for i := range eleven {
		eleven[i] = PortOverride{1000 + i, 2000 + i}
	}
	endpoints := make([]EndpointConfiguration, 11)
	for i := range endpoints {
		endpoints[i] = EndpointConfiguration{EndpointID: fmt.Sprintf("192.0.2.%d", i+1)}
	}
	fast := Options{MinInterval: 2}
	tests := []struct {
		name string
		s    GroupSettings
		opts Options
		code string
	}{
		{"dial 0", GroupSettings{TrafficDialPercentage: ptr(0.0)}, Options{}, ""},
		{"dial 100", GroupSettings{TrafficDialPercentage: ptr(100.0)}, Options{}, ""},
		{"dial 33.3", GroupSettings{TrafficDialPercentage: ptr(33.3)}, Options{}, ""},
		{"dial -1", GroupSettings{TrafficDialPercentage: ptr(-1.0)}, Options{}, invalidArgument},
		{"dial 100.5", GroupSettings{TrafficDialPercentage: ptr(100.5)}, Options{}, invalidArgument},
		{"dial NaN", GroupSettings{TrafficDialPercentage: ptr(math.NaN())}, Options{}, invalidArgument},
		{"port 1", GroupSettings{HealthCheckPort: ptr(1)}, Options{}, ""},
		{"port 65535", GroupSettings{HealthCheckPort: ptr(65535)}, Options{}, ""},
		{"port 0", GroupSettings{HealthCheckPort: ptr(0)}, Options{}, invalidArgument},
		{"port 65536", GroupSettings{HealthCheckPort: ptr(65536)}, Options{}, invalidArgument},
		{"protocol HTTPS", GroupSettings{HealthCheckProtocol: ptr("HTTPS")}, Options{}, ""},
		{"protocol UDP", GroupSettings{HealthCheckProtocol: ptr("UDP")}, Options{}, invalidArgument},
		{"protocol lowercase", GroupSettings{HealthCheckProtocol: ptr("http")}, Options{}, invalidArgument},
		{"path with query", GroupSettings{HealthCheckPath: ptr("/health?x=1&y=%20#frag")}, Options{}, ""},
		{"path root", GroupSettings{HealthCheckPath: ptr("/")}, Options{}, ""},
		{"path without slash", GroupSettings{HealthCheckPath: ptr("health")}, Options{}, invalidArgument},
		{"path with space", GroupSettings{HealthCheckPath: ptr("/a b")}, Options{}, invalidArgument},
		{"path 255", GroupSettings{HealthCheckPath: ptr("/" + strings.Repeat("a", 254))}, Options{}, ""},
		{"path 256", GroupSettings{HealthCheckPath: ptr("/" + strings.Repeat("a", 255))}, Options{}, invalidArgument},
		{"interval 10", GroupSettings{HealthCheckIntervalSeconds: ptr(10)}, Options{}, ""},
		{"interval 30", GroupSettings{HealthCheckIntervalSeconds: ptr(30)}, Options{}, ""},
		{"interval 20", GroupSettings{HealthCheckIntervalSeconds: ptr(20)}, Options{}, invalidArgument},
		{"interval 5", GroupSettings{HealthCheckIntervalSeconds: ptr(5)}, Options{}, invalidArgument},
		{"interval 2 allowed", GroupSettings{HealthCheckIntervalSeconds: ptr(2)}, fast, ""},
		{"interval 20 allowed", GroupSettings{HealthCheckIntervalSeconds: ptr(20)}, fast, ""},
		{"interval 1 below option", GroupSettings{HealthCheckIntervalSeconds: ptr(1)}, fast, invalidArgument},
		{"interval 31 above", GroupSettings{HealthCheckIntervalSeconds: ptr(31)}, fast, invalidArgument},
		{"threshold 1", GroupSettings{ThresholdCount: ptr(1)}, Options{}, ""},
		{"threshold 10", GroupSettings{ThresholdCount: ptr(10)}, Options{}, ""},
		{"threshold 0", GroupSettings{ThresholdCount: ptr(0)}, Options{}, invalidArgument},
		{"threshold 11", GroupSettings{ThresholdCount: ptr(11)}, Options{}, invalidArgument},
		{"overrides", GroupSettings{PortOverrides: overrides(80, 8080, 443, 8443)}, Options{}, ""},
		{"override same listener port twice", GroupSettings{PortOverrides: overrides(80, 8080, 80, 9090)}, Options{}, invalidArgument},
		{"override port 0", GroupSettings{PortOverrides: overrides(80, 0)}, Options{}, invalidArgument},
		{"eleven overrides", GroupSettings{PortOverrides: eleven}, Options{}, limitExceeded},
		{"ten endpoints", GroupSettings{Endpoints: endpoints[:10]}, Options{}, ""},
		{"eleven endpoints", GroupSettings{Endpoints: endpoints}, Options{}, limitExceeded},
		{"duplicate endpoint", GroupSettings{Endpoints: []EndpointConfiguration{{EndpointID: "192.0.2.1"}, {EndpointID: "192.0.2.1"}}}, Options{}, invalidArgument},
		{"duplicate endpoint spelled differently", GroupSettings{Endpoints: []EndpointConfiguration{{EndpointID: "2001:db8::1"}, {EndpointID: "2001:DB8:0::1"}}}, Options{}, invalidArgument},
		{"weight 0", GroupSettings{Endpoints: []EndpointConfiguration{{EndpointID: "192.0.2.1", Weight: ptr(0)}}}, Options{}, ""},
		{"weight 255", GroupSettings{Endpoints: []EndpointConfiguration{{EndpointID: "192.0.2.1", Weight: ptr(255)}}}, Options{}, ""},
		{"weight 256", GroupSettings{Endpoints: []EndpointConfiguration{{EndpointID: "192.0.2.1", Weight: ptr(256)}}}, Options{}, invalidArgument},
		{"weight -1", GroupSettings{Endpoints: []EndpointConfiguration{{EndpointID: "192.0.2.1", Weight: ptr(-1)}}}, Options{}, invalidArgument},
		{"attachment", GroupSettings{Endpoints: []EndpointConfiguration{{EndpointID: "192.0.2.1", AttachmentARN: "arn:aws:globalaccelerator::1:attachment/x"}}}, Options{}, invalidArgument},
		{"bad endpoint", GroupSettings{Endpoints: []EndpointConfiguration{{EndpointID: "eipalloc-123"}}}, Options{}, invalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := NewEndpointGroup("arn", "us-east-1", GroupSettings{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			wantCode(t, tc.s.Apply(&g, tc.opts), tc.code)
		})
	}
}

func TestGroupSettingsApplySets(t *testing.T) {
	g, _ := NewEndpointGroup("arn", "us-east-1", GroupSettings{
		Endpoints:     []EndpointConfiguration{{EndpointID: "192.0.2.1"}, {EndpointID: "[2001:db8::1]:443", Weight: ptr(7), ClientIPPreservationEnabled: ptr(true)}},
		PortOverrides: []PortOverride{{80, 8080}},
	}, Options{})
	if len(g.Endpoints) != 2 || g.Endpoints[0] != (Endpoint{"192.0.2.1", 128, false}) || g.Endpoints[1] != (Endpoint{"[2001:db8::1]:443", 7, true}) {
		t.Errorf("endpoints %+v", g.Endpoints)
	}
	// Absent lists stay; empty lists clear.
	if err := (GroupSettings{ThresholdCount: ptr(2)}).Apply(&g, Options{}); err != nil || len(g.Endpoints) != 2 || len(g.PortOverrides) != 1 || g.ThresholdCount != 2 {
		t.Errorf("absent lists: %+v %v", g, err)
	}
	if err := (GroupSettings{Endpoints: []EndpointConfiguration{}, PortOverrides: []PortOverride{}}).Apply(&g, Options{}); err != nil || g.Endpoints != nil || g.PortOverrides != nil {
		t.Errorf("empty lists: %+v %v", g, err)
	}
}

func TestMergeEndpoints(t *testing.T) {
	existing := []Endpoint{{"192.0.2.1", 10, true}, {"192.0.2.2", 20, false}}
	all, touched, err := MergeEndpoints(existing, []EndpointConfiguration{
		{EndpointID: "192.0.2.1", Weight: ptr(99)},
		{EndpointID: "192.0.2.3"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Endpoint{{"192.0.2.1", 99, true}, {"192.0.2.2", 20, false}, {"192.0.2.3", 128, false}}
	if len(all) != 3 || all[0] != want[0] || all[1] != want[1] || all[2] != want[2] {
		t.Errorf("merged %+v, want %+v", all, want)
	}
	if len(touched) != 2 || touched[0] != want[0] || touched[1] != want[2] {
		t.Errorf("touched %+v", touched)
	}
	if existing[0].Weight != 10 {
		t.Errorf("MergeEndpoints changed its input")
	}

	nine := make([]Endpoint, 9)
	for i := range nine {
		nine[i] = Endpoint{EndpointID: fmt.Sprintf("198.51.100.%d", i+1), Weight: 1}
	}
	tests := []struct {
		name string
		cfgs []EndpointConfiguration
		code string
	}{
		{"none", nil, invalidArgument},
		{"tenth", []EndpointConfiguration{{EndpointID: "192.0.2.1"}}, ""},
		{"eleventh", []EndpointConfiguration{{EndpointID: "192.0.2.1"}, {EndpointID: "192.0.2.2"}}, limitExceeded},
		{"update does not count", []EndpointConfiguration{{EndpointID: "198.51.100.1", Weight: ptr(5)}}, ""},
		{"twice", []EndpointConfiguration{{EndpointID: "192.0.2.1"}, {EndpointID: "192.0.2.1"}}, invalidArgument},
		{"ARN", []EndpointConfiguration{{EndpointID: "arn:aws:ec2:us-east-1:1:instance/i-1"}}, invalidArgument},
	}
	for _, tc := range tests {
		_, _, err := MergeEndpoints(nine, tc.cfgs)
		if got := codeOf(err); got != tc.code {
			t.Errorf("%s: %q (%v), want %q", tc.name, got, err, tc.code)
		}
	}
}

// testAccelerator builds an accelerator from listeners, naming each.
func testAccelerator(listeners ...Listener) *Accelerator {
	a := &Accelerator{ARN: "arn:acc"}
	for i, l := range listeners {
		l.ARN = "arn:acc/listener/" + string(rune('a'+i))
		a.Listeners = append(a.Listeners, l)
	}
	return a
}

func listener(protocol string, ranges []PortRange, groups ...EndpointGroup) Listener {
	return Listener{Protocol: protocol, PortRanges: ranges, EndpointGroups: groups}
}

func group(overrides ...PortOverride) EndpointGroup { return EndpointGroup{PortOverrides: overrides} }

func TestAcceleratorCheck(t *testing.T) {
	pr := func(pairs ...int) []PortRange {
		var out []PortRange
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, PortRange{pairs[i], pairs[i+1]})
		}
		return out
	}
	po := func(l, e int) PortOverride { return PortOverride{l, e} }
	var tenListeners, elevenListeners []Listener
	for i := range 11 {
		l := listener("TCP", pr(100+i, 100+i))
		if i < 10 {
			tenListeners = append(tenListeners, l)
		}
		elevenListeners = append(elevenListeners, l)
	}
	var manyGroups []EndpointGroup
	for range 43 {
		manyGroups = append(manyGroups, EndpointGroup{})
	}
	tests := []struct {
		name string
		acc  *Accelerator
		code string
	}{
		{"empty", testAccelerator(), ""},
		{"ten listeners", testAccelerator(tenListeners...), ""},
		{"eleven listeners", testAccelerator(elevenListeners...), limitExceeded},
		{"TCP and UDP share a port", testAccelerator(listener("TCP", pr(53, 53)), listener("UDP", pr(53, 53))), ""},
		{"two TCP listeners overlap", testAccelerator(listener("TCP", pr(80, 90)), listener("TCP", pr(85, 85))), invalidPortRange},
		{"two UDP listeners overlap", testAccelerator(listener("UDP", pr(1000, 2000)), listener("UDP", pr(443, 443, 2000, 2001))), invalidPortRange},
		{"42 groups", testAccelerator(listener("TCP", pr(80, 80), manyGroups[:42]...)), ""},
		{"43 groups", testAccelerator(listener("TCP", pr(80, 80), manyGroups...)), limitExceeded},
		{"override ok", testAccelerator(listener("TCP", pr(80, 80, 443, 443), group(po(80, 8080), po(443, 8443)))), ""},
		{"override from a port outside the listener", testAccelerator(listener("TCP", pr(80, 80), group(po(81, 8080)))), invalidArgument},
		{"override into own listener range", testAccelerator(listener("TCP", pr(80, 80, 443, 443), group(po(80, 443)))), invalidArgument},
		{"override into another listener's range", testAccelerator(listener("TCP", pr(100, 199), group(po(100, 210))), listener("UDP", pr(200, 299))), invalidArgument},
		{"two listener ports to one endpoint port", testAccelerator(listener("TCP", pr(80, 81), group(po(80, 90), po(81, 90)))), invalidArgument},
		{"same override in two groups", testAccelerator(listener("TCP", pr(80, 80), group(po(80, 8080)), group(po(80, 8080)))), ""},
		{"same endpoint port from two listeners", testAccelerator(listener("TCP", pr(80, 80), group(po(80, 8080))), listener("UDP", pr(53, 53), group(po(53, 8080)))), invalidArgument},
		{"eleven endpoints", testAccelerator(listener("TCP", pr(80, 80), EndpointGroup{Endpoints: make([]Endpoint, 11)})), limitExceeded},
	}
	for _, tc := range tests {
		if got := codeOf(tc.acc.Check()); got != tc.code {
			t.Errorf("%s: %q (%v), want %q", tc.name, got, tc.acc.Check(), tc.code)
		}
	}
}

func TestFormatPortRanges(t *testing.T) {
	if got := FormatPortRanges([]PortRange{{80, 80}, {8000, 8099}}); got != "80, 8000-8099" {
		t.Errorf("FormatPortRanges = %q", got)
	}
}
