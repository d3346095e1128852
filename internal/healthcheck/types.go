// Package healthcheck is Meridian's model of Route 53 health checks: their
// configuration, defaults and every validation and update rule. It is pure:
// no I/O and no clocks. Package health runs the checks.
package healthcheck

// Health check types.
const (
	TypeHTTP             = "HTTP"
	TypeHTTPS            = "HTTPS"
	TypeHTTPStrMatch     = "HTTP_STR_MATCH"
	TypeHTTPSStrMatch    = "HTTPS_STR_MATCH"
	TypeTCP              = "TCP"
	TypeCalculated       = "CALCULATED"
	TypeCloudWatchMetric = "CLOUDWATCH_METRIC"
	TypeRecoveryControl  = "RECOVERY_CONTROL"
)

// Config is a HealthCheckConfig as the API carries it. Pointer fields are
// optional (nil: not sent); after Defaults they are all set where Route 53
// returns a value.
type Config struct {
	Type                         string           `json:"type"`
	IPAddress                    string           `json:"ipAddress,omitempty"`
	Port                         *int64           `json:"port,omitempty"`
	ResourcePath                 string           `json:"resourcePath,omitempty"`
	FullyQualifiedDomainName     string           `json:"fqdn,omitempty"`
	SearchString                 string           `json:"searchString,omitempty"`
	RequestInterval              *int64           `json:"requestInterval,omitempty"`
	FailureThreshold             *int64           `json:"failureThreshold,omitempty"`
	MeasureLatency               *bool            `json:"measureLatency,omitempty"`
	Inverted                     *bool            `json:"inverted,omitempty"`
	Disabled                     *bool            `json:"disabled,omitempty"`
	HealthThreshold              *int64           `json:"healthThreshold,omitempty"`
	ChildHealthChecks            []string         `json:"childHealthChecks,omitempty"`
	EnableSNI                    *bool            `json:"enableSNI,omitempty"`
	Regions                      []string         `json:"regions,omitempty"`
	AlarmIdentifier              *AlarmIdentifier `json:"alarmIdentifier,omitempty"`
	InsufficientDataHealthStatus string           `json:"insufficientDataHealthStatus,omitempty"`
	RoutingControlArn            string           `json:"routingControlArn,omitempty"`
}

// AlarmIdentifier names the CloudWatch alarm of a CLOUDWATCH_METRIC check.
type AlarmIdentifier struct {
	Region string `json:"region"`
	Name   string `json:"name"`
}

// HealthCheck is a stored health check.
type HealthCheck struct {
	ID              string `json:"id"` // UUID
	CallerReference string `json:"callerReference"`
	Config          Config `json:"config"`
	Version         int64  `json:"version"`
}

// Update is an UpdateHealthCheck request: nil / empty fields are left as
// they are; ResetElements names fields to reset.
type Update struct {
	HealthCheckVersion           *int64
	IPAddress                    *string
	Port                         *int64
	ResourcePath                 *string
	FullyQualifiedDomainName     *string
	SearchString                 *string
	FailureThreshold             *int64
	Inverted                     *bool
	Disabled                     *bool
	HealthThreshold              *int64
	ChildHealthChecks            []string // nil: unchanged
	EnableSNI                    *bool
	Regions                      []string // nil: unchanged
	AlarmIdentifier              *AlarmIdentifier
	InsufficientDataHealthStatus *string
	ResetElements                []string
}

// Observation is one checker's report about a health check, as
// GetHealthCheckStatus and GetHealthCheckLastFailureReason return it.
// Status is Route 53's text ("Success: HTTP Status Code 200, OK", "Failure:
// …"); CheckedTime is RFC 3339 UTC with milliseconds.
type Observation struct {
	Region      string `json:"region"`
	IPAddress   string `json:"ipAddress"`
	Status      string `json:"status"`
	CheckedTime string `json:"checkedTime"`
}

// Observer reads the health-check engine's latest observations. The API
// serves them; package health implements it.
type Observer interface {
	// Observations returns every checker's latest report for a check.
	Observations(id string) []Observation
	// LastFailures returns every checker's most recent failure report.
	LastFailures(id string) []Observation
}
