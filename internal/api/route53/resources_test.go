package route53

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

func TestTags(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	a := e.createZone(t, "a.example", "ref-a")
	b := e.createZone(t, "b.example", "ref-b")

	_, err := e.client.ChangeTagsForResource(ctx, &r53.ChangeTagsForResourceInput{
		ResourceType: types.TagResourceTypeHostedzone, ResourceId: aws.String(a),
		AddTags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}, {Key: aws.String("team"), Value: aws.String("dns")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.ChangeTagsForResource(ctx, &r53.ChangeTagsForResourceInput{
		ResourceType: types.TagResourceTypeHostedzone, ResourceId: aws.String(a),
		AddTags:       []types.Tag{{Key: aws.String("env"), Value: aws.String("staging")}},
		RemoveTagKeys: []string{"team"},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.ChangeTagsForResource(ctx, &r53.ChangeTagsForResourceInput{
		ResourceType: types.TagResourceTypeHostedzone, ResourceId: aws.String(b),
		AddTags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("")}},
	})
	if err != nil {
		t.Fatal(err)
	}

	one, err := e.client.ListTagsForResource(ctx, &r53.ListTagsForResourceInput{ResourceType: types.TagResourceTypeHostedzone, ResourceId: aws.String(a)})
	if err != nil {
		t.Fatal(err)
	}
	ts := one.ResourceTagSet
	if ts.ResourceType != types.TagResourceTypeHostedzone || aws.ToString(ts.ResourceId) != a ||
		len(ts.Tags) != 1 || *ts.Tags[0].Key != "env" || *ts.Tags[0].Value != "staging" {
		t.Fatalf("tag set = %+v", ts)
	}

	many, err := e.client.ListTagsForResources(ctx, &r53.ListTagsForResourcesInput{
		ResourceType: types.TagResourceTypeHostedzone, ResourceIds: []string{a, "/hostedzone/" + b},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(many.ResourceTagSets) != 2 || aws.ToString(many.ResourceTagSets[1].ResourceId) != b ||
		len(many.ResourceTagSets[1].Tags) != 1 || *many.ResourceTagSets[1].Tags[0].Key != "owner" {
		t.Fatalf("tag sets = %+v", many.ResourceTagSets)
	}

	var noZone *types.NoSuchHostedZone
	_, err = e.client.ListTagsForResource(ctx, &r53.ListTagsForResourceInput{ResourceType: types.TagResourceTypeHostedzone, ResourceId: aws.String("ZGONE")})
	expectAPIError(t, err, "NoSuchHostedZone", 404, "No hosted zone found with ID: ZGONE", &noZone)
	_, err = e.client.ListTagsForResources(ctx, &r53.ListTagsForResourcesInput{ResourceType: types.TagResourceTypeHostedzone, ResourceIds: []string{a, "ZGONE"}})
	expectAPIError(t, err, "NoSuchHostedZone", 404, "", &noZone)
	var noCheck *types.NoSuchHealthCheck
	_, err = e.client.ChangeTagsForResource(ctx, &r53.ChangeTagsForResourceInput{
		ResourceType: types.TagResourceTypeHealthcheck, ResourceId: aws.String("abcdef11-2222-3333-4444-555555fedcba"),
		AddTags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("x")}},
	})
	expectAPIError(t, err, "NoSuchHealthCheck", 404, "", &noCheck)
	var invalid *types.InvalidInput
	_, err = e.client.ListTagsForResource(ctx, &r53.ListTagsForResourceInput{ResourceType: "bucket", ResourceId: aws.String(a)})
	expectAPIError(t, err, "InvalidInput", 400, "", &invalid)

	// Deleting a zone removes its tags.
	if _, err := e.client.DeleteHostedZone(ctx, &r53.DeleteHostedZoneInput{Id: aws.String(a)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.ListTagsForResource(ctx, &r53.ListTagsForResourceInput{ResourceType: types.TagResourceTypeHostedzone, ResourceId: aws.String(a)})
	expectAPIError(t, err, "NoSuchHostedZone", 404, "", &noZone)
}

func TestReusableDelegationSets(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()

	first, err := e.client.CreateReusableDelegationSet(ctx, &r53.CreateReusableDelegationSetInput{CallerReference: aws.String("ds-1")})
	if err != nil {
		t.Fatal(err)
	}
	ds := first.DelegationSet
	if !regexp.MustCompile(`^/delegationset/N[A-Z0-9]+$`).MatchString(*ds.Id) || aws.ToString(ds.CallerReference) != "ds-1" || len(ds.NameServers) != 4 {
		t.Fatalf("delegation set = %+v", ds)
	}
	if !strings.HasSuffix(aws.ToString(first.Location), "/2013-04-01/delegationset/"+bareID(*ds.Id)) {
		t.Errorf("Location = %v", aws.ToString(first.Location))
	}
	_, err = e.client.CreateReusableDelegationSet(ctx, &r53.CreateReusableDelegationSetInput{CallerReference: aws.String("ds-1")})
	var again *types.DelegationSetAlreadyCreated
	expectAPIError(t, err, "DelegationSetAlreadyCreated", 400, "", &again)

	// A set made from a zone takes that zone's name servers.
	zone, err := e.client.CreateHostedZone(ctx, &r53.CreateHostedZoneInput{Name: aws.String("from.example"), CallerReference: aws.String("z")})
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.client.CreateReusableDelegationSet(ctx, &r53.CreateReusableDelegationSetInput{CallerReference: aws.String("ds-2"), HostedZoneId: zone.HostedZone.Id})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(second.DelegationSet.NameServers, ",") != strings.Join(zone.DelegationSet.NameServers, ",") {
		t.Fatalf("set from zone: %v, zone has %v", second.DelegationSet.NameServers, zone.DelegationSet.NameServers)
	}

	got, err := e.client.GetReusableDelegationSet(ctx, &r53.GetReusableDelegationSetInput{Id: ds.Id})
	if err != nil {
		t.Fatal(err)
	}
	if *got.DelegationSet.Id != *ds.Id || strings.Join(got.DelegationSet.NameServers, ",") != strings.Join(ds.NameServers, ",") {
		t.Fatalf("get = %+v", got.DelegationSet)
	}

	var ids []string
	var marker *string
	for {
		out, err := e.client.ListReusableDelegationSets(ctx, &r53.ListReusableDelegationSetsInput{Marker: marker, MaxItems: aws.Int32(1)})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range out.DelegationSets {
			ids = append(ids, *d.Id)
		}
		if !out.IsTruncated {
			break
		}
		marker = out.NextMarker
	}
	if len(ids) != 2 || ids[0] >= ids[1] {
		t.Fatalf("listed %v", ids)
	}

	user, err := e.client.CreateHostedZone(ctx, &r53.CreateHostedZoneInput{Name: aws.String("user.example"), CallerReference: aws.String("u"), DelegationSetId: ds.Id})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.DeleteReusableDelegationSet(ctx, &r53.DeleteReusableDelegationSetInput{Id: ds.Id})
	var inUse *types.DelegationSetInUse
	expectAPIError(t, err, "DelegationSetInUse", 400, "", &inUse)
	if _, err := e.client.DeleteHostedZone(ctx, &r53.DeleteHostedZoneInput{Id: user.HostedZone.Id}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.DeleteReusableDelegationSet(ctx, &r53.DeleteReusableDelegationSetInput{Id: ds.Id}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetReusableDelegationSet(ctx, &r53.GetReusableDelegationSetInput{Id: ds.Id})
	var noSet *types.NoSuchDelegationSet
	expectAPIError(t, err, "NoSuchDelegationSet", 400, "", &noSet)
}

func TestLimits(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	id := e.createZone(t, "example.com", "ref-limits")
	e.createZone(t, "example.org", "ref-limits-2")
	if _, err := e.client.CreateReusableDelegationSet(ctx, &r53.CreateReusableDelegationSetInput{CallerReference: aws.String("d")}); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		typ          types.AccountLimitType
		value, count int64
	}{
		{types.AccountLimitTypeMaxHostedZonesByOwner, 500, 2},
		{types.AccountLimitTypeMaxReusableDelegationSetsByOwner, 100, 1},
		{types.AccountLimitTypeMaxHealthChecksByOwner, 200, 0},
		{types.AccountLimitTypeMaxTrafficPoliciesByOwner, 50, 0},
		{types.AccountLimitTypeMaxTrafficPolicyInstancesByOwner, 5, 0},
	}
	for _, tc := range cases {
		out, err := e.client.GetAccountLimit(ctx, &r53.GetAccountLimitInput{Type: tc.typ})
		if err != nil {
			t.Fatal(err)
		}
		if out.Limit.Type != tc.typ || out.Limit.Value == nil || *out.Limit.Value != tc.value || out.Count != tc.count {
			t.Errorf("%s: limit %+v count %d", tc.typ, out.Limit, out.Count)
		}
	}
	var invalid *types.InvalidInput
	_, err := e.client.GetAccountLimit(ctx, &r53.GetAccountLimitInput{Type: "MAX_PONIES"})
	expectAPIError(t, err, "InvalidInput", 400, "", &invalid)

	e.change(t, id, simpleA(types.ChangeActionCreate, "a.example.com", 60, "192.0.2.1"), simpleA(types.ChangeActionCreate, "b.example.com", 60, "192.0.2.2"))
	zl, err := e.client.GetHostedZoneLimit(ctx, &r53.GetHostedZoneLimitInput{HostedZoneId: aws.String(id), Type: types.HostedZoneLimitTypeMaxRrsetsByZone})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(zl.Limit.Value) != 10000 || zl.Count != 4 {
		t.Errorf("zone limit %+v count %d", zl.Limit, zl.Count)
	}
	_, err = e.client.GetHostedZoneLimit(ctx, &r53.GetHostedZoneLimitInput{HostedZoneId: aws.String(id), Type: types.HostedZoneLimitTypeMaxVpcsAssociatedByZone})
	var notPrivate *types.HostedZoneNotPrivate
	expectAPIError(t, err, "HostedZoneNotPrivate", 400, "", &notPrivate)
	_, err = e.client.GetHostedZoneLimit(ctx, &r53.GetHostedZoneLimitInput{HostedZoneId: aws.String("ZNONE"), Type: types.HostedZoneLimitTypeMaxRrsetsByZone})
	var noZone *types.NoSuchHostedZone
	expectAPIError(t, err, "NoSuchHostedZone", 404, "", &noZone)
}
