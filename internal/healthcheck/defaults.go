package healthcheck

import "strings"

// Default values Route 53 fills in and returns.
const (
	DefaultRequestInterval  = StandardInterval
	DefaultFailureThreshold = 3
	DefaultHTTPPort         = 80
	DefaultHTTPSPort        = 443
)

// Defaults fills in what Route 53 returns for the members a request left
// out, so that the stored configuration reads as GetHealthCheck shows it:
//
//   - every type: Inverted and Disabled false;
//   - HTTP, HTTPS, the string-match types and TCP: RequestInterval 30,
//     FailureThreshold 3, MeasureLatency false, and EnableSNI true for the
//     TLS types (HTTPS, HTTPS_STR_MATCH) and false for the others, as
//     Route 53 and its SDK documentation describe;
//   - HTTP and HTTP_STR_MATCH: Port 80; HTTPS and HTTPS_STR_MATCH: Port 443
//     (TCP has no default port: it is required);
//   - CLOUDWATCH_METRIC: InsufficientDataHealthStatus LastKnownStatus, the
//     console's default (a check with no history then counts as healthy).
//
// A ResourcePath without a leading "/" gets one. Regions stay empty when
// omitted: Route 53 does not list them then, and an empty list means every
// checker region (EffectiveRegions). A calculated check gets no probing
// members: RequestInterval, FailureThreshold, MeasureLatency and EnableSNI
// stay as the request gave them.
func Defaults(c *Config) {
	if c.Inverted == nil {
		c.Inverted = ptr(false)
	}
	if c.Disabled == nil {
		c.Disabled = ptr(false)
	}
	if c.ResourcePath != "" && !strings.HasPrefix(c.ResourcePath, "/") {
		c.ResourcePath = "/" + c.ResourcePath
	}
	switch {
	case IsEndpointType(c.Type):
		if c.Port == nil {
			switch c.Type {
			case TypeHTTP, TypeHTTPStrMatch:
				c.Port = ptr[int64](DefaultHTTPPort)
			case TypeHTTPS, TypeHTTPSStrMatch:
				c.Port = ptr[int64](DefaultHTTPSPort)
			}
		}
		if c.RequestInterval == nil {
			c.RequestInterval = ptr[int64](DefaultRequestInterval)
		}
		if c.FailureThreshold == nil {
			c.FailureThreshold = ptr[int64](DefaultFailureThreshold)
		}
		if c.MeasureLatency == nil {
			c.MeasureLatency = ptr(false)
		}
		if c.EnableSNI == nil {
			c.EnableSNI = ptr(IsTLS(c.Type))
		}
	case c.Type == TypeCloudWatchMetric:
		if c.InsufficientDataHealthStatus == "" {
			c.InsufficientDataHealthStatus = InsufficientLastKnownStatus
		}
	}
}

func ptr[T any](v T) *T { return &v }
