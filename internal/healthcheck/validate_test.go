package healthcheck

import (
	"errors"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
)

func i64(v int64) *int64 { return &v }
func bptr(v bool) *bool  { return &v }

// httpCheck returns a minimal valid HTTP check on a public address.
func httpCheck() Config { return Config{Type: TypeHTTP, IPAddress: "93.184.216.34"} }

// lookupOf returns an Options.Lookup over a fixed set of checks.
func lookupOf(checks ...HealthCheck) func(string) (HealthCheck, bool, error) {
	return func(id string) (HealthCheck, bool, error) {
		for _, hc := range checks {
			if hc.ID == id {
				return hc, true, nil
			}
		}
		return HealthCheck{}, false, nil
	}
}

var (
	childHTTP = HealthCheck{ID: "child-http", Config: httpCheck()}
	childCalc = HealthCheck{ID: "child-calc", Config: Config{Type: TypeCalculated, HealthThreshold: i64(1)}}
)

func TestValidate(t *testing.T) {
	calcOpts := Options{Lookup: lookupOf(childHTTP, childCalc)}
	alarmOpts := Options{AlarmKnown: func(region, name string) bool { return region == "us-east-1" && name == "cpu-high" }}
	tests := []struct {
		name string
		cfg  func(c *Config)
		base Config // without a Type: httpCheck()
		opts Options
		want string // "" = valid; otherwise a substring of the InvalidInput message
	}{
		// Types.
		{name: "minimal HTTP", cfg: func(*Config) {}},
		{name: "type missing", cfg: func(c *Config) { c.Type = "" },
			want: "1 validation error detected: Value null at 'healthCheckConfig.type' failed to satisfy constraint: Member must not be null"},
		{name: "type unknown", cfg: func(c *Config) { c.Type = "PING" },
			want: "Value 'PING' at 'healthCheckConfig.type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH, TCP, CALCULATED, CLOUDWATCH_METRIC, RECOVERY_CONTROL]"},
		{name: "recovery control refused", base: Config{Type: TypeRecoveryControl, RoutingControlArn: "arn:aws:route53-recovery-control::1:controlpanel/x"},
			want: "Invalid parameter : Meridian does not support RECOVERY_CONTROL health checks"},

		// Endpoint addressing.
		{name: "FQDN only", base: Config{Type: TypeHTTPS, FullyQualifiedDomainName: "www.example.com"}},
		{name: "FQDN with trailing dot", base: Config{Type: TypeHTTPS, FullyQualifiedDomainName: "www.example.com."}},
		{name: "IP and FQDN for HTTP", cfg: func(c *Config) { c.FullyQualifiedDomainName = "www.example.com" }},
		{name: "neither IP nor FQDN", base: Config{Type: TypeHTTP},
			want: "Invalid parameter : Basic health checks must have an IP address or a fully qualified domain name specified."},
		{name: "TCP with IP and FQDN", base: Config{Type: TypeTCP, IPAddress: "93.184.216.34", Port: i64(22), FullyQualifiedDomainName: "x.example.com"},
			want: "TCP health checks that have IP address must not have a fully qualified domain name specified."},
		{name: "TCP without port", base: Config{Type: TypeTCP, IPAddress: "93.184.216.34"},
			want: "Invalid parameter : TCP health checks must have a port specified."},
		{name: "TCP with resource path", base: Config{Type: TypeTCP, IPAddress: "93.184.216.34", Port: i64(22), ResourcePath: "/x"},
			want: "TCP health checks must not have a resource path specified."},
		{name: "TCP by FQDN", base: Config{Type: TypeTCP, FullyQualifiedDomainName: "db.example.com", Port: i64(5432)}},
		{name: "IPv6 public", cfg: func(c *Config) { c.IPAddress = "2606:2800:220:1:248:1893:25c8:1946" }},
		{name: "IP not an address", cfg: func(c *Config) { c.IPAddress = "1.2.3" },
			want: "Value '1.2.3' at 'healthCheckConfig.iPAddress' failed to satisfy constraint: Member must satisfy regular expression pattern: (^((([0-9]"},
		{name: "IP with leading zeros", cfg: func(c *Config) { c.IPAddress = "010.1.1.1" }, want: "Member must satisfy regular expression pattern"},
		{name: "IP too long", cfg: func(c *Config) { c.IPAddress = strings.Repeat("1", 46) },
			want: "failed to satisfy constraint: Member must have length less than or equal to 45"},
		{name: "private IP", cfg: func(c *Config) { c.IPAddress = "10.1.2.3" },
			want: "Invalid parameter : IP address 10.1.2.3 is in a local, private, non-routable, or multicast range; health checkers can't check it. (A Meridian server configured"},
		{name: "loopback IP", cfg: func(c *Config) { c.IPAddress = "127.0.0.1" }, want: "IP address 127.0.0.1 is in a local"},
		{name: "shared address space", cfg: func(c *Config) { c.IPAddress = "100.64.0.1" }, want: "is in a local"},
		{name: "documentation range", cfg: func(c *Config) { c.IPAddress = "192.0.2.44" }, want: "is in a local"},
		{name: "IPv6 loopback", cfg: func(c *Config) { c.IPAddress = "::1" }, want: "is in a local"},
		{name: "IPv6 ULA", cfg: func(c *Config) { c.IPAddress = "fd00::1" }, want: "is in a local"},
		{name: "IPv6 documentation", cfg: func(c *Config) { c.IPAddress = "2001:db8::1" }, want: "is in a local"},
		{name: "IPv4-mapped private", cfg: func(c *Config) { c.IPAddress = "::ffff:192.168.1.1" }, want: "is in a local"},
		{name: "multicast", cfg: func(c *Config) { c.IPAddress = "224.0.0.1" }, want: "is in a local"},
		{name: "loopback allowed", cfg: func(c *Config) { c.IPAddress = "127.0.0.1" }, opts: Options{AllowLoopback: true}},
		{name: "private allowed", cfg: func(c *Config) { c.IPAddress = "192.168.1.10" }, opts: Options{AllowLoopback: true}},
		{name: "IPv6 loopback allowed", cfg: func(c *Config) { c.IPAddress = "::1" }, opts: Options{AllowLoopback: true}},
		{name: "unspecified never allowed", cfg: func(c *Config) { c.IPAddress = "0.0.0.0" }, opts: Options{AllowLoopback: true},
			want: "Invalid parameter : IP address 0.0.0.0 is in a local, private, non-routable, or multicast range; health checkers can't check it."},
		{name: "multicast never allowed", cfg: func(c *Config) { c.IPAddress = "ff02::1" }, opts: Options{AllowLoopback: true}, want: "is in a local"},
		{name: "broadcast never allowed", cfg: func(c *Config) { c.IPAddress = "255.255.255.255" }, opts: Options{AllowLoopback: true}, want: "is in a local"},
		{name: "FQDN too long", base: Config{Type: TypeHTTP, FullyQualifiedDomainName: strings.Repeat("a", 256)},
			want: "at 'healthCheckConfig.fullyQualifiedDomainName' failed to satisfy constraint: Member must have length less than or equal to 255"},
		{name: "FQDN bad", base: Config{Type: TypeHTTP, FullyQualifiedDomainName: "www..example.com"},
			want: "Invalid parameter : The fully qualified domain name www..example.com is not a valid domain name."},
		{name: "FQDN with space", base: Config{Type: TypeHTTP, FullyQualifiedDomainName: "www example.com"}, want: "is not a valid domain name"},
		{name: "FQDN label too long", base: Config{Type: TypeHTTP, FullyQualifiedDomainName: strings.Repeat("a", 64) + ".com"}, want: "is not a valid domain name"},

		// Ports.
		{name: "port 1", cfg: func(c *Config) { c.Port = i64(1) }},
		{name: "port 65535", cfg: func(c *Config) { c.Port = i64(65535) }},
		{name: "port 0", cfg: func(c *Config) { c.Port = i64(0) },
			want: "1 validation error detected: Value '0' at 'healthCheckConfig.port' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "port 65536", cfg: func(c *Config) { c.Port = i64(65536) },
			want: "Value '65536' at 'healthCheckConfig.port' failed to satisfy constraint: Member must have value less than or equal to 65535"},

		// Paths and search strings.
		{name: "path 255", cfg: func(c *Config) { c.ResourcePath = "/" + strings.Repeat("p", 254) }},
		{name: "path 256", cfg: func(c *Config) { c.ResourcePath = "/" + strings.Repeat("p", 255) },
			want: "at 'healthCheckConfig.resourcePath' failed to satisfy constraint: Member must have length less than or equal to 255"},
		{name: "path with query", cfg: func(c *Config) { c.ResourcePath = "/welcome.html?language=jp&login=y" }},
		{name: "path with space", cfg: func(c *Config) { c.ResourcePath = "/a b" },
			want: `Invalid parameter : The resource path "/a b" contains a character that is not allowed in a URL path.`},
		{name: "string match needs search string", base: Config{Type: TypeHTTPStrMatch, IPAddress: "93.184.216.34"},
			want: "Invalid parameter : String match health checks must have a search string specified."},
		{name: "string match", base: Config{Type: TypeHTTPSStrMatch, IPAddress: "93.184.216.34", SearchString: "OK"}},
		{name: "search string 255", base: Config{Type: TypeHTTPStrMatch, IPAddress: "93.184.216.34", SearchString: strings.Repeat("s", 255)}},
		{name: "search string 256", base: Config{Type: TypeHTTPStrMatch, IPAddress: "93.184.216.34", SearchString: strings.Repeat("s", 256)},
			want: "at 'healthCheckConfig.searchString' failed to satisfy constraint: Member must have length less than or equal to 255"},
		{name: "search string on HTTP", cfg: func(c *Config) { c.SearchString = "OK" },
			want: "Invalid parameter : HTTP health checks must not have a search string specified."},
		{name: "search string on TCP", base: Config{Type: TypeTCP, IPAddress: "93.184.216.34", Port: i64(22), SearchString: "x"},
			want: "Invalid parameter : TCP health checks must not have a search string specified."},

		// Intervals and thresholds.
		{name: "interval 10", cfg: func(c *Config) { c.RequestInterval = i64(10) }},
		{name: "interval 30", cfg: func(c *Config) { c.RequestInterval = i64(30) }},
		{name: "interval 20", cfg: func(c *Config) { c.RequestInterval = i64(20) },
			want: "Invalid parameter : Request interval must be either 10 or 30 seconds."},
		{name: "interval 5", cfg: func(c *Config) { c.RequestInterval = i64(5) },
			want: "Value '5' at 'healthCheckConfig.requestInterval' failed to satisfy constraint: Member must have value greater than or equal to 10"},
		{name: "interval 31", cfg: func(c *Config) { c.RequestInterval = i64(31) },
			want: "Member must have value less than or equal to 30"},
		{name: "fast interval allowed", cfg: func(c *Config) { c.RequestInterval = i64(2) }, opts: Options{MinInterval: 1}},
		{name: "any interval with MinInterval", cfg: func(c *Config) { c.RequestInterval = i64(20) }, opts: Options{MinInterval: 1}},
		{name: "below MinInterval", cfg: func(c *Config) { c.RequestInterval = i64(1) }, opts: Options{MinInterval: 2},
			want: "Value '1' at 'healthCheckConfig.requestInterval' failed to satisfy constraint: Member must have value greater than or equal to 2"},
		{name: "MinInterval 10 keeps Route 53 rule", cfg: func(c *Config) { c.RequestInterval = i64(20) }, opts: Options{MinInterval: 10},
			want: "Request interval must be either 10 or 30 seconds."},
		{name: "failure threshold 1", cfg: func(c *Config) { c.FailureThreshold = i64(1) }},
		{name: "failure threshold 10", cfg: func(c *Config) { c.FailureThreshold = i64(10) }},
		{name: "failure threshold 0", cfg: func(c *Config) { c.FailureThreshold = i64(0) },
			want: "Value '0' at 'healthCheckConfig.failureThreshold' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "failure threshold 11", cfg: func(c *Config) { c.FailureThreshold = i64(11) },
			want: "Value '11' at 'healthCheckConfig.failureThreshold' failed to satisfy constraint: Member must have value less than or equal to 10"},

		// Regions.
		{name: "three regions", cfg: func(c *Config) { c.Regions = []string{"us-east-1", "eu-west-1", "sa-east-1"} }},
		{name: "two regions", cfg: func(c *Config) { c.Regions = []string{"us-east-1", "eu-west-1"} },
			want: "Value '[us-east-1, eu-west-1]' at 'healthCheckConfig.regions' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{name: "empty region list", cfg: func(c *Config) { c.Regions = []string{} }, want: "Member must have length greater than or equal to 3"},
		{name: "unknown region", cfg: func(c *Config) { c.Regions = []string{"us-east-1", "eu-west-1", "eu-central-1"} },
			want: "Value 'eu-central-1' at 'healthCheckConfig.regions.member' failed to satisfy constraint: Member must satisfy enum value set: [us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1]"},
		{name: "deployment region", cfg: func(c *Config) { c.Regions = []string{"us-east-1", "eu-west-1", "home"} }, opts: Options{CheckerRegions: []string{"home"}}},
		{name: "duplicate region", cfg: func(c *Config) { c.Regions = []string{"us-east-1", "eu-west-1", "us-east-1"} },
			want: "Invalid parameter : The region us-east-1 is listed more than once."},

		// Fields of other types on an endpoint check.
		{name: "health threshold on HTTP", cfg: func(c *Config) { c.HealthThreshold = i64(1) },
			want: "Invalid parameter : Basic health checks must not have a health threshold specified."},
		{name: "children on HTTP", cfg: func(c *Config) { c.ChildHealthChecks = []string{"child-http"} },
			want: "Invalid parameter : Basic health checks must not have child health checks specified."},
		{name: "alarm on TCP", base: Config{Type: TypeTCP, IPAddress: "93.184.216.34", Port: i64(22), AlarmIdentifier: &AlarmIdentifier{Region: "us-east-2", Name: "x"}},
			want: "Invalid parameter : Basic health checks must not have an metric region specified."},
		{name: "insufficient data status on HTTP", cfg: func(c *Config) { c.InsufficientDataHealthStatus = InsufficientHealthy },
			want: "Basic health checks must not have an insufficient data health status specified."},
		{name: "routing control on HTTP", cfg: func(c *Config) { c.RoutingControlArn = "arn:x" },
			want: "Basic health checks must not have a routing control ARN specified."},

		// Calculated checks.
		{name: "calculated", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), ChildHealthChecks: []string{"child-http"}}, opts: calcOpts},
		{name: "calculated threshold 0 no children", base: Config{Type: TypeCalculated, HealthThreshold: i64(0)}, opts: calcOpts},
		{name: "calculated threshold above child count", base: Config{Type: TypeCalculated, HealthThreshold: i64(5), ChildHealthChecks: []string{"child-http"}}, opts: calcOpts},
		{name: "calculated without threshold", base: Config{Type: TypeCalculated, ChildHealthChecks: []string{"child-http"}}, opts: calcOpts,
			want: "Invalid parameter : Calculated health checks must have a health threshold specified."},
		{name: "calculated threshold 257", base: Config{Type: TypeCalculated, HealthThreshold: i64(257)},
			want: "Value '257' at 'healthCheckConfig.healthThreshold' failed to satisfy constraint: Member must have value less than or equal to 256"},
		{name: "calculated threshold -1", base: Config{Type: TypeCalculated, HealthThreshold: i64(-1)},
			want: "Member must have value greater than or equal to 0"},
		{name: "calculated with port", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), Port: i64(80)},
			want: "Invalid parameter : Calculated health checks must not have a port specified."},
		{name: "calculated with IP", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), IPAddress: "93.184.216.34"},
			want: "Calculated health checks must not have an IP address specified."},
		{name: "calculated with FQDN", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), FullyQualifiedDomainName: "x.example.com"},
			want: "Calculated health checks must not have a fully qualified domain name specified."},
		{name: "calculated with path", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), ResourcePath: "/x"},
			want: "Calculated health checks must not have a resource path specified."},
		{name: "calculated with regions", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), Regions: []string{"us-east-1", "us-west-1", "us-west-2"}},
			want: "Calculated health checks must not have regions specified."},
		{name: "calculated with alarm", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "a"}},
			want: "Calculated health checks must not have an metric region specified."},
		{name: "calculated child missing", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), ChildHealthChecks: []string{"nope"}}, opts: calcOpts,
			want: "Invalid parameter : The child health check nope does not exist."},
		{name: "calculated child calculated", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), ChildHealthChecks: []string{"child-http", "child-calc"}}, opts: calcOpts,
			want: "Invalid parameter : A calculated health check can't have a calculated health check (child-calc) as a child."},
		{name: "calculated duplicate child", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), ChildHealthChecks: []string{"child-http", "child-http"}}, opts: calcOpts,
			want: "Invalid parameter : The child health check child-http is listed more than once."},
		{name: "calculated 257 children", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), ChildHealthChecks: manyIDs(257)},
			want: "at 'healthCheckConfig.childHealthChecks' failed to satisfy constraint: Member must have length less than or equal to 256"},
		{name: "calculated 256 children unchecked", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), ChildHealthChecks: manyIDs(256)}},
		{name: "child ID too long", base: Config{Type: TypeCalculated, HealthThreshold: i64(1), ChildHealthChecks: []string{strings.Repeat("c", 65)}},
			want: "at 'healthCheckConfig.childHealthChecks.member' failed to satisfy constraint: Member must have length less than or equal to 64"},

		// CloudWatch metric checks.
		{name: "metric mapped", base: Config{Type: TypeCloudWatchMetric, AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "cpu-high"}}, opts: alarmOpts},
		{name: "metric not mapped", base: Config{Type: TypeCloudWatchMetric, AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "disk-full"}}, opts: alarmOpts,
			want: `Meridian has no CloudWatch, so it cannot watch the alarm "disk-full" in us-east-1. To use it in a CLOUDWATCH_METRIC health check, map the alarm`},
		{name: "metric without AlarmKnown", base: Config{Type: TypeCloudWatchMetric, AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "cpu-high"}},
			want: "Meridian has no CloudWatch"},
		{name: "metric without alarm", base: Config{Type: TypeCloudWatchMetric}, opts: alarmOpts,
			want: "Invalid parameter : Metric health checks must have an alarm identifier specified."},
		{name: "metric with port", base: Config{Type: TypeCloudWatchMetric, Port: i64(80), AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "cpu-high"}}, opts: alarmOpts,
			want: "Invalid parameter : Metric health checks must not have a port specified."},
		{name: "metric bad region", base: Config{Type: TypeCloudWatchMetric, AlarmIdentifier: &AlarmIdentifier{Region: "mars-1", Name: "cpu-high"}}, opts: alarmOpts,
			want: "Value 'mars-1' at 'healthCheckConfig.alarmIdentifier.region' failed to satisfy constraint: Member must satisfy enum value set: [us-east-1, us-east-2,"},
		{name: "metric alarm name missing", base: Config{Type: TypeCloudWatchMetric, AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1"}}, opts: alarmOpts,
			want: "Value null at 'healthCheckConfig.alarmIdentifier.name' failed to satisfy constraint: Member must not be null"},
		{name: "metric bad insufficient status", base: Config{Type: TypeCloudWatchMetric, AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "cpu-high"}, InsufficientDataHealthStatus: "Maybe"}, opts: alarmOpts,
			want: "Value 'Maybe' at 'healthCheckConfig.insufficientDataHealthStatus' failed to satisfy constraint: Member must satisfy enum value set: [Healthy, Unhealthy, LastKnownStatus]"},
		{name: "metric with threshold", base: Config{Type: TypeCloudWatchMetric, HealthThreshold: i64(1), AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "cpu-high"}}, opts: alarmOpts,
			want: "Metric health checks must not have a health threshold specified."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.base
			if c.Type == "" {
				c = httpCheck()
			}
			if tc.cfg != nil {
				tc.cfg(&c)
			}
			err := Validate(&c, tc.opts)
			checkErr(t, err, "InvalidInput", tc.want)
		})
	}
}

func manyIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strings.Repeat("0", 8) + "-" + string(rune('a'+i%26)) + strings.Repeat("0", 3) + "-" + string(rune('a'+i/26))
	}
	return out
}

// checkErr checks err against want: nil when want is "", else a *zone.Error
// with the code whose message contains want.
func checkErr(t *testing.T, err error, code, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want %s %q", code, want)
	}
	var ze *zone.Error
	if !errors.As(err, &ze) {
		t.Fatalf("error %T %v is not a *zone.Error", err, err)
	}
	if ze.Code != code || !strings.Contains(ze.Message, want) {
		t.Fatalf("error = %s: %q\nwant %s containing %q", ze.Code, ze.Message, code, want)
	}
}

func TestValidateLookupError(t *testing.T) {
	boom := errors.New("store closed")
	c := Config{Type: TypeCalculated, HealthThreshold: i64(1), ChildHealthChecks: []string{"a"}}
	err := Validate(&c, Options{Lookup: func(string) (HealthCheck, bool, error) { return HealthCheck{}, false, boom }})
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v, want it to wrap %v", err, boom)
	}
	if _, ok := zone.AsError(err); ok {
		t.Fatalf("a lookup failure must not read as a client error: %v", err)
	}
}
