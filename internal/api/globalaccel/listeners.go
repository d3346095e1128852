package globalaccel

import (
	"context"

	"github.com/meridian-gtm/meridian/internal/control"
)

type listenerOutput struct {
	Listener wireListener `json:"Listener"`
}

type listenerARNRequest struct {
	ListenerArn string `json:"ListenerArn"`
}

func (h *handler) createListener(ctx context.Context, body []byte) (any, error) {
	var req struct {
		AcceleratorArn   string          `json:"AcceleratorArn"`
		PortRanges       []wirePortRange `json:"PortRanges"`
		Protocol         string          `json:"Protocol"`
		ClientAffinity   string          `json:"ClientAffinity"`
		IdempotencyToken string          `json:"IdempotencyToken"`
	}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	l, err := h.ga.CreateListener(ctx, control.CreateListenerInput{
		AcceleratorARN:   req.AcceleratorArn,
		PortRanges:       fromPortRanges(req.PortRanges),
		Protocol:         req.Protocol,
		ClientAffinity:   req.ClientAffinity,
		IdempotencyToken: req.IdempotencyToken,
	})
	if err != nil {
		return nil, err
	}
	return listenerOutput{toListener(l)}, nil
}

func (h *handler) describeListener(ctx context.Context, body []byte) (any, error) {
	var req listenerARNRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	l, err := h.ga.DescribeListener(ctx, req.ListenerArn)
	if err != nil {
		return nil, err
	}
	return listenerOutput{toListener(l)}, nil
}

func (h *handler) listListeners(ctx context.Context, body []byte) (any, error) {
	var req struct {
		AcceleratorArn string `json:"AcceleratorArn"`
		pageRequest
	}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	max, token, err := req.page()
	if err != nil {
		return nil, err
	}
	page, err := h.ga.ListListeners(ctx, req.AcceleratorArn, max, token)
	if err != nil {
		return nil, err
	}
	out := struct {
		Listeners []wireListener `json:"Listeners"`
		NextToken *string        `json:"NextToken,omitempty"`
	}{Listeners: []wireListener{}, NextToken: nextToken(page.NextToken)}
	for _, l := range page.Listeners {
		out.Listeners = append(out.Listeners, toListener(l))
	}
	return out, nil
}

func (h *handler) updateListener(ctx context.Context, body []byte) (any, error) {
	var req struct {
		ListenerArn    string          `json:"ListenerArn"`
		PortRanges     []wirePortRange `json:"PortRanges"`
		Protocol       *string         `json:"Protocol"`
		ClientAffinity *string         `json:"ClientAffinity"`
	}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	l, err := h.ga.UpdateListener(ctx, control.UpdateListenerInput{
		ListenerARN:    req.ListenerArn,
		PortRanges:     fromPortRanges(req.PortRanges),
		Protocol:       req.Protocol,
		ClientAffinity: req.ClientAffinity,
	})
	if err != nil {
		return nil, err
	}
	return listenerOutput{toListener(l)}, nil
}

func (h *handler) deleteListener(ctx context.Context, body []byte) (any, error) {
	var req listenerARNRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	return nil, h.ga.DeleteListener(ctx, req.ListenerArn)
}
