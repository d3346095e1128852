package control

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/store"
)

// The parent index of health checks. For every CALCULATED check P that
// lists a check C in ChildHealthChecks, the key
// prefixHealthCheckParents + esc(C) + "/" + esc(P) holds P's ID (esc is
// url.PathEscape, so an ID never carries a "/" into the key). With it,
// DeleteHealthCheck finds the parents that forbid deleting C by listing C's
// entries instead of decoding every stored check.
//
// CreateHealthCheck, UpdateHealthCheck and DeleteHealthCheck maintain the
// index in the transaction that puts or deletes the check, so it never
// disagrees with the checks: store transactions are serializable. The keys
// live outside the "healthchecks/" prefix so that walks of the checks never
// see them, and no store watcher acts on them: the health feed watches
// "healthchecks/", health check tags and accelerators, the DNS publisher
// zones, record sets, CIDR collections and accelerators.
//
// A store written before the index existed has neither the entries nor the
// marker keyHealthCheckParentsBuilt. The first of those operations to write
// then builds the whole index from the stored checks (one walk, once) and
// stores the marker in the same transaction; once the marker is present the
// index is trusted.
const (
	prefixHealthCheckParents   = "hcparents/"
	keyHealthCheckParentsBuilt = "hcparents-built"
)

// healthCheckParentsPrefix is the prefix of the index entries of child's
// parents.
func healthCheckParentsPrefix(child string) string {
	return prefixHealthCheckParents + url.PathEscape(child) + "/"
}

// healthCheckParentKey is the index entry recording that parent lists child.
func healthCheckParentKey(child, parent string) string {
	return healthCheckParentsPrefix(child) + url.PathEscape(parent)
}

// indexedChildren returns the children a check has in the parent index: a
// CALCULATED check's ChildHealthChecks, none for other types.
func indexedChildren(c healthcheck.Config) []string {
	if c.Type != healthcheck.TypeCalculated {
		return nil
	}
	return slices.Clone(c.ChildHealthChecks)
}

// ensureHealthCheckParents builds the parent index when the marker says the
// store has none: it drops any entries there are, records every stored
// CALCULATED check's children and stores the marker. With the marker
// present it only reads the marker.
func ensureHealthCheckParents(tx store.Tx) error {
	_, ok, err := tx.Get(keyHealthCheckParentsBuilt)
	if err != nil {
		return fmt.Errorf("read health check parent index marker: %w", err)
	}
	if ok {
		return nil
	}
	var stale []string
	if err := tx.List(prefixHealthCheckParents, func(key string, _ []byte) error {
		stale = append(stale, key)
		return nil
	}); err != nil {
		return fmt.Errorf("list health check parent index: %w", err)
	}
	for _, key := range stale {
		if err := tx.Delete(key); err != nil {
			return fmt.Errorf("drop health check parent index entry %s: %w", key, err)
		}
	}
	all, err := LoadHealthChecks(tx)
	if err != nil {
		return err
	}
	for _, hc := range all {
		if err := updateHealthCheckParents(tx, hc.ID, nil, indexedChildren(hc.Config)); err != nil {
			return err
		}
	}
	if err := tx.Put(keyHealthCheckParentsBuilt, []byte("1")); err != nil {
		return fmt.Errorf("store health check parent index marker: %w", err)
	}
	return nil
}

// updateHealthCheckParents records that parent's indexed children changed
// from before to after: it deletes the entries of children no longer listed
// and adds those of children newly listed, leaving the others untouched.
func updateHealthCheckParents(tx store.Tx, parent string, before, after []string) error {
	for _, child := range before {
		if slices.Contains(after, child) {
			continue
		}
		if err := tx.Delete(healthCheckParentKey(child, parent)); err != nil {
			return fmt.Errorf("drop parent %s of health check %s from the index: %w", parent, child, err)
		}
	}
	for _, child := range after {
		if slices.Contains(before, child) {
			continue
		}
		if err := tx.Put(healthCheckParentKey(child, parent), []byte(parent)); err != nil {
			return fmt.Errorf("add parent %s of health check %s to the index: %w", parent, child, err)
		}
	}
	return nil
}

// healthCheckParents returns, in ID order, the CALCULATED checks that list
// child, read from the parent index (which must be built).
func healthCheckParents(tx store.ReadTx, child string) ([]string, error) {
	var parents []string
	if err := tx.List(healthCheckParentsPrefix(child), func(_ string, value []byte) error {
		parents = append(parents, string(value))
		return nil
	}); err != nil {
		return nil, fmt.Errorf("list parents of health check %s: %w", child, err)
	}
	// Escaping can reorder IDs; the message lists them as the checks sort.
	slices.Sort(parents)
	return parents, nil
}
