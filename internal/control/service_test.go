package control

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

// snapshotAt returns an empty snapshot labelled with revision rev.
func snapshotAt(t *testing.T, rev int64) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Build(rev, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGetChangeFollowsSnapshotRevision(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	info, created, err := e.svc.CreateHostedZone(ctx, CreateZoneInput{Name: "example.com", CallerReference: "r"})
	if err != nil {
		t.Fatal(err)
	}
	ci := e.change(t, info.ID, create(rr("www.example.com", "A", 60, "192.0.2.1")))
	if created.Status != StatusPending || ci.Status != StatusPending {
		t.Fatalf("fresh changes %s and %s, want PENDING", created.Status, ci.Status)
	}
	steps := []struct {
		snapRev          int64
		created, changed string
	}{
		{0, StatusPending, StatusPending},
		{created.Revision - 1, StatusPending, StatusPending},
		{created.Revision, StatusInSync, StatusPending},
		{ci.Revision - 1, StatusInSync, StatusPending},
		{ci.Revision, StatusInSync, StatusInSync},
		{ci.Revision + 5, StatusInSync, StatusInSync},
	}
	for _, st := range steps {
		e.holder.Store(snapshotAt(t, st.snapRev))
		for _, c := range []struct {
			id, want string
		}{{created.ID, st.created}, {ci.ID, st.changed}} {
			got, err := e.svc.GetChange(ctx, c.id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != c.want {
				t.Errorf("snapshot at %d: change at %d is %s, want %s", st.snapRev, got.Revision, got.Status, c.want)
			}
		}
	}
}

func TestGetChangeWithPublisher(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	info := e.createZone(t, "example.com")
	ci := e.change(t, info.ID, create(rr("www.example.com", "A", 60, "192.0.2.1")))
	if got, _ := e.svc.GetChange(ctx, ci.ID); got.Status != StatusPending {
		t.Fatalf("before publishing: %s, want PENDING", got.Status)
	}
	startPublisher(t, e.st, e.holder)
	waitFor(t, "change INSYNC", func() bool {
		got, err := e.svc.GetChange(ctx, ci.ID)
		return err == nil && got.Status == StatusInSync
	})
	if rev := e.holder.Load().Revision(); rev < ci.Revision {
		t.Errorf("INSYNC while the snapshot is at %d < %d", rev, ci.Revision)
	}
	if got := served(e.holder.Load(), "www.example.com.", dns.TypeA); got != "NOERROR [192.0.2.1]" {
		t.Errorf("INSYNC change serves %s", got)
	}
	// Later changes become INSYNC too, and WaitInSync returns for them.
	ci2 := e.change(t, info.ID, upsert(rr("www.example.com", "A", 60, "192.0.2.2")))
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := e.svc.WaitInSync(wctx, ci2.Revision); err != nil {
		t.Fatalf("WaitInSync: %v", err)
	}
	if got, _ := e.svc.GetChange(ctx, ci2.ID); got.Status != StatusInSync {
		t.Errorf("after WaitInSync: %s", got.Status)
	}
}

func TestGetChangeSynced(t *testing.T) {
	var synced atomic.Int64
	e := newEnv(t, Config{Synced: synced.Load})
	ctx := context.Background()
	// Synced replaces the holder: a far-ahead snapshot does not count.
	e.holder.Store(snapshotAt(t, 1000))
	info := e.createZone(t, "example.com")
	ci := e.change(t, info.ID, create(rr("www.example.com", "A", 60, "192.0.2.1")))
	if ci.Status != StatusPending {
		t.Errorf("fresh change %s, want PENDING", ci.Status)
	}
	for _, st := range []struct {
		synced int64
		want   string
	}{
		{0, StatusPending},
		{ci.Revision - 1, StatusPending},
		{ci.Revision, StatusInSync},
		{ci.Revision + 1, StatusInSync},
	} {
		synced.Store(st.synced)
		got, err := e.svc.GetChange(ctx, ci.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != st.want {
			t.Errorf("synced %d: change at %d is %s, want %s", st.synced, ci.Revision, got.Status, st.want)
		}
	}
}

func TestGetChangeWithoutDataPlane(t *testing.T) {
	st := newEnv(t, Config{}).st
	svc := New(Config{Store: st})
	_, ci, err := svc.CreateHostedZone(context.Background(), CreateZoneInput{Name: "example.com", CallerReference: "r"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.GetChange(context.Background(), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ci.Status != StatusPending || got.Status != StatusPending {
		t.Errorf("with no snapshots and no Synced the change is %s/%s, want PENDING", ci.Status, got.Status)
	}
}

func TestWaitInSync(t *testing.T) {
	var synced atomic.Int64
	e := newEnv(t, Config{Synced: synced.Load})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if err := e.svc.WaitInSync(ctx, 3); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitInSync while behind: %v, want deadline exceeded", err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		synced.Store(3)
	}()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	if err := e.svc.WaitInSync(ctx2, 3); err != nil {
		t.Errorf("WaitInSync: %v", err)
	}
	if err := e.svc.WaitInSync(ctx2, 2); err != nil {
		t.Errorf("WaitInSync for an older revision: %v", err)
	}
}

func TestGetChangeIDs(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	info := e.createZone(t, "example.com")
	ci, err := e.svc.ChangeResourceRecordSets(ctx, info.ID, batchOf("note", create(rr("www.example.com", "A", 60, "192.0.2.1"))))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{
		ci.ID,
		"/change/" + ci.ID,
		url.PathEscape("/change/" + ci.ID),
		strings.ReplaceAll(url.PathEscape("/change/"+ci.ID), "%2F", "%2f"),
	} {
		got, err := e.svc.GetChange(ctx, id)
		if err != nil {
			t.Errorf("GetChange(%q): %v", id, err)
			continue
		}
		if got.ID != ci.ID || got.ZoneID != info.ID || got.Comment != "note" || got.Revision != ci.Revision {
			t.Errorf("GetChange(%q) = %+v, want %+v", id, got, ci)
		}
	}
	for _, id := range []string{"CNOSUCHCHANGE", "/change/CNOSUCHCHANGE", "%2Fchange%2FCNOSUCHCHANGE", info.ID} {
		_, err := e.svc.GetChange(ctx, id)
		wantCode(t, err, "NoSuchChange")
		if ze, ok := zone.AsError(err); ok && !strings.HasSuffix(ze.Message, StripPrefix(id)) {
			t.Errorf("GetChange(%q) message %q should name the bare ID", id, ze.Message)
		}
	}
}
