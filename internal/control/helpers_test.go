package control

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/dnsserver"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/store/boltstore"
	"github.com/meridian-gtm/meridian/internal/zone"
	"github.com/miekg/dns"
)

// Shapes of the IDs the service mints: a letter and 20 uppercase
// alphanumerics, like current Route 53 IDs.
var (
	zoneIDShape       = regexp.MustCompile(`^Z[A-Z0-9]{20}$`)
	changeIDShape     = regexp.MustCompile(`^C[A-Z0-9]{20}$`)
	delegationIDShape = regexp.MustCompile(`^N[A-Z0-9]{20}$`)
)

// testEnv is a Service over a fresh bbolt store and a snapshot holder that
// nothing publishes to unless a test starts a Publisher.
type testEnv struct {
	st     *boltstore.Store
	holder *snapshot.Holder
	svc    *Service
	refs   int
}

// newEnv opens a store in a temporary directory and returns a Service over
// it; cfg.Store is set, and cfg.Snapshots defaults to the env's holder.
func newEnv(t *testing.T, cfg Config) *testEnv {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	h := snapshot.NewHolder()
	cfg.Store = st
	if cfg.Snapshots == nil {
		cfg.Snapshots = h
	}
	return &testEnv{st: st, holder: h, svc: New(cfg)}
}

// createZone creates a zone with a fresh caller reference.
func (e *testEnv) createZone(t *testing.T, name string) ZoneInfo {
	t.Helper()
	e.refs++
	info, _, err := e.svc.CreateHostedZone(context.Background(), CreateZoneInput{
		Name: name, CallerReference: fmt.Sprintf("ref-%d-%s", e.refs, name),
	})
	if err != nil {
		t.Fatalf("create zone %s: %v", name, err)
	}
	return info
}

// change applies a batch that must succeed.
func (e *testEnv) change(t *testing.T, zoneID string, changes ...zone.Change) ChangeInfo {
	t.Helper()
	ci, err := e.svc.ChangeResourceRecordSets(context.Background(), zoneID, zone.ChangeBatch{Changes: changes})
	if err != nil {
		t.Fatalf("change %s: %v", zoneID, err)
	}
	return ci
}

// revision returns the store's latest revision.
func (e *testEnv) revision(t *testing.T) int64 {
	t.Helper()
	rev, err := e.st.Revision(context.Background())
	if err != nil {
		t.Fatalf("store revision: %v", err)
	}
	return rev
}

// rrsets returns every record set of a zone in Route 53 order.
func (e *testEnv) rrsets(t *testing.T, zoneID string) []zone.RRSet {
	t.Helper()
	page, err := e.svc.ListResourceRecordSets(context.Background(), zoneID, zone.Key{}, 100000)
	if err != nil {
		t.Fatalf("list record sets of %s: %v", zoneID, err)
	}
	if page.Next != nil {
		t.Fatalf("list record sets of %s: unexpected next page at %+v", zoneID, *page.Next)
	}
	return page.RRSets
}

// zoneCount returns HostedZoneCount.
func (e *testEnv) zoneCount(t *testing.T) int {
	t.Helper()
	n, err := e.svc.HostedZoneCount(context.Background())
	if err != nil {
		t.Fatalf("hosted zone count: %v", err)
	}
	return n
}

// hasKey reports whether the store holds key.
func (e *testEnv) hasKey(t *testing.T, key string) bool {
	t.Helper()
	var ok bool
	err := e.st.View(context.Background(), func(tx store.ReadTx) (err error) {
		_, ok, err = tx.Get(key)
		return err
	})
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	return ok
}

// keysUnder lists the store keys with a prefix.
func (e *testEnv) keysUnder(t *testing.T, prefix string) []string {
	t.Helper()
	var keys []string
	err := e.st.View(context.Background(), func(tx store.ReadTx) error {
		return tx.List(prefix, func(k string, _ []byte) error { keys = append(keys, k); return nil })
	})
	if err != nil {
		t.Fatalf("list %s: %v", prefix, err)
	}
	return keys
}

// addHealthCheck stores a health check record the way the health-check
// registry does, so that references to id resolve.
func (e *testEnv) addHealthCheck(t *testing.T, id string) {
	t.Helper()
	_, err := e.st.Update(context.Background(), func(tx store.Tx) error {
		return tx.Put(HealthCheckKey(id), []byte(`{"id":"`+id+`"}`))
	})
	if err != nil {
		t.Fatalf("add health check %s: %v", id, err)
	}
}

// errCode returns the Route 53 error code of err: "" for nil, and a marker
// for errors that are not *zone.Error.
func errCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := zone.AsError(err); ok {
		return e.Code
	}
	return "not a Route 53 error: " + err.Error()
}

// wantCode fails the test unless err carries the Route 53 code want ("" for
// success).
func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := errCode(err); got != want {
		t.Fatalf("error %v (code %q), want code %q", err, got, want)
	}
}

func ptr[T any](v T) *T { return &v }

// rr returns a simple record set.
func rr(name, typ string, ttl int64, values ...string) zone.RRSet {
	return zone.RRSet{Name: name, Type: typ, TTL: ptr(ttl), Values: values}
}

// weighted returns a weighted record set.
func weighted(name, typ, id string, weight int64, values ...string) zone.RRSet {
	r := rr(name, typ, 60, values...)
	r.SetIdentifier = id
	r.Weight = ptr(weight)
	return r
}

// batchOf returns a change batch with a comment.
func batchOf(comment string, changes ...zone.Change) zone.ChangeBatch {
	return zone.ChangeBatch{Comment: comment, Changes: changes}
}

func create(r zone.RRSet) zone.Change { return zone.Change{Action: zone.ActionCreate, RRSet: r} }
func upsert(r zone.RRSet) zone.Change { return zone.Change{Action: zone.ActionUpsert, RRSet: r} }
func remove(r zone.RRSet) zone.Change { return zone.Change{Action: zone.ActionDelete, RRSet: r} }

// keysOf returns the keys of record sets, in order.
func keysOf(rs []zone.RRSet) []zone.Key {
	out := make([]zone.Key, len(rs))
	for i := range rs {
		out[i] = rs[i].Key()
	}
	return out
}

// waitFor polls cond until it holds, failing the test after 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// startPublisher runs a Publisher over st and h until the returned stop
// function (also registered as a cleanup) is called; stop fails the test if
// Run does not return promptly.
func startPublisher(t *testing.T, st store.Store, h *snapshot.Holder) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &Publisher{Store: st, Holder: h, Logger: slog.New(slog.DiscardHandler)}
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("publisher Run returned %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("publisher Run did not return after its context ended")
		}
	}
	t.Cleanup(stop)
	return stop
}

// waitPublished waits until the holder's snapshot has caught up with the
// store's latest revision.
func (e *testEnv) waitPublished(t *testing.T) {
	t.Helper()
	rev := e.revision(t)
	waitFor(t, fmt.Sprintf("snapshot revision %d", rev), func() bool { return e.holder.Load().Revision() >= rev })
}

var testClient = netip.MustParseAddr("192.0.2.53")

// ask resolves one query against snap the way the DNS server answers it.
func ask(snap *snapshot.Snapshot, name string, qtype uint16) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	return dnsserver.Resolve(snap, nil, m, testClient, "udp")
}

// answerData returns the sorted rdata of the answer records of type qtype.
func answerData(m *dns.Msg, qtype uint16) []string {
	var out []string
	for _, r := range m.Answer {
		if r.Header().Rrtype == qtype {
			out = append(out, strings.TrimPrefix(r.String(), r.Header().String()))
		}
	}
	sort.Strings(out)
	return out
}

// served describes what snap answers for (name, qtype): the rcode and the
// sorted answer data, e.g. "NOERROR [192.0.2.1]".
func served(snap *snapshot.Snapshot, name string, qtype uint16) string {
	m := ask(snap, name, qtype)
	return fmt.Sprintf("%s %v", dns.RcodeToString[m.Rcode], answerData(m, qtype))
}
