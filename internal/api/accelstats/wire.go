package accelstats

import (
	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/api/getapi"
)

// Path is where the accelerator statistics endpoint is served.
const Path = "/meridian/v1/accelerator-stats"

// SigningService is the SigV4 service name requests are signed for: the
// Global Accelerator API's.
const SigningService = "globalaccelerator"

// Response is the endpoint's answer: every endpoint's counters (those of one
// accelerator when the request names it) and the proxy's refusal counters.
type Response struct {
	Endpoints []Endpoint `json:"endpoints"`
	// Drops are proxy-wide: a refused flow is not attributed to an
	// endpoint, so they are not filtered by accelerator.
	Drops Drops `json:"drops"`
}

// Endpoint is one endpoint's traffic counters. BytesIn flow from clients
// to the endpoint, BytesOut from the endpoint to clients.
type Endpoint struct {
	AcceleratorARN   string `json:"acceleratorArn"`
	ListenerARN      string `json:"listenerArn"`
	Protocol         string `json:"protocol"`
	EndpointGroupARN string `json:"endpointGroupArn"`
	Region           string `json:"region"`
	EndpointID       string `json:"endpointId"`
	ActiveFlows      int64  `json:"activeFlows"`
	TotalFlows       uint64 `json:"totalFlows"`
	DialErrors       uint64 `json:"dialErrors"`
	BytesIn          uint64 `json:"bytesIn"`
	BytesOut         uint64 `json:"bytesOut"`
	// Removed says the endpoint left the configuration; it stays listed
	// while its established flows drain.
	Removed bool `json:"removed"`
}

// Drops counts flows and datagrams the proxy refused, by reason.
type Drops struct {
	Disabled     uint64 `json:"disabled"`
	NoEndpoint   uint64 `json:"noEndpoint"`
	DialFailed   uint64 `json:"dialFailed"`
	UDPTableFull uint64 `json:"udpTableFull"`
}

// ErrorResponse is the body of every failed request.
type ErrorResponse = getapi.ErrorResponse

// ErrorDetail names a failure: an AWS-style code (InvalidArgumentException,
// SignatureDoesNotMatch, …) and a message.
type ErrorDetail = getapi.ErrorDetail

// endpointOf renders one endpoint's counters.
func endpointOf(s accel.EndpointStats) Endpoint {
	return Endpoint{
		AcceleratorARN:   s.AcceleratorARN,
		ListenerARN:      s.ListenerARN,
		Protocol:         s.Protocol,
		EndpointGroupARN: s.EndpointGroupARN,
		Region:           s.Region,
		EndpointID:       s.EndpointID,
		ActiveFlows:      s.ActiveFlows,
		TotalFlows:       s.TotalFlows,
		DialErrors:       s.DialErrors,
		BytesIn:          s.BytesIn,
		BytesOut:         s.BytesOut,
		Removed:          s.Removed,
	}
}

// dropsOf renders the refusal counters.
func dropsOf(d accel.Drops) Drops {
	return Drops{Disabled: d.Disabled, NoEndpoint: d.NoEndpoint, DialFailed: d.DialFailed, UDPTableFull: d.UDPTableFull}
}
