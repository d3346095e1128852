package control

import (
	"context"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestCreateReusableDelegationSet(t *testing.T) {
	ctx := context.Background()
	t.Run("generated servers", func(t *testing.T) {
		e := newEnv(t, Config{})
		ds, err := e.svc.CreateReusableDelegationSet(ctx, "ds-1", "")
		if err != nil {
			t.Fatal(err)
		}
		if !delegationIDShape.MatchString(ds.ID) || ds.CallerReference != "ds-1" {
			t.Errorf("delegation set %+v", ds)
		}
		tlds := []string{"com", "net", "org", "co.uk"}
		if len(ds.NameServers) != 4 {
			t.Fatalf("name servers %v, want 4", ds.NameServers)
		}
		for i, ns := range ds.NameServers {
			if !regexp.MustCompile(`^ns-[0-9]+\.awsdns-[0-9]{2}\.` + regexp.QuoteMeta(tlds[i]) + `$`).MatchString(ns) {
				t.Errorf("name server %q, want one under .%s", ns, tlds[i])
			}
		}
	})
	t.Run("configured servers", func(t *testing.T) {
		servers := []string{"ns1.meridian.test", "ns2.meridian.test"}
		e := newEnv(t, Config{NameServers: servers})
		ds, err := e.svc.CreateReusableDelegationSet(ctx, "ds-1", "")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ds.NameServers, servers) {
			t.Errorf("name servers %v, want %v", ds.NameServers, servers)
		}
	})
	t.Run("from a hosted zone", func(t *testing.T) {
		e := newEnv(t, Config{})
		info := e.createZone(t, "example.com")
		ds, err := e.svc.CreateReusableDelegationSet(ctx, "ds-1", "/hostedzone/"+info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ds.NameServers, info.NameServers) {
			t.Errorf("name servers %v, want the zone's %v", ds.NameServers, info.NameServers)
		}
		got, err := e.svc.GetReusableDelegationSet(ctx, ds.ID)
		if err != nil || !reflect.DeepEqual(got, ds) {
			t.Errorf("GetReusableDelegationSet %+v, %v; want %+v", got, err, ds)
		}
	})
}

func TestCreateReusableDelegationSetRejects(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	plain := e.createZone(t, "plain.com")
	ds, err := e.svc.CreateReusableDelegationSet(ctx, "taken", "")
	if err != nil {
		t.Fatal(err)
	}
	reusing, _, err := e.svc.CreateHostedZone(ctx, CreateZoneInput{Name: "reusing.com", CallerReference: "z", DelegationSetID: ds.ID})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		label, ref, zoneID, code string
	}{
		{"duplicate caller reference", "taken", "", "DelegationSetAlreadyCreated"},
		{"duplicate caller reference with a zone", "taken", plain.ID, "DelegationSetAlreadyCreated"},
		{"empty caller reference", "", "", "InvalidInput"},
		{"caller reference over 128", strings.Repeat("r", 129), "", "InvalidInput"},
		{"unknown zone", "new-1", "ZNOSUCHZONE", "HostedZoneNotFound"},
		{"zone already on a reusable set", "new-2", reusing.ID, "DelegationSetAlreadyReusable"},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			rev := e.revision(t)
			_, err := e.svc.CreateReusableDelegationSet(ctx, tc.ref, tc.zoneID)
			wantCode(t, err, tc.code)
			if e.revision(t) != rev {
				t.Errorf("failed create wrote a revision")
			}
		})
	}
	sets, err := e.svc.ListReusableDelegationSets(ctx)
	if err != nil || len(sets) != 1 {
		t.Errorf("delegation sets after failed creates: %+v, %v", sets, err)
	}
}

func TestReusableDelegationSetLimit(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	for i := 0; i < 100; i++ {
		if _, err := e.svc.CreateReusableDelegationSet(ctx, "ref-"+string(rune('A'+i/26))+string(rune('a'+i%26)), ""); err != nil {
			t.Fatalf("set %d: %v", i, err)
		}
	}
	_, err := e.svc.CreateReusableDelegationSet(ctx, "one-too-many", "")
	wantCode(t, err, "LimitsExceeded")
}

func TestReusableDelegationSetLifecycle(t *testing.T) {
	e := newEnv(t, Config{})
	ctx := context.Background()
	var sets []DelegationSet
	for _, ref := range []string{"one", "two", "three"} {
		ds, err := e.svc.CreateReusableDelegationSet(ctx, ref, "")
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, ds)
	}
	list, err := e.svc.ListReusableDelegationSets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]DelegationSet(nil), sets...)
	sort.Slice(want, func(i, j int) bool { return want[i].ID < want[j].ID })
	if !reflect.DeepEqual(list, want) {
		t.Errorf("list %+v, want %+v by ID", list, want)
	}
	for _, id := range []string{sets[0].ID, "/delegationset/" + sets[0].ID, "%2Fdelegationset%2F" + sets[0].ID} {
		got, err := e.svc.GetReusableDelegationSet(ctx, id)
		if err != nil || !reflect.DeepEqual(got, sets[0]) {
			t.Errorf("Get(%q) = %+v, %v; want %+v", id, got, err, sets[0])
		}
	}
	_, err = e.svc.GetReusableDelegationSet(ctx, "NNOSUCHSET")
	wantCode(t, err, "NoSuchDelegationSet")

	// Two zones share set 0; it cannot go while either uses it.
	ds := sets[0]
	z1, _, err := e.svc.CreateHostedZone(ctx, CreateZoneInput{Name: "example.com", CallerReference: "z1", DelegationSetID: "/delegationset/" + ds.ID})
	if err != nil {
		t.Fatal(err)
	}
	z2, _, err := e.svc.CreateHostedZone(ctx, CreateZoneInput{Name: "example.org", CallerReference: "z2", DelegationSetID: ds.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range []ZoneInfo{z1, z2} {
		if z.DelegationSetID != ds.ID || !reflect.DeepEqual(z.NameServers, ds.NameServers) {
			t.Errorf("zone %s: delegation set %q servers %v, want %s %v", z.Name, z.DelegationSetID, z.NameServers, ds.ID, ds.NameServers)
		}
		nsSet := e.rrsets(t, z.ID)[0]
		wantNS := make([]string, len(ds.NameServers))
		for i, s := range ds.NameServers {
			wantNS[i] = s + "."
		}
		if nsSet.Type != "NS" || !reflect.DeepEqual(nsSet.Values, wantNS) {
			t.Errorf("zone %s NS record set %+v, want values %v", z.Name, nsSet, wantNS)
		}
	}
	err = e.svc.DeleteReusableDelegationSet(ctx, ds.ID)
	wantCode(t, err, "DelegationSetInUse")
	if _, err := e.svc.DeleteHostedZone(ctx, z1.ID); err != nil {
		t.Fatal(err)
	}
	err = e.svc.DeleteReusableDelegationSet(ctx, "/delegationset/"+ds.ID)
	wantCode(t, err, "DelegationSetInUse")
	if _, err := e.svc.DeleteHostedZone(ctx, z2.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteReusableDelegationSet(ctx, "/delegationset/"+ds.ID); err != nil {
		t.Fatalf("delete unused set: %v", err)
	}
	_, err = e.svc.GetReusableDelegationSet(ctx, ds.ID)
	wantCode(t, err, "NoSuchDelegationSet")
	err = e.svc.DeleteReusableDelegationSet(ctx, ds.ID)
	wantCode(t, err, "NoSuchDelegationSet")
	_, _, err = e.svc.CreateHostedZone(ctx, CreateZoneInput{Name: "example.net", CallerReference: "z3", DelegationSetID: ds.ID})
	wantCode(t, err, "NoSuchDelegationSet")

	list, err = e.svc.ListReusableDelegationSets(ctx)
	if err != nil || len(list) != 2 {
		t.Errorf("list after delete: %+v, %v", list, err)
	}
	// The deleted set's caller reference is free again.
	if _, err := e.svc.CreateReusableDelegationSet(ctx, "one", ""); err != nil {
		t.Errorf("reuse the caller reference of a deleted set: %v", err)
	}
}

func TestListReusableDelegationSetsEmpty(t *testing.T) {
	e := newEnv(t, Config{})
	list, err := e.svc.ListReusableDelegationSets(context.Background())
	if err != nil || len(list) != 0 {
		t.Errorf("ListReusableDelegationSets %v, %v; want none", list, err)
	}
}
