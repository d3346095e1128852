package globalaccel

import "context"

type resourceRequest struct {
	ResourceArn string    `json:"ResourceArn"`
	Tags        []wireTag `json:"Tags"`
	TagKeys     []string  `json:"TagKeys"`
}

func (h *handler) tagResource(ctx context.Context, body []byte) (any, error) {
	var req resourceRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	return nil, h.ga.TagResource(ctx, req.ResourceArn, fromTags(req.Tags))
}

func (h *handler) untagResource(ctx context.Context, body []byte) (any, error) {
	var req resourceRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	return nil, h.ga.UntagResource(ctx, req.ResourceArn, req.TagKeys)
}

func (h *handler) listTagsForResource(ctx context.Context, body []byte) (any, error) {
	var req resourceRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	tags, err := h.ga.ListTagsForResource(ctx, req.ResourceArn)
	if err != nil {
		return nil, err
	}
	return struct {
		Tags []wireTag `json:"Tags"`
	}{toTags(tags)}, nil
}
