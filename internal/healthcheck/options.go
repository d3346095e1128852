package healthcheck

// Options are the deployment's settings that bear on which health checks are
// valid. The zero value is Route 53's behaviour: every limit as Route 53
// documents it, public addresses only, the eight Route 53 checker regions,
// no CloudWatch alarms.
//
// The server fills Options from its configuration file; the API and the CLI
// never change them, so a request through the API is held to Route 53's
// limits unless the operator configured the server otherwise.
type Options struct {
	// MinInterval, when between 1 and 9, lets RequestInterval take any value
	// from MinInterval to 30 seconds, so tests and demos can detect failures
	// in seconds. Zero (or 10 and above) keeps Route 53's rule: 10 or 30.
	MinInterval int64
	// AllowLoopback permits IPAddress values that Route 53 refuses because
	// they are not public: loopback, private, shared, link-local and
	// documentation ranges. It is meant for tests and single-machine demos,
	// whose endpoints live on 127.0.0.1 or in private networks. Unspecified,
	// multicast and broadcast addresses stay refused: nothing answers there.
	AllowLoopback bool
	// CheckerRegions are the deployment's own checker regions. They are
	// accepted in Regions besides the eight Route 53 checker regions.
	CheckerRegions []string
	// CheckerIPRanges are the CIDR blocks the deployment's checkers send
	// their probes from, as GetCheckerIpRanges reports them. Empty: the
	// loopback block of a single-machine deployment (see CheckerIPBlocks).
	CheckerIPRanges []string
	// Lookup returns a stored health check by ID; Validate uses it to check a
	// calculated check's children. Nil: children are not checked.
	Lookup func(id string) (hc HealthCheck, found bool, err error)
	// AlarmKnown reports whether the configuration maps the CloudWatch alarm
	// (region, name) to a metric query Meridian can evaluate. Nil: no alarm
	// is known, so CLOUDWATCH_METRIC checks are refused.
	AlarmKnown func(region, name string) bool
}

// routeRegions are the Route 53 health checker regions, in the model's order.
var routeRegions = []string{
	"us-east-1", "us-west-1", "us-west-2", "eu-west-1",
	"ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1",
}

// DefaultRegions returns the eight Route 53 health checker regions, the set a
// check uses when its Regions list is empty.
func DefaultRegions() []string { return append([]string(nil), routeRegions...) }

// DefaultCheckerIPRange is what GetCheckerIpRanges reports when the
// deployment declares no checker ranges: a single machine probes from its
// loopback block.
const DefaultCheckerIPRange = "127.0.0.0/8"

// CheckerIPBlocks returns the checker source ranges GetCheckerIpRanges
// reports: the configured ones, else DefaultCheckerIPRange.
func (o Options) CheckerIPBlocks() []string {
	if len(o.CheckerIPRanges) == 0 {
		return []string{DefaultCheckerIPRange}
	}
	return append([]string(nil), o.CheckerIPRanges...)
}

// AllowedRegions returns the regions a check's Regions list may name: the
// eight Route 53 regions, then the deployment's own, without repeats.
func (o Options) AllowedRegions() []string {
	out := DefaultRegions()
	for _, r := range o.CheckerRegions {
		if r != "" && !contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// EffectiveRegions returns the regions whose checkers probe c: its Regions
// list, or every allowed region when the list is empty (Route 53's "all
// regions", extended with the deployment's own checker regions).
func EffectiveRegions(c *Config, o Options) []string {
	if len(c.Regions) > 0 {
		return append([]string(nil), c.Regions...)
	}
	return o.AllowedRegions()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
