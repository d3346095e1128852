package healthcheck

import (
	"fmt"
	"net/netip"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// Limits of the HealthCheckConfig shapes (botocore model, spec 3 and 6.1).
const (
	MaxPort              = 65535
	MaxPathLen           = 255 // ResourcePath
	MaxFQDNLen           = 255 // FullyQualifiedDomainName
	MaxSearchStringLen   = 255
	MaxIPAddressLen      = 45
	MaxChildHealthChecks = 256
	MaxHealthThreshold   = 256
	MinFailureThreshold  = 1
	MaxFailureThreshold  = 10
	MinRegions           = 3
	MaxRegions           = 64
	MaxIDLen             = 64 // a HealthCheckId
	MaxAlarmNameLen      = 256
	MaxRoutingControlLen = 255
	// RequestInterval: Route 53 accepts 10 or 30 seconds.
	FastInterval     = 10
	StandardInterval = 30
)

// Types lists the HealthCheckType enumeration in the model's order.
var Types = []string{
	TypeHTTP, TypeHTTPS, TypeHTTPStrMatch, TypeHTTPSStrMatch, TypeTCP,
	TypeCalculated, TypeCloudWatchMetric, TypeRecoveryControl,
}

// InsufficientDataHealthStatus values.
const (
	InsufficientHealthy         = "Healthy"
	InsufficientUnhealthy       = "Unhealthy"
	InsufficientLastKnownStatus = "LastKnownStatus"
)

var insufficientDataStatuses = []string{InsufficientHealthy, InsufficientUnhealthy, InsufficientLastKnownStatus}

// cloudWatchRegions is the model's CloudWatchRegion enumeration.
var cloudWatchRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-central-1", "eu-central-2",
	"eu-west-1", "eu-west-2", "eu-west-3", "ap-east-1", "me-south-1", "me-central-1", "ap-south-1",
	"ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-northeast-1", "ap-northeast-2",
	"ap-northeast-3", "eu-north-1", "sa-east-1", "cn-northwest-1", "cn-north-1", "af-south-1", "eu-south-1",
	"eu-south-2", "us-gov-west-1", "us-gov-east-1", "us-iso-east-1", "us-iso-west-1", "us-isob-east-1",
	"ap-southeast-4", "il-central-1", "ca-west-1", "ap-southeast-5", "mx-central-1", "us-isof-south-1",
	"us-isof-east-1", "ap-southeast-7", "ap-east-2", "eu-isoe-west-1", "ap-southeast-6", "us-isob-west-1",
	"eusc-de-east-1",
}

// ipAddressPattern is the model's pattern for IPAddress, quoted in errors.
const ipAddressPattern = `(^((([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5]))$|^(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))$)`

// IsEndpointType reports whether checkers probe checks of type t over the
// network (HTTP, HTTPS, the string-match types and TCP).
func IsEndpointType(t string) bool {
	switch t {
	case TypeHTTP, TypeHTTPS, TypeHTTPStrMatch, TypeHTTPSStrMatch, TypeTCP:
		return true
	}
	return false
}

// IsStringMatch reports whether checks of type t search the response body.
func IsStringMatch(t string) bool { return t == TypeHTTPStrMatch || t == TypeHTTPSStrMatch }

// IsTLS reports whether checks of type t connect over TLS.
func IsTLS(t string) bool { return t == TypeHTTPS || t == TypeHTTPSStrMatch }

// Validate checks a HealthCheckConfig as CreateHealthCheck receives it (or as
// stored, after Defaults) against every Route 53 rule and the deployment's
// Options. It returns a *zone.Error: InvalidInput worded as Route 53 words
// it. A calculated check's children are looked up with opts.Lookup.
func Validate(c *Config, opts Options) error {
	return validate(c, opts, "healthCheckConfig.")
}

// validate checks c; prefix is the path of c's members in the request
// ("healthCheckConfig." in CreateHealthCheck, "" in UpdateHealthCheck).
func validate(c *Config, o Options, prefix string) error {
	if err := checkShapes(c, o, prefix); err != nil {
		return err
	}
	switch c.Type {
	case TypeRecoveryControl:
		return invalidParam("Meridian does not support RECOVERY_CONTROL health checks: it has no Application Recovery Controller routing controls. " +
			"To switch traffic by hand, set Disabled and Inverted on a health check (disabled alone is healthy, disabled and inverted is unhealthy).")
	case TypeCalculated:
		return checkCalculated(c, o)
	case TypeCloudWatchMetric:
		return checkMetric(c, o)
	}
	return checkEndpoint(c, o)
}

// checkShapes applies the model's per-member constraints: enumerations,
// ranges, lengths and the IPAddress pattern.
func checkShapes(c *Config, o Options, p string) error {
	switch {
	case c.Type == "":
		return missing(p + "type")
	case !contains(Types, c.Type):
		return notInEnum(c.Type, p+"type", Types)
	}
	if c.IPAddress != "" {
		if len(c.IPAddress) > MaxIPAddressLen {
			return tooLong(c.IPAddress, p+"iPAddress", MaxIPAddressLen)
		}
		if _, err := netip.ParseAddr(c.IPAddress); err != nil {
			return constraint(c.IPAddress, p+"iPAddress", "Member must satisfy regular expression pattern: "+ipAddressPattern)
		}
	}
	if c.Port != nil {
		if *c.Port < 1 {
			return tooSmall(*c.Port, p+"port", 1)
		}
		if *c.Port > MaxPort {
			return tooBig(*c.Port, p+"port", MaxPort)
		}
	}
	if len(c.ResourcePath) > MaxPathLen {
		return tooLong(c.ResourcePath, p+"resourcePath", MaxPathLen)
	}
	if len(c.FullyQualifiedDomainName) > MaxFQDNLen {
		return tooLong(c.FullyQualifiedDomainName, p+"fullyQualifiedDomainName", MaxFQDNLen)
	}
	if len(c.SearchString) > MaxSearchStringLen {
		return tooLong(c.SearchString, p+"searchString", MaxSearchStringLen)
	}
	if err := checkInterval(c.RequestInterval, o, p); err != nil {
		return err
	}
	if v := c.FailureThreshold; v != nil {
		if *v < MinFailureThreshold {
			return tooSmall(*v, p+"failureThreshold", MinFailureThreshold)
		}
		if *v > MaxFailureThreshold {
			return tooBig(*v, p+"failureThreshold", MaxFailureThreshold)
		}
	}
	if v := c.HealthThreshold; v != nil {
		if *v < 0 {
			return tooSmall(*v, p+"healthThreshold", 0)
		}
		if *v > MaxHealthThreshold {
			return tooBig(*v, p+"healthThreshold", MaxHealthThreshold)
		}
	}
	if len(c.ChildHealthChecks) > MaxChildHealthChecks {
		return constraint(listValue(c.ChildHealthChecks), p+"childHealthChecks",
			fmt.Sprintf("Member must have length less than or equal to %d", MaxChildHealthChecks))
	}
	for _, id := range c.ChildHealthChecks {
		if len(id) > MaxIDLen {
			return tooLong(id, p+"childHealthChecks.member", MaxIDLen)
		}
	}
	if err := checkRegionList(c.Regions, o, p); err != nil {
		return err
	}
	if a := c.AlarmIdentifier; a != nil {
		regions := append(append([]string(nil), cloudWatchRegions...), o.CheckerRegions...)
		switch {
		case a.Region == "":
			return missing(p + "alarmIdentifier.region")
		case !contains(regions, a.Region):
			return notInEnum(a.Region, p+"alarmIdentifier.region", regions)
		case a.Name == "":
			return missing(p + "alarmIdentifier.name")
		case len(a.Name) > MaxAlarmNameLen:
			return tooLong(a.Name, p+"alarmIdentifier.name", MaxAlarmNameLen)
		}
	}
	if s := c.InsufficientDataHealthStatus; s != "" && !contains(insufficientDataStatuses, s) {
		return notInEnum(s, p+"insufficientDataHealthStatus", insufficientDataStatuses)
	}
	if len(c.RoutingControlArn) > MaxRoutingControlLen {
		return tooLong(c.RoutingControlArn, p+"routingControlArn", MaxRoutingControlLen)
	}
	return nil
}

// checkInterval applies the model's 10–30 range, lowered to MinInterval when
// the deployment allows faster checks, and Route 53's "10 or 30" rule.
func checkInterval(v *int64, o Options, p string) error {
	if v == nil {
		return nil
	}
	fast := o.MinInterval > 0 && o.MinInterval < FastInterval
	min := int64(FastInterval)
	if fast {
		min = o.MinInterval
	}
	switch {
	case *v < min:
		return tooSmall(*v, p+"requestInterval", min)
	case *v > StandardInterval:
		return tooBig(*v, p+"requestInterval", StandardInterval)
	case !fast && *v != FastInterval && *v != StandardInterval:
		return invalidParam("Request interval must be either %d or %d seconds.", FastInterval, StandardInterval)
	}
	return nil
}

// checkRegionList checks a Regions list: absent, or 3 to 64 distinct
// checker regions.
func checkRegionList(regions []string, o Options, p string) error {
	if regions == nil {
		return nil
	}
	if len(regions) < MinRegions {
		return constraint(listValue(regions), p+"regions", fmt.Sprintf("Member must have length greater than or equal to %d", MinRegions))
	}
	if len(regions) > MaxRegions {
		return constraint(listValue(regions), p+"regions", fmt.Sprintf("Member must have length less than or equal to %d", MaxRegions))
	}
	allowed := o.AllowedRegions()
	seen := map[string]bool{}
	for _, r := range regions {
		if !contains(allowed, r) {
			return notInEnum(r, p+"regions.member", allowed)
		}
		if seen[r] {
			return invalidParam("The region %s is listed more than once.", r)
		}
		seen[r] = true
	}
	return nil
}

// checkEndpoint applies the rules of the types whose checkers probe an
// endpoint.
func checkEndpoint(c *Config, o Options) error {
	t := c.Type
	switch {
	case c.HealthThreshold != nil:
		return mustNotHave(t, "a health threshold")
	case len(c.ChildHealthChecks) > 0:
		return mustNotHave(t, "child health checks")
	case c.AlarmIdentifier != nil:
		return mustNotHave(t, "an metric region")
	case c.InsufficientDataHealthStatus != "":
		return mustNotHave(t, "an insufficient data health status")
	case c.RoutingControlArn != "":
		return mustNotHave(t, "a routing control ARN")
	case c.IPAddress == "" && c.FullyQualifiedDomainName == "":
		return mustHave("Basic", "an IP address or a fully qualified domain name")
	}
	if t == TypeTCP {
		switch {
		case c.IPAddress != "" && c.FullyQualifiedDomainName != "":
			return zone.InvalidInput("TCP health checks that have IP address must not have a fully qualified domain name specified.")
		case c.Port == nil:
			return mustHave("TCP", "a port")
		case c.ResourcePath != "":
			return invalidParam("TCP health checks must not have a resource path specified.")
		}
	}
	switch {
	case IsStringMatch(t) && c.SearchString == "":
		return mustHave("String match", "a search string")
	case !IsStringMatch(t) && c.SearchString != "":
		return invalidParam("%s health checks must not have a search string specified.", t)
	}
	if c.IPAddress != "" {
		if err := checkAddress(c.IPAddress, o); err != nil {
			return err
		}
	}
	if c.FullyQualifiedDomainName != "" && !isHostName(c.FullyQualifiedDomainName) {
		return invalidParam("The fully qualified domain name %s is not a valid domain name.", c.FullyQualifiedDomainName)
	}
	for i := 0; i < len(c.ResourcePath); i++ {
		if b := c.ResourcePath[i]; b < 0x21 || b > 0x7e {
			return invalidParam("The resource path %q contains a character that is not allowed in a URL path.", c.ResourcePath)
		}
	}
	return nil
}

// checkAddress refuses addresses checkers cannot reach: every non-public
// address unless the deployment allows loopback and private ones, and
// unspecified, multicast and broadcast addresses always.
func checkAddress(s string, o Options) error {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return invalidParam("%s is not a valid IPv4 or IPv6 address.", s)
	}
	a = a.Unmap()
	if isPublic(a) || (o.AllowLoopback && !neverProbed(a)) {
		return nil
	}
	msg := "IP address %s is in a local, private, non-routable, or multicast range; health checkers can't check it."
	if !neverProbed(a) {
		msg += " (A Meridian server configured for tests or single-machine demos allows loopback and private addresses.)"
	}
	return invalidParam(msg, s)
}

// isHostName reports whether s is a host name a checker can resolve and
// send as a Host header: dot-separated labels of 1–63 letters, digits,
// hyphens or underscores, with an optional trailing dot.
func isHostName(s string) bool {
	if n := len(s); n > 0 && s[n-1] == '.' {
		s = s[:n-1]
	}
	if s == "" {
		return false
	}
	label := 0
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b == '.':
			if label == 0 {
				return false
			}
			label = 0
			continue
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b == '-', b == '_':
		default:
			return false
		}
		label++
		if label > zone.MaxLabelLen {
			return false
		}
	}
	return label > 0
}

// probeless refuses the fields of what a check probes (address, port,
// name, path, search string, checker regions) in a check that probes
// nothing.
func probeless(c *Config) error {
	t := c.Type
	switch {
	case c.IPAddress != "":
		return mustNotHave(t, "an IP address")
	case c.Port != nil:
		return mustNotHave(t, "a port")
	case c.FullyQualifiedDomainName != "":
		return mustNotHave(t, "a fully qualified domain name")
	case c.ResourcePath != "":
		return mustNotHave(t, "a resource path")
	case c.SearchString != "":
		return mustNotHave(t, "a search string")
	case c.Regions != nil:
		return mustNotHave(t, "regions")
	}
	return nil
}

// checkCalculated applies the rules of CALCULATED checks, looking their
// children up with o.Lookup.
func checkCalculated(c *Config, o Options) error {
	if err := probeless(c); err != nil {
		return err
	}
	t := c.Type
	switch {
	case c.AlarmIdentifier != nil:
		return mustNotHave(t, "an metric region")
	case c.InsufficientDataHealthStatus != "":
		return mustNotHave(t, "an insufficient data health status")
	case c.RoutingControlArn != "":
		return mustNotHave(t, "a routing control ARN")
	case c.HealthThreshold == nil:
		return mustHave("Calculated", "a health threshold")
	}
	seen := map[string]bool{}
	for _, id := range c.ChildHealthChecks {
		if id == "" {
			return invalidParam("A child health check ID is empty.")
		}
		if seen[id] {
			return invalidParam("The child health check %s is listed more than once.", id)
		}
		seen[id] = true
		if o.Lookup == nil {
			continue
		}
		child, found, err := o.Lookup(id)
		if err != nil {
			return fmt.Errorf("look up child health check %s: %w", id, err)
		}
		if !found {
			return invalidParam("The child health check %s does not exist.", id)
		}
		if child.Config.Type == TypeCalculated {
			return invalidParam("A calculated health check can't have a calculated health check (%s) as a child.", id)
		}
	}
	return nil
}

// checkMetric applies the rules of CLOUDWATCH_METRIC checks. Meridian has
// no CloudWatch: it accepts an alarm only when the configuration maps it to
// a metric query.
func checkMetric(c *Config, o Options) error {
	if err := probeless(c); err != nil {
		return err
	}
	t := c.Type
	switch {
	case c.HealthThreshold != nil:
		return mustNotHave(t, "a health threshold")
	case len(c.ChildHealthChecks) > 0:
		return mustNotHave(t, "child health checks")
	case c.RoutingControlArn != "":
		return mustNotHave(t, "a routing control ARN")
	case c.AlarmIdentifier == nil:
		return mustHave("Metric", "an alarm identifier")
	}
	a := c.AlarmIdentifier
	if o.AlarmKnown == nil || !o.AlarmKnown(a.Region, a.Name) {
		return zone.InvalidInput(fmt.Sprintf("Meridian has no CloudWatch, so it cannot watch the alarm %q in %s. "+
			"To use it in a CLOUDWATCH_METRIC health check, map the alarm (its region and name) to a Prometheus query "+
			"in the server's configuration file; the health check then follows that query.", a.Name, a.Region))
	}
	return nil
}
