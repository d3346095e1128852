package control

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/miekg/dns"
)

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestPublisherInit(t *testing.T) {
	e := newEnv(t, Config{})
	a := e.createZone(t, "example.com")
	b := e.createZone(t, "example.org")
	e.change(t, a.ID, create(rr("www.example.com", "A", 60, "192.0.2.1")))
	e.change(t, b.ID, create(rr("example.org", "TXT", 60, `"hello"`)))

	p := &Publisher{Store: e.st, Holder: e.holder, Logger: discardLogger()}
	if err := p.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	snap := e.holder.Load()
	if snap.Revision() != e.revision(t) {
		t.Errorf("snapshot revision %d, store %d", snap.Revision(), e.revision(t))
	}
	if snap.Zone(a.ID) == nil || snap.Zone(b.ID) == nil || len(snap.Zones()) != 2 {
		t.Errorf("snapshot zones %d, want both", len(snap.Zones()))
	}
	tests := []struct {
		name  string
		qtype uint16
		want  string
	}{
		{"www.example.com.", dns.TypeA, "NOERROR [192.0.2.1]"},
		{"example.org.", dns.TypeTXT, `NOERROR ["hello"]`},
		{"nope.example.com.", dns.TypeA, "NXDOMAIN []"},
		{"www.example.net.", dns.TypeA, "REFUSED []"},
	}
	for _, tc := range tests {
		if got := served(snap, tc.name, tc.qtype); got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.name, dns.TypeToString[tc.qtype], got, tc.want)
		}
	}
	ns := answerData(ask(snap, "example.com.", dns.TypeNS), dns.TypeNS)
	if len(ns) != 4 {
		t.Errorf("apex NS answers %v, want the zone's 4 servers", ns)
	}
}

func TestPublisherInitEmptyStore(t *testing.T) {
	e := newEnv(t, Config{})
	p := &Publisher{Store: e.st, Holder: e.holder, Logger: discardLogger()}
	if err := p.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	if snap := e.holder.Load(); snap.Revision() != 0 || len(snap.Zones()) != 0 {
		t.Errorf("snapshot of an empty store: revision %d, %d zones", snap.Revision(), len(snap.Zones()))
	}
}

func TestPublisherFollowsChanges(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	a := e.createZone(t, "example.com") // exists before the publisher starts
	startPublisher(t, e.st, e.holder)
	e.waitPublished(t)

	var b ZoneInfo
	steps := []struct {
		label string
		do    func()
		check func(*snapshot.Snapshot)
	}{
		{"create a record", func() {
			e.change(t, a.ID, create(rr("www.example.com", "A", 60, "192.0.2.1")))
		}, func(s *snapshot.Snapshot) {
			if got := served(s, "www.example.com.", dns.TypeA); got != "NOERROR [192.0.2.1]" {
				t.Errorf("www: %s", got)
			}
		}},
		{"replace it", func() {
			e.change(t, a.ID, upsert(rr("www.example.com", "A", 60, "192.0.2.2", "192.0.2.3")))
		}, func(s *snapshot.Snapshot) {
			if got := served(s, "www.example.com.", dns.TypeA); got != "NOERROR [192.0.2.2 192.0.2.3]" {
				t.Errorf("www: %s", got)
			}
		}},
		{"create a zone", func() {
			b = e.createZone(t, "example.org")
		}, func(s *snapshot.Snapshot) {
			if s.Zone(b.ID) == nil {
				t.Errorf("new zone not compiled")
			}
			if got := served(s, "example.org.", dns.TypeA); got != "NOERROR []" {
				t.Errorf("new zone apex A: %s, want NODATA", got)
			}
		}},
		{"tag a zone (no zone key changes)", func() {
			if err := e.svc.ChangeTags(ctx, ResourceHostedZone, b.ID, []Tag{{Key: "k", Value: "v"}}, nil); err != nil {
				t.Fatal(err)
			}
		}, func(s *snapshot.Snapshot) {
			if got := served(s, "www.example.com.", dns.TypeA); got != "NOERROR [192.0.2.2 192.0.2.3]" {
				t.Errorf("www: %s", got)
			}
		}},
		{"delete the record", func() {
			e.change(t, a.ID, remove(rr("www.example.com", "A", 60, "192.0.2.2", "192.0.2.3")))
		}, func(s *snapshot.Snapshot) {
			if got := served(s, "www.example.com.", dns.TypeA); got != "NXDOMAIN []" {
				t.Errorf("deleted www: %s", got)
			}
		}},
		{"delete a zone", func() {
			if _, err := e.svc.DeleteHostedZone(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
		}, func(s *snapshot.Snapshot) {
			if s.Zone(a.ID) != nil {
				t.Errorf("deleted zone still compiled")
			}
			if got := served(s, "www.example.com.", dns.TypeA); got != "REFUSED []" {
				t.Errorf("name in the deleted zone: %s, want REFUSED", got)
			}
			if s.Zone(b.ID) == nil {
				t.Errorf("the other zone went too")
			}
		}},
	}
	for _, st := range steps {
		st.do()
		e.waitPublished(t)
		snap := e.holder.Load()
		if snap.Revision() != e.revision(t) {
			t.Fatalf("%s: snapshot at %d, store at %d", st.label, snap.Revision(), e.revision(t))
		}
		st.check(snap)
	}
}

func TestPublisherBurst(t *testing.T) {
	e := newEnv(t, Config{})
	info := e.createZone(t, "example.com")
	startPublisher(t, e.st, e.holder)
	const n = 40
	for i := 0; i < n; i++ {
		e.change(t, info.ID, upsert(rr("www.example.com", "TXT", 60, `"`+string(rune('a'+i%26))+string(rune('a'+i/26))+`"`)))
	}
	e.waitPublished(t)
	last := `"` + string(rune('a'+(n-1)%26)) + string(rune('a'+(n-1)/26)) + `"`
	if got := served(e.holder.Load(), "www.example.com.", dns.TypeTXT); got != "NOERROR ["+last+"]" {
		t.Errorf("after a burst of upserts: %s, want the last value %s", got, last)
	}
}

// keylessStore hides which keys each event changed, as a store does for a
// watcher that fell behind.
type keylessStore struct {
	store.Store
}

func (s keylessStore) Watch(ctx context.Context, after int64) (<-chan store.Event, error) {
	in, err := s.Store.Watch(ctx, after)
	if err != nil {
		return nil, err
	}
	out := make(chan store.Event)
	go func() {
		defer close(out)
		for ev := range in {
			select {
			case out <- store.Event{Revision: ev.Revision}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

func TestPublisherEventWithoutKeysRebuilds(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	a := e.createZone(t, "example.com")
	startPublisher(t, keylessStore{e.st}, e.holder)
	e.waitPublished(t)

	e.change(t, a.ID, create(rr("www.example.com", "A", 60, "192.0.2.1")))
	e.waitPublished(t)
	if got := served(e.holder.Load(), "www.example.com.", dns.TypeA); got != "NOERROR [192.0.2.1]" {
		t.Errorf("after a keyless event: %s", got)
	}
	b := e.createZone(t, "example.org")
	e.waitPublished(t)
	if e.holder.Load().Zone(b.ID) == nil {
		t.Errorf("zone created before a keyless event not compiled")
	}
	if _, err := e.svc.DeleteHostedZone(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ChangeTags(ctx, ResourceHostedZone, a.ID, []Tag{{Key: "k"}}, nil); err != nil {
		t.Fatal(err)
	}
	e.change(t, a.ID, remove(rr("www.example.com", "A", 60, "192.0.2.1")))
	e.waitPublished(t)
	snap := e.holder.Load()
	if got := served(snap, "www.example.com.", dns.TypeA); got != "NXDOMAIN []" {
		t.Errorf("deleted record after a keyless event: %s", got)
	}
	if snap.Zone(b.ID) != nil || snap.Zone(a.ID) == nil {
		t.Errorf("zones after rebuilds: deleted one present %v, kept one present %v", snap.Zone(b.ID) != nil, snap.Zone(a.ID) != nil)
	}
}

func TestPublisherRunStops(t *testing.T) {
	e := newEnv(t, Config{})
	e.createZone(t, "example.com")
	stop := startPublisher(t, e.st, e.holder)
	e.waitPublished(t)
	stop() // fails the test unless Run returns nil promptly
	rev := e.holder.Load().Revision()
	e.createZone(t, "example.org")
	time.Sleep(50 * time.Millisecond)
	if got := e.holder.Load().Revision(); got != rev {
		t.Errorf("snapshot moved to %d after Run stopped", got)
	}
}

func TestPublisherRunEndedContext(t *testing.T) {
	e := newEnv(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := &Publisher{Store: e.st, Holder: e.holder, Logger: discardLogger()}
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run with an ended context did not return")
	}
}

// hookStore runs a function once, just before the next View begins.
type hookStore struct {
	store.Store
	mu         sync.Mutex
	beforeView func()
}

func (s *hookStore) arm(f func()) {
	s.mu.Lock()
	s.beforeView = f
	s.mu.Unlock()
}

func (s *hookStore) View(ctx context.Context, fn func(store.ReadTx) error) error {
	s.mu.Lock()
	f := s.beforeView
	s.beforeView = nil
	s.mu.Unlock()
	if f != nil {
		f()
	}
	return s.Store.View(ctx, fn)
}

// TestPublisherRevisionCommittedDuringCompile commits a change to zone B
// after the publisher learned that revision R1 touched zone A but before it
// reads zone A. The snapshot must not claim a revision whose changes it does
// not hold: once B's change reports INSYNC, the snapshot must answer it.
func TestPublisherRevisionCommittedDuringCompile(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	a := e.createZone(t, "alpha.example")
	b := e.createZone(t, "beta.example")
	hs := &hookStore{Store: e.st}
	startPublisher(t, hs, e.holder)
	e.waitPublished(t)

	var ciB ChangeInfo
	var errB error
	hooked := make(chan struct{})
	hs.arm(func() {
		defer close(hooked)
		ciB, errB = e.svc.ChangeResourceRecordSets(ctx, b.ID, batchOf("", create(rr("www.beta.example", "A", 60, "192.0.2.2"))))
	})
	ciA := e.change(t, a.ID, create(rr("www.alpha.example", "A", 60, "192.0.2.1")))
	select {
	case <-hooked:
	case <-time.After(5 * time.Second):
		t.Fatal("the publisher did not read the store after the change to zone A")
	}
	if errB != nil {
		t.Fatal(errB)
	}
	if ciB.Revision != ciA.Revision+1 {
		t.Fatalf("revisions A %d, B %d: want consecutive", ciA.Revision, ciB.Revision)
	}
	waitFor(t, "B's change INSYNC", func() bool {
		got, err := e.svc.GetChange(ctx, ciB.ID)
		return err == nil && got.Status == StatusInSync
	})
	snap := e.holder.Load()
	if got := served(snap, "www.alpha.example.", dns.TypeA); got != "NOERROR [192.0.2.1]" {
		t.Errorf("zone A at snapshot %d: %s", snap.Revision(), got)
	}
	if got := served(snap, "www.beta.example.", dns.TypeA); got != "NOERROR [192.0.2.2]" {
		t.Errorf("change to zone B reported INSYNC (snapshot revision %d ≥ %d) but the snapshot serves %s",
			snap.Revision(), ciB.Revision, got)
	}
}

// TestPublisherRunAfterInit is how a server starts: Init before listening,
// then Run follows the changes made since.
func TestPublisherRunAfterInit(t *testing.T) {
	e := newEnv(t, Config{})
	a := e.createZone(t, "example.com")
	p := &Publisher{Store: e.st, Holder: e.holder, Logger: discardLogger()}
	if err := p.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.change(t, a.ID, create(rr("www.example.com", "A", 60, "192.0.2.1"))) // between Init and Run
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	e.waitPublished(t)
	if got := served(e.holder.Load(), "www.example.com.", dns.TypeA); got != "NOERROR [192.0.2.1]" {
		t.Errorf("change made between Init and Run: %s", got)
	}
	e.change(t, a.ID, upsert(rr("www.example.com", "A", 60, "192.0.2.9")))
	e.waitPublished(t)
	if got := served(e.holder.Load(), "www.example.com.", dns.TypeA); got != "NOERROR [192.0.2.9]" {
		t.Errorf("change made while running: %s", got)
	}
}
