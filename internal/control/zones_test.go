package control

import (
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/zone"
)

func TestCreateHostedZoneCanonicalName(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"example.com", "example.com."},
		{"example.com.", "example.com."},
		{"Example.COM", "example.com."},
		{"a.B.example.org.", "a.b.example.org."},
		{"xn--bcher-kva.example", "xn--bcher-kva.example."},
	}
	e := newEnv(t, Config{})
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			info := e.createZone(t, tc.in)
			if info.Name != tc.want {
				t.Errorf("name %q, want %q", info.Name, tc.want)
			}
			got, err := e.svc.GetHostedZone(context.Background(), info.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tc.want {
				t.Errorf("stored name %q, want %q", got.Name, tc.want)
			}
			for _, rs := range e.rrsets(t, info.ID) {
				if rs.Name != tc.want {
					t.Errorf("default %s record set named %q, want %q", rs.Type, rs.Name, tc.want)
				}
			}
		})
	}
}

func TestCreateHostedZoneInvalidNames(t *testing.T) {
	long := strings.Repeat(strings.Repeat("a", 60)+".", 5) + "com"
	tests := []struct {
		label, name string
	}{
		{"empty", ""},
		{"root", "."},
		{"top-level domain", "com"},
		{"top-level domain with dot", "com."},
		{"wildcard", "*.example.com"},
		{"empty label", "a..example.com"},
		{"label over 63", strings.Repeat("a", 64) + ".com"},
		{"name over 255", long},
	}
	e := newEnv(t, Config{})
	for i, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			rev := e.revision(t)
			_, _, err := e.svc.CreateHostedZone(context.Background(), CreateZoneInput{
				Name: tc.name, CallerReference: "bad-" + string(rune('a'+i)),
			})
			wantCode(t, err, "InvalidDomainName")
			if got := e.revision(t); got != rev {
				t.Errorf("failed create wrote revision %d (was %d)", got, rev)
			}
		})
	}
	if n := e.zoneCount(t); n != 0 {
		t.Errorf("%d zones after only failed creates", n)
	}
}

func TestCreateHostedZoneDefaults(t *testing.T) {
	now := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CEST", 2*3600))
	e := newEnv(t, Config{Now: func() time.Time { return now }})
	ctx := context.Background()
	info, ci, err := e.svc.CreateHostedZone(ctx, CreateZoneInput{
		Name: "example.com", CallerReference: "ref-1", Comment: "first zone",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !zoneIDShape.MatchString(info.ID) {
		t.Errorf("zone ID %q, want Z and 20 uppercase alphanumerics", info.ID)
	}
	if !changeIDShape.MatchString(ci.ID) {
		t.Errorf("change ID %q, want C and 20 uppercase alphanumerics", ci.ID)
	}
	if info.CallerReference != "ref-1" || info.Comment != "first zone" || info.DelegationSetID != "" || info.PrivateZone {
		t.Errorf("zone %+v: caller reference, comment, delegation set or private flag wrong", info.HostedZone)
	}
	if info.RRSetCount != 2 {
		t.Errorf("RRSetCount %d, want 2", info.RRSetCount)
	}
	if info.CreatedAt != "2024-05-06T05:08:09.123Z" {
		t.Errorf("CreatedAt %q, want 2024-05-06T05:08:09.123Z", info.CreatedAt)
	}
	wantSubmitted := time.Date(2024, 5, 6, 5, 8, 9, 123000000, time.UTC)
	if !ci.SubmittedAt.Equal(wantSubmitted) || ci.SubmittedAt.Location() != time.UTC {
		t.Errorf("SubmittedAt %v, want %v", ci.SubmittedAt, wantSubmitted)
	}
	if ci.ZoneID != info.ID || ci.Status != StatusPending || ci.Revision != e.revision(t) {
		t.Errorf("change %+v: want zone %s, PENDING, revision %d", ci, info.ID, e.revision(t))
	}

	// Four generated servers, one per TLD in Route 53's numbering.
	tlds := []string{"com", "net", "org", "co.uk"}
	if len(info.NameServers) != len(tlds) {
		t.Fatalf("name servers %v, want 4", info.NameServers)
	}
	for i, ns := range info.NameServers {
		re := regexp.MustCompile(`^ns-[0-9]+\.awsdns-[0-9]{2}\.` + regexp.QuoteMeta(tlds[i]) + `$`)
		if !re.MatchString(ns) {
			t.Errorf("name server %d %q, want ns-N.awsdns-MM.%s", i, ns, tlds[i])
		}
	}

	got, err := e.svc.GetHostedZone(ctx, "/hostedzone/"+info.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, info) {
		t.Errorf("GetHostedZone %+v, want %+v", got, info)
	}

	sets := e.rrsets(t, info.ID)
	if len(sets) != 2 {
		t.Fatalf("record sets %+v, want NS and SOA", sets)
	}
	ns, soa := sets[0], sets[1]
	wantNS := make([]string, len(info.NameServers))
	for i, s := range info.NameServers {
		wantNS[i] = s + "."
	}
	if ns.Type != "NS" || ns.Name != "example.com." || ns.TTL == nil || *ns.TTL != 172800 || !reflect.DeepEqual(ns.Values, wantNS) {
		t.Errorf("NS record set %+v, want TTL 172800 and values %v", ns, wantNS)
	}
	wantSOA := info.NameServers[0] + ". awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"
	if soa.Type != "SOA" || soa.Name != "example.com." || soa.TTL == nil || *soa.TTL != 900 || !reflect.DeepEqual(soa.Values, []string{wantSOA}) {
		t.Errorf("SOA record set %+v, want TTL 900 and value %q", soa, wantSOA)
	}

	// A second zone gets new IDs.
	info2, ci2, err := e.svc.CreateHostedZone(ctx, CreateZoneInput{Name: "example.com", CallerReference: "ref-2"})
	if err != nil {
		t.Fatal(err)
	}
	if info2.ID == info.ID || ci2.ID == ci.ID {
		t.Errorf("second zone reuses IDs: zone %s/%s change %s/%s", info.ID, info2.ID, ci.ID, ci2.ID)
	}
	if ci2.Revision != ci.Revision+1 {
		t.Errorf("second change at revision %d, want %d", ci2.Revision, ci.Revision+1)
	}
	if n := e.zoneCount(t); n != 2 {
		t.Errorf("HostedZoneCount %d, want 2", n)
	}
}

func TestCreateHostedZoneConfiguredNameServers(t *testing.T) {
	servers := []string{"ns1.meridian.test", "ns2.meridian.test"}
	cfgServers := append([]string(nil), servers...)
	e := newEnv(t, Config{NameServers: cfgServers, Hostmaster: "hostmaster.meridian.test"})
	info := e.createZone(t, "example.net")
	cfgServers[0] = "changed.meridian.test" // the zone keeps its own copy
	if !reflect.DeepEqual(info.NameServers, servers) {
		t.Errorf("name servers %v, want %v", info.NameServers, servers)
	}
	got, err := e.svc.GetHostedZone(context.Background(), info.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.NameServers, servers) {
		t.Errorf("stored name servers %v, want %v", got.NameServers, servers)
	}
	sets := e.rrsets(t, info.ID)
	if len(sets) != 2 {
		t.Fatalf("record sets %+v, want NS and SOA", sets)
	}
	if want := []string{"ns1.meridian.test.", "ns2.meridian.test."}; !reflect.DeepEqual(sets[0].Values, want) {
		t.Errorf("NS values %v, want %v", sets[0].Values, want)
	}
	if want := []string{"ns1.meridian.test. hostmaster.meridian.test. 1 7200 900 1209600 86400"}; !reflect.DeepEqual(sets[1].Values, want) {
		t.Errorf("SOA values %v, want %v", sets[1].Values, want)
	}
}

func TestCreateHostedZoneRejects(t *testing.T) {
	tests := []struct {
		label string
		in    CreateZoneInput
		code  string
	}{
		{"reused caller reference", CreateZoneInput{Name: "other.com", CallerReference: "taken"}, "HostedZoneAlreadyExists"},
		{"reused caller reference, same name", CreateZoneInput{Name: "example.com", CallerReference: "taken"}, "HostedZoneAlreadyExists"},
		{"empty caller reference", CreateZoneInput{Name: "other.com"}, "InvalidInput"},
		{"caller reference over 128", CreateZoneInput{Name: "other.com", CallerReference: strings.Repeat("r", 129)}, "InvalidInput"},
		{"comment over 256", CreateZoneInput{Name: "other.com", CallerReference: "c", Comment: strings.Repeat("c", 257)}, "InvalidInput"},
		{"private zone", CreateZoneInput{Name: "other.com", CallerReference: "p", PrivateZone: true}, "InvalidInput"},
		{"unknown delegation set", CreateZoneInput{Name: "other.com", CallerReference: "d", DelegationSetID: "NAAAAAAAAAAAAAAAAAAAA"}, "NoSuchDelegationSet"},
		{"unknown delegation set with prefix", CreateZoneInput{Name: "other.com", CallerReference: "d", DelegationSetID: "/delegationset/NAAAAAAAAAAAAAAAAAAAA"}, "NoSuchDelegationSet"},
	}
	e := newEnv(t, Config{})
	ctx := context.Background()
	if _, _, err := e.svc.CreateHostedZone(ctx, CreateZoneInput{Name: "example.com", CallerReference: "taken"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			rev := e.revision(t)
			_, _, err := e.svc.CreateHostedZone(ctx, tc.in)
			wantCode(t, err, tc.code)
			if got := e.revision(t); got != rev {
				t.Errorf("failed create wrote revision %d (was %d)", got, rev)
			}
			if n := e.zoneCount(t); n != 1 {
				t.Errorf("HostedZoneCount %d after failed create, want 1", n)
			}
		})
	}
	// The boundary lengths are accepted.
	_, _, err := e.svc.CreateHostedZone(ctx, CreateZoneInput{
		Name: "limits.com", CallerReference: strings.Repeat("r", 128), Comment: strings.Repeat("c", 256),
	})
	wantCode(t, err, "")
}

func TestCreateHostedZoneCallerReferenceOutlivesZone(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	info, _, err := e.svc.CreateHostedZone(ctx, CreateZoneInput{Name: "example.com", CallerReference: "once"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DeleteHostedZone(ctx, info.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.svc.CreateHostedZone(ctx, CreateZoneInput{Name: "example.com", CallerReference: "once"})
	wantCode(t, err, "HostedZoneAlreadyExists")
	if n := e.zoneCount(t); n != 0 {
		t.Errorf("HostedZoneCount %d, want 0", n)
	}
}

func TestCreateHostedZoneQuota(t *testing.T) {
	e := newEnv(t, Config{MaxZones: 2})
	ctx := context.Background()
	if got := e.svc.MaxHostedZones(); got != 2 {
		t.Errorf("MaxHostedZones %d, want 2", got)
	}
	a := e.createZone(t, "a.com")
	e.createZone(t, "b.com")
	_, _, err := e.svc.CreateHostedZone(ctx, CreateZoneInput{Name: "c.com", CallerReference: "c"})
	wantCode(t, err, "TooManyHostedZones")
	if n := e.zoneCount(t); n != 2 {
		t.Errorf("HostedZoneCount %d, want 2", n)
	}
	if _, err := e.svc.DeleteHostedZone(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	// The rejected caller reference was not consumed, and the freed slot is usable.
	_, _, err = e.svc.CreateHostedZone(ctx, CreateZoneInput{Name: "c.com", CallerReference: "c"})
	wantCode(t, err, "")
}

func TestServiceDefaults(t *testing.T) {
	e := newEnv(t, Config{})
	if got := e.svc.MaxHostedZones(); got != 500 {
		t.Errorf("MaxHostedZones %d, want 500", got)
	}
	if got := e.svc.MaxRRSetsPerZone(); got != 10000 {
		t.Errorf("MaxRRSetsPerZone %d, want 10000", got)
	}
	n, err := e.svc.HealthCheckCount(context.Background())
	if err != nil || n != 0 {
		t.Errorf("HealthCheckCount %d, %v; want 0", n, err)
	}
	e.addHealthCheck(t, "hc-1")
	e.addHealthCheck(t, "hc-2")
	n, err = e.svc.HealthCheckCount(context.Background())
	if err != nil || n != 2 {
		t.Errorf("HealthCheckCount %d, %v; want 2", n, err)
	}
}

func TestGetHostedZoneUnknown(t *testing.T) {
	e := newEnv(t, Config{})
	for _, id := range []string{"ZNOSUCHZONE", "/hostedzone/ZNOSUCHZONE", "%2Fhostedzone%2FZNOSUCHZONE"} {
		_, err := e.svc.GetHostedZone(context.Background(), id)
		wantCode(t, err, "NoSuchHostedZone")
		if e, _ := zone.AsError(err); e != nil && !strings.HasSuffix(e.Message, ": ZNOSUCHZONE") {
			t.Errorf("message %q should name the bare ID", e.Message)
		}
	}
}

func TestListHostedZonesOrder(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	for _, name := range []string{"www.example.com", "example.net", "example.com", "a-b.example.com", "b.com", "a.example.com", "z.a.com", "example.com"} {
		e.createZone(t, name)
	}
	zones, err := e.svc.ListHostedZones(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Reversed labels: com.a.z. < com.b. < com.example. (twice) < com.example.a-b. <
	// com.example.a. < com.example.www. < net.example.
	want := []string{"z.a.com.", "b.com.", "example.com.", "example.com.", "a-b.example.com.", "a.example.com.", "www.example.com.", "example.net."}
	var got []string
	for _, z := range zones {
		got = append(got, z.Name)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	if zones[2].ID >= zones[3].ID {
		t.Errorf("zones with the same name out of ID order: %s, %s", zones[2].ID, zones[3].ID)
	}
	for i := 1; i < len(zones); i++ {
		if ZoneSortKey(zones[i-1].Name, zones[i-1].ID) >= ZoneSortKey(zones[i].Name, zones[i].ID) {
			t.Errorf("ZoneSortKey does not order %s/%s before %s/%s", zones[i-1].Name, zones[i-1].ID, zones[i].Name, zones[i].ID)
		}
	}
	for _, z := range zones {
		if z.RRSetCount != 2 {
			t.Errorf("%s: RRSetCount %d, want 2", z.Name, z.RRSetCount)
		}
	}
	if n := e.zoneCount(t); n != len(want) {
		t.Errorf("HostedZoneCount %d, want %d", n, len(want))
	}
}

func TestListHostedZonesEmpty(t *testing.T) {
	e := newEnv(t, Config{})
	zones, err := e.svc.ListHostedZones(context.Background())
	if err != nil || len(zones) != 0 {
		t.Errorf("ListHostedZones %v, %v; want none", zones, err)
	}
	if n := e.zoneCount(t); n != 0 {
		t.Errorf("HostedZoneCount %d, want 0", n)
	}
}

func TestUpdateHostedZoneComment(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	info := e.createZone(t, "example.com")
	e.change(t, info.ID, create(rr("www.example.com", "A", 60, "192.0.2.1")))
	steps := []struct {
		label   string
		id      string
		comment string
		code    string
		want    string // the stored comment afterwards
	}{
		{"set", info.ID, "hello", "", "hello"},
		{"replace via prefixed ID", "/hostedzone/" + info.ID, "world", "", "world"},
		{"256 characters", info.ID, strings.Repeat("x", 256), "", strings.Repeat("x", 256)},
		{"257 characters", info.ID, strings.Repeat("y", 257), "InvalidInput", strings.Repeat("x", 256)},
		{"clear", info.ID, "", "", ""},
		{"unknown zone", "ZNOSUCHZONE", "x", "NoSuchHostedZone", ""},
	}
	for _, st := range steps {
		got, err := e.svc.UpdateHostedZoneComment(ctx, st.id, st.comment)
		wantCode(t, err, st.code)
		if st.code == "" && (got.Comment != st.comment || got.ID != info.ID) {
			t.Errorf("%s: returned zone %s comment %q, want %s %q", st.label, got.ID, got.Comment, info.ID, st.comment)
		}
		stored, err := e.svc.GetHostedZone(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Comment != st.want {
			t.Errorf("%s: stored comment %q, want %q", st.label, stored.Comment, st.want)
		}
		if stored.RRSetCount != 3 || stored.Name != "example.com." || !reflect.DeepEqual(stored.NameServers, info.NameServers) {
			t.Errorf("%s: comment update changed other fields: %+v", st.label, stored)
		}
	}
}

func TestDeleteHostedZone(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	info := e.createZone(t, "example.com")
	other := e.createZone(t, "example.org")
	www := rr("www.example.com", "A", 60, "192.0.2.1")
	e.change(t, info.ID, create(www))
	if err := e.svc.ChangeTags(ctx, ResourceHostedZone, info.ID, []Tag{{Key: "env", Value: "test"}}, nil); err != nil {
		t.Fatal(err)
	}

	rev := e.revision(t)
	_, err := e.svc.DeleteHostedZone(ctx, info.ID)
	wantCode(t, err, "HostedZoneNotEmpty")
	if e.revision(t) != rev {
		t.Errorf("refused delete wrote a revision")
	}
	if _, err := e.svc.GetHostedZone(ctx, info.ID); err != nil {
		t.Fatalf("zone gone after refused delete: %v", err)
	}

	// Editing the SOA and NS keeps the zone deletable; removing www makes it so.
	sets := e.rrsets(t, info.ID)
	if len(sets) != 3 || sets[0].Type != "NS" || sets[1].Type != "SOA" {
		t.Fatalf("record sets %+v, want NS, SOA, A", sets)
	}
	ns, soa := sets[0], sets[1]
	ns.TTL = ptr(int64(3600))
	soa.TTL = ptr(int64(60))
	e.change(t, info.ID, remove(www), upsert(ns), upsert(soa))

	ci, err := e.svc.DeleteHostedZone(ctx, "/hostedzone/"+info.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !changeIDShape.MatchString(ci.ID) || ci.ZoneID != info.ID || ci.Revision != e.revision(t) || ci.Status != StatusPending {
		t.Errorf("delete change %+v", ci)
	}
	if got, err := e.svc.GetChange(ctx, ci.ID); err != nil || got.ZoneID != info.ID || got.Revision != ci.Revision {
		t.Errorf("GetChange of the delete: %+v, %v", got, err)
	}
	_, err = e.svc.GetHostedZone(ctx, info.ID)
	wantCode(t, err, "NoSuchHostedZone")
	if keys := e.keysUnder(t, rrsetPrefix(info.ID)); len(keys) != 0 {
		t.Errorf("record sets left behind: %v", keys)
	}
	if e.hasKey(t, tagsKey(ResourceHostedZone, info.ID)) {
		t.Errorf("tags left behind")
	}
	_, err = e.svc.ListTags(ctx, ResourceHostedZone, info.ID)
	wantCode(t, err, "NoSuchHostedZone")
	_, err = e.svc.ListResourceRecordSets(ctx, info.ID, zone.Key{}, 100)
	wantCode(t, err, "NoSuchHostedZone")

	_, err = e.svc.DeleteHostedZone(ctx, info.ID)
	wantCode(t, err, "NoSuchHostedZone")

	// The other zone is untouched.
	zones, err := e.svc.ListHostedZones(ctx)
	if err != nil || len(zones) != 1 || zones[0].ID != other.ID {
		t.Errorf("zones after delete: %+v, %v", zones, err)
	}
	if got := len(e.rrsets(t, other.ID)); got != 2 {
		t.Errorf("other zone has %d record sets, want 2", got)
	}
}

func TestDeleteHostedZoneNotEmpty(t *testing.T) {
	tests := []struct {
		label string
		rs    zone.RRSet
	}{
		{"A at a subdomain", rr("www.example.com", "A", 60, "192.0.2.1")},
		{"TXT at the apex", rr("example.com", "TXT", 60, `"v=spf1 -all"`)},
		{"delegation NS", rr("sub.example.com", "NS", 60, "ns1.elsewhere.test.")},
		{"weighted apex A", weighted("example.com", "A", "one", 1, "192.0.2.1")},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			e := newEnv(t, Config{})
			info := e.createZone(t, "example.com")
			e.change(t, info.ID, create(tc.rs))
			_, err := e.svc.DeleteHostedZone(context.Background(), info.ID)
			wantCode(t, err, "HostedZoneNotEmpty")
			if got := len(e.rrsets(t, info.ID)); got != 3 {
				t.Errorf("%d record sets after refused delete, want 3", got)
			}
		})
	}
}
