package route53

import (
	"context"
	"encoding/xml"
	"strings"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// Route 53's default quotas for what Meridian does not yet model (spec 4.5
// "Limits APIs").
const (
	defaultMaxDelegationSets     = 100
	defaultMaxTrafficPolicies    = 50
	defaultMaxTrafficPolicyInsts = 5
)

type limitResponse struct {
	XMLName xml.Name
	Limit   xmlLimit `xml:"Limit"`
	Count   int64    `xml:"Count"`
}

var accountLimitTypes = []string{
	"MAX_HEALTH_CHECKS_BY_OWNER", "MAX_HOSTED_ZONES_BY_OWNER", "MAX_TRAFFIC_POLICY_INSTANCES_BY_OWNER",
	"MAX_REUSABLE_DELEGATION_SETS_BY_OWNER", "MAX_TRAFFIC_POLICIES_BY_OWNER",
}

func (h *handler) getAccountLimit(ctx context.Context, req *request) (reply, error) {
	typ := req.PathValue("type")
	var value, count int64
	switch typ {
	case "MAX_HOSTED_ZONES_BY_OWNER":
		n, err := h.svc.HostedZoneCount(ctx)
		if err != nil {
			return reply{}, err
		}
		value, count = int64(h.svc.MaxHostedZones()), int64(n)
	case "MAX_HEALTH_CHECKS_BY_OWNER":
		n, err := h.svc.HealthCheckCount(ctx)
		if err != nil {
			return reply{}, err
		}
		value, count = int64(h.svc.MaxHealthChecks()), int64(n)
	case "MAX_REUSABLE_DELEGATION_SETS_BY_OWNER":
		sets, err := h.svc.ListReusableDelegationSets(ctx)
		if err != nil {
			return reply{}, err
		}
		value, count = defaultMaxDelegationSets, int64(len(sets))
	case "MAX_TRAFFIC_POLICIES_BY_OWNER":
		value = defaultMaxTrafficPolicies // traffic policies are not supported: none exist
	case "MAX_TRAFFIC_POLICY_INSTANCES_BY_OWNER":
		value = defaultMaxTrafficPolicyInsts
	default:
		return reply{}, enumInputError(typ, "type", accountLimitTypes)
	}
	return reply{doc: limitResponse{
		XMLName: rootName("GetAccountLimitResponse"),
		Limit:   xmlLimit{Type: typ, Value: value},
		Count:   count,
	}}, nil
}

func (h *handler) getHostedZoneLimit(ctx context.Context, req *request) (reply, error) {
	typ := req.PathValue("type")
	if typ != "MAX_RRSETS_BY_ZONE" && typ != "MAX_VPCS_ASSOCIATED_BY_ZONE" {
		return reply{}, enumInputError(typ, "type", []string{"MAX_RRSETS_BY_ZONE", "MAX_VPCS_ASSOCIATED_BY_ZONE"})
	}
	z, err := h.svc.GetHostedZone(ctx, req.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	if typ == "MAX_VPCS_ASSOCIATED_BY_ZONE" {
		return reply{}, zone.NewError("HostedZoneNotPrivate", "The specified hosted zone is a public hosted zone.")
	}
	return reply{doc: limitResponse{
		XMLName: rootName("GetHostedZoneLimitResponse"),
		Limit:   xmlLimit{Type: typ, Value: int64(h.svc.MaxRRSetsPerZone())},
		Count:   int64(z.RRSetCount),
	}}, nil
}

// enumInputError is AWS's constraint wording for a request parameter outside
// its enumeration.
func enumInputError(value, member string, allowed []string) error {
	list := strings.Join(allowed, ", ")
	return zone.InvalidInput("1 validation error detected: Value '" + value + "' at '" + member +
		"' failed to satisfy constraint: Member must satisfy enum value set: [" + list + "]")
}
