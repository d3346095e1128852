package route53

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// populate fills example.com with record sets of several shapes.
func populate(t *testing.T, e *testEnv) string {
	t.Helper()
	id := e.createZone(t, "example.com", "ref-rrsets")
	weighted := func(setID string, w int64, v string) types.Change {
		c := simpleA(types.ChangeActionCreate, "w.example.com", 60, v)
		c.ResourceRecordSet.SetIdentifier = aws.String(setID)
		c.ResourceRecordSet.Weight = aws.Int64(w)
		return c
	}
	out, err := e.client.ChangeResourceRecordSets(context.Background(), &r53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String("/hostedzone/" + id),
		ChangeBatch: &types.ChangeBatch{Comment: aws.String("initial records"), Changes: []types.Change{
			simpleA(types.ChangeActionCreate, "www.example.com", 300, "192.0.2.44"),
			{Action: types.ChangeActionCreate, ResourceRecordSet: &types.ResourceRecordSet{
				Name: aws.String("*.example.com"), Type: types.RRTypeTxt, TTL: aws.Int64(60),
				ResourceRecords: []types.ResourceRecord{{Value: aws.String(`"wild"`)}},
			}},
			{Action: types.ChangeActionCreate, ResourceRecordSet: &types.ResourceRecordSet{
				Name: aws.String("alias.example.com"), Type: types.RRTypeA,
				AliasTarget: &types.AliasTarget{HostedZoneId: aws.String(id), DNSName: aws.String("WWW.example.com"), EvaluateTargetHealth: false},
			}},
			weighted("two", 20, "192.0.2.2"),
			weighted("one", 10, "192.0.2.1"),
			{Action: types.ChangeActionCreate, ResourceRecordSet: &types.ResourceRecordSet{
				Name: aws.String("geo.example.com"), Type: types.RRTypeA, SetIdentifier: aws.String("default"),
				GeoLocation: &types.GeoLocation{CountryCode: aws.String("*")}, TTL: aws.Int64(60),
				ResourceRecords: []types.ResourceRecord{{Value: aws.String("192.0.2.9")}},
			}},
			{Action: types.ChangeActionCreate, ResourceRecordSet: &types.ResourceRecordSet{
				Name: aws.String("mail.example.com"), Type: types.RRTypeMx, TTL: aws.Int64(3600),
				ResourceRecords: []types.ResourceRecord{{Value: aws.String("20 mx2.example.com")}, {Value: aws.String("10 mx1.example.com.")}},
			}},
		}},
	})
	if err != nil {
		t.Fatalf("populate: %v", err)
	}
	if out.ChangeInfo.Status != types.ChangeStatusPending || aws.ToString(out.ChangeInfo.Comment) != "initial records" {
		t.Fatalf("change info = %+v", out.ChangeInfo)
	}
	return id
}

// rrsetOrder is ListResourceRecordSets order for populate's zone.
var rrsetOrder = []string{
	"example.com. NS", "example.com. SOA", `\052.example.com. TXT`, "alias.example.com. A",
	"geo.example.com. A default", "mail.example.com. MX", "w.example.com. A one", "w.example.com. A two",
	"www.example.com. A",
}

func keyOf(rs types.ResourceRecordSet) string {
	k := *rs.Name + " " + string(rs.Type)
	if rs.SetIdentifier != nil {
		k += " " + *rs.SetIdentifier
	}
	return k
}

func TestListResourceRecordSets(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	id := populate(t, e)

	all, err := e.client.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if all.IsTruncated || aws.ToInt32(all.MaxItems) != 300 || all.NextRecordName != nil {
		t.Errorf("one page: truncated=%v MaxItems=%v", all.IsTruncated, aws.ToInt32(all.MaxItems))
	}
	var keys []string
	byKey := map[string]types.ResourceRecordSet{}
	for _, rs := range all.ResourceRecordSets {
		keys = append(keys, keyOf(rs))
		byKey[keyOf(rs)] = rs
	}
	if !reflect.DeepEqual(keys, rrsetOrder) {
		t.Fatalf("order:\n got %q\nwant %q", keys, rrsetOrder)
	}

	www := byKey["www.example.com. A"]
	if aws.ToInt64(www.TTL) != 300 || len(www.ResourceRecords) != 1 || *www.ResourceRecords[0].Value != "192.0.2.44" {
		t.Errorf("www = %+v", www)
	}
	alias := byKey["alias.example.com. A"]
	if alias.AliasTarget == nil || *alias.AliasTarget.DNSName != "www.example.com." || *alias.AliasTarget.HostedZoneId != id ||
		alias.TTL != nil || alias.ResourceRecords != nil {
		t.Errorf("alias = %+v / %+v", alias, alias.AliasTarget)
	}
	geo := byKey["geo.example.com. A default"]
	if geo.GeoLocation == nil || aws.ToString(geo.GeoLocation.CountryCode) != "*" || geo.GeoLocation.ContinentCode != nil {
		t.Errorf("geo = %+v", geo.GeoLocation)
	}
	if w := byKey["w.example.com. A one"]; aws.ToInt64(w.Weight) != 10 {
		t.Errorf("weighted one = %+v", w)
	}
	mx := byKey["mail.example.com. MX"]
	if len(mx.ResourceRecords) != 2 || *mx.ResourceRecords[0].Value != "20 mx2.example.com" || *mx.ResourceRecords[1].Value != "10 mx1.example.com." {
		t.Errorf("mx values are not returned verbatim: %+v", mx.ResourceRecords)
	}
	ns := byKey["example.com. NS"]
	if aws.ToInt64(ns.TTL) != 172800 || len(ns.ResourceRecords) != 4 || !strings.HasSuffix(*ns.ResourceRecords[0].Value, ".") {
		t.Errorf("ns = %+v", ns)
	}
	soa := byKey["example.com. SOA"]
	if aws.ToInt64(soa.TTL) != 900 || !strings.Contains(*soa.ResourceRecords[0].Value, "awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400") {
		t.Errorf("soa = %+v", soa)
	}

	// Walk one record set at a time with NextRecord*.
	in := &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id), MaxItems: aws.Int32(1)}
	var walked []string
	for {
		out, err := e.client.ListResourceRecordSets(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.ResourceRecordSets) != 1 {
			t.Fatalf("page with %d record sets", len(out.ResourceRecordSets))
		}
		walked = append(walked, keyOf(out.ResourceRecordSets[0]))
		if !out.IsTruncated {
			if out.NextRecordName != nil || out.NextRecordType != "" || out.NextRecordIdentifier != nil {
				t.Errorf("Next* on the last page")
			}
			break
		}
		next := aws.ToString(out.NextRecordName) + " " + string(out.NextRecordType)
		if out.NextRecordIdentifier != nil {
			next += " " + *out.NextRecordIdentifier
		}
		if want := rrsetOrder[len(walked)]; next != want {
			t.Fatalf("Next = %q, want %q", next, want)
		}
		in.StartRecordName, in.StartRecordType, in.StartRecordIdentifier = out.NextRecordName, out.NextRecordType, out.NextRecordIdentifier
	}
	if !reflect.DeepEqual(walked, rrsetOrder) {
		t.Fatalf("walked %q", walked)
	}

	// The SDK paginator does the same walk.
	p := r53.NewListResourceRecordSetsPaginator(e.client, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id), MaxItems: aws.Int32(4)})
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.ResourceRecordSets)
	}
	if n != len(rrsetOrder) {
		t.Fatalf("paginator saw %d record sets", n)
	}
}

func TestListResourceRecordSetsStart(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	id := populate(t, e)
	cases := []struct {
		name, typ, ident string
		first            string
	}{
		{name: "WWW.Example.COM", first: "www.example.com. A"},
		{name: "w.example.com.", typ: "A", first: "w.example.com. A one"},
		{name: "w.example.com", typ: "A", ident: "two", first: "w.example.com. A two"},
		{name: "*.example.com", first: `\052.example.com. TXT`},
		{name: "example.com", typ: "SOA", first: "example.com. SOA"},
		{name: "mail.example.com", typ: "NS", first: "w.example.com. A one"},
		{name: "zzz.example.com", first: ""},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/%s/%s", tc.name, tc.typ, tc.ident), func(t *testing.T) {
			in := &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id), StartRecordName: aws.String(tc.name), MaxItems: aws.Int32(1)}
			if tc.typ != "" {
				in.StartRecordType = types.RRType(tc.typ)
			}
			if tc.ident != "" {
				in.StartRecordIdentifier = aws.String(tc.ident)
			}
			out, err := e.client.ListResourceRecordSets(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(out.ResourceRecordSets) > 0 {
				got = keyOf(out.ResourceRecordSets[0])
			}
			if got != tc.first {
				t.Fatalf("first = %q, want %q", got, tc.first)
			}
		})
	}

	var invalid *types.InvalidInput
	_, err := e.client.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id), StartRecordType: types.RRTypeA})
	expectAPIError(t, err, "InvalidInput", 400, "", &invalid)
	_, err = e.client.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id), StartRecordName: aws.String("x.example.com"), StartRecordType: "BOGUS"})
	expectAPIError(t, err, "InvalidInput", 400, "", &invalid)
	var noZone *types.NoSuchHostedZone
	_, err = e.client.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String("ZMISSING")})
	expectAPIError(t, err, "NoSuchHostedZone", 404, "No hosted zone found with ID: ZMISSING", &noZone)
}

func TestChangeResourceRecordSetsErrors(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	id := e.createZone(t, "example.com", "ref-errors")
	e.change(t, id, simpleA(types.ChangeActionCreate, "www.example.com", 300, "192.0.2.44"))

	cname := func(name, target string) types.Change {
		return types.Change{Action: types.ChangeActionCreate, ResourceRecordSet: &types.ResourceRecordSet{
			Name: aws.String(name), Type: types.RRTypeCname, TTL: aws.Int64(300),
			ResourceRecords: []types.ResourceRecord{{Value: aws.String(target)}},
		}}
	}
	aliasWithTTL := types.Change{Action: types.ChangeActionCreate, ResourceRecordSet: &types.ResourceRecordSet{
		Name: aws.String("Both.example.com"), Type: types.RRTypeA, TTL: aws.Int64(60),
		ResourceRecords: []types.ResourceRecord{{Value: aws.String("192.0.2.1")}},
		AliasTarget:     &types.AliasTarget{HostedZoneId: aws.String(id), DNSName: aws.String("www.example.com")},
	}}
	cases := []struct {
		name     string
		zone     string
		changes  []types.Change
		code     string
		status   int
		message  string
		messages []string
	}{
		{name: "CNAME at apex", changes: []types.Change{cname("example.com", "www.example.com")},
			code: "InvalidChangeBatch", status: 400,
			message: "[RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone example.com.]"},
		{name: "duplicate CREATE", changes: []types.Change{simpleA(types.ChangeActionCreate, "www.example.com", 300, "192.0.2.44")},
			code: "InvalidChangeBatch", status: 400,
			message: "[Tried to create resource record set [name='www.example.com.', type='A'] but it already exists]"},
		{name: "DELETE with wrong values", changes: []types.Change{simpleA(types.ChangeActionDelete, "www.example.com", 300, "192.0.2.45")},
			code: "InvalidChangeBatch", status: 400,
			message: "[Tried to delete resource record set [name='www.example.com.', type='A'] but the values provided do not match the current values]"},
		{name: "two problems in one batch", changes: []types.Change{
			simpleA(types.ChangeActionCreate, "www.example.com", 300, "192.0.2.44"),
			simpleA(types.ChangeActionDelete, "gone.example.com", 300, "192.0.2.1"),
		}, code: "InvalidChangeBatch", status: 400,
			message: "[Tried to create resource record set [name='www.example.com.', type='A'] but it already exists, " +
				"Tried to delete resource record set [name='gone.example.com.', type='A'] but it was not found]"},
		{name: "name outside the zone", changes: []types.Change{simpleA(types.ChangeActionCreate, "www.other.org", 300, "192.0.2.1")},
			code: "InvalidChangeBatch", status: 400,
			message: "[RRSet with DNS name www.other.org. is not permitted in zone example.com.]"},
		{name: "alias and values", changes: []types.Change{aliasWithTTL}, code: "InvalidInput", status: 400,
			message: "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], " +
				"but found more than one in Change with [Action=CREATE, Name=Both.example.com, Type=A, SetIdentifier=null]"},
		{name: "unknown zone", zone: "ZNOSUCHZONE", changes: []types.Change{simpleA(types.ChangeActionCreate, "www.example.com", 300, "192.0.2.1")},
			code: "NoSuchHostedZone", status: 404, message: "No hosted zone found with ID: ZNOSUCHZONE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			zid := id
			if tc.zone != "" {
				zid = tc.zone
			}
			_, err := e.client.ChangeResourceRecordSets(ctx, &r53.ChangeResourceRecordSetsInput{
				HostedZoneId: aws.String(zid), ChangeBatch: &types.ChangeBatch{Changes: tc.changes},
			})
			switch tc.code {
			case "InvalidChangeBatch":
				var icb *types.InvalidChangeBatch
				expectAPIError(t, err, tc.code, tc.status, tc.message, &icb)
				if !strings.Contains(err.Error(), "InvalidChangeBatch: "+tc.message) {
					t.Errorf("SDK error text %q", err.Error())
				}
			case "InvalidInput":
				var ii *types.InvalidInput
				expectAPIError(t, err, tc.code, tc.status, tc.message, &ii)
			case "NoSuchHostedZone":
				var nz *types.NoSuchHostedZone
				expectAPIError(t, err, tc.code, tc.status, tc.message, &nz)
			}
		})
	}

	// Nothing above changed the zone.
	out, err := e.client.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{HostedZoneId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ResourceRecordSets) != 3 {
		t.Fatalf("zone has %d record sets after failed batches", len(out.ResourceRecordSets))
	}

	// The update pattern: DELETE then CREATE of one key in one batch.
	e.change(t, id,
		simpleA(types.ChangeActionDelete, "www.example.com", 300, "192.0.2.44"),
		simpleA(types.ChangeActionCreate, "www.example.com", 60, "192.0.2.45"))
	got, err := e.client.ListResourceRecordSets(ctx, &r53.ListResourceRecordSetsInput{
		HostedZoneId: aws.String(id), StartRecordName: aws.String("www.example.com"), StartRecordType: types.RRTypeA, MaxItems: aws.Int32(1),
	})
	if err != nil {
		t.Fatal(err)
	}
	if rs := got.ResourceRecordSets[0]; aws.ToInt64(rs.TTL) != 60 || *rs.ResourceRecords[0].Value != "192.0.2.45" {
		t.Fatalf("after DELETE+CREATE: %+v", rs)
	}
}

func TestGetChangeStatus(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	id := e.createZone(t, "example.com", "ref-change")

	ci := e.change(t, id, simpleA(types.ChangeActionCreate, "www.example.com", 300, "192.0.2.44"))
	if ci.Status != types.ChangeStatusPending {
		t.Fatalf("new change status = %v", ci.Status)
	}
	rev, err := e.store.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.synced.Store(rev - 1)
	got, err := e.client.GetChange(ctx, &r53.GetChangeInput{Id: ci.Id})
	if err != nil {
		t.Fatal(err)
	}
	if got.ChangeInfo.Status != types.ChangeStatusPending || *got.ChangeInfo.Id != *ci.Id || !got.ChangeInfo.SubmittedAt.Equal(*ci.SubmittedAt) {
		t.Fatalf("before sync: %+v", got.ChangeInfo)
	}

	e.synced.Store(rev)
	got, err = e.client.GetChange(ctx, &r53.GetChangeInput{Id: aws.String(bareID(*ci.Id))})
	if err != nil {
		t.Fatal(err)
	}
	if got.ChangeInfo.Status != types.ChangeStatusInsync {
		t.Fatalf("after sync: %v", got.ChangeInfo.Status)
	}
	// The CLI's `wait resource-record-sets-changed` waiter returns at once.
	w := r53.NewResourceRecordSetsChangedWaiter(e.client)
	if err := w.Wait(ctx, &r53.GetChangeInput{Id: ci.Id}, 5*time.Second); err != nil {
		t.Fatalf("waiter: %v", err)
	}

	_, err = e.client.GetChange(ctx, &r53.GetChangeInput{Id: aws.String("CNOSUCHCHANGE")})
	var noChange *types.NoSuchChange
	expectAPIError(t, err, "NoSuchChange", 404, "", &noChange)
}
