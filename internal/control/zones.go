package control

import (
	"context"
	"errors"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// ZoneInfo is a hosted zone with its record set count.
type ZoneInfo struct {
	zone.HostedZone
	RRSetCount int `json:"rrsetCount"`
}

// CreateZoneInput is the input of CreateHostedZone.
type CreateZoneInput struct {
	Name            string
	CallerReference string
	Comment         string
	PrivateZone     bool
	DelegationSetID string
}

// CreateHostedZone creates a zone with its default SOA and NS record sets.
func (s *Service) CreateHostedZone(ctx context.Context, in CreateZoneInput) (ZoneInfo, ChangeInfo, error) {
	if in.CallerReference == "" || len(in.CallerReference) > 128 {
		return ZoneInfo{}, ChangeInfo{}, zone.InvalidInput("1 validation error detected: Value '" + in.CallerReference +
			"' at 'callerReference' failed to satisfy constraint: Member must have length between 1 and 128")
	}
	if len(in.Comment) > 256 {
		return ZoneInfo{}, ChangeInfo{}, zone.InvalidInput("1 validation error detected: Value at 'hostedZoneConfig.comment' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	if in.PrivateZone {
		return ZoneInfo{}, ChangeInfo{}, zone.InvalidInput("Private hosted zones are not supported by Meridian: a private zone needs a VPC, and Meridian serves public zones only.")
	}
	name, err := zone.ValidateZoneName(in.Name)
	if err != nil {
		return ZoneInfo{}, ChangeInfo{}, err
	}
	now := s.now()
	hz := zone.HostedZone{
		ID:              newID("Z", 20),
		Name:            name,
		CallerReference: in.CallerReference,
		Comment:         in.Comment,
		DelegationSetID: StripPrefix(in.DelegationSetID),
		CreatedAt:       now.Format(timeFormat),
	}
	ci := ChangeInfo{ID: newID("C", 20), ZoneID: hz.ID, SubmittedAt: now}
	var info ZoneInfo
	rev, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		if _, exists, err := tx.Get(zoneRefKey(in.CallerReference)); err != nil {
			return err
		} else if exists {
			return zone.NewError("HostedZoneAlreadyExists", "A hosted zone has already been created with the specified caller reference.")
		}
		n, err := countZones(tx)
		if err != nil {
			return err
		}
		if n >= s.cfg.MaxZones {
			return zone.NewError("TooManyHostedZones", "Limits Exceeded: MAX_HOSTED_ZONES_BY_OWNER - Cannot create more hosted zones.")
		}
		switch {
		case hz.DelegationSetID != "":
			var ds DelegationSet
			found, err := getJSON(tx, delegationKey(hz.DelegationSetID), &ds)
			if err != nil {
				return err
			}
			if !found {
				return zone.NewError("NoSuchDelegationSet", "A reusable delegation set with the specified ID does not exist: "+hz.DelegationSetID)
			}
			hz.NameServers = ds.NameServers
		case len(s.cfg.NameServers) > 0:
			hz.NameServers = append([]string(nil), s.cfg.NameServers...)
		default:
			hz.NameServers = zone.DefaultNameServers(seedOf(hz.ID))
		}
		defaults := zone.DefaultRecordSets(&hz, s.cfg.Hostmaster)
		for _, rs := range defaults {
			if err := putJSON(tx, rrsetKey(hz.ID, rs.Key()), rs); err != nil {
				return err
			}
		}
		info = ZoneInfo{HostedZone: hz, RRSetCount: len(defaults)}
		ci.Revision = tx.Revision() + 1
		if err := putJSON(tx, zoneKey(hz.ID), info); err != nil {
			return err
		}
		if err := tx.Put(zoneRefKey(in.CallerReference), []byte(hz.ID)); err != nil {
			return err
		}
		return putJSON(tx, changeKey(ci.ID), ci)
	})
	if err != nil {
		return ZoneInfo{}, ChangeInfo{}, err
	}
	ci.Revision = rev
	return info, s.withStatus(ci), nil
}

func seedOf(id string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32()
}

func countZones(tx store.ReadTx) (int, error) {
	n := 0
	err := tx.List(prefixZones, func(string, []byte) error { n++; return nil })
	return n, err
}

func loadZone(tx store.ReadTx, id string) (ZoneInfo, error) {
	var info ZoneInfo
	found, err := getJSON(tx, zoneKey(id), &info)
	if err != nil {
		return ZoneInfo{}, err
	}
	if !found {
		return ZoneInfo{}, zone.NoSuchHostedZone(id)
	}
	return info, nil
}

// GetHostedZone returns one zone.
func (s *Service) GetHostedZone(ctx context.Context, id string) (ZoneInfo, error) {
	id = StripPrefix(id)
	var info ZoneInfo
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) (err error) {
		info, err = loadZone(tx, id)
		return err
	})
	return info, err
}

// ListHostedZones returns every zone in ListHostedZonesByName order: by the
// name with its labels reversed, then by ID.
func (s *Service) ListHostedZones(ctx context.Context) ([]ZoneInfo, error) {
	var out []ZoneInfo
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		return tx.List(prefixZones, func(key string, _ []byte) error {
			info, err := loadZone(tx, strings.TrimPrefix(key, prefixZones))
			if err != nil {
				return err
			}
			out = append(out, info)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return zoneLess(out[i].HostedZone, out[j].HostedZone) })
	return out, nil
}

func zoneLess(a, b zone.HostedZone) bool {
	ka, kb := zone.ReversedSortKey(a.Name), zone.ReversedSortKey(b.Name)
	if ka != kb {
		return ka < kb
	}
	return a.ID < b.ID
}

// ZoneSortKey is the position of a (name, ID) pair in ListHostedZonesByName
// order; zones compare by it as strings.
func ZoneSortKey(name, id string) string {
	return zone.ReversedSortKey(name) + "\x00" + id
}

// HostedZoneCount returns the number of zones.
func (s *Service) HostedZoneCount(ctx context.Context) (int, error) {
	var n int
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) (err error) {
		n, err = countZones(tx)
		return err
	})
	return n, err
}

// UpdateHostedZoneComment replaces (or, with "", clears) a zone's comment.
func (s *Service) UpdateHostedZoneComment(ctx context.Context, id, comment string) (ZoneInfo, error) {
	id = StripPrefix(id)
	if len(comment) > 256 {
		return ZoneInfo{}, zone.InvalidInput("1 validation error detected: Value at 'comment' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	var info ZoneInfo
	_, err := s.cfg.Store.Update(ctx, func(tx store.Tx) (err error) {
		if info, err = loadZone(tx, id); err != nil {
			return err
		}
		info.Comment = comment
		return putJSON(tx, zoneKey(id), info)
	})
	return info, err
}

// DeleteHostedZone deletes a zone that holds only its apex SOA and NS.
func (s *Service) DeleteHostedZone(ctx context.Context, id string) (ChangeInfo, error) {
	id = StripPrefix(id)
	ci := ChangeInfo{ID: newID("C", 20), ZoneID: id, SubmittedAt: s.now()}
	rev, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		info, err := loadZone(tx, id)
		if err != nil {
			return err
		}
		var keys []string
		err = tx.List(rrsetPrefix(id), func(key string, v []byte) error {
			var rs zone.RRSet
			if _, err := getJSON(tx, key, &rs); err != nil {
				return err
			}
			if rs.Name != info.Name || (rs.Type != "SOA" && rs.Type != "NS") || rs.SetIdentifier != "" {
				return errNotEmpty
			}
			keys = append(keys, key)
			return nil
		})
		if errors.Is(err, errNotEmpty) {
			return zone.NewError("HostedZoneNotEmpty", "The specified hosted zone contains non-required resource record sets and so cannot be deleted.")
		}
		if err != nil {
			return err
		}
		keys = append(keys, zoneKey(id), tagsKey("hostedzone", id))
		for _, k := range keys {
			if err := tx.Delete(k); err != nil {
				return err
			}
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

var errNotEmpty = errors.New("zone not empty")

func errNoSuchChange(id string) error {
	return zone.NewError("NoSuchChange", "A change with the specified change ID does not exist: "+id)
}

// timeFormat is ISO-8601 UTC with milliseconds, as Route 53 writes timestamps.
const timeFormat = "2006-01-02T15:04:05.000Z"
