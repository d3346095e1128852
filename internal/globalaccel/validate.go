package globalaccel

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/meridian-gtm/meridian/internal/latency"
)

// Quotas (spec 6.2).
const (
	MaxAccelerators                 = 20
	MaxListeners                    = 10
	MaxPortRanges                   = 10
	MaxEndpointGroupsPerAccelerator = 42
	MaxEndpoints                    = 10
	MaxPortOverrides                = 10
	MaxTags                         = 50
	MaxNameLength                   = 64
	MaxTokenLength                  = 255
	MaxHealthCheckPath              = 255
)

// Options are the deployment's settings that bear on what is valid.
type Options struct {
	// Regions are custom endpoint group regions accepted besides the AWS
	// region codes (latency.BuiltinRegions).
	Regions []string
	// MinInterval, when between 1 and 9, lets HealthCheckIntervalSeconds take
	// any value from it to 30, so tests and demos detect failures in
	// seconds. Zero (or 10 and above) keeps AWS's rule: 10 or 30.
	MinInterval int
}

// ValidateName checks an accelerator name: 1–64 characters, letters, digits,
// '.' and '-', neither first nor last being '.' or '-' (spec 5.1).
func ValidateName(name string) error {
	if name == "" {
		return InvalidArgument("Name is required: 1 to %d letters, digits, periods (.) and hyphens (-).", MaxNameLength)
	}
	if len(name) > MaxNameLength {
		return InvalidArgument("Name %q is %d characters long; the maximum is %d.", name, len(name), MaxNameLength)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isAlnum(c) && c != '.' && c != '-' {
			return InvalidArgument("Name %q contains %q: only letters, digits, periods (.) and hyphens (-) are allowed.", name, string(rune(c)))
		}
	}
	if first, last := name[0], name[len(name)-1]; first == '.' || first == '-' || last == '.' || last == '-' {
		return InvalidArgument("Name %q must not start or end with a period (.) or a hyphen (-).", name)
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// ValidateToken checks an idempotency token: required, at most 255
// characters.
func ValidateToken(token string) error {
	if token == "" {
		return InvalidArgument("IdempotencyToken is required: a unique string of up to %d characters (the AWS SDKs and CLI generate one).", MaxTokenLength)
	}
	if len(token) > MaxTokenLength {
		return InvalidArgument("IdempotencyToken is %d characters long; the maximum is %d.", len(token), MaxTokenLength)
	}
	return nil
}

// ValidateTag checks one tag: a key of 1–128 characters that does not start
// with the reserved "aws:" prefix, and a value of at most 256.
func ValidateTag(key, value string) error {
	if key == "" || len(key) > 128 {
		return InvalidArgument("Tag key %q must be 1 to 128 characters long.", key)
	}
	if strings.HasPrefix(strings.ToLower(key), "aws:") {
		return InvalidArgument("Tag key %q uses the reserved prefix aws:.", key)
	}
	if len(value) > 256 {
		return InvalidArgument("The value of tag %q is %d characters long; the maximum is 256.", key, len(value))
	}
	return nil
}

// ParseIPAddressType checks an IpAddressType; "" is the default, IPV4.
// DUAL_STACK needs an IPv6 address pool, which dualStack reports.
func ParseIPAddressType(s string, dualStack bool) (string, error) {
	switch s {
	case "", IPAddressTypeIPv4:
		return IPAddressTypeIPv4, nil
	case IPAddressTypeDualStack:
		if !dualStack {
			return "", InvalidArgument("IpAddressType DUAL_STACK is not available: this deployment has no IPv6 address pool for accelerators. Use IPV4, or configure an IPv6 pool.")
		}
		return s, nil
	}
	return "", enumError("IpAddressType", s, IPAddressTypeIPv4, IPAddressTypeDualStack)
}

// ParseProtocol checks a listener Protocol (required).
func ParseProtocol(s string) (string, error) {
	switch s {
	case ProtocolTCP, ProtocolUDP:
		return s, nil
	case "":
		return "", InvalidArgument("Protocol is required: TCP or UDP.")
	}
	return "", enumError("Protocol", s, ProtocolTCP, ProtocolUDP)
}

// ParseClientAffinity checks a ClientAffinity; "" is the default, NONE.
func ParseClientAffinity(s string) (string, error) {
	switch s {
	case "":
		return AffinityNone, nil
	case AffinityNone, AffinitySourceIP:
		return s, nil
	}
	return "", enumError("ClientAffinity", s, AffinityNone, AffinitySourceIP)
}

func enumError(member, value string, allowed ...string) error {
	return InvalidArgument("%s %q is not valid: it must be one of %s.", member, value, strings.Join(allowed, ", "))
}

// ValidatePortRanges checks a listener's port ranges: 1 to 10 ranges, each
// within 1–65535 with FromPort ≤ ToPort, none overlapping another.
func ValidatePortRanges(ranges []PortRange) error {
	if len(ranges) == 0 || len(ranges) > MaxPortRanges {
		return InvalidArgument("PortRanges must hold 1 to %d port ranges; it holds %d.", MaxPortRanges, len(ranges))
	}
	for i, r := range ranges {
		if r.FromPort < 1 || r.FromPort > 65535 || r.ToPort < 1 || r.ToPort > 65535 {
			return InvalidPortRange("Port range %d-%d is not valid: ports must be between 1 and 65535.", r.FromPort, r.ToPort)
		}
		if r.FromPort > r.ToPort {
			return InvalidPortRange("Port range %d-%d is not valid: FromPort must not be greater than ToPort.", r.FromPort, r.ToPort)
		}
		for _, o := range ranges[:i] {
			if overlaps(r, o) {
				return InvalidPortRange("Port ranges %d-%d and %d-%d overlap.", o.FromPort, o.ToPort, r.FromPort, r.ToPort)
			}
		}
	}
	return nil
}

func overlaps(a, b PortRange) bool { return a.FromPort <= b.ToPort && b.FromPort <= a.ToPort }

// ValidateRegion checks an endpoint group region: an AWS region code or one
// of the deployment's custom regions.
func ValidateRegion(region string, opts Options) error {
	if region == "" {
		return InvalidArgument("EndpointGroupRegion is required.")
	}
	if latency.IsBuiltin(region) || slices.Contains(opts.Regions, region) {
		return nil
	}
	msg := "EndpointGroupRegion %q is not a known region: use an AWS region code such as us-east-1"
	if len(opts.Regions) > 0 {
		msg += " or one of this deployment's regions (" + strings.Join(opts.Regions, ", ") + ")"
	}
	return InvalidArgument(msg+".", region)
}

var healthCheckPath = regexp.MustCompile(`^/[-a-zA-Z0-9@:%_+.~#?&/=]*$`)

// GroupSettings are the optional members of CreateEndpointGroup and
// UpdateEndpointGroup. Nil pointers and nil slices leave a setting as it is
// (on creation: its default); a non-nil empty slice clears the list.
type GroupSettings struct {
	Endpoints                  []EndpointConfiguration
	TrafficDialPercentage      *float64
	HealthCheckPort            *int
	HealthCheckProtocol        *string
	HealthCheckPath            *string
	HealthCheckIntervalSeconds *int
	ThresholdCount             *int
	PortOverrides              []PortOverride
}

// EndpointConfiguration is one endpoint as a request gives it.
type EndpointConfiguration struct {
	EndpointID                  string
	Weight                      *int
	ClientIPPreservationEnabled *bool
	AttachmentARN               string
}

// NewEndpointGroup returns an endpoint group in region with the defaults of
// spec 5.1, then s applied.
func NewEndpointGroup(arn, region string, s GroupSettings, opts Options) (EndpointGroup, error) {
	if err := ValidateRegion(region, opts); err != nil {
		return EndpointGroup{}, err
	}
	g := EndpointGroup{
		ARN:                        arn,
		Region:                     region,
		TrafficDialPercentage:      DefaultTrafficDial,
		HealthCheckProtocol:        HealthCheckTCP,
		HealthCheckPath:            DefaultHealthCheckPath,
		HealthCheckIntervalSeconds: DefaultInterval,
		ThresholdCount:             DefaultThresholdCount,
	}
	if err := s.Apply(&g, opts); err != nil {
		return EndpointGroup{}, err
	}
	return g, nil
}

// Apply validates every given setting and sets it on g. On error g may be
// partly changed; callers apply to a copy.
func (s GroupSettings) Apply(g *EndpointGroup, opts Options) error {
	if p := s.TrafficDialPercentage; p != nil {
		if math.IsNaN(*p) || *p < 0 || *p > 100 {
			return InvalidArgument("TrafficDialPercentage %v is not valid: it must be between 0 and 100.", *p)
		}
		g.TrafficDialPercentage = *p
	}
	if p := s.HealthCheckPort; p != nil {
		if *p < 1 || *p > 65535 {
			return InvalidArgument("HealthCheckPort %d is not valid: it must be between 1 and 65535.", *p)
		}
		g.HealthCheckPort = *p
	}
	if p := s.HealthCheckProtocol; p != nil {
		switch *p {
		case HealthCheckTCP, HealthCheckHTTP, HealthCheckHTTPS:
			g.HealthCheckProtocol = *p
		default:
			return enumError("HealthCheckProtocol", *p, HealthCheckTCP, HealthCheckHTTP, HealthCheckHTTPS)
		}
	}
	if p := s.HealthCheckPath; p != nil {
		if len(*p) > MaxHealthCheckPath || !healthCheckPath.MatchString(*p) {
			return InvalidArgument("HealthCheckPath %q is not valid: it must start with / and hold at most %d of the characters a-z A-Z 0-9 - @ : %% _ + . ~ # ? & / =.",
				*p, MaxHealthCheckPath)
		}
		g.HealthCheckPath = *p
	}
	if p := s.HealthCheckIntervalSeconds; p != nil {
		if err := validateInterval(*p, opts); err != nil {
			return err
		}
		g.HealthCheckIntervalSeconds = *p
	}
	if p := s.ThresholdCount; p != nil {
		if *p < 1 || *p > 10 {
			return InvalidArgument("ThresholdCount %d is not valid: it must be between 1 and 10.", *p)
		}
		g.ThresholdCount = *p
	}
	if s.PortOverrides != nil {
		if err := validateOverrides(s.PortOverrides); err != nil {
			return err
		}
		g.PortOverrides = append([]PortOverride(nil), s.PortOverrides...)
	}
	if s.Endpoints != nil {
		eps, err := NewEndpoints(s.Endpoints)
		if err != nil {
			return err
		}
		g.Endpoints = nil
		if len(eps) > 0 {
			g.Endpoints = eps
		}
	}
	return nil
}

func validateInterval(n int, opts Options) error {
	if n == 10 || n == 30 {
		return nil
	}
	if opts.MinInterval >= 1 && opts.MinInterval <= 9 && n >= opts.MinInterval && n <= 30 {
		return nil
	}
	if opts.MinInterval >= 1 && opts.MinInterval <= 9 {
		return InvalidArgument("HealthCheckIntervalSeconds %d is not valid: this deployment allows %d to 30 seconds.", n, opts.MinInterval)
	}
	return InvalidArgument("HealthCheckIntervalSeconds %d is not valid: it must be 10 or 30.", n)
}

// validateOverrides checks a group's own port overrides: at most 10, ports
// within 1–65535, and one override per listener port. The rules that involve
// the accelerator's listeners are in Accelerator.Check.
func validateOverrides(ovs []PortOverride) error {
	if len(ovs) > MaxPortOverrides {
		return LimitExceeded("An endpoint group can have at most %d port overrides; the request has %d.", MaxPortOverrides, len(ovs))
	}
	for i, o := range ovs {
		if o.ListenerPort < 1 || o.ListenerPort > 65535 || o.EndpointPort < 1 || o.EndpointPort > 65535 {
			return InvalidArgument("Port override %d->%d is not valid: ports must be between 1 and 65535.", o.ListenerPort, o.EndpointPort)
		}
		for _, p := range ovs[:i] {
			if p.ListenerPort == o.ListenerPort {
				return InvalidArgument("Listener port %d has two port overrides (to %d and to %d).", o.ListenerPort, p.EndpointPort, o.EndpointPort)
			}
		}
	}
	return nil
}

// NewEndpoints validates endpoint configurations and returns the endpoints
// with defaults: at most 10, each ID once, Weight 0–255 (default 128),
// ClientIPPreservationEnabled default false.
func NewEndpoints(cfgs []EndpointConfiguration) ([]Endpoint, error) {
	if len(cfgs) > MaxEndpoints {
		return nil, LimitExceeded("An endpoint group can have at most %d endpoints; the request has %d.", MaxEndpoints, len(cfgs))
	}
	out := make([]Endpoint, 0, len(cfgs))
	for _, c := range cfgs {
		e, err := c.endpoint(nil)
		if err != nil {
			return nil, err
		}
		for _, prev := range out {
			if prev.EndpointID == e.EndpointID {
				return nil, InvalidArgument("Endpoint %s is listed twice.", e.EndpointID)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// MergeEndpoints adds endpoints to a group's list (AddEndpoints): a new ID
// is appended with defaults for what the request leaves out; an ID already
// present gets the Weight and ClientIPPreservationEnabled the request gives
// and keeps the others. It returns the new list and the added or changed
// endpoints, in request order.
func MergeEndpoints(existing []Endpoint, cfgs []EndpointConfiguration) (all, touched []Endpoint, err error) {
	if len(cfgs) == 0 {
		return nil, nil, InvalidArgument("EndpointConfigurations must hold at least one endpoint.")
	}
	if len(cfgs) > MaxEndpoints {
		return nil, nil, LimitExceeded("An endpoint group can have at most %d endpoints; the request has %d.", MaxEndpoints, len(cfgs))
	}
	all = append([]Endpoint(nil), existing...)
	seen := map[string]bool{}
	for _, c := range cfgs {
		id, err := CanonicalEndpointID(c.EndpointID)
		if err != nil {
			return nil, nil, err
		}
		if seen[id] {
			return nil, nil, InvalidArgument("Endpoint %s is listed twice.", id)
		}
		seen[id] = true
		i := slices.IndexFunc(all, func(e Endpoint) bool { return e.EndpointID == id })
		var base *Endpoint
		if i >= 0 {
			base = &all[i]
		}
		e, err := c.endpoint(base)
		if err != nil {
			return nil, nil, err
		}
		if i >= 0 {
			all[i] = e
		} else {
			all = append(all, e)
		}
		touched = append(touched, e)
	}
	if len(all) > MaxEndpoints {
		return nil, nil, LimitExceeded("An endpoint group can have at most %d endpoints; adding these would make %d.", MaxEndpoints, len(all))
	}
	return all, touched, nil
}

// endpoint validates c and returns the endpoint it describes; members c
// leaves out come from base when given, else from the defaults.
func (c EndpointConfiguration) endpoint(base *Endpoint) (Endpoint, error) {
	if c.AttachmentARN != "" {
		return Endpoint{}, InvalidArgument("AttachmentArn is not supported: Meridian has no cross-account attachments. Name the endpoint by its address.")
	}
	id, err := CanonicalEndpointID(c.EndpointID)
	if err != nil {
		return Endpoint{}, err
	}
	e := Endpoint{EndpointID: id, Weight: DefaultWeight}
	if base != nil {
		e = *base
	}
	if c.Weight != nil {
		if *c.Weight < 0 || *c.Weight > 255 {
			return Endpoint{}, InvalidArgument("Weight %d of endpoint %s is not valid: it must be between 0 and 255.", *c.Weight, id)
		}
		e.Weight = *c.Weight
	}
	if c.ClientIPPreservationEnabled != nil {
		e.ClientIPPreservationEnabled = *c.ClientIPPreservationEnabled
	}
	return e, nil
}

// Check validates the rules that span an accelerator's listeners and
// groups, after any change: the listener and endpoint group quotas, no two
// listeners of one protocol with overlapping ports, at most 10 endpoints per
// group, and the port override rules of spec 5.3 — an override's listener
// port belongs to its listener, its endpoint port lies in no listener range
// of the accelerator, and one endpoint port is the target of one listener
// port only.
func (a *Accelerator) Check() error {
	if len(a.Listeners) > MaxListeners {
		return LimitExceeded("An accelerator can have at most %d listeners.", MaxListeners)
	}
	if n := a.EndpointGroupCount(); n > MaxEndpointGroupsPerAccelerator {
		return LimitExceeded("An accelerator can have at most %d endpoint groups across its listeners.", MaxEndpointGroupsPerAccelerator)
	}
	for i := range a.Listeners {
		l := &a.Listeners[i]
		for j := range a.Listeners[:i] {
			o := &a.Listeners[j]
			if o.Protocol != l.Protocol {
				continue
			}
			for _, r := range l.PortRanges {
				for _, q := range o.PortRanges {
					if overlaps(r, q) {
						return InvalidPortRange("Port range %d-%d overlaps port range %d-%d of %s listener %s.",
							r.FromPort, r.ToPort, q.FromPort, q.ToPort, o.Protocol, o.ARN)
					}
				}
			}
		}
	}
	target := map[int]int{} // endpoint port → listener port
	for i := range a.Listeners {
		l := &a.Listeners[i]
		for j := range l.EndpointGroups {
			g := &l.EndpointGroups[j]
			if len(g.Endpoints) > MaxEndpoints {
				return LimitExceeded("An endpoint group can have at most %d endpoints.", MaxEndpoints)
			}
			for _, o := range g.PortOverrides {
				if err := a.checkOverride(l, o, target); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (a *Accelerator) checkOverride(l *Listener, o PortOverride, target map[int]int) error {
	if !l.HasPort(o.ListenerPort) {
		return InvalidArgument("Port override %d->%d: listener port %d is not in the port ranges of listener %s (%s).",
			o.ListenerPort, o.EndpointPort, o.ListenerPort, l.ARN, FormatPortRanges(l.PortRanges))
	}
	for k := range a.Listeners {
		other := &a.Listeners[k]
		if other.HasPort(o.EndpointPort) {
			return InvalidArgument("Port override %d->%d: endpoint port %d is inside a port range of listener %s (%s); endpoint ports must not overlap any listener port range of the accelerator.",
				o.ListenerPort, o.EndpointPort, o.EndpointPort, other.ARN, FormatPortRanges(other.PortRanges))
		}
	}
	if prev, ok := target[o.EndpointPort]; ok && prev != o.ListenerPort {
		return InvalidArgument("Port override %d->%d: endpoint port %d is already the target of listener port %d in this accelerator.",
			o.ListenerPort, o.EndpointPort, o.EndpointPort, prev)
	}
	target[o.EndpointPort] = o.ListenerPort
	return nil
}

// FormatPortRanges renders ranges as "80, 443, 8000-8099".
func FormatPortRanges(ranges []PortRange) string {
	parts := make([]string, len(ranges))
	for i, r := range ranges {
		if r.FromPort == r.ToPort {
			parts[i] = fmt.Sprint(r.FromPort)
		} else {
			parts[i] = fmt.Sprintf("%d-%d", r.FromPort, r.ToPort)
		}
	}
	return strings.Join(parts, ", ")
}
