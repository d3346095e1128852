package control

import (
	"context"
	"slices"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
)

// AddEndpoints adds endpoints to a group, or updates the weight and client
// IP preservation of ones it has, and returns those endpoints.
func (g *AcceleratorService) AddEndpoints(ctx context.Context, arn string, cfgs []globalaccel.EndpointConfiguration) ([]globalaccel.Endpoint, error) {
	var touched []globalaccel.Endpoint
	_, err := g.editGroup(ctx, arn, func(eg *globalaccel.EndpointGroup) error {
		all, t, err := globalaccel.MergeEndpoints(eg.Endpoints, cfgs)
		if err != nil {
			return err
		}
		eg.Endpoints, touched = all, t
		return nil
	})
	return touched, err
}

// RemoveEndpoints removes 1–10 endpoints from a group; new flows stop going
// to them as soon as the data plane applies the change.
func (g *AcceleratorService) RemoveEndpoints(ctx context.Context, arn string, ids []string) error {
	if len(ids) == 0 || len(ids) > globalaccel.MaxEndpoints {
		return globalaccel.InvalidArgument("EndpointIdentifiers must hold 1 to %d endpoints; it holds %d.", globalaccel.MaxEndpoints, len(ids))
	}
	_, err := g.editGroup(ctx, arn, func(eg *globalaccel.EndpointGroup) error {
		for _, raw := range ids {
			id, err := globalaccel.CanonicalEndpointID(raw)
			if err != nil {
				return err
			}
			i := slices.IndexFunc(eg.Endpoints, func(e globalaccel.Endpoint) bool { return e.EndpointID == id })
			if i < 0 {
				return globalaccel.EndpointNotFound(raw, arn)
			}
			eg.Endpoints = slices.Delete(eg.Endpoints, i, i+1)
		}
		return nil
	})
	return err
}
