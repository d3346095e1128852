package control

import (
	"context"
	"sort"
	"strings"

	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// DelegationSet is a reusable set of four name servers.
type DelegationSet struct {
	ID              string   `json:"id"` // bare "N…"
	CallerReference string   `json:"callerReference"`
	NameServers     []string `json:"nameServers"`
}

// CreateReusableDelegationSet creates a reusable delegation set, taking the
// name servers of hostedZoneID when it is given.
func (s *Service) CreateReusableDelegationSet(ctx context.Context, callerRef, hostedZoneID string) (DelegationSet, error) {
	if callerRef == "" || len(callerRef) > 128 {
		return DelegationSet{}, zone.InvalidInput("1 validation error detected: Value at 'callerReference' failed to satisfy constraint: Member must have length between 1 and 128")
	}
	ds := DelegationSet{ID: newID("N", 20), CallerReference: callerRef}
	hostedZoneID = StripPrefix(hostedZoneID)
	_, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		if _, exists, err := tx.Get(delegationRefKey(callerRef)); err != nil {
			return err
		} else if exists {
			return zone.NewError("DelegationSetAlreadyCreated", "A delegation set with the same owner and caller reference combination has already been created.")
		}
		n := 0
		if err := tx.List(prefixDelegationSets, func(string, []byte) error { n++; return nil }); err != nil {
			return err
		}
		if n >= 100 {
			return zone.NewError("LimitsExceeded", "Limits Exceeded: MAX_REUSABLE_DELEGATION_SETS_BY_OWNER")
		}
		switch {
		case hostedZoneID != "":
			info, err := loadZone(tx, hostedZoneID)
			if err != nil {
				return zone.NewError("HostedZoneNotFound", "The specified hosted zone does not exist: "+hostedZoneID)
			}
			if info.DelegationSetID != "" {
				return zone.NewError("DelegationSetAlreadyReusable", "The hosted zone already uses a reusable delegation set.")
			}
			ds.NameServers = info.NameServers
		case len(s.cfg.NameServers) > 0:
			ds.NameServers = append([]string(nil), s.cfg.NameServers...)
		default:
			ds.NameServers = zone.DefaultNameServers(seedOf(ds.ID))
		}
		if err := tx.Put(delegationRefKey(callerRef), []byte(ds.ID)); err != nil {
			return err
		}
		return putJSON(tx, delegationKey(ds.ID), ds)
	})
	return ds, err
}

func noSuchDelegationSet(id string) error {
	return zone.NewError("NoSuchDelegationSet", "A reusable delegation set with the specified ID does not exist: "+id)
}

// GetReusableDelegationSet returns one reusable delegation set.
func (s *Service) GetReusableDelegationSet(ctx context.Context, id string) (DelegationSet, error) {
	id = StripPrefix(id)
	var ds DelegationSet
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		found, err := getJSON(tx, delegationKey(id), &ds)
		if err == nil && !found {
			err = noSuchDelegationSet(id)
		}
		return err
	})
	return ds, err
}

// ListReusableDelegationSets returns every reusable delegation set by ID.
func (s *Service) ListReusableDelegationSets(ctx context.Context) ([]DelegationSet, error) {
	var out []DelegationSet
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		return tx.List(prefixDelegationSets, func(key string, _ []byte) error {
			var ds DelegationSet
			if _, err := getJSON(tx, key, &ds); err != nil {
				return err
			}
			out = append(out, ds)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// DeleteReusableDelegationSet deletes a set no zone uses.
func (s *Service) DeleteReusableDelegationSet(ctx context.Context, id string) error {
	id = StripPrefix(id)
	_, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		var ds DelegationSet
		found, err := getJSON(tx, delegationKey(id), &ds)
		if err != nil {
			return err
		}
		if !found {
			return noSuchDelegationSet(id)
		}
		err = tx.List(prefixZones, func(key string, _ []byte) error {
			info, err := loadZone(tx, strings.TrimPrefix(key, prefixZones))
			if err != nil {
				return err
			}
			if info.DelegationSetID == id {
				return zone.NewError("DelegationSetInUse", "The specified delegation set contains associated hosted zones.")
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := tx.Delete(delegationRefKey(ds.CallerReference)); err != nil {
			return err
		}
		return tx.Delete(delegationKey(id))
	})
	return err
}
