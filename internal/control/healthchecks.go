package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// Health check quotas and page sizes (spec 4.5, 6.1).
const (
	// DefaultMaxHealthChecks is Route 53's quota of active health checks.
	DefaultMaxHealthChecks = 200
	// DefaultHealthCheckPageSize is ListHealthChecks' page size when the
	// caller gives none.
	DefaultHealthCheckPageSize = 100
	// MaxHealthCheckPageSize caps ListHealthChecks' page size.
	MaxHealthCheckPageSize = 1000
	// maxCallerReferenceLen is the model's limit on a HealthCheckNonce.
	maxCallerReferenceLen = 64
)

// prefixHealthCheckRefs indexes health checks by caller reference. An entry
// holds the ID of the check created with that reference and outlives the
// check: Route 53 refuses a deleted check's reference "for a number of
// days"; Meridian keeps it for good.
const prefixHealthCheckRefs = "callerrefs/healthcheck/"

func healthCheckRefKey(ref string) string { return prefixHealthCheckRefs + url.PathEscape(ref) }

// HealthCheckPage is one page of ListHealthChecks. NextMarker is the ID of
// the first check of the next page, empty on the last page.
type HealthCheckPage struct {
	HealthChecks []healthcheck.HealthCheck
	NextMarker   string
}

func noSuchHealthCheck(id string) error {
	return zone.NoSuchHealthCheck(id)
}

// MaxHealthChecks is the active health check quota.
func (s *Service) MaxHealthChecks() int {
	if s.cfg.MaxHealthChecks > 0 {
		return s.cfg.MaxHealthChecks
	}
	return DefaultMaxHealthChecks
}

// HealthOptions returns the deployment's health-check options.
func (s *Service) HealthOptions() healthcheck.Options { return s.cfg.HealthOptions }

// CheckerIPRanges returns the CIDR blocks the deployment's checkers probe
// from, as GetCheckerIpRanges reports them.
func (s *Service) CheckerIPRanges() []string { return s.cfg.HealthOptions.CheckerIPBlocks() }

// healthOptions returns the configured options with Lookup reading tx.
func (s *Service) healthOptions(tx store.ReadTx) healthcheck.Options {
	o := s.cfg.HealthOptions
	o.Lookup = func(id string) (healthcheck.HealthCheck, bool, error) {
		var hc healthcheck.HealthCheck
		found, err := getJSON(tx, HealthCheckKey(id), &hc)
		return hc, found, err
	}
	return o
}

// checkHealthCheckID applies the model's limit on a HealthCheckId.
func checkHealthCheckID(id string) error {
	if len(id) > healthcheck.MaxIDLen {
		return validationError(id, "healthCheckId", fmt.Sprintf("Member must have length less than or equal to %d", healthcheck.MaxIDLen))
	}
	return nil
}

func loadHealthCheck(tx store.ReadTx, id string) (healthcheck.HealthCheck, error) {
	var hc healthcheck.HealthCheck
	found, err := getJSON(tx, HealthCheckKey(id), &hc)
	if err != nil {
		return healthcheck.HealthCheck{}, err
	}
	if !found {
		return healthcheck.HealthCheck{}, noSuchHealthCheck(id)
	}
	return hc, nil
}

// CreateHealthCheck creates a health check, or returns the existing one when
// the caller reference was used before with the same settings (Route 53
// answers both with 201). A reference used with other settings, or by a
// check since deleted, fails with HealthCheckAlreadyExists. The stored
// configuration has Route 53's defaults filled in (healthcheck.Defaults);
// "the same settings" compares the request with the check as it stands now.
func (s *Service) CreateHealthCheck(ctx context.Context, callerRef string, cfg healthcheck.Config) (healthcheck.HealthCheck, error) {
	switch {
	case callerRef == "":
		return healthcheck.HealthCheck{}, validationError(callerRef, "callerReference", "Member must have length greater than or equal to 1")
	case len(callerRef) > maxCallerReferenceLen:
		return healthcheck.HealthCheck{}, validationError(callerRef, "callerReference",
			fmt.Sprintf("Member must have length less than or equal to %d", maxCallerReferenceLen))
	}
	var out healthcheck.HealthCheck
	_, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		if err := healthcheck.Validate(&cfg, s.healthOptions(tx)); err != nil {
			return err
		}
		healthcheck.Defaults(&cfg)
		b, exists, err := tx.Get(healthCheckRefKey(callerRef))
		if err != nil {
			return err
		}
		if exists {
			var prior healthcheck.HealthCheck
			found, err := getJSON(tx, HealthCheckKey(string(b)), &prior)
			if err != nil {
				return err
			}
			if !found || !healthcheck.Equal(prior.Config, cfg) {
				return zone.NewError("HealthCheckAlreadyExists",
					"A health check has already been created with the specified caller reference.")
			}
			out = prior
			return nil
		}
		n, err := healthCheckCount(tx)
		if err != nil {
			return err
		}
		if n >= s.MaxHealthChecks() {
			return zone.NewError("TooManyHealthChecks",
				"You have reached the maximum number of active health checks for an Amazon Web Services account. To request a higher limit, create a case with the Amazon Web Services Support Center.")
		}
		out = healthcheck.HealthCheck{ID: newUUID(), CallerReference: callerRef, Config: cfg, Version: 1}
		if err := ensureHealthCheckParents(tx); err != nil {
			return err
		}
		if err := updateHealthCheckParents(tx, out.ID, nil, indexedChildren(cfg)); err != nil {
			return err
		}
		if err := tx.Put(healthCheckRefKey(callerRef), []byte(out.ID)); err != nil {
			return err
		}
		if err := putJSON(tx, HealthCheckKey(out.ID), out); err != nil {
			return err
		}
		return putHealthCheckCount(tx, n+1)
	})
	if err != nil {
		return healthcheck.HealthCheck{}, err
	}
	return out, nil
}

// GetHealthCheck returns one health check.
func (s *Service) GetHealthCheck(ctx context.Context, id string) (healthcheck.HealthCheck, error) {
	id = StripPrefix(id)
	if err := checkHealthCheckID(id); err != nil {
		return healthcheck.HealthCheck{}, err
	}
	var hc healthcheck.HealthCheck
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		var err error
		hc, err = loadHealthCheck(tx, id)
		return err
	})
	return hc, err
}

// errPageFull stops a store walk once a page is complete.
var errPageFull = errors.New("page full")

// ListHealthChecks returns the health checks in ID order, starting at the
// first whose ID is not below marker, at most max of them (0: the default
// page size; values above MaxHealthCheckPageSize are capped).
func (s *Service) ListHealthChecks(ctx context.Context, marker string, max int) (HealthCheckPage, error) {
	if max <= 0 {
		max = DefaultHealthCheckPageSize
	}
	max = min(max, MaxHealthCheckPageSize)
	var page HealthCheckPage
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		page = HealthCheckPage{}
		err := tx.List(HealthCheckKey(""), func(key string, value []byte) error {
			if strings.TrimPrefix(key, HealthCheckKey("")) < marker {
				return nil
			}
			var hc healthcheck.HealthCheck
			if err := jsonDecode(key, value, &hc); err != nil {
				return err
			}
			if len(page.HealthChecks) == max {
				page.NextMarker = hc.ID
				return errPageFull
			}
			page.HealthChecks = append(page.HealthChecks, hc)
			return nil
		})
		if errors.Is(err, errPageFull) {
			return nil
		}
		return err
	})
	return page, err
}

// UpdateHealthCheck applies an UpdateHealthCheck request (see
// healthcheck.ApplyUpdate) and returns the updated check.
func (s *Service) UpdateHealthCheck(ctx context.Context, id string, u healthcheck.Update) (healthcheck.HealthCheck, error) {
	id = StripPrefix(id)
	if err := checkHealthCheckID(id); err != nil {
		return healthcheck.HealthCheck{}, err
	}
	var hc healthcheck.HealthCheck
	_, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		if hc, err = loadHealthCheck(tx, id); err != nil {
			return err
		}
		before := indexedChildren(hc.Config)
		if err := healthcheck.ApplyUpdate(&hc, u, s.healthOptions(tx)); err != nil {
			return err
		}
		if err := ensureHealthCheckParents(tx); err != nil {
			return err
		}
		if err := updateHealthCheckParents(tx, id, before, indexedChildren(hc.Config)); err != nil {
			return err
		}
		return putJSON(tx, HealthCheckKey(id), hc)
	})
	if err != nil {
		return healthcheck.HealthCheck{}, err
	}
	return hc, nil
}

// DeleteHealthCheck deletes a health check and its tags. Like Route 53 it
// does not ask whether record sets still use the check (they then count as
// healthy). It refuses, as Route 53 does, to delete a check that is a child
// of a calculated check: InvalidInput "Health check <id> is still referenced
// from parent health check(s): <ids>", the parents in ID order, found in the
// parent index (healthparents.go) rather than by reading every check. The
// model's HealthCheckInUse code is documented as not in use, and Meridian
// never returns it. The caller reference stays taken.
//
// A refused delete writes nothing, except on a store that had no parent
// index yet: the index it built to find the parents is committed.
func (s *Service) DeleteHealthCheck(ctx context.Context, id string) error {
	id = StripPrefix(id)
	if err := checkHealthCheckID(id); err != nil {
		return err
	}
	var refused error
	_, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		refused = nil
		hc, err := loadHealthCheck(tx, id)
		if err != nil {
			return err
		}
		if err := ensureHealthCheckParents(tx); err != nil {
			return err
		}
		parents, err := healthCheckParents(tx, id)
		if err != nil {
			return err
		}
		if len(parents) > 0 {
			refused = zone.InvalidInput("Health check " + id + " is still referenced from parent health check(s): " + strings.Join(parents, ", "))
			return nil
		}
		n, err := healthCheckCount(tx)
		if err != nil {
			return err
		}
		if err := updateHealthCheckParents(tx, id, indexedChildren(hc.Config), nil); err != nil {
			return err
		}
		if err := tx.Delete(HealthCheckKey(id)); err != nil {
			return err
		}
		if err := tx.Delete(tagsKey(ResourceHealthCheck, id)); err != nil {
			return err
		}
		return putHealthCheckCount(tx, n-1)
	})
	if err != nil {
		return err
	}
	return refused
}

// LoadHealthChecks returns every stored health check in ID order. The
// health-check engine reads its configuration with it, in the transaction
// of the revision it applies.
func LoadHealthChecks(tx store.ReadTx) ([]healthcheck.HealthCheck, error) {
	var out []healthcheck.HealthCheck
	err := tx.List(HealthCheckKey(""), func(key string, value []byte) error {
		var hc healthcheck.HealthCheck
		if err := jsonDecode(key, value, &hc); err != nil {
			return err
		}
		out = append(out, hc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load health checks: %w", err)
	}
	return out, nil
}

// jsonDecode decodes a stored value, naming its key on failure.
func jsonDecode(key string, value []byte, v any) error {
	if err := json.Unmarshal(value, v); err != nil {
		return fmt.Errorf("decode %s: %w", key, err)
	}
	return nil
}
