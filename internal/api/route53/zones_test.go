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

func TestHostedZoneLifecycle(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()

	out, err := e.client.CreateHostedZone(ctx, &r53.CreateHostedZoneInput{
		Name:             aws.String("Example.COM"),
		CallerReference:  aws.String("ref-1"),
		HostedZoneConfig: &types.HostedZoneConfig{Comment: aws.String("first")},
	})
	if err != nil {
		t.Fatal(err)
	}
	hz := out.HostedZone
	if !regexp.MustCompile(`^/hostedzone/Z[A-Z0-9]+$`).MatchString(*hz.Id) {
		t.Errorf("Id = %q", *hz.Id)
	}
	if *hz.Name != "example.com." || *hz.CallerReference != "ref-1" || hz.ResourceRecordSetCount == nil || *hz.ResourceRecordSetCount != 2 {
		t.Errorf("hosted zone = %+v", hz)
	}
	if hz.Config == nil || aws.ToString(hz.Config.Comment) != "first" || hz.Config.PrivateZone {
		t.Errorf("config = %+v", hz.Config)
	}
	if out.ChangeInfo.Status != types.ChangeStatusPending || !strings.HasPrefix(*out.ChangeInfo.Id, "/change/C") || out.ChangeInfo.SubmittedAt == nil {
		t.Errorf("change info = %+v", out.ChangeInfo)
	}
	if out.DelegationSet == nil || len(out.DelegationSet.NameServers) != 4 || out.DelegationSet.Id != nil {
		t.Fatalf("delegation set = %+v", out.DelegationSet)
	}
	if out.Location == nil || !strings.HasSuffix(*out.Location, "/2013-04-01/hostedzone/"+bareID(*hz.Id)) {
		t.Errorf("Location = %v", aws.ToString(out.Location))
	}
	id := bareID(*hz.Id)

	// A reused CallerReference fails whatever the other parameters.
	_, err = e.client.CreateHostedZone(ctx, &r53.CreateHostedZoneInput{Name: aws.String("other.org"), CallerReference: aws.String("ref-1")})
	var exists *types.HostedZoneAlreadyExists
	expectAPIError(t, err, "HostedZoneAlreadyExists", 409, "A hosted zone has already been created with the specified caller reference.", &exists)

	// GetHostedZone accepts the prefixed ID (the SDK strips it) and the bare one.
	for _, ref := range []string{*hz.Id, id} {
		got, err := e.client.GetHostedZone(ctx, &r53.GetHostedZoneInput{Id: aws.String(ref)})
		if err != nil {
			t.Fatal(err)
		}
		if *got.HostedZone.Id != *hz.Id || *got.HostedZone.Name != "example.com." {
			t.Errorf("get = %+v", got.HostedZone)
		}
		if got.DelegationSet == nil || strings.Join(got.DelegationSet.NameServers, ",") != strings.Join(out.DelegationSet.NameServers, ",") {
			t.Errorf("get delegation set = %+v", got.DelegationSet)
		}
	}

	upd, err := e.client.UpdateHostedZoneComment(ctx, &r53.UpdateHostedZoneCommentInput{Id: aws.String(id), Comment: aws.String("second")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(upd.HostedZone.Config.Comment) != "second" {
		t.Errorf("updated comment = %v", aws.ToString(upd.HostedZone.Config.Comment))
	}
	upd, err = e.client.UpdateHostedZoneComment(ctx, &r53.UpdateHostedZoneCommentInput{Id: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if upd.HostedZone.Config.Comment != nil {
		t.Errorf("comment not cleared: %q", *upd.HostedZone.Config.Comment)
	}

	count, err := e.client.GetHostedZoneCount(ctx, &r53.GetHostedZoneCountInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(count.HostedZoneCount) != 1 {
		t.Errorf("count = %d", aws.ToInt64(count.HostedZoneCount))
	}

	// A zone with more than its SOA and NS cannot be deleted.
	e.change(t, id, simpleA(types.ChangeActionCreate, "www.example.com", 300, "192.0.2.44"))
	_, err = e.client.DeleteHostedZone(ctx, &r53.DeleteHostedZoneInput{Id: aws.String(id)})
	var notEmpty *types.HostedZoneNotEmpty
	expectAPIError(t, err, "HostedZoneNotEmpty", 400,
		"The specified hosted zone contains non-required resource record sets and so cannot be deleted.", &notEmpty)
	e.change(t, id, simpleA(types.ChangeActionDelete, "www.example.com", 300, "192.0.2.44"))

	del, err := e.client.DeleteHostedZone(ctx, &r53.DeleteHostedZoneInput{Id: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if del.ChangeInfo.Status != types.ChangeStatusPending {
		t.Errorf("delete status = %v", del.ChangeInfo.Status)
	}
	_, err = e.client.GetHostedZone(ctx, &r53.GetHostedZoneInput{Id: aws.String(id)})
	var noZone *types.NoSuchHostedZone
	expectAPIError(t, err, "NoSuchHostedZone", 404, "No hosted zone found with ID: "+id, &noZone)
	_, err = e.client.DeleteHostedZone(ctx, &r53.DeleteHostedZoneInput{Id: aws.String(id)})
	expectAPIError(t, err, "NoSuchHostedZone", 404, "", &noZone)
	_, err = e.client.UpdateHostedZoneComment(ctx, &r53.UpdateHostedZoneCommentInput{Id: aws.String("ZNOSUCHZONE"), Comment: aws.String("x")})
	expectAPIError(t, err, "NoSuchHostedZone", 404, "No hosted zone found with ID: ZNOSUCHZONE", &noZone)
}

func TestCreateHostedZoneRejects(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	var badName *types.InvalidDomainName
	var invalid *types.InvalidInput

	_, err := e.client.CreateHostedZone(ctx, &r53.CreateHostedZoneInput{Name: aws.String("com"), CallerReference: aws.String("r1")})
	expectAPIError(t, err, "InvalidDomainName", 400, "com is reserved by AWS!", &badName)

	_, err = e.client.CreateHostedZone(ctx, &r53.CreateHostedZoneInput{Name: aws.String("a..example.com"), CallerReference: aws.String("r2")})
	expectAPIError(t, err, "InvalidDomainName", 400, "", &badName)

	_, err = e.client.CreateHostedZone(ctx, &r53.CreateHostedZoneInput{
		Name: aws.String("private.example"), CallerReference: aws.String("r3"),
		VPC: &types.VPC{VPCId: aws.String("vpc-1"), VPCRegion: types.VPCRegionEuCentral1},
	})
	expectAPIError(t, err, "InvalidInput", 400, "", &invalid)

	_, err = e.client.CreateHostedZone(ctx, &r53.CreateHostedZoneInput{
		Name: aws.String("example.com"), CallerReference: aws.String("r4"), DelegationSetId: aws.String("/delegationset/NNOPE"),
	})
	var noSet *types.NoSuchDelegationSet
	expectAPIError(t, err, "NoSuchDelegationSet", 400, "", &noSet)
}

// zoneNames are created out of order; zoneOrder is ListHostedZonesByName
// order (labels reversed, '-' before '.').
var (
	zoneNames = []string{"b.example.com", "example.net", "a.example.com", "a-b.example.com", "example.com"}
	zoneOrder = []string{"example.com.", "a-b.example.com.", "a.example.com.", "b.example.com.", "example.net."}
)

func TestListHostedZonesPagination(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for i, n := range zoneNames {
		e.createZone(t, n, "ref-"+n+string(rune('0'+i)))
	}

	var names []string
	var marker *string
	pages := 0
	for {
		out, err := e.client.ListHostedZones(ctx, &r53.ListHostedZonesInput{Marker: marker, MaxItems: aws.Int32(2)})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if aws.ToInt32(out.MaxItems) != 2 || aws.ToString(out.Marker) != aws.ToString(marker) {
			t.Errorf("page %d: MaxItems=%v Marker=%v", pages, aws.ToInt32(out.MaxItems), aws.ToString(out.Marker))
		}
		for _, z := range out.HostedZones {
			names = append(names, *z.Name)
		}
		if !out.IsTruncated {
			if out.NextMarker != nil {
				t.Errorf("NextMarker on the last page: %q", *out.NextMarker)
			}
			break
		}
		if out.NextMarker == nil || strings.Contains(*out.NextMarker, "/") {
			t.Fatalf("truncated page with NextMarker %v", aws.ToString(out.NextMarker))
		}
		marker = out.NextMarker
	}
	if pages != 3 || strings.Join(names, " ") != strings.Join(zoneOrder, " ") {
		t.Fatalf("%d pages, names %v; want 3 pages of %v", pages, names, zoneOrder)
	}

	// The SDK paginator walks the same way.
	p := r53.NewListHostedZonesPaginator(e.client, &r53.ListHostedZonesInput{MaxItems: aws.Int32(3)})
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.HostedZones)
	}
	if n != len(zoneNames) {
		t.Fatalf("paginator saw %d zones", n)
	}

	_, err := e.client.ListHostedZones(ctx, &r53.ListHostedZonesInput{Marker: aws.String("ZNOTAZONE")})
	var invalid *types.InvalidInput
	expectAPIError(t, err, "InvalidInput", 400, "", &invalid)
}

func TestListHostedZonesByName(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	ids := map[string]string{}
	for _, n := range zoneNames {
		ids[n+"."] = e.createZone(t, n, "ref-"+n)
	}

	out, err := e.client.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, z := range out.HostedZones {
		names = append(names, *z.Name)
	}
	if strings.Join(names, " ") != strings.Join(zoneOrder, " ") || out.IsTruncated {
		t.Fatalf("names = %v, truncated %v", names, out.IsTruncated)
	}

	// Walk from a.example.com one zone at a time.
	dns, zid := aws.String("A.Example.com"), (*string)(nil)
	var walked []string
	for {
		out, err := e.client.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{DNSName: dns, HostedZoneId: zid, MaxItems: aws.Int32(1)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.DNSName) != aws.ToString(dns) || aws.ToString(out.HostedZoneId) != aws.ToString(zid) {
			t.Errorf("echo: DNSName=%v HostedZoneId=%v", aws.ToString(out.DNSName), aws.ToString(out.HostedZoneId))
		}
		for _, z := range out.HostedZones {
			walked = append(walked, *z.Name)
		}
		if !out.IsTruncated {
			break
		}
		if ids[aws.ToString(out.NextDNSName)] != aws.ToString(out.NextHostedZoneId) {
			t.Fatalf("NextDNSName %v / NextHostedZoneId %v disagree", aws.ToString(out.NextDNSName), aws.ToString(out.NextHostedZoneId))
		}
		dns, zid = out.NextDNSName, out.NextHostedZoneId
	}
	if strings.Join(walked, " ") != strings.Join(zoneOrder[2:], " ") {
		t.Fatalf("walked %v", walked)
	}

	_, err = e.client.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{DNSName: aws.String("a..b")})
	var badName *types.InvalidDomainName
	expectAPIError(t, err, "InvalidDomainName", 400, "", &badName)

	_, err = e.client.ListHostedZonesByName(ctx, &r53.ListHostedZonesByNameInput{HostedZoneId: aws.String(ids["example.com."])})
	var invalid *types.InvalidInput
	expectAPIError(t, err, "InvalidInput", 400, "", &invalid)
}

func TestListHostedZonesByDelegationSet(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	ds, err := e.client.CreateReusableDelegationSet(ctx, &r53.CreateReusableDelegationSetInput{CallerReference: aws.String("ds-1")})
	if err != nil {
		t.Fatal(err)
	}
	e.createZone(t, "plain.example", "ref-plain")
	z, err := e.client.CreateHostedZone(ctx, &r53.CreateHostedZoneInput{
		Name: aws.String("reused.example"), CallerReference: aws.String("ref-reused"), DelegationSetId: ds.DelegationSet.Id,
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(z.DelegationSet.Id) != *ds.DelegationSet.Id ||
		strings.Join(z.DelegationSet.NameServers, ",") != strings.Join(ds.DelegationSet.NameServers, ",") {
		t.Fatalf("zone delegation set %+v, want %+v", z.DelegationSet, ds.DelegationSet)
	}
	out, err := e.client.ListHostedZones(ctx, &r53.ListHostedZonesInput{DelegationSetId: ds.DelegationSet.Id})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.HostedZones) != 1 || *out.HostedZones[0].Name != "reused.example." {
		t.Fatalf("filtered zones = %+v", out.HostedZones)
	}
	_, err = e.client.ListHostedZones(ctx, &r53.ListHostedZonesInput{DelegationSetId: aws.String("NNOSUCHSET")})
	var noSet *types.NoSuchDelegationSet
	expectAPIError(t, err, "NoSuchDelegationSet", 400, "", &noSet)

	private, err := e.client.ListHostedZones(ctx, &r53.ListHostedZonesInput{HostedZoneType: types.HostedZoneTypePrivateHostedZone})
	if err != nil {
		t.Fatal(err)
	}
	if len(private.HostedZones) != 0 {
		t.Fatalf("private zones listed: %+v", private.HostedZones)
	}
}
