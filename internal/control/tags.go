package control

import (
	"context"
	"sort"
	"strings"

	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// Resource types that carry tags.
const (
	ResourceHostedZone  = "hostedzone"
	ResourceHealthCheck = "healthcheck"
)

// resourceExists checks that a taggable resource exists and returns the
// Route 53 error for a missing one.
func resourceExists(tx store.ReadTx, resourceType, id string) error {
	switch resourceType {
	case ResourceHostedZone:
		_, err := loadZone(tx, id)
		return err
	case ResourceHealthCheck:
		if _, ok, err := tx.Get(HealthCheckKey(id)); err != nil {
			return err
		} else if !ok {
			return zone.NoSuchHealthCheck(id)
		}
		return nil
	default:
		return zone.InvalidInput("1 validation error detected: Value '" + resourceType +
			"' at 'resourceType' failed to satisfy constraint: Member must satisfy enum value set: [healthcheck, hostedzone]")
	}
}

// HealthCheckKey is the store key of a health check; the health-check
// registry writes there.
func HealthCheckKey(id string) string { return "healthchecks/" + id }

// ChangeTags adds (or overwrites) and removes tags on a resource.
func (s *Service) ChangeTags(ctx context.Context, resourceType, id string, add []Tag, remove []string) error {
	id = StripPrefix(id)
	if len(add) > 10 {
		return zone.InvalidInput("1 validation error detected: Value at 'addTags' failed to satisfy constraint: Member must have length less than or equal to 10")
	}
	if len(remove) > 10 {
		return zone.InvalidInput("1 validation error detected: Value at 'removeTagKeys' failed to satisfy constraint: Member must have length less than or equal to 10")
	}
	for _, t := range add {
		if t.Key == "" || len(t.Key) > 128 || len(t.Value) > 256 {
			return zone.InvalidInput("1 validation error detected: Value '" + t.Key + "' at 'addTags.member.key' failed to satisfy constraint: Member must have length between 1 and 128 (value ≤ 256)")
		}
	}
	_, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		if err := resourceExists(tx, resourceType, id); err != nil {
			return err
		}
		tags := map[string]string{}
		var cur []Tag
		if _, err := getJSON(tx, tagsKey(resourceType, id), &cur); err != nil {
			return err
		}
		for _, t := range cur {
			tags[t.Key] = t.Value
		}
		for _, k := range remove {
			delete(tags, k)
		}
		for _, t := range add {
			tags[t.Key] = t.Value
		}
		if len(tags) > 50 {
			return zone.InvalidInput("A resource can have at most 50 tags.")
		}
		if len(tags) == 0 {
			return tx.Delete(tagsKey(resourceType, id))
		}
		return putJSON(tx, tagsKey(resourceType, id), sortedTags(tags))
	})
	return err
}

func sortedTags(m map[string]string) []Tag {
	out := make([]Tag, 0, len(m))
	for k, v := range m {
		out = append(out, Tag{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// ListTags returns a resource's tags.
func (s *Service) ListTags(ctx context.Context, resourceType, id string) ([]Tag, error) {
	id = StripPrefix(id)
	var tags []Tag
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		if err := resourceExists(tx, resourceType, id); err != nil {
			return err
		}
		_, err := getJSON(tx, tagsKey(resourceType, id), &tags)
		return err
	})
	return tags, err
}

// LoadHealthCheckNames returns the Name tag of every tagged health check
// (health check ID → name), as the console shows a check's name.
func LoadHealthCheckNames(tx store.ReadTx) (map[string]string, error) {
	names := map[string]string{}
	prefix := tagsKey(ResourceHealthCheck, "")
	err := tx.List(prefix, func(key string, v []byte) error {
		var tags []Tag
		if _, err := getJSON(tx, key, &tags); err != nil {
			return err
		}
		for _, t := range tags {
			if t.Key == "Name" {
				names[strings.TrimPrefix(key, prefix)] = t.Value
			}
		}
		return nil
	})
	return names, err
}
