package control

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// loadRRSets returns a zone's record sets in store-key order.
func loadRRSets(tx store.ReadTx, zoneID string) ([]zone.RRSet, error) {
	var out []zone.RRSet
	err := tx.List(rrsetPrefix(zoneID), func(key string, v []byte) error {
		var rs zone.RRSet
		if err := json.Unmarshal(v, &rs); err != nil {
			return fmt.Errorf("decode %s: %w", key, err)
		}
		out = append(out, rs)
		return nil
	})
	return out, err
}

// ChangeResourceRecordSets validates and applies a change batch atomically.
func (s *Service) ChangeResourceRecordSets(ctx context.Context, zoneID string, batch zone.ChangeBatch) (ChangeInfo, error) {
	zoneID = StripPrefix(zoneID)
	ci := ChangeInfo{ID: newID("C", 20), ZoneID: zoneID, SubmittedAt: s.now(), Comment: batch.Comment}
	rev, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		info, err := loadZone(tx, zoneID)
		if err != nil {
			return err
		}
		current, err := loadRRSets(tx, zoneID)
		if err != nil {
			return err
		}
		env := zone.Env{
			MaxRRSets: s.cfg.MaxRRSets,
			HealthCheckExists: func(id string) bool {
				_, ok, err := tx.Get(HealthCheckKey(id))
				return err == nil && ok
			},
			CidrLocationExists: cidrLocationExists(tx),
		}
		res, err := zone.ApplyChanges(&info.HostedZone, current, batch, env)
		if err != nil {
			return err
		}
		for _, k := range res.Delete {
			if err := tx.Delete(rrsetKey(zoneID, k)); err != nil {
				return err
			}
		}
		for _, rs := range res.Put {
			if err := putJSON(tx, rrsetKey(zoneID, rs.Key()), rs); err != nil {
				return err
			}
		}
		info.RRSetCount = res.Count
		if err := putJSON(tx, zoneKey(zoneID), info); err != nil {
			return err
		}
		ci.Revision = tx.Revision() + 1
		return putJSON(tx, changeKey(ci.ID), ci)
	})
	if err != nil {
		return ChangeInfo{}, err
	}
	ci.Revision = rev
	return s.withStatus(ci), nil
}

// RecordPage is one page of ListResourceRecordSets.
type RecordPage struct {
	RRSets []zone.RRSet
	// Next is the key of the first record set of the next page; nil when
	// this page is the last.
	Next *zone.Key
}

// ListResourceRecordSets returns up to max record sets in Route 53 order,
// starting at the first record set whose key is at or after start (an empty
// start.Name starts at the beginning; start.Name must be canonical).
func (s *Service) ListResourceRecordSets(ctx context.Context, zoneID string, start zone.Key, max int) (RecordPage, error) {
	zoneID = StripPrefix(zoneID)
	var all []zone.RRSet
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		if _, err := loadZone(tx, zoneID); err != nil {
			return err
		}
		var err error
		all, err = loadRRSets(tx, zoneID)
		return err
	})
	if err != nil {
		return RecordPage{}, err
	}
	zone.SortRRSets(all)
	i := 0
	if start.Name != "" {
		for i < len(all) && sortsBefore(all[i].Key(), start) {
			i++
		}
	}
	var page RecordPage
	end := i + max
	if end < len(all) {
		next := all[end].Key()
		page.Next = &next
	} else {
		end = len(all)
	}
	page.RRSets = all[i:end]
	return page, nil
}

// sortsBefore reports whether k sorts before the start position. Empty Type
// and SetIdentifier sort first, so a start with only a name begins at that
// name's first record set, and one with a type at that type's first.
func sortsBefore(k, start zone.Key) bool {
	return zone.CompareKeys(k, start) < 0
}
