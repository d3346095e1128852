package control

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// LoadAll reads every zone with its record sets, and every CIDR collection,
// in one consistent view, and returns them with the view's revision.
func LoadAll(ctx context.Context, st store.Store) ([]snapshot.ZoneData, []zone.CidrCollection, int64, error) {
	var zones []snapshot.ZoneData
	var collections []zone.CidrCollection
	var rev int64
	err := st.View(ctx, func(tx store.ReadTx) error {
		rev = tx.Revision()
		var ids []string
		if err := tx.List(prefixZones, func(key string, _ []byte) error {
			ids = append(ids, strings.TrimPrefix(key, prefixZones))
			return nil
		}); err != nil {
			return err
		}
		for _, id := range ids {
			zd, _, err := loadZoneData(tx, id)
			if err != nil {
				return err
			}
			zones = append(zones, zd)
		}
		if gz, found, err := loadGAZone(tx); err != nil {
			return err
		} else if found {
			zones = append(zones, gz)
		}
		var err error
		collections, err = LoadCidrCollections(tx)
		return err
	})
	return zones, collections, rev, err
}

// loadZoneData reads one zone; found is false when it no longer exists.
func loadZoneData(tx store.ReadTx, id string) (snapshot.ZoneData, bool, error) {
	if id == globalaccel.HostedZoneID {
		return loadGAZone(tx)
	}
	var info ZoneInfo
	found, err := getJSON(tx, zoneKey(id), &info)
	if err != nil || !found {
		return snapshot.ZoneData{}, false, err
	}
	rrsets, err := loadRRSets(tx, id)
	if err != nil {
		return snapshot.ZoneData{}, false, err
	}
	if hasGAAlias(rrsets) {
		records, err := gaRecords(tx)
		if err != nil {
			return snapshot.ZoneData{}, false, err
		}
		resolveGAAliases(rrsets, records)
	}
	return snapshot.ZoneData{Zone: info.HostedZone, RRSets: rrsets}, true, nil
}

// Publisher keeps a snapshot.Holder up to date with a store: it compiles
// everything once, then recompiles only the zones each new revision touches
// and swaps the result in atomically.
type Publisher struct {
	Store  store.Store
	Holder *snapshot.Holder
	Logger *slog.Logger

	initialized bool // Init has published a full snapshot
}

// Init compiles the current state and publishes it. Run calls it; it is
// exported so a server can serve its first snapshot before it starts
// listening.
func (p *Publisher) Init(ctx context.Context) error {
	if p.Logger == nil {
		p.Logger = slog.Default()
	}
	zones, collections, rev, err := LoadAll(ctx, p.Store)
	if err != nil {
		return fmt.Errorf("load state: %w", err)
	}
	snap, err := snapshot.Build(rev, zones, collections)
	if err != nil {
		return fmt.Errorf("compile snapshot at revision %d: %w", rev, err)
	}
	p.Holder.Store(snap)
	p.initialized = true
	p.Logger.Info("snapshot published", "revision", rev, "zones", len(zones))
	return nil
}

// Run publishes until ctx ends; it calls Init first unless that was done. When the store fails (an etcd outage, say)
// the last snapshot keeps serving and Run retries.
func (p *Publisher) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		if err := p.follow(ctx); err != nil && ctx.Err() == nil {
			p.Logger.Warn("snapshot publisher: store unavailable, serving the last snapshot", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
	return nil
}

func (p *Publisher) follow(ctx context.Context) error {
	if !p.initialized {
		if err := p.Init(ctx); err != nil {
			return err
		}
	}
	events, err := p.Store.Watch(ctx, p.Holder.Load().Revision())
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	for ev := range events {
		if ev.Revision <= p.Holder.Load().Revision() {
			continue
		}
		touched := map[string]bool{}
		unknown := addTouched(touched, ev)
		last := ev.Revision
		// Coalesce whatever else is already queued.
	drain:
		for {
			select {
			case more, ok := <-events:
				if !ok {
					break drain
				}
				unknown = addTouched(touched, more) || unknown
				last = more.Revision
			default:
				break drain
			}
		}
		var err error
		if unknown {
			err = p.Init(ctx) // the store lost track of which keys changed: recompile all
		} else {
			err = p.apply(ctx, touched, last)
		}
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// addTouched records the zones an event changed; it reports true when
// everything must be recompiled: the event does not say which keys changed
// (empty Keys), or a CIDR collection changed (IP-based plans of any zone may
// use it; collections change rarely).
func addTouched(touched map[string]bool, ev store.Event) bool {
	if len(ev.Keys) == 0 {
		return true
	}
	for _, k := range ev.Keys {
		if strings.HasPrefix(k, PrefixCidrCollections) {
			return true
		}
		if strings.HasPrefix(k, PrefixAccelerators) {
			// Any zone may alias an accelerator: recompile all (rare).
			return true
		}
		if id, ok := ZoneIDOfKey(k); ok {
			touched[id] = true
		}
	}
	return false
}

// apply recompiles the touched zones and publishes the result labelled rev,
// the last revision whose events were handled. The zones may be read at a
// later revision: a zone changed after rev has its own event still to come,
// so labelling with the read's revision instead could report a change INSYNC
// before its zone was recompiled.
func (p *Publisher) apply(ctx context.Context, touched map[string]bool, rev int64) error {
	var changed []snapshot.ZoneData
	var removed []string
	err := p.Store.View(ctx, func(tx store.ReadTx) error {
		for id := range touched {
			zd, found, err := loadZoneData(tx, id)
			if err != nil {
				return err
			}
			if found {
				changed = append(changed, zd)
			} else {
				removed = append(removed, id)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load changed zones: %w", err)
	}
	next, err := p.Holder.Load().With(rev, changed, removed)
	if err != nil {
		return fmt.Errorf("compile snapshot at revision %d: %w", rev, err)
	}
	p.Holder.Store(next)
	p.Logger.Debug("snapshot published", "revision", rev, "zones_changed", len(changed), "zones_removed", len(removed))
	return nil
}
