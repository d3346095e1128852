package globalaccel

import (
	"context"

	"github.com/meridian-gtm/meridian/internal/control"
	ga "github.com/meridian-gtm/meridian/internal/globalaccel"
)

type acceleratorOutput struct {
	Accelerator wireAccelerator `json:"Accelerator"`
}

type arnRequest struct {
	AcceleratorArn string `json:"AcceleratorArn"`
}

func (h *handler) createAccelerator(ctx context.Context, body []byte) (any, error) {
	var req struct {
		Name             string    `json:"Name"`
		IpAddressType    string    `json:"IpAddressType"`
		IpAddresses      []string  `json:"IpAddresses"`
		Enabled          *bool     `json:"Enabled"`
		IdempotencyToken string    `json:"IdempotencyToken"`
		Tags             []wireTag `json:"Tags"`
	}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	acc, err := h.ga.CreateAccelerator(ctx, control.CreateAcceleratorInput{
		Name:             req.Name,
		IPAddressType:    req.IpAddressType,
		IPAddresses:      req.IpAddresses,
		Enabled:          req.Enabled,
		IdempotencyToken: req.IdempotencyToken,
		Tags:             fromTags(req.Tags),
	})
	if err != nil {
		return nil, err
	}
	return acceleratorOutput{toAccelerator(acc)}, nil
}

func (h *handler) describeAccelerator(ctx context.Context, body []byte) (any, error) {
	var req arnRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	acc, err := h.ga.DescribeAccelerator(ctx, req.AcceleratorArn)
	if err != nil {
		return nil, err
	}
	return acceleratorOutput{toAccelerator(acc)}, nil
}

// pageRequest holds the pagination members of the List operations.
type pageRequest struct {
	MaxResults *int    `json:"MaxResults"`
	NextToken  *string `json:"NextToken"`
}

// page validates the pagination members.
func (p pageRequest) page() (int, string, error) {
	n, err := ga.PageSize(p.MaxResults)
	if err != nil {
		return 0, "", err
	}
	token := ""
	if p.NextToken != nil {
		token = *p.NextToken
	}
	return n, token, nil
}

func nextToken(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (h *handler) listAccelerators(ctx context.Context, body []byte) (any, error) {
	var req pageRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	max, token, err := req.page()
	if err != nil {
		return nil, err
	}
	page, err := h.ga.ListAccelerators(ctx, max, token)
	if err != nil {
		return nil, err
	}
	out := struct {
		Accelerators []wireAccelerator `json:"Accelerators"`
		NextToken    *string           `json:"NextToken,omitempty"`
	}{Accelerators: []wireAccelerator{}, NextToken: nextToken(page.NextToken)}
	for _, a := range page.Accelerators {
		out.Accelerators = append(out.Accelerators, toAccelerator(a))
	}
	return out, nil
}

func (h *handler) updateAccelerator(ctx context.Context, body []byte) (any, error) {
	var req struct {
		AcceleratorArn string   `json:"AcceleratorArn"`
		Name           *string  `json:"Name"`
		IpAddressType  *string  `json:"IpAddressType"`
		IpAddresses    []string `json:"IpAddresses"`
		Enabled        *bool    `json:"Enabled"`
	}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	acc, err := h.ga.UpdateAccelerator(ctx, control.UpdateAcceleratorInput{
		ARN:           req.AcceleratorArn,
		Name:          req.Name,
		IPAddressType: req.IpAddressType,
		IPAddresses:   req.IpAddresses,
		Enabled:       req.Enabled,
	})
	if err != nil {
		return nil, err
	}
	return acceleratorOutput{toAccelerator(acc)}, nil
}

func (h *handler) deleteAccelerator(ctx context.Context, body []byte) (any, error) {
	var req arnRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	return nil, h.ga.DeleteAccelerator(ctx, req.AcceleratorArn)
}

type attributesOutput struct {
	AcceleratorAttributes wireAttributes `json:"AcceleratorAttributes"`
}

func (h *handler) describeAcceleratorAttributes(ctx context.Context, body []byte) (any, error) {
	var req arnRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	attrs, err := h.ga.DescribeAcceleratorAttributes(ctx, req.AcceleratorArn)
	if err != nil {
		return nil, err
	}
	return attributesOutput{toAttributes(attrs)}, nil
}

func (h *handler) updateAcceleratorAttributes(ctx context.Context, body []byte) (any, error) {
	var req struct {
		AcceleratorArn   string  `json:"AcceleratorArn"`
		FlowLogsEnabled  *bool   `json:"FlowLogsEnabled"`
		FlowLogsS3Bucket *string `json:"FlowLogsS3Bucket"`
		FlowLogsS3Prefix *string `json:"FlowLogsS3Prefix"`
	}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	attrs, err := h.ga.UpdateAcceleratorAttributes(ctx, req.AcceleratorArn, control.AttributesInput{
		FlowLogsEnabled:  req.FlowLogsEnabled,
		FlowLogsS3Bucket: req.FlowLogsS3Bucket,
		FlowLogsS3Prefix: req.FlowLogsS3Prefix,
	})
	if err != nil {
		return nil, err
	}
	return attributesOutput{toAttributes(attrs)}, nil
}
