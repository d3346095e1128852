package healthcheck

import "slices"

// Equal reports whether two configurations have the same settings. Compare
// them after Defaults: CreateHealthCheck's idempotency compares a request
// with the stored check that way. An empty list equals an absent one.
func Equal(a, b Config) bool {
	return a.Type == b.Type &&
		a.IPAddress == b.IPAddress &&
		a.ResourcePath == b.ResourcePath &&
		a.FullyQualifiedDomainName == b.FullyQualifiedDomainName &&
		a.SearchString == b.SearchString &&
		a.InsufficientDataHealthStatus == b.InsufficientDataHealthStatus &&
		a.RoutingControlArn == b.RoutingControlArn &&
		equalPtr(a.Port, b.Port) &&
		equalPtr(a.RequestInterval, b.RequestInterval) &&
		equalPtr(a.FailureThreshold, b.FailureThreshold) &&
		equalPtr(a.MeasureLatency, b.MeasureLatency) &&
		equalPtr(a.Inverted, b.Inverted) &&
		equalPtr(a.Disabled, b.Disabled) &&
		equalPtr(a.HealthThreshold, b.HealthThreshold) &&
		equalPtr(a.EnableSNI, b.EnableSNI) &&
		slices.Equal(a.ChildHealthChecks, b.ChildHealthChecks) &&
		slices.Equal(a.Regions, b.Regions) &&
		equalPtr(a.AlarmIdentifier, b.AlarmIdentifier)
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
