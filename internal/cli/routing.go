package cli

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// routingSummary describes a record set's routing policy in one line, e.g.
// "weighted set-identifier=blue weight=10 health-check-id=…", or "simple".
func routingSummary(s types.ResourceRecordSet) string {
	policy, fields := "simple", []string(nil)
	switch {
	case s.Weight != nil:
		policy = "weighted"
		fields = append(fields, fmt.Sprintf("weight=%d", *s.Weight))
	case s.Region != "":
		policy = "latency"
		fields = append(fields, "region="+string(s.Region))
	case s.GeoLocation != nil:
		policy = "geolocation"
		g := s.GeoLocation
		if g.ContinentCode != nil {
			fields = append(fields, "continent="+*g.ContinentCode)
		}
		if g.CountryCode != nil {
			fields = append(fields, "country="+*g.CountryCode)
		}
		if g.SubdivisionCode != nil {
			fields = append(fields, "subdivision="+*g.SubdivisionCode)
		}
	case s.Failover != "":
		policy = "failover"
		fields = append(fields, "failover="+string(s.Failover))
	case s.MultiValueAnswer != nil && *s.MultiValueAnswer:
		policy = "multivalue"
	case s.CidrRoutingConfig != nil:
		policy = "ip-based"
		fields = append(fields, "cidr-collection="+aws.ToString(s.CidrRoutingConfig.CollectionId),
			"cidr-location="+aws.ToString(s.CidrRoutingConfig.LocationName))
	case s.GeoProximityLocation != nil:
		policy = "geoproximity"
		g := s.GeoProximityLocation
		switch {
		case g.AWSRegion != nil:
			fields = append(fields, "aws-region="+*g.AWSRegion)
		case g.LocalZoneGroup != nil:
			fields = append(fields, "local-zone-group="+*g.LocalZoneGroup)
		case g.Coordinates != nil:
			fields = append(fields, "coordinates="+aws.ToString(g.Coordinates.Latitude)+","+aws.ToString(g.Coordinates.Longitude))
		}
		if g.Bias != nil {
			fields = append(fields, fmt.Sprintf("bias=%d", *g.Bias))
		}
	case s.SetIdentifier != nil:
		policy = "routed"
	}
	parts := []string{policy}
	if s.SetIdentifier != nil {
		parts = append(parts, "set-identifier="+*s.SetIdentifier)
	}
	parts = append(parts, fields...)
	parts = append(parts, extrasSummary(s)...)
	return strings.Join(parts, " ")
}

// extrasSummary lists the health check and traffic policy instance, if any.
func extrasSummary(s types.ResourceRecordSet) []string {
	var out []string
	if s.HealthCheckId != nil {
		out = append(out, "health-check-id="+*s.HealthCheckId)
	}
	if s.TrafficPolicyInstanceId != nil {
		out = append(out, "traffic-policy-instance-id="+*s.TrafficPolicyInstanceId)
	}
	return out
}

// aliasSummary describes an alias target, e.g. "alias dualstack.lb.example.
// hosted-zone-id=Z35SXDOTRQ7X7K evaluate-target-health=true".
func aliasSummary(a *types.AliasTarget) string {
	return fmt.Sprintf("alias %s hosted-zone-id=%s evaluate-target-health=%t",
		aws.ToString(a.DNSName), aws.ToString(a.HostedZoneId), a.EvaluateTargetHealth)
}
