package health

import (
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthstate"
)

// DefaultRegions are Route 53's health-checker regions: a check that lists
// no Regions is checked from all of them.
var DefaultRegions = []string{
	"us-east-1", "us-west-1", "us-west-2", "eu-west-1",
	"ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1",
}

// Defaults of Config.
const (
	DefaultCheckersPerRegion = 1
	DefaultMaxConcurrency    = 256
	DefaultMinTargetInterval = 100 * time.Millisecond
)

// Config is the engine's configuration (the `health` and
// `cloudwatch_alarms` sections of the configuration file).
type Config struct {
	// Regions are the checker regions this node runs. Empty: every region a
	// check lists (a single machine emulating all of them).
	Regions []string
	// CheckersPerRegion is how many independent checkers each region runs
	// for each check. 0: DefaultCheckersPerRegion.
	CheckersPerRegion int
	// MaxConcurrency bounds the probes in flight on this node. 0:
	// DefaultMaxConcurrency.
	MaxConcurrency int
	// MinTargetInterval is the least time between two probes of one
	// endpoint (address or name, and port) across all checks and checkers.
	// 0: DefaultMinTargetInterval; negative: no spacing.
	MinTargetInterval time.Duration
	// Interval, when positive, replaces every check's RequestInterval (demos
	// and tests; Route 53 allows only 10 or 30 seconds).
	Interval time.Duration
	// DefaultPolicy aggregates checkers for checks without an entry in
	// Policies. "": PolicyRoute53.
	DefaultPolicy Policy
	// Policies chooses the aggregation of single checks, keyed by health
	// check ID or by the check's Name tag (see Engine.SetNames).
	Policies map[string]Policy
	// ColdStartUnhealthy makes a new check unhealthy (before inversion)
	// until its first full round, instead of Route 53's healthy.
	ColdStartUnhealthy bool
	// Timeouts of the probes; zero fields take Route 53's values.
	Timeouts Timeouts
	// Alarms are the CloudWatch alarms CLOUDWATCH_METRIC checks name.
	Alarms []Alarm
}

// Deps are the engine's collaborators. Every field is optional.
type Deps struct {
	// Holder receives a new View on every aggregate change. nil: a new
	// holder (see Engine.Holder).
	Holder *healthstate.Holder
	// Resolver resolves FullyQualifiedDomainName. nil: net.DefaultResolver.
	Resolver Resolver
	// Logger logs status changes. nil: discard.
	Logger *slog.Logger
}

// Policy is how a check's checkers are aggregated.
type Policy string

// Aggregation policies.
const (
	// PolicyRoute53: healthy when more than 18% of checkers say healthy.
	PolicyRoute53 Policy = "route53"
	// PolicyMajority: healthy when more than half say healthy.
	PolicyMajority Policy = "majority"
	// PolicyAll: healthy when every checker says healthy.
	PolicyAll Policy = "all"
	// PolicyAny: healthy when at least one checker says healthy.
	PolicyAny Policy = "any"
)

// Valid reports whether p is a known policy ("" counts as PolicyRoute53).
func (p Policy) Valid() bool {
	switch p {
	case "", PolicyRoute53, PolicyMajority, PolicyAll, PolicyAny:
		return true
	}
	return false
}

// Healthy applies the policy to healthy of total checkers. No checkers at
// all is healthy under every policy (nothing says otherwise).
func (p Policy) Healthy(healthy, total int) bool {
	if total <= 0 {
		return true
	}
	switch p {
	case PolicyMajority:
		return 2*healthy > total
	case PolicyAll:
		return healthy == total
	case PolicyAny:
		return healthy > 0
	}
	// Route 53: more than 18%, in integers to avoid rounding.
	return 100*healthy > 18*total
}

// Timeouts are the probe time limits. The defaults are Route 53's where it
// publishes them.
type Timeouts struct {
	// Connect is the TCP connect limit of HTTP(S) checks (4 s).
	Connect time.Duration
	// Status is the limit, from the connection, for the status line
	// (including the TLS handshake) (2 s).
	Status time.Duration
	// Body is the limit, from the status line, for the body of a string
	// match check (2 s).
	Body time.Duration
	// TCP is the connect limit of TCP checks (10 s).
	TCP time.Duration
	// Resolve is the limit of the FQDN lookup (4 s; Route 53 publishes
	// none).
	Resolve time.Duration
	// Alarm is the limit of one Prometheus query (10 s; Route 53 publishes
	// none).
	Alarm time.Duration
}

// withDefaults fills zero fields with the defaults.
func (t Timeouts) withDefaults() Timeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.Connect, 4*time.Second)
	def(&t.Status, 2*time.Second)
	def(&t.Body, 2*time.Second)
	def(&t.TCP, 10*time.Second)
	def(&t.Resolve, 4*time.Second)
	def(&t.Alarm, 10*time.Second)
	return t
}

// Alarm is a CloudWatch alarm emulated with a Prometheus instant query: the
// alarm is in ALARM when the query's value compares true with Threshold, OK
// when it compares false, and INSUFFICIENT_DATA when the query returns no
// sample (or Prometheus cannot be asked). A CLOUDWATCH_METRIC check whose
// AlarmIdentifier is {Region, Name} follows it.
type Alarm struct {
	Region     string
	Name       string
	Prometheus string // base URL of the Prometheus HTTP API, e.g. http://127.0.0.1:9090
	Query      string // PromQL instant query
	Comparison string // a CloudWatch ComparisonOperator
	Threshold  float64
}

// CloudWatch comparison operators an Alarm may use.
const (
	GreaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold"
	GreaterThanThreshold          = "GreaterThanThreshold"
	LessThanThreshold             = "LessThanThreshold"
	LessThanOrEqualToThreshold    = "LessThanOrEqualToThreshold"
)

// breaches reports whether value is in alarm under the comparison.
func (a *Alarm) breaches(v float64) bool {
	switch a.Comparison {
	case GreaterThanOrEqualToThreshold:
		return v >= a.Threshold
	case GreaterThanThreshold:
		return v > a.Threshold
	case LessThanThreshold:
		return v < a.Threshold
	case LessThanOrEqualToThreshold:
		return v <= a.Threshold
	}
	return false
}

// Validate reports the first problem with the configuration.
func (c *Config) Validate() error {
	if c.CheckersPerRegion < 0 {
		return fmt.Errorf("health: checkers_per_region %d is negative", c.CheckersPerRegion)
	}
	if c.MaxConcurrency < 0 {
		return fmt.Errorf("health: max_concurrency %d is negative", c.MaxConcurrency)
	}
	if c.Interval < 0 {
		return fmt.Errorf("health: interval %s is negative", c.Interval)
	}
	seenRegion := map[string]bool{}
	for _, r := range c.Regions {
		if r == "" {
			return fmt.Errorf("health: checker_regions has an empty region")
		}
		if seenRegion[r] {
			return fmt.Errorf("health: checker_regions lists %s twice", r)
		}
		seenRegion[r] = true
	}
	if !c.DefaultPolicy.Valid() {
		return fmt.Errorf("health: default_policy %q is not one of route53, majority, all, any", c.DefaultPolicy)
	}
	for k, p := range c.Policies {
		if !p.Valid() {
			return fmt.Errorf("health: policies[%s] %q is not one of route53, majority, all, any", k, p)
		}
	}
	seen := map[string]bool{}
	for i, a := range c.Alarms {
		if a.Region == "" || a.Name == "" {
			return fmt.Errorf("cloudwatch_alarms[%d]: region and name are required", i)
		}
		key := alarmKey(a.Region, a.Name)
		if seen[key] {
			return fmt.Errorf("cloudwatch_alarms[%d]: alarm %s in %s is defined twice", i, a.Name, a.Region)
		}
		seen[key] = true
		u, err := url.Parse(a.Prometheus)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("cloudwatch_alarms[%d] (%s): prometheus %q is not an http(s) URL", i, a.Name, a.Prometheus)
		}
		if a.Query == "" {
			return fmt.Errorf("cloudwatch_alarms[%d] (%s): query is required", i, a.Name)
		}
		switch a.Comparison {
		case GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold:
		default:
			return fmt.Errorf("cloudwatch_alarms[%d] (%s): comparison %q is not one of %s, %s, %s, %s", i, a.Name, a.Comparison,
				GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold)
		}
		if math.IsNaN(a.Threshold) || math.IsInf(a.Threshold, 0) {
			return fmt.Errorf("cloudwatch_alarms[%d] (%s): threshold must be a finite number", i, a.Name)
		}
	}
	return nil
}

func alarmKey(region, name string) string { return region + "\x00" + name }

// withDefaults returns the configuration with zero fields defaulted.
func (c Config) withDefaults() Config {
	if c.CheckersPerRegion <= 0 {
		c.CheckersPerRegion = DefaultCheckersPerRegion
	}
	if c.MaxConcurrency <= 0 {
		c.MaxConcurrency = DefaultMaxConcurrency
	}
	if c.MinTargetInterval == 0 {
		c.MinTargetInterval = DefaultMinTargetInterval
	}
	if c.DefaultPolicy == "" {
		c.DefaultPolicy = PolicyRoute53
	}
	c.Timeouts = c.Timeouts.withDefaults()
	return c
}
