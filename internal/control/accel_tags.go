package control

import (
	"context"
	"reflect"
	"strings"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/store"
)

// ResourceAccelerator is the tags resource type of accelerators: their tags
// live at "tags/accelerator/<uuid>", outside the accelerator document, so
// tagging does not touch what the data plane serves.
const ResourceAccelerator = "accelerator"

// validateTags checks request tags one by one and their number.
func validateTags(tags []Tag) error {
	if len(tags) > globalaccel.MaxTags {
		return globalaccel.InvalidArgument("A resource can have at most %d tags; the request has %d.", globalaccel.MaxTags, len(tags))
	}
	for _, t := range tags {
		if err := globalaccel.ValidateTag(t.Key, t.Value); err != nil {
			return err
		}
	}
	return nil
}

// mergeTags applies additions (a later duplicate key wins) and removals to
// current tags, sorted by key.
func mergeTags(current, add []Tag, remove []string) []Tag {
	m := map[string]string{}
	for _, t := range current {
		m[t.Key] = t.Value
	}
	for _, t := range add {
		m[t.Key] = t.Value
	}
	for _, k := range remove {
		delete(m, k)
	}
	return sortedTags(m)
}

// taggable parses a ResourceArn: tags belong to accelerators.
func (g *AcceleratorService) taggable(arn string) (globalaccel.ARN, error) {
	a, err := globalaccel.ParseARN("ResourceArn", arn)
	if err != nil {
		return globalaccel.ARN{}, err
	}
	if a.Kind() != globalaccel.KindAccelerator {
		return globalaccel.ARN{}, globalaccel.InvalidArgument("ResourceArn %q names a %s: only accelerators have tags.", arn, strings.ReplaceAll(a.Kind(), "-", " "))
	}
	if a.Account != g.cfg.Account {
		return globalaccel.ARN{}, globalaccel.AcceleratorNotFound(arn)
	}
	return a, nil
}

// changeTags adds and removes an accelerator's tags.
func (g *AcceleratorService) changeTags(ctx context.Context, arn string, add []Tag, remove []string) error {
	a, err := g.taggable(arn)
	if err != nil {
		return err
	}
	return g.updateAccelerator(ctx, a, arn, func(tx store.Tx, acc *globalaccel.Accelerator) error {
		var cur []Tag
		if _, err := getJSON(tx, tagsKey(ResourceAccelerator, acc.ID), &cur); err != nil {
			return err
		}
		tags := mergeTags(cur, add, remove)
		if len(tags) > globalaccel.MaxTags {
			return globalaccel.InvalidArgument("A resource can have at most %d tags; this request would make %d.", globalaccel.MaxTags, len(tags))
		}
		if reflect.DeepEqual(tags, mergeTags(cur, nil, nil)) {
			return nil
		}
		if len(tags) == 0 {
			return tx.Delete(tagsKey(ResourceAccelerator, acc.ID))
		}
		return putJSON(tx, tagsKey(ResourceAccelerator, acc.ID), tags)
	})
}

// TagResource adds tags to an accelerator, replacing the values of keys it
// has.
func (g *AcceleratorService) TagResource(ctx context.Context, arn string, tags []Tag) error {
	if err := validateTags(tags); err != nil {
		return err
	}
	return g.changeTags(ctx, arn, tags, nil)
}

// UntagResource removes tags from an accelerator; keys it lacks are
// ignored.
func (g *AcceleratorService) UntagResource(ctx context.Context, arn string, keys []string) error {
	if len(keys) > 200 {
		return globalaccel.InvalidArgument("TagKeys can hold at most 200 keys; it holds %d.", len(keys))
	}
	return g.changeTags(ctx, arn, nil, keys)
}

// ListTagsForResource returns an accelerator's tags, sorted by key.
func (g *AcceleratorService) ListTagsForResource(ctx context.Context, arn string) ([]Tag, error) {
	a, err := g.taggable(arn)
	if err != nil {
		return nil, err
	}
	var tags []Tag
	err = g.viewAccelerator(ctx, a, arn, func(tx store.ReadTx, acc *globalaccel.Accelerator) error {
		_, err := getJSON(tx, tagsKey(ResourceAccelerator, acc.ID), &tags)
		return err
	})
	return tags, err
}
