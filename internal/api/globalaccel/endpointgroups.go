package globalaccel

import (
	"context"

	"github.com/meridian-gtm/meridian/internal/control"
)

type endpointGroupOutput struct {
	EndpointGroup wireEndpointGroup `json:"EndpointGroup"`
}

type groupARNRequest struct {
	EndpointGroupArn string `json:"EndpointGroupArn"`
}

func (h *handler) createEndpointGroup(ctx context.Context, body []byte) (any, error) {
	var req struct {
		ListenerArn         string `json:"ListenerArn"`
		EndpointGroupRegion string `json:"EndpointGroupRegion"`
		IdempotencyToken    string `json:"IdempotencyToken"`
		wireGroupSettings
	}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	g, err := h.ga.CreateEndpointGroup(ctx, control.CreateEndpointGroupInput{
		ListenerARN:      req.ListenerArn,
		Region:           req.EndpointGroupRegion,
		Settings:         req.settings(),
		IdempotencyToken: req.IdempotencyToken,
	})
	if err != nil {
		return nil, err
	}
	return endpointGroupOutput{h.toEndpointGroup(g)}, nil
}

func (h *handler) describeEndpointGroup(ctx context.Context, body []byte) (any, error) {
	var req groupARNRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	g, err := h.ga.DescribeEndpointGroup(ctx, req.EndpointGroupArn)
	if err != nil {
		return nil, err
	}
	return endpointGroupOutput{h.toEndpointGroup(g)}, nil
}

func (h *handler) listEndpointGroups(ctx context.Context, body []byte) (any, error) {
	var req struct {
		ListenerArn string `json:"ListenerArn"`
		pageRequest
	}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	max, token, err := req.page()
	if err != nil {
		return nil, err
	}
	page, err := h.ga.ListEndpointGroups(ctx, req.ListenerArn, max, token)
	if err != nil {
		return nil, err
	}
	out := struct {
		EndpointGroups []wireEndpointGroup `json:"EndpointGroups"`
		NextToken      *string             `json:"NextToken,omitempty"`
	}{EndpointGroups: []wireEndpointGroup{}, NextToken: nextToken(page.NextToken)}
	for _, g := range page.EndpointGroups {
		out.EndpointGroups = append(out.EndpointGroups, h.toEndpointGroup(g))
	}
	return out, nil
}

func (h *handler) updateEndpointGroup(ctx context.Context, body []byte) (any, error) {
	var req struct {
		EndpointGroupArn string `json:"EndpointGroupArn"`
		wireGroupSettings
	}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	g, err := h.ga.UpdateEndpointGroup(ctx, req.EndpointGroupArn, req.settings())
	if err != nil {
		return nil, err
	}
	return endpointGroupOutput{h.toEndpointGroup(g)}, nil
}

func (h *handler) deleteEndpointGroup(ctx context.Context, body []byte) (any, error) {
	var req groupARNRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	return nil, h.ga.DeleteEndpointGroup(ctx, req.EndpointGroupArn)
}

func (h *handler) addEndpoints(ctx context.Context, body []byte) (any, error) {
	var req struct {
		EndpointGroupArn       string                      `json:"EndpointGroupArn"`
		EndpointConfigurations []wireEndpointConfiguration `json:"EndpointConfigurations"`
	}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	eps, err := h.ga.AddEndpoints(ctx, req.EndpointGroupArn, fromEndpointConfigurations(req.EndpointConfigurations))
	if err != nil {
		return nil, err
	}
	return struct {
		EndpointDescriptions []wireEndpointDescription `json:"EndpointDescriptions"`
		EndpointGroupArn     string                    `json:"EndpointGroupArn"`
	}{h.toEndpoints(req.EndpointGroupArn, eps), req.EndpointGroupArn}, nil
}

func (h *handler) removeEndpoints(ctx context.Context, body []byte) (any, error) {
	var req struct {
		EndpointGroupArn    string                   `json:"EndpointGroupArn"`
		EndpointIdentifiers []wireEndpointIdentifier `json:"EndpointIdentifiers"`
	}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	ids := make([]string, len(req.EndpointIdentifiers))
	for i, e := range req.EndpointIdentifiers {
		ids[i] = e.EndpointId
	}
	return nil, h.ga.RemoveEndpoints(ctx, req.EndpointGroupArn, ids)
}
