// Package globalaccel is Meridian's model of AWS Global Accelerator's
// standard accelerators (spec 5.1–5.3): accelerators, listeners, endpoint
// groups and endpoints, their defaults and every validation rule, and the
// generation of ARNs, IDs, DNS names and static addresses. It is pure: no
// I/O and no clocks. Package control stores the model; package accel serves
// it.
package globalaccel

import (
	"net/netip"
	"strings"
	"time"
)

// IpAddressType values.
const (
	IPAddressTypeIPv4      = "IPV4"
	IPAddressTypeDualStack = "DUAL_STACK"
)

// Accelerator statuses.
const (
	StatusInProgress = "IN_PROGRESS"
	StatusDeployed   = "DEPLOYED"
)

// Listener protocols.
const (
	ProtocolTCP = "TCP"
	ProtocolUDP = "UDP"
)

// Client affinities.
const (
	AffinityNone     = "NONE"
	AffinitySourceIP = "SOURCE_IP"
)

// Health check protocols of an endpoint group.
const (
	HealthCheckTCP   = "TCP"
	HealthCheckHTTP  = "HTTP"
	HealthCheckHTTPS = "HTTPS"
)

// Endpoint health states, as DescribeEndpointGroup reports them.
const (
	HealthInitial   = "INITIAL"
	HealthHealthy   = "HEALTHY"
	HealthUnhealthy = "UNHEALTHY"
)

// IP address families of an IpSet.
const (
	FamilyIPv4 = "IPv4"
	FamilyIPv6 = "IPv6"
)

// Defaults Global Accelerator fills in (spec 5.1, 6.2).
const (
	DefaultTrafficDial     = 100.0
	DefaultHealthCheckPath = "/"
	DefaultInterval        = 30
	DefaultThresholdCount  = 3
	DefaultWeight          = 128
)

// Accelerator is a stored standard accelerator with its listeners and their
// endpoint groups: one document per accelerator.
type Accelerator struct {
	ID            string       `json:"id"` // the UUID at the end of the ARN
	ARN           string       `json:"arn"`
	Name          string       `json:"name"`
	IPAddressType string       `json:"ipAddressType"`
	Enabled       bool         `json:"enabled"`
	IPv4          []netip.Addr `json:"ipv4"`
	// IPv6 holds the two IPv6 addresses once the accelerator has been dual
	// stack; they stay reserved after a switch back to IPV4 (spec 5.3).
	IPv6             []netip.Addr `json:"ipv6,omitempty"`
	DNSName          string       `json:"dnsName"`
	CreatedTime      time.Time    `json:"createdTime"`
	LastModifiedTime time.Time    `json:"lastModifiedTime"`
	// Revision is the store revision that last changed the accelerator or
	// anything in it; the data plane reports DEPLOYED once it serves it.
	Revision         int64      `json:"revision"`
	IdempotencyToken string     `json:"idempotencyToken,omitempty"`
	Attributes       Attributes `json:"attributes"`
	Listeners        []Listener `json:"listeners,omitempty"`
	// Status is computed when the accelerator is read, never stored.
	Status string `json:"-"`
}

// Attributes are an accelerator's flow-log settings. Meridian stores and
// returns them; it writes no flow logs.
type Attributes struct {
	FlowLogsEnabled  bool   `json:"flowLogsEnabled"`
	FlowLogsS3Bucket string `json:"flowLogsS3Bucket,omitempty"`
	FlowLogsS3Prefix string `json:"flowLogsS3Prefix,omitempty"`
}

// Listener accepts one protocol on up to ten port ranges.
type Listener struct {
	ARN              string          `json:"arn"`
	Protocol         string          `json:"protocol"`
	PortRanges       []PortRange     `json:"portRanges"`
	ClientAffinity   string          `json:"clientAffinity"`
	CreatedTime      time.Time       `json:"createdTime"`
	IdempotencyToken string          `json:"idempotencyToken,omitempty"`
	EndpointGroups   []EndpointGroup `json:"endpointGroups,omitempty"`
}

// PortRange is an inclusive range of ports.
type PortRange struct {
	FromPort int `json:"fromPort"`
	ToPort   int `json:"toPort"`
}

// Contains reports whether port lies in the range.
func (r PortRange) Contains(port int) bool { return port >= r.FromPort && port <= r.ToPort }

// EndpointGroup is a listener's set of endpoints in one region.
type EndpointGroup struct {
	ARN                   string  `json:"arn"`
	Region                string  `json:"region"`
	TrafficDialPercentage float64 `json:"trafficDialPercentage"`
	// HealthCheckPort is the configured port; 0 means the default, which
	// EffectiveHealthCheckPort resolves.
	HealthCheckPort            int            `json:"healthCheckPort,omitempty"`
	HealthCheckProtocol        string         `json:"healthCheckProtocol"`
	HealthCheckPath            string         `json:"healthCheckPath"`
	HealthCheckIntervalSeconds int            `json:"healthCheckIntervalSeconds"`
	ThresholdCount             int            `json:"thresholdCount"`
	PortOverrides              []PortOverride `json:"portOverrides,omitempty"`
	Endpoints                  []Endpoint     `json:"endpoints,omitempty"`
	CreatedTime                time.Time      `json:"createdTime"`
	IdempotencyToken           string         `json:"idempotencyToken,omitempty"`
}

// PortOverride sends traffic arriving on ListenerPort to EndpointPort.
type PortOverride struct {
	ListenerPort int `json:"listenerPort"`
	EndpointPort int `json:"endpointPort"`
}

// Endpoint is one target of an endpoint group. EndpointID is an IP address
// or IP:port in canonical form (see ParseEndpointID).
type Endpoint struct {
	EndpointID                  string `json:"endpointId"`
	Weight                      int    `json:"weight"`
	ClientIPPreservationEnabled bool   `json:"clientIPPreservationEnabled"`
}

// IPSet is one address family's static addresses, as the API lists them.
type IPSet struct {
	Family    string
	Addresses []netip.Addr
}

// IPSets returns the accelerator's address sets: IPv4, then IPv6 when it is
// dual stack.
func (a *Accelerator) IPSets() []IPSet {
	sets := []IPSet{{Family: FamilyIPv4, Addresses: a.IPv4}}
	if a.IPAddressType == IPAddressTypeDualStack && len(a.IPv6) > 0 {
		sets = append(sets, IPSet{Family: FamilyIPv6, Addresses: a.IPv6})
	}
	return sets
}

// Addresses returns the static addresses the accelerator serves on: its
// IPv4 addresses, then its IPv6 ones when it is dual stack.
func (a *Accelerator) Addresses() []netip.Addr {
	var out []netip.Addr
	for _, s := range a.IPSets() {
		out = append(out, s.Addresses...)
	}
	return out
}

// DNSRecords returns what the accelerator's names resolve to (spec 5.4):
// its DNS name to its IPv4 addresses and, for a dual-stack accelerator, its
// dual-stack name to all four addresses. Names are lowercase, without a
// trailing dot. A disabled accelerator keeps its names and addresses.
func (a *Accelerator) DNSRecords() map[string][]netip.Addr {
	out := map[string][]netip.Addr{}
	if a.DNSName != "" {
		out[strings.ToLower(a.DNSName)] = append([]netip.Addr(nil), a.IPv4...)
	}
	if ds := a.DualStackDNSName(); ds != "" {
		out[strings.ToLower(ds)] = a.Addresses()
	}
	return out
}

// DualStackDNSName is the dual-stack name of a DUAL_STACK accelerator
// (a<16 hex>.dualstack.awsglobalaccelerator.com), or "" for IPV4.
func (a *Accelerator) DualStackDNSName() string {
	if a.IPAddressType != IPAddressTypeDualStack {
		return ""
	}
	label, _, _ := strings.Cut(a.DNSName, ".")
	return label + ".dualstack." + DNSSuffix
}

// Listener returns the listener with the given ARN, or nil.
func (a *Accelerator) Listener(arn string) *Listener {
	for i := range a.Listeners {
		if a.Listeners[i].ARN == arn {
			return &a.Listeners[i]
		}
	}
	return nil
}

// EndpointGroup returns the endpoint group with the given ARN and its
// listener, or nils.
func (a *Accelerator) EndpointGroup(arn string) (*Listener, *EndpointGroup) {
	for i := range a.Listeners {
		l := &a.Listeners[i]
		for j := range l.EndpointGroups {
			if l.EndpointGroups[j].ARN == arn {
				return l, &l.EndpointGroups[j]
			}
		}
	}
	return nil, nil
}

// EndpointGroupCount returns the number of endpoint groups in all listeners.
func (a *Accelerator) EndpointGroupCount() int {
	n := 0
	for i := range a.Listeners {
		n += len(a.Listeners[i].EndpointGroups)
	}
	return n
}

// Group returns the listener's endpoint group in region, or nil.
func (l *Listener) Group(region string) *EndpointGroup {
	for i := range l.EndpointGroups {
		if l.EndpointGroups[i].Region == region {
			return &l.EndpointGroups[i]
		}
	}
	return nil
}

// FirstPort is the first port of the listener's first range: the default
// health-check port of its endpoint groups.
func (l *Listener) FirstPort() int {
	if len(l.PortRanges) == 0 {
		return 0
	}
	return l.PortRanges[0].FromPort
}

// HasPort reports whether port lies in one of the listener's ranges.
func (l *Listener) HasPort(port int) bool {
	for _, r := range l.PortRanges {
		if r.Contains(port) {
			return true
		}
	}
	return false
}

// EffectiveHealthCheckPort is the port the API reports for the group: the
// configured one, else the listener's first port (spec 5.1).
func (g *EndpointGroup) EffectiveHealthCheckPort(l *Listener) int {
	if g.HealthCheckPort != 0 {
		return g.HealthCheckPort
	}
	return l.FirstPort()
}

// Endpoint returns the endpoint with the given canonical ID, or nil.
func (g *EndpointGroup) Endpoint(id string) *Endpoint {
	for i := range g.Endpoints {
		if g.Endpoints[i].EndpointID == id {
			return &g.Endpoints[i]
		}
	}
	return nil
}
