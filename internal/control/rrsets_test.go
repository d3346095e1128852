package control

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
)

func TestChangeResourceRecordSets(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	info := e.createZone(t, "example.com")
	www := rr("www.example.com", "A", 60, "192.0.2.1")
	www2 := rr("WWW.example.com.", "A", 300, "192.0.2.2", "192.0.2.3")
	wa := weighted("w.example.com", "A", "a", 10, "192.0.2.10")
	wb := weighted("w.example.com", "A", "b", 20, "192.0.2.20")
	mail := rr("mail.example.com", "A", 60, "192.0.2.25")
	soa := e.rrsets(t, info.ID)[1]

	steps := []struct {
		label   string
		batch   zone.ChangeBatch
		code    string
		count   int      // RRSetCount afterwards
		present []string // "name type id" keys that must exist afterwards
		absent  []string
	}{
		{
			label:   "create three",
			batch:   zone.ChangeBatch{Comment: "first batch", Changes: []zone.Change{create(www), create(wa), create(wb)}},
			count:   5,
			present: []string{"www.example.com. A ", "w.example.com. A a", "w.example.com. A b"},
		},
		{
			label:  "one bad change fails the whole batch",
			batch:  zone.ChangeBatch{Changes: []zone.Change{create(mail), create(www)}},
			code:   "InvalidChangeBatch",
			count:  5,
			absent: []string{"mail.example.com. A "},
		},
		{
			label:   "upsert replaces in place",
			batch:   zone.ChangeBatch{Comment: "upsert", Changes: []zone.Change{upsert(www2)}},
			count:   5,
			present: []string{"www.example.com. A "},
		},
		{
			label: "unknown health check",
			batch: zone.ChangeBatch{Changes: []zone.Change{create(mail), create(func() zone.RRSet {
				r := rr("hc.example.com", "A", 60, "192.0.2.9")
				r.HealthCheckID = "no-such-check"
				return r
			}())}},
			code:   "NoSuchHealthCheck",
			count:  5,
			absent: []string{"mail.example.com. A ", "hc.example.com. A "},
		},
		{
			label:   "delete with stale values",
			batch:   zone.ChangeBatch{Changes: []zone.Change{remove(wa), remove(www)}},
			code:    "InvalidChangeBatch",
			count:   5,
			present: []string{"w.example.com. A a", "www.example.com. A "},
		},
		{
			label:   "delete one of a weighted group",
			batch:   zone.ChangeBatch{Changes: []zone.Change{remove(wb)}},
			count:   4,
			present: []string{"w.example.com. A a"},
			absent:  []string{"w.example.com. A b"},
		},
		{
			label:   "delete then create the same key",
			batch:   zone.ChangeBatch{Changes: []zone.Change{remove(www2), create(www), create(mail)}},
			count:   5,
			present: []string{"www.example.com. A ", "mail.example.com. A "},
		},
		{
			label: "deleting the SOA",
			batch: zone.ChangeBatch{Changes: []zone.Change{remove(soa)}},
			code:  "InvalidChangeBatch",
			count: 5,
		},
		{
			label: "empty batch",
			batch: zone.ChangeBatch{},
			code:  "InvalidInput",
			count: 5,
		},
	}
	for _, st := range steps {
		beforeRev := e.revision(t)
		before := e.rrsets(t, info.ID)
		ci, err := e.svc.ChangeResourceRecordSets(ctx, "/hostedzone/"+info.ID, st.batch)
		wantCode(t, err, st.code)
		after := e.rrsets(t, info.ID)
		if st.code != "" {
			if rev := e.revision(t); rev != beforeRev {
				t.Errorf("%s: failed batch moved the revision %d → %d", st.label, beforeRev, rev)
			}
			if !reflect.DeepEqual(after, before) {
				t.Errorf("%s: failed batch changed the record sets:\n%+v\n→ %+v", st.label, before, after)
			}
		} else {
			if !changeIDShape.MatchString(ci.ID) || ci.ZoneID != info.ID || ci.Comment != st.batch.Comment {
				t.Errorf("%s: change %+v", st.label, ci)
			}
			if rev := e.revision(t); ci.Revision != rev || rev != beforeRev+1 {
				t.Errorf("%s: change revision %d, store %d (was %d): want one new revision", st.label, ci.Revision, rev, beforeRev)
			}
			got, err := e.svc.GetChange(ctx, ci.ID)
			if err != nil {
				t.Fatalf("%s: GetChange: %v", st.label, err)
			}
			if got.ID != ci.ID || got.Comment != st.batch.Comment || got.Revision != ci.Revision || !got.SubmittedAt.Equal(ci.SubmittedAt) {
				t.Errorf("%s: GetChange %+v, want %+v", st.label, got, ci)
			}
		}
		zi, err := e.svc.GetHostedZone(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if zi.RRSetCount != st.count || len(after) != st.count {
			t.Errorf("%s: RRSetCount %d with %d record sets listed, want %d", st.label, zi.RRSetCount, len(after), st.count)
		}
		have := map[string]bool{}
		for _, r := range after {
			have[r.Name+" "+r.Type+" "+r.SetIdentifier] = true
		}
		for _, k := range st.present {
			if !have[k] {
				t.Errorf("%s: %q missing", st.label, k)
			}
		}
		for _, k := range st.absent {
			if have[k] {
				t.Errorf("%s: %q present", st.label, k)
			}
		}
	}

	// The upsert stored the new TTL and values; names are canonical.
	for _, r := range e.rrsets(t, info.ID) {
		if r.Type == "A" && r.Name == "www.example.com." && (*r.TTL != 60 || !reflect.DeepEqual(r.Values, []string{"192.0.2.1"})) {
			t.Errorf("www after delete+create: %+v", r)
		}
	}
}

func TestChangeResourceRecordSetsHealthCheck(t *testing.T) {
	e := newEnv(t, Config{})
	info := e.createZone(t, "example.com")
	e.addHealthCheck(t, "hc-1")
	r := weighted("www.example.com", "A", "one", 1, "192.0.2.1")
	r.HealthCheckID = "hc-1"
	e.change(t, info.ID, create(r))
	sets := e.rrsets(t, info.ID)
	if len(sets) != 3 || sets[2].HealthCheckID != "hc-1" {
		t.Errorf("record sets %+v, want www with health check hc-1", sets)
	}
}

func TestChangeResourceRecordSetsUnknownZone(t *testing.T) {
	e := newEnv(t, Config{})
	_, err := e.svc.ChangeResourceRecordSets(context.Background(), "/hostedzone/ZNOSUCHZONE",
		zone.ChangeBatch{Changes: []zone.Change{create(rr("www.example.com", "A", 60, "192.0.2.1"))}})
	wantCode(t, err, "NoSuchHostedZone")
	if rev := e.revision(t); rev != 0 {
		t.Errorf("revision %d, want 0", rev)
	}
}

func TestChangeResourceRecordSetsQuota(t *testing.T) {
	e := newEnv(t, Config{MaxRRSets: 3})
	if got := e.svc.MaxRRSetsPerZone(); got != 3 {
		t.Errorf("MaxRRSetsPerZone %d, want 3", got)
	}
	info := e.createZone(t, "example.com")
	e.change(t, info.ID, create(rr("a.example.com", "A", 60, "192.0.2.1")))
	_, err := e.svc.ChangeResourceRecordSets(context.Background(), info.ID,
		zone.ChangeBatch{Changes: []zone.Change{create(rr("b.example.com", "A", 60, "192.0.2.2"))}})
	wantCode(t, err, "InvalidChangeBatch")
	// Replacing within the quota is fine.
	e.change(t, info.ID, upsert(rr("a.example.com", "A", 60, "192.0.2.3")))
	if zi, _ := e.svc.GetHostedZone(context.Background(), info.ID); zi.RRSetCount != 3 {
		t.Errorf("RRSetCount %d, want 3", zi.RRSetCount)
	}
}

// pagingZone creates a zone of 25 record sets: several names (a wildcard,
// underscores, a-b before a), several types per name, and weighted groups
// with SetIdentifiers.
func pagingZone(t *testing.T, e *testEnv) (ZoneInfo, []zone.RRSet) {
	t.Helper()
	info := e.createZone(t, "example.com")
	sets := []zone.RRSet{
		rr("example.com", "MX", 300, "10 mail.example.com."),
		rr("example.com", "TXT", 300, `"v=spf1 -all"`),
		rr("www.example.com", "A", 60, "192.0.2.1"),
		rr("www.example.com", "AAAA", 60, "2001:db8::1"),
		rr("a-b.example.com", "A", 60, "192.0.2.2"),
		rr("a.example.com", "A", 60, "192.0.2.3"),
		rr("a.example.com", "TXT", 60, `"a"`),
		rr("*.example.com", "A", 60, "192.0.2.4"),
		rr("deep.sub.example.com", "A", 60, "192.0.2.5"),
		rr("sub.example.com", "A", 60, "192.0.2.6"),
		rr("mail.example.com", "A", 60, "192.0.2.7"),
		rr("_sip._tcp.example.com", "SRV", 60, "10 5 5060 sip.example.com."),
		rr("b.example.com", "CNAME", 60, "www.example.com."),
		rr("z.example.com", "A", 60, "192.0.2.8"),
		rr("z.example.com", "TXT", 60, `"z"`),
	}
	for i, id := range []string{"e", "a", "c", "b", "d"} {
		sets = append(sets, weighted("w.example.com", "A", id, int64(i), fmt.Sprintf("192.0.2.%d", 100+i)))
	}
	for i, id := range []string{"x", "y", "alpha"} {
		sets = append(sets, weighted("w.example.com", "AAAA", id, int64(i), fmt.Sprintf("2001:db8::%d", 100+i)))
	}
	var changes []zone.Change
	for _, r := range sets {
		changes = append(changes, create(r))
	}
	e.change(t, info.ID, changes...)

	// The expected order: the stored (canonical) record sets, sorted.
	var want []zone.RRSet
	for _, r := range sets {
		name, err := zone.CanonicalName(r.Name)
		if err != nil {
			t.Fatal(err)
		}
		r.Name = name
		want = append(want, r)
	}
	want = append(want, zone.DefaultRecordSets(&info.HostedZone, DefaultHostmaster)...)
	zone.SortRRSets(want)
	if len(want) != 25 {
		t.Fatalf("paging zone has %d record sets, want 25", len(want))
	}
	return info, want
}

func TestListResourceRecordSetsOrder(t *testing.T) {
	e := newEnv(t, Config{})
	info, want := pagingZone(t, e)
	got := e.rrsets(t, info.ID)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("full listing:\n%v\nwant\n%v", keysOf(got), keysOf(want))
	}
	// Spot checks of Route 53's order, independent of zone.SortRRSets.
	pos := map[string]int{}
	for i, r := range got {
		pos[r.Name+" "+r.Type+" "+r.SetIdentifier] = i
	}
	before := [][2]string{
		{"example.com. NS ", "example.com. SOA "},
		{"example.com. MX ", "example.com. NS "},
		{"example.com. TXT ", "\\052.example.com. A "},
		{"\\052.example.com. A ", "_sip._tcp.example.com. SRV "},
		{"a-b.example.com. A ", "a.example.com. A "},
		{"sub.example.com. A ", "deep.sub.example.com. A "},
		{"deep.sub.example.com. A ", "w.example.com. A a"},
		{"w.example.com. A a", "w.example.com. A b"},
		{"w.example.com. A e", "w.example.com. AAAA alpha"},
		{"w.example.com. AAAA y", "www.example.com. A "},
	}
	for _, b := range before {
		i, ok1 := pos[b[0]]
		j, ok2 := pos[b[1]]
		if !ok1 || !ok2 || i >= j {
			t.Errorf("%q (at %d, %v) should list before %q (at %d, %v)", b[0], i, ok1, b[1], j, ok2)
		}
	}
}

func TestListResourceRecordSetsPagination(t *testing.T) {
	e := newEnv(t, Config{})
	info, want := pagingZone(t, e)
	ctx := context.Background()
	index := func(k zone.Key) int {
		for i := range want {
			if want[i].Key() == k {
				return i
			}
		}
		t.Fatalf("key %+v not in the zone", k)
		return -1
	}
	starts := []struct {
		label string
		start zone.Key
		first int // index in want of the first record set; len(want) for none
	}{
		{"beginning", zone.Key{}, 0},
		{"name of the apex", zone.Key{Name: "example.com."}, 0},
		{"name only", zone.Key{Name: "w.example.com."}, index(zone.Key{Name: "w.example.com.", Type: "A", SetIdentifier: "a"})},
		{"name and type", zone.Key{Name: "w.example.com.", Type: "AAAA"}, index(zone.Key{Name: "w.example.com.", Type: "AAAA", SetIdentifier: "alpha"})},
		{"name, type and identifier", zone.Key{Name: "w.example.com.", Type: "A", SetIdentifier: "c"}, index(zone.Key{Name: "w.example.com.", Type: "A", SetIdentifier: "c"})},
		{"identifier between members", zone.Key{Name: "w.example.com.", Type: "AAAA", SetIdentifier: "b"}, index(zone.Key{Name: "w.example.com.", Type: "AAAA", SetIdentifier: "x"})},
		{"type between types", zone.Key{Name: "a.example.com.", Type: "MX"}, index(zone.Key{Name: "a.example.com.", Type: "TXT"})},
		{"type after the name's last", zone.Key{Name: "z.example.com.", Type: "ZZZ"}, len(want)},
		{"absent name", zone.Key{Name: "c.example.com."}, index(zone.Key{Name: "mail.example.com.", Type: "A"})},
		{"absent name under a present one", zone.Key{Name: "x.sub.example.com."}, index(zone.Key{Name: "w.example.com.", Type: "A", SetIdentifier: "a"})},
		{"past the end", zone.Key{Name: "zz.example.com."}, len(want)},
		{"another zone's name", zone.Key{Name: "example.net."}, len(want)},
	}
	for _, st := range starts {
		for _, max := range []int{1, 2, 7, 300} {
			t.Run(fmt.Sprintf("%s/max %d", st.label, max), func(t *testing.T) {
				var got []zone.RRSet
				start := st.start
				pages := 0
				for {
					page, err := e.svc.ListResourceRecordSets(ctx, info.ID, start, max)
					if err != nil {
						t.Fatal(err)
					}
					pages++
					if len(page.RRSets) > max {
						t.Fatalf("page %d holds %d record sets, max %d", pages, len(page.RRSets), max)
					}
					got = append(got, page.RRSets...)
					if page.Next == nil {
						break
					}
					if len(page.RRSets) != max {
						t.Fatalf("page %d holds %d record sets but is not the last (max %d)", pages, len(page.RRSets), max)
					}
					if n := len(got); n < len(want)-st.first && *page.Next != want[st.first+n].Key() {
						t.Fatalf("page %d: next %+v, want %+v", pages, *page.Next, want[st.first+n].Key())
					}
					if pages > len(want)+1 {
						t.Fatalf("pagination does not end")
					}
					start = *page.Next
				}
				if len(got) != len(want)-st.first || (len(got) > 0 && !reflect.DeepEqual(got, want[st.first:])) {
					t.Fatalf("pages concatenate to\n%v\nwant\n%v", keysOf(got), keysOf(want[st.first:]))
				}
				n := len(want) - st.first
				wantPages := (n + max - 1) / max
				if wantPages == 0 {
					wantPages = 1
				}
				if pages != wantPages {
					t.Errorf("%d pages, want %d", pages, wantPages)
				}
			})
		}
	}
}

func TestListResourceRecordSetsUnknownZone(t *testing.T) {
	e := newEnv(t, Config{})
	_, err := e.svc.ListResourceRecordSets(context.Background(), "ZNOSUCHZONE", zone.Key{}, 10)
	wantCode(t, err, "NoSuchHostedZone")
}
