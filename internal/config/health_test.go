package config

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/health"
)

func TestParseHealth(t *testing.T) {
	in := `region: eu-central-1
health:
  checker_regions: [us-east-1, eu-west-1, ap-southeast-1]
  checkers_per_region: 2
  max_concurrency: 64
  min_target_interval: 200ms
  interval: 2s
  default_policy: majority
  policies: {web-primary: all, 0b6c5a1e-0000-4000-8000-000000000001: any}
  cold_start: unhealthy
cloudwatch_alarms:
  - {region: us-east-1, name: high-5xx, prometheus: "http://127.0.0.1:9090", query: 'sum(rate(x[1m]))', comparison: GreaterThanThreshold, threshold: 5}
`
	f, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := health.Config{
		Regions:            []string{"us-east-1", "eu-west-1", "ap-southeast-1"},
		CheckersPerRegion:  2,
		MaxConcurrency:     64,
		MinTargetInterval:  200 * time.Millisecond,
		Interval:           2 * time.Second,
		DefaultPolicy:      health.PolicyMajority,
		Policies:           map[string]health.Policy{"web-primary": health.PolicyAll, "0b6c5a1e-0000-4000-8000-000000000001": health.PolicyAny},
		ColdStartUnhealthy: true,
		Alarms: []health.Alarm{{Region: "us-east-1", Name: "high-5xx", Prometheus: "http://127.0.0.1:9090",
			Query: "sum(rate(x[1m]))", Comparison: health.GreaterThanThreshold, Threshold: 5}},
	}
	if got := f.HealthConfig(); !reflect.DeepEqual(got, want) {
		t.Errorf("HealthConfig = %+v\nwant %+v", got, want)
	}

	tests := []struct {
		in   string
		want health.Config
	}{
		{"", health.Config{}},
		{"region: us-west-2\n", health.Config{Regions: []string{"us-west-2"}}},
		{"region: us-west-2\nhealth: {checker_regions: [sa-east-1]}\n", health.Config{Regions: []string{"sa-east-1"}}},
		{"health: {min_target_interval: 0s}\n", health.Config{MinTargetInterval: -1}},
	}
	for _, tt := range tests {
		f, err := Parse([]byte(tt.in))
		if err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		if got := f.HealthConfig(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: HealthConfig = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseHealthErrors(t *testing.T) {
	alarm := "cloudwatch_alarms: [{region: us-east-1, name: a, prometheus: 'http://p:9090', query: up, comparison: LessThanThreshold%s}]\n"
	tests := []struct{ in, want string }{
		{"health: {cold_start: maybe}\n", "cold_start"},
		{"health: {default_policy: most}\n", "default_policy"},
		{"health: {policies: {x: half}}\n", "policies[x]"},
		{"health: {checkers_per_region: -1}\n", "checkers_per_region"},
		{"health: {min_target_interval: -1s}\n", "min_target_interval"},
		{"health: {interval: soon}\n", "parse"},
		{"health: {checker_region: [a]}\n", "field checker_region not found"},
		{strings.Replace(alarm, "%s", "", 1), "threshold is required"},
		{strings.Replace(alarm, "%s", ", threshold: 1, extra: 2", 1), "field extra not found"},
		{strings.Replace(strings.Replace(alarm, "%s", ", threshold: 1", 1), "LessThanThreshold", "Below", 1), "comparison"},
		{strings.Replace(strings.Replace(alarm, "%s", ", threshold: 1", 1), "http://p:9090", "p:9090", 1), "not an http(s) URL"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want containing %q", tt.in, err, tt.want)
		}
	}
	// A File built in code without a threshold yields NaN, which Validate
	// rejects.
	f := &File{CloudWatchAlarms: []CloudWatchAlarm{{Region: "r", Name: "n", Prometheus: "http://p", Query: "up", Comparison: health.LessThanThreshold}}}
	c := f.HealthConfig()
	if !math.IsNaN(c.Alarms[0].Threshold) || c.Validate() == nil {
		t.Errorf("missing threshold: %+v", c.Alarms[0])
	}
}

func TestHealthCheckOptions(t *testing.T) {
	f, err := Parse([]byte(`health:
  checker_regions: [us-east-1, on-prem]
  allow_private_targets: true
  min_request_interval: 2
  checker_ip_ranges: [192.0.2.0/28]
cloudwatch_alarms:
  - {region: us-east-1, name: high-5xx, prometheus: "http://127.0.0.1:9090", query: 'up', comparison: LessThanThreshold, threshold: 1}
`))
	if err != nil {
		t.Fatal(err)
	}
	o := f.HealthCheckOptions()
	if !o.AllowLoopback || o.MinInterval != 2 || !reflect.DeepEqual(o.CheckerRegions, []string{"us-east-1", "on-prem"}) ||
		!reflect.DeepEqual(o.CheckerIPRanges, []string{"192.0.2.0/28"}) {
		t.Errorf("options = %+v", o)
	}
	if !o.AlarmKnown("us-east-1", "high-5xx") || o.AlarmKnown("us-east-1", "other") || o.AlarmKnown("eu-west-1", "high-5xx") {
		t.Error("AlarmKnown does not follow cloudwatch_alarms")
	}
	if d := (&File{}).HealthCheckOptions(); d.AllowLoopback || d.MinInterval != 0 || d.AlarmKnown("us-east-1", "high-5xx") {
		t.Errorf("zero config options = %+v, want Route 53's behaviour", d)
	}
	for in, want := range map[string]string{
		"health: {min_request_interval: -1}\n":        "min_request_interval",
		"health: {min_request_interval: 31}\n":        "min_request_interval",
		"health: {checker_ip_ranges: [not-a-cidr]}\n": "checker_ip_ranges",
	} {
		if _, err := Parse([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error naming %s", in, err, want)
		}
	}
}
