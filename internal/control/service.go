// Package control is Meridian's control plane: the operations the APIs and
// the CLI perform on hosted zones, record sets, changes, tags and delegation
// sets. It validates with package zone, writes to a store.Store, and reports a
// change INSYNC once the serving snapshot contains it.
package control

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/store"
)

// DefaultHostmaster is the SOA RNAME of new zones, as Route 53 writes it.
const DefaultHostmaster = "awsdns-hostmaster.amazon.com."

// Config configures a Service.
type Config struct {
	Store store.Store
	// Snapshots is the holder the DNS server serves from; GetChange reports
	// INSYNC once its revision reaches a change's revision.
	Snapshots *snapshot.Holder
	// Synced, when set, replaces Snapshots for the INSYNC decision: it reports
	// the revision every serving node has applied (the cluster's minimum).
	Synced func() int64
	// NameServers, when set, are the name servers of every new zone (the real
	// host names of the Meridian nodes). Empty: Route 53-style generated names.
	NameServers []string
	// Hostmaster is the SOA RNAME of new zones (default DefaultHostmaster).
	Hostmaster string
	// MaxRRSets is the per-zone record set quota (default 10,000).
	MaxRRSets int
	// MaxZones is the hosted zone quota (default 500).
	MaxZones int
	// MaxHealthChecks is the active health check quota (default
	// DefaultMaxHealthChecks, Route 53's 200).
	MaxHealthChecks int
	// HealthOptions are the deployment's health-check settings (faster
	// intervals, loopback targets, its own checker regions and source
	// ranges, mapped alarms). Their Lookup is ignored: the service looks
	// children up in the store.
	HealthOptions healthcheck.Options
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

// Service performs control-plane operations. It is safe for concurrent use:
// every operation is one store transaction.
type Service struct {
	cfg Config
}

// New returns a Service over cfg.Store.
func New(cfg Config) *Service {
	if cfg.Hostmaster == "" {
		cfg.Hostmaster = DefaultHostmaster
	}
	if cfg.MaxRRSets == 0 {
		cfg.MaxRRSets = 10000
	}
	if cfg.MaxZones == 0 {
		cfg.MaxZones = 500
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg}
}

// ChangeInfo describes one submitted change, as GetChange reports it.
type ChangeInfo struct {
	ID          string    `json:"id"` // bare "C…"
	ZoneID      string    `json:"zoneId,omitempty"`
	Status      string    `json:"-"` // PENDING or INSYNC, computed on read
	SubmittedAt time.Time `json:"submittedAt"`
	Comment     string    `json:"comment,omitempty"`
	Revision    int64     `json:"revision"`
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Change statuses.
const (
	StatusPending = "PENDING"
	StatusInSync  = "INSYNC"
)

// syncedRevision is the revision every serving data plane has applied.
func (s *Service) syncedRevision() int64 {
	if s.cfg.Synced != nil {
		return s.cfg.Synced()
	}
	if s.cfg.Snapshots != nil {
		return s.cfg.Snapshots.Load().Revision()
	}
	return 0
}

func (s *Service) withStatus(ci ChangeInfo) ChangeInfo {
	if ci.Revision <= s.syncedRevision() {
		ci.Status = StatusInSync
	} else {
		ci.Status = StatusPending
	}
	return ci
}

// GetChange returns a change with its current status.
func (s *Service) GetChange(ctx context.Context, id string) (ChangeInfo, error) {
	id = StripPrefix(id)
	var ci ChangeInfo
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		found, err := getJSON(tx, changeKey(id), &ci)
		if err != nil {
			return err
		}
		if !found {
			return errNoSuchChange(id)
		}
		return nil
	})
	if err != nil {
		return ChangeInfo{}, err
	}
	return s.withStatus(ci), nil
}

// WaitInSync blocks until the change with revision rev is INSYNC or ctx ends.
func (s *Service) WaitInSync(ctx context.Context, rev int64) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for s.syncedRevision() < rev {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newID returns prefix followed by n random uppercase alphanumerics, the shape
// of current Route 53 IDs.
func newID(prefix string, n int) string {
	b := make([]byte, n)
	var buf [8]byte
	for i := range b {
		_, _ = rand.Read(buf[:])
		b[i] = idAlphabet[binary.LittleEndian.Uint64(buf[:])%uint64(len(idAlphabet))]
	}
	return prefix + string(b)
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

// MaxHostedZones is the hosted zone quota.
func (s *Service) MaxHostedZones() int { return s.cfg.MaxZones }

// MaxRRSetsPerZone is the per-zone record set quota.
func (s *Service) MaxRRSetsPerZone() int { return s.cfg.MaxRRSets }
