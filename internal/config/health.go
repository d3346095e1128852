package config

import (
	"fmt"
	"math"
	"net/netip"
	"time"

	"github.com/meridian-gtm/meridian/internal/health"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// HealthSection is the `health` section: how this node runs health checks.
//
//	health:
//	  checker_regions: [us-east-1, eu-west-1, ap-southeast-1]
//	  checkers_per_region: 2
//	  max_concurrency: 256
//	  min_target_interval: 200ms
//	  interval: 2s
//	  default_policy: route53
//	  policies: {web-primary: majority, 0b6c…: all}
//	  cold_start: healthy
type HealthSection struct {
	// CheckerRegions are the checker regions this node runs. Empty: the
	// node's region when it has one, else every region a check lists (a
	// single machine emulating all of them).
	CheckerRegions []string `yaml:"checker_regions"`
	// CheckersPerRegion is how many independent checkers each region runs
	// per check (default 1).
	CheckersPerRegion int `yaml:"checkers_per_region"`
	// MaxConcurrency bounds the probes in flight (default 256).
	MaxConcurrency int `yaml:"max_concurrency"`
	// MinTargetInterval is the least time between two probes of one
	// endpoint across all checks and checkers (default 100ms; 0: none).
	MinTargetInterval *time.Duration `yaml:"min_target_interval"`
	// Interval, when set, replaces every check's RequestInterval (demos).
	Interval time.Duration `yaml:"interval"`
	// DefaultPolicy aggregates a check's checkers: route53 (more than 18%
	// healthy; the default), majority, all or any.
	DefaultPolicy string `yaml:"default_policy"`
	// Policies choose the aggregation per check, keyed by health check ID
	// or Name tag.
	Policies map[string]string `yaml:"policies"`
	// ColdStart is the status of a new check until its first full round:
	// healthy (Route 53; the default) or unhealthy (fail closed).
	ColdStart string `yaml:"cold_start"`
	// AllowPrivateTargets lets health checks probe loopback and private
	// addresses, which Route 53 refuses (single-machine demos and tests).
	AllowPrivateTargets bool `yaml:"allow_private_targets"`
	// MinRequestInterval (1–9 seconds) lets the API accept RequestInterval
	// values from it up to 30 instead of Route 53's 10 or 30.
	MinRequestInterval int64 `yaml:"min_request_interval"`
	// CheckerIPRanges are the source ranges of this deployment's checkers,
	// as GetCheckerIpRanges reports them (default: 127.0.0.0/8).
	CheckerIPRanges []string `yaml:"checker_ip_ranges"`
	// MaxHealthChecks is the health-check quota (default 200, Route 53's).
	MaxHealthChecks int `yaml:"max_health_checks"`
}

// HealthCheckOptions returns the settings the control plane validates health
// checks with: the deployment's checker regions and ranges, its alarms, and
// the relaxations this configuration allows.
func (f *File) HealthCheckOptions() healthcheck.Options {
	c := f.HealthConfig()
	alarms := make(map[[2]string]bool, len(c.Alarms))
	for _, a := range c.Alarms {
		alarms[[2]string{a.Region, a.Name}] = true
	}
	return healthcheck.Options{
		MinInterval:     f.Health.MinRequestInterval,
		AllowLoopback:   f.Health.AllowPrivateTargets,
		CheckerRegions:  c.Regions,
		CheckerIPRanges: append([]string(nil), f.Health.CheckerIPRanges...),
		AlarmKnown:      func(region, name string) bool { return alarms[[2]string{region, name}] },
	}
}

// CloudWatchAlarm is one `cloudwatch_alarms` item, e.g. {region: us-east-1,
// name: high-5xx, prometheus: http://127.0.0.1:9090, query:
// 'sum(rate(x[1m]))', comparison: GreaterThanThreshold, threshold: 5}.
type CloudWatchAlarm struct {
	Region     string   `yaml:"region"`
	Name       string   `yaml:"name"`
	Prometheus string   `yaml:"prometheus"`
	Query      string   `yaml:"query"`
	Comparison string   `yaml:"comparison"`
	Threshold  *float64 `yaml:"threshold"`
}

// HealthConfig returns the health-check engine's configuration. An alarm
// without a threshold (only possible in a File not checked by Parse) gets
// NaN, which health.Config.Validate rejects.
func (f *File) HealthConfig() health.Config {
	h := f.Health
	c := health.Config{
		Regions:            append([]string(nil), h.CheckerRegions...),
		CheckersPerRegion:  h.CheckersPerRegion,
		MaxConcurrency:     h.MaxConcurrency,
		Interval:           h.Interval,
		DefaultPolicy:      health.Policy(h.DefaultPolicy),
		ColdStartUnhealthy: h.ColdStart == "unhealthy",
	}
	if len(c.Regions) == 0 && f.Region != "" {
		c.Regions = []string{f.Region}
	}
	if h.MinTargetInterval != nil {
		c.MinTargetInterval = *h.MinTargetInterval
		if c.MinTargetInterval == 0 {
			c.MinTargetInterval = -1 // none
		}
	}
	if len(h.Policies) > 0 {
		c.Policies = make(map[string]health.Policy, len(h.Policies))
		for k, p := range h.Policies {
			c.Policies[k] = health.Policy(p)
		}
	}
	for _, a := range f.CloudWatchAlarms {
		t := math.NaN()
		if a.Threshold != nil {
			t = *a.Threshold
		}
		c.Alarms = append(c.Alarms, health.Alarm{
			Region: a.Region, Name: a.Name, Prometheus: a.Prometheus,
			Query: a.Query, Comparison: a.Comparison, Threshold: t,
		})
	}
	return c
}

// validateHealth checks the health and cloudwatch_alarms sections.
func (f *File) validateHealth() error {
	switch f.Health.ColdStart {
	case "", "healthy", "unhealthy":
	default:
		return fmt.Errorf("health: cold_start %q is not healthy or unhealthy", f.Health.ColdStart)
	}
	if f.Health.MaxHealthChecks < 0 {
		return fmt.Errorf("health: max_health_checks %d is negative", f.Health.MaxHealthChecks)
	}
	if m := f.Health.MinRequestInterval; m < 0 || m > 30 {
		return fmt.Errorf("health: min_request_interval %d is not between 1 and 30 seconds", m)
	}
	for _, r := range f.Health.CheckerIPRanges {
		if _, err := netip.ParsePrefix(r); err != nil {
			return fmt.Errorf("health: checker_ip_ranges: %q is not a CIDR block", r)
		}
	}
	if d := f.Health.MinTargetInterval; d != nil && *d < 0 {
		return fmt.Errorf("health: min_target_interval %s is negative", *d)
	}
	for i, a := range f.CloudWatchAlarms {
		if a.Threshold == nil {
			return fmt.Errorf("cloudwatch_alarms[%d] (%s): threshold is required", i, a.Name)
		}
	}
	c := f.HealthConfig()
	return c.Validate()
}
