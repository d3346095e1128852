package globalaccel

import (
	"strconv"
	"time"

	"github.com/meridian-gtm/meridian/internal/control"
	ga "github.com/meridian-gtm/meridian/internal/globalaccel"
)

// The JSON shapes of the Global Accelerator model (botocore
// globalaccelerator 2018-08-08): member names exactly as the model spells
// them. Request members that may be absent are pointers or nil slices.

// epochTime marshals as epoch seconds with milliseconds, a JSON number
// (the JSON protocol's timestamp form).
type epochTime time.Time

// MarshalJSON implements json.Marshaler.
func (t epochTime) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)), nil
}

type wireTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type wireIPSet struct {
	IpFamily        string   `json:"IpFamily"` // deprecated in the model, still sent
	IpAddresses     []string `json:"IpAddresses"`
	IpAddressFamily string   `json:"IpAddressFamily"`
}

type wireAccelerator struct {
	AcceleratorArn   string      `json:"AcceleratorArn"`
	Name             string      `json:"Name"`
	IpAddressType    string      `json:"IpAddressType"`
	Enabled          bool        `json:"Enabled"`
	IpSets           []wireIPSet `json:"IpSets"`
	DnsName          string      `json:"DnsName"`
	Status           string      `json:"Status"`
	CreatedTime      epochTime   `json:"CreatedTime"`
	LastModifiedTime epochTime   `json:"LastModifiedTime"`
	DualStackDnsName string      `json:"DualStackDnsName,omitempty"`
}

type wireAttributes struct {
	FlowLogsEnabled  bool    `json:"FlowLogsEnabled"`
	FlowLogsS3Bucket *string `json:"FlowLogsS3Bucket,omitempty"`
	FlowLogsS3Prefix *string `json:"FlowLogsS3Prefix,omitempty"`
}

type wirePortRange struct {
	FromPort int `json:"FromPort"`
	ToPort   int `json:"ToPort"`
}

type wireListener struct {
	ListenerArn    string          `json:"ListenerArn"`
	PortRanges     []wirePortRange `json:"PortRanges"`
	Protocol       string          `json:"Protocol"`
	ClientAffinity string          `json:"ClientAffinity"`
}

type wirePortOverride struct {
	ListenerPort int `json:"ListenerPort"`
	EndpointPort int `json:"EndpointPort"`
}

type wireEndpointDescription struct {
	EndpointId                  string `json:"EndpointId"`
	Weight                      int    `json:"Weight"`
	HealthState                 string `json:"HealthState"`
	HealthReason                string `json:"HealthReason,omitempty"`
	ClientIPPreservationEnabled bool   `json:"ClientIPPreservationEnabled"`
}

type wireEndpointGroup struct {
	EndpointGroupArn           string                    `json:"EndpointGroupArn"`
	EndpointGroupRegion        string                    `json:"EndpointGroupRegion"`
	EndpointDescriptions       []wireEndpointDescription `json:"EndpointDescriptions"`
	TrafficDialPercentage      float64                   `json:"TrafficDialPercentage"`
	HealthCheckPort            int                       `json:"HealthCheckPort"`
	HealthCheckProtocol        string                    `json:"HealthCheckProtocol"`
	HealthCheckPath            string                    `json:"HealthCheckPath"`
	HealthCheckIntervalSeconds int                       `json:"HealthCheckIntervalSeconds"`
	ThresholdCount             int                       `json:"ThresholdCount"`
	PortOverrides              []wirePortOverride        `json:"PortOverrides"`
}

type wireEndpointConfiguration struct {
	EndpointId                  string `json:"EndpointId"`
	Weight                      *int   `json:"Weight"`
	ClientIPPreservationEnabled *bool  `json:"ClientIPPreservationEnabled"`
	AttachmentArn               string `json:"AttachmentArn"`
}

type wireEndpointIdentifier struct {
	EndpointId                  string `json:"EndpointId"`
	ClientIPPreservationEnabled *bool  `json:"ClientIPPreservationEnabled"`
}

// wireGroupSettings are the optional members CreateEndpointGroup and
// UpdateEndpointGroup share.
type wireGroupSettings struct {
	EndpointConfigurations     []wireEndpointConfiguration `json:"EndpointConfigurations"`
	TrafficDialPercentage      *float64                    `json:"TrafficDialPercentage"`
	HealthCheckPort            *int                        `json:"HealthCheckPort"`
	HealthCheckProtocol        *string                     `json:"HealthCheckProtocol"`
	HealthCheckPath            *string                     `json:"HealthCheckPath"`
	HealthCheckIntervalSeconds *int                        `json:"HealthCheckIntervalSeconds"`
	ThresholdCount             *int                        `json:"ThresholdCount"`
	PortOverrides              []wirePortOverride          `json:"PortOverrides"`
}

func toAccelerator(a ga.Accelerator) wireAccelerator {
	w := wireAccelerator{
		AcceleratorArn:   a.ARN,
		Name:             a.Name,
		IpAddressType:    a.IPAddressType,
		Enabled:          a.Enabled,
		DnsName:          a.DNSName,
		Status:           a.Status,
		CreatedTime:      epochTime(a.CreatedTime),
		LastModifiedTime: epochTime(a.LastModifiedTime),
		DualStackDnsName: a.DualStackDNSName(),
	}
	for _, s := range a.IPSets() {
		set := wireIPSet{IpFamily: s.Family, IpAddressFamily: s.Family, IpAddresses: []string{}}
		for _, ip := range s.Addresses {
			set.IpAddresses = append(set.IpAddresses, ip.String())
		}
		w.IpSets = append(w.IpSets, set)
	}
	return w
}

func toAttributes(a ga.Attributes) wireAttributes {
	w := wireAttributes{FlowLogsEnabled: a.FlowLogsEnabled}
	if a.FlowLogsS3Bucket != "" {
		w.FlowLogsS3Bucket = &a.FlowLogsS3Bucket
	}
	if a.FlowLogsS3Prefix != "" {
		w.FlowLogsS3Prefix = &a.FlowLogsS3Prefix
	}
	return w
}

func toListener(l ga.Listener) wireListener {
	w := wireListener{ListenerArn: l.ARN, Protocol: l.Protocol, ClientAffinity: l.ClientAffinity, PortRanges: []wirePortRange{}}
	for _, r := range l.PortRanges {
		w.PortRanges = append(w.PortRanges, wirePortRange(r))
	}
	return w
}

func fromPortRanges(rs []wirePortRange) []ga.PortRange {
	if rs == nil {
		return nil
	}
	out := make([]ga.PortRange, len(rs))
	for i, r := range rs {
		out[i] = ga.PortRange(r)
	}
	return out
}

func (h *handler) toEndpoints(groupARN string, eps []ga.Endpoint) []wireEndpointDescription {
	out := make([]wireEndpointDescription, 0, len(eps))
	for _, e := range eps {
		state, reason := h.endpointHealth(groupARN, e.EndpointID)
		out = append(out, wireEndpointDescription{
			EndpointId:                  e.EndpointID,
			Weight:                      e.Weight,
			HealthState:                 state,
			HealthReason:                reason,
			ClientIPPreservationEnabled: e.ClientIPPreservationEnabled,
		})
	}
	return out
}

func (h *handler) toEndpointGroup(g ga.EndpointGroup) wireEndpointGroup {
	w := wireEndpointGroup{
		EndpointGroupArn:           g.ARN,
		EndpointGroupRegion:        g.Region,
		EndpointDescriptions:       h.toEndpoints(g.ARN, g.Endpoints),
		TrafficDialPercentage:      g.TrafficDialPercentage,
		HealthCheckPort:            g.HealthCheckPort,
		HealthCheckProtocol:        g.HealthCheckProtocol,
		HealthCheckPath:            g.HealthCheckPath,
		HealthCheckIntervalSeconds: g.HealthCheckIntervalSeconds,
		ThresholdCount:             g.ThresholdCount,
		PortOverrides:              []wirePortOverride{},
	}
	for _, o := range g.PortOverrides {
		w.PortOverrides = append(w.PortOverrides, wirePortOverride(o))
	}
	return w
}

func fromEndpointConfigurations(cs []wireEndpointConfiguration) []ga.EndpointConfiguration {
	if cs == nil {
		return nil
	}
	out := make([]ga.EndpointConfiguration, len(cs))
	for i, c := range cs {
		out[i] = ga.EndpointConfiguration{
			EndpointID:                  c.EndpointId,
			Weight:                      c.Weight,
			ClientIPPreservationEnabled: c.ClientIPPreservationEnabled,
			AttachmentARN:               c.AttachmentArn,
		}
	}
	return out
}

func (s wireGroupSettings) settings() ga.GroupSettings {
	out := ga.GroupSettings{
		Endpoints:                  fromEndpointConfigurations(s.EndpointConfigurations),
		TrafficDialPercentage:      s.TrafficDialPercentage,
		HealthCheckPort:            s.HealthCheckPort,
		HealthCheckProtocol:        s.HealthCheckProtocol,
		HealthCheckPath:            s.HealthCheckPath,
		HealthCheckIntervalSeconds: s.HealthCheckIntervalSeconds,
		ThresholdCount:             s.ThresholdCount,
	}
	if s.PortOverrides != nil {
		out.PortOverrides = make([]ga.PortOverride, len(s.PortOverrides))
		for i, o := range s.PortOverrides {
			out.PortOverrides[i] = ga.PortOverride(o)
		}
	}
	return out
}

func fromTags(ts []wireTag) []control.Tag {
	out := make([]control.Tag, len(ts))
	for i, t := range ts {
		out[i] = control.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

func toTags(ts []control.Tag) []wireTag {
	out := make([]wireTag, len(ts))
	for i, t := range ts {
		out[i] = wireTag{Key: t.Key, Value: t.Value}
	}
	return out
}
