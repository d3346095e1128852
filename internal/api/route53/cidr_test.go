package route53

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

func (e *testEnv) createCidr(t *testing.T, name string) *types.CidrCollection {
	t.Helper()
	out, err := e.client.CreateCidrCollection(context.Background(), &r53.CreateCidrCollectionInput{
		Name: aws.String(name), CallerReference: aws.String("ref-" + name),
	})
	if err != nil {
		t.Fatalf("create CIDR collection %s: %v", name, err)
	}
	return out.Collection
}

func (e *testEnv) changeCidr(t *testing.T, id string, changes ...types.CidrCollectionChange) string {
	t.Helper()
	out, err := e.client.ChangeCidrCollection(context.Background(), &r53.ChangeCidrCollectionInput{Id: aws.String(id), Changes: changes})
	if err != nil {
		t.Fatalf("change CIDR collection %s: %v", id, err)
	}
	return aws.ToString(out.Id)
}

func cidrPut(loc string, blocks ...string) types.CidrCollectionChange {
	return types.CidrCollectionChange{LocationName: aws.String(loc), Action: types.CidrCollectionChangeActionPut, CidrList: blocks}
}

func cidrDelete(loc string, blocks ...string) types.CidrCollectionChange {
	return types.CidrCollectionChange{LocationName: aws.String(loc), Action: types.CidrCollectionChangeActionDeleteIfExists, CidrList: blocks}
}

func (e *testEnv) allCidrBlocks(t *testing.T, id, location string, pageSize int32) []string {
	t.Helper()
	in := &r53.ListCidrBlocksInput{CollectionId: aws.String(id), MaxResults: aws.Int32(pageSize)}
	if location != "" {
		in.LocationName = aws.String(location)
	}
	var out []string
	p := r53.NewListCidrBlocksPaginator(e.client, in)
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("list CIDR blocks: %v", err)
		}
		if len(page.CidrBlocks) > int(pageSize) {
			t.Fatalf("page of %d blocks, asked for %d", len(page.CidrBlocks), pageSize)
		}
		for _, b := range page.CidrBlocks {
			out = append(out, aws.ToString(b.LocationName)+" "+aws.ToString(b.CidrBlock))
		}
	}
	return out
}

func TestCidrCollectionLifecycle(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()

	created, err := e.client.CreateCidrCollection(ctx, &r53.CreateCidrCollectionInput{
		Name: aws.String("offices"), CallerReference: aws.String("ref-offices"),
	})
	if err != nil {
		t.Fatal(err)
	}
	c := created.Collection
	id := aws.ToString(c.Id)
	if aws.ToString(c.Name) != "offices" || aws.ToInt64(c.Version) != 1 || aws.ToString(c.Arn) != "arn:aws:route53:::cidrcollection/"+id {
		t.Fatalf("collection = %+v", c)
	}
	if want := e.srv.URL + "/2013-04-01/cidrcollection/" + id; aws.ToString(created.Location) != want {
		t.Fatalf("Location = %q, want %q", aws.ToString(created.Location), want)
	}
	// A retry returns the same collection.
	retry, err := e.client.CreateCidrCollection(ctx, &r53.CreateCidrCollectionInput{
		Name: aws.String("offices"), CallerReference: aws.String("ref-offices"),
	})
	if err != nil || aws.ToString(retry.Collection.Id) != id {
		t.Fatalf("retry = %+v, %v", retry, err)
	}

	changeID := e.changeCidr(t, id,
		cidrPut("hq", "192.0.2.0/24", "2001:DB8::/32"),
		cidrPut("branch", "198.51.100.0/24", "10.0.0.0/8", "10.1.0.0/16"),
	)
	if !strings.HasPrefix(changeID, "/change/C") {
		t.Fatalf("change ID = %q", changeID)
	}
	e.synced.Store(1 << 40)
	ch, err := e.client.GetChange(ctx, &r53.GetChangeInput{Id: aws.String(changeID)})
	if err != nil || ch.ChangeInfo.Status != types.ChangeStatusInsync || aws.ToString(ch.ChangeInfo.Id) != changeID {
		t.Fatalf("GetChange = %+v, %v", ch, err)
	}

	locs, err := e.client.ListCidrLocations(ctx, &r53.ListCidrLocationsInput{CollectionId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range locs.CidrLocations {
		names = append(names, aws.ToString(l.LocationName))
	}
	if !reflect.DeepEqual(names, []string{"branch", "hq"}) || locs.NextToken != nil {
		t.Fatalf("locations = %v, next %v", names, locs.NextToken)
	}

	want := []string{"branch 10.0.0.0/8", "branch 10.1.0.0/16", "branch 198.51.100.0/24", "hq 192.0.2.0/24", "hq 2001:db8::/32"}
	for _, size := range []int32{1, 2, 100} {
		if got := e.allCidrBlocks(t, id, "", size); !reflect.DeepEqual(got, want) {
			t.Fatalf("blocks (pages of %d) = %v, want %v", size, got, want)
		}
	}
	if got := e.allCidrBlocks(t, id, "hq", 1); !reflect.DeepEqual(got, want[3:]) {
		t.Fatalf("hq blocks = %v", got)
	}

	// Optimistic locking.
	_, err = e.client.ChangeCidrCollection(ctx, &r53.ChangeCidrCollectionInput{
		Id: aws.String(id), CollectionVersion: aws.Int64(1), Changes: []types.CidrCollectionChange{cidrDelete("branch", "10.0.0.0/8")},
	})
	var mismatch *types.CidrCollectionVersionMismatchException
	expectAPIError(t, err, "CidrCollectionVersionMismatchException", http.StatusConflict,
		"The CIDR collection version you provided, 1, doesn't match the collection's current version, 2.", &mismatch)
	_, err = e.client.ChangeCidrCollection(ctx, &r53.ChangeCidrCollectionInput{
		Id: aws.String(id), CollectionVersion: aws.Int64(2),
		Changes: []types.CidrCollectionChange{cidrDelete("branch", "10.0.0.0/8", "10.1.0.0/16", "198.51.100.0/24")},
	})
	if err != nil {
		t.Fatal(err)
	}

	list, err := e.client.ListCidrCollections(ctx, &r53.ListCidrCollectionsInput{})
	if err != nil || len(list.CidrCollections) != 1 || aws.ToInt64(list.CidrCollections[0].Version) != 3 ||
		aws.ToString(list.CidrCollections[0].Arn) != aws.ToString(c.Arn) {
		t.Fatalf("collections = %+v, %v", list, err)
	}

	var inUse *types.CidrCollectionInUseException
	_, err = e.client.DeleteCidrCollection(ctx, &r53.DeleteCidrCollectionInput{Id: aws.String(id)})
	expectAPIError(t, err, "CidrCollectionInUseException", http.StatusBadRequest,
		"The CIDR collection "+id+" still has 1 location(s); delete their CIDR blocks first.", &inUse)
	e.changeCidr(t, id, cidrDelete("hq", "192.0.2.0/24", "2001:db8::/32"))
	if _, err := e.client.DeleteCidrCollection(ctx, &r53.DeleteCidrCollectionInput{Id: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	var noColl *types.NoSuchCidrCollectionException
	_, err = e.client.ListCidrLocations(ctx, &r53.ListCidrLocationsInput{CollectionId: aws.String(id)})
	expectAPIError(t, err, "NoSuchCidrCollectionException", http.StatusNotFound, "No CIDR collection found with ID: "+id, &noColl)
	_, err = e.client.DeleteCidrCollection(ctx, &r53.DeleteCidrCollectionInput{Id: aws.String(id)})
	expectAPIError(t, err, "NoSuchCidrCollectionException", http.StatusNotFound, "", &noColl)
	list, err = e.client.ListCidrCollections(ctx, &r53.ListCidrCollectionsInput{})
	if err != nil || len(list.CidrCollections) != 0 {
		t.Fatalf("collections after delete = %+v, %v", list, err)
	}
}

func TestCidrCollectionErrors(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	c := e.createCidr(t, "net")
	id := aws.ToString(c.Id)
	e.changeCidr(t, id, cidrPut("hq", "192.0.2.0/24"))

	var exists *types.CidrCollectionAlreadyExistsException
	_, err := e.client.CreateCidrCollection(ctx, &r53.CreateCidrCollectionInput{Name: aws.String("net"), CallerReference: aws.String("other")})
	expectAPIError(t, err, "CidrCollectionAlreadyExistsException", http.StatusBadRequest,
		"A CIDR collection with the name net already exists with a different caller reference.", &exists)

	var invalid *types.InvalidInput
	_, err = e.client.CreateCidrCollection(ctx, &r53.CreateCidrCollectionInput{Name: aws.String("bad name"), CallerReference: aws.String("r")})
	expectAPIError(t, err, "InvalidInput", http.StatusBadRequest, "", &invalid)
	_, err = e.client.ChangeCidrCollection(ctx, &r53.ChangeCidrCollectionInput{Id: aws.String(id), Changes: []types.CidrCollectionChange{cidrPut("lab", "192.0.2.0/25")}})
	expectAPIError(t, err, "InvalidInput", http.StatusBadRequest,
		`The CIDR block 192.0.2.0/25 is not allowed: IPv4 CIDR blocks must have a prefix length between 1 and 24; use the default location "*" for a zero-bit block.`, &invalid)
	_, err = e.client.ChangeCidrCollection(ctx, &r53.ChangeCidrCollectionInput{Id: aws.String(id), Changes: []types.CidrCollectionChange{cidrPut("*", "192.0.3.0/24")}})
	expectAPIError(t, err, "InvalidInput", http.StatusBadRequest, "", &invalid)

	var blockInUse *types.CidrBlockInUseException
	_, err = e.client.ChangeCidrCollection(ctx, &r53.ChangeCidrCollectionInput{Id: aws.String(id), Changes: []types.CidrCollectionChange{cidrPut("lab", "192.0.2.0/24")}})
	expectAPIError(t, err, "CidrBlockInUseException", http.StatusBadRequest, "", &blockInUse)

	// A location an IP-based record set uses cannot lose its last block,
	// nor the collection be deleted while a record set routes with it.
	zoneID := e.createZone(t, "example.com", "zone-ref")
	e.change(t, zoneID, types.Change{Action: types.ChangeActionCreate, ResourceRecordSet: &types.ResourceRecordSet{
		Name: aws.String("ip.example.com"), Type: types.RRTypeA, SetIdentifier: aws.String("hq"), TTL: aws.Int64(60),
		ResourceRecords:   []types.ResourceRecord{{Value: aws.String("192.0.2.10")}},
		CidrRoutingConfig: &types.CidrRoutingConfig{CollectionId: aws.String(id), LocationName: aws.String("hq")},
	}})
	_, err = e.client.ChangeCidrCollection(ctx, &r53.ChangeCidrCollectionInput{Id: aws.String(id), Changes: []types.CidrCollectionChange{cidrDelete("hq", "192.0.2.0/24")}})
	expectAPIError(t, err, "CidrBlockInUseException", http.StatusBadRequest,
		"The change would remove every CIDR block of location hq, which resource record set [name='ip.example.com.', type='A', set-identifier='hq'] in hosted zone "+zoneID+" uses.", &blockInUse)

	var noLoc *types.NoSuchCidrLocationException
	_, err = e.client.ListCidrBlocks(ctx, &r53.ListCidrBlocksInput{CollectionId: aws.String(id), LocationName: aws.String("lab")})
	expectAPIError(t, err, "NoSuchCidrLocationException", http.StatusNotFound, "No CIDR location found with name lab in CIDR collection: "+id, &noLoc)

	var limits *types.LimitsExceeded
	for i := range 4 {
		e.createCidr(t, fmt.Sprintf("extra%d", i))
	}
	_, err = e.client.CreateCidrCollection(ctx, &r53.CreateCidrCollectionInput{Name: aws.String("sixth"), CallerReference: aws.String("ref-sixth")})
	expectAPIError(t, err, "LimitsExceeded", http.StatusBadRequest, "", &limits)

	pages := 0
	var names []string
	p := r53.NewListCidrCollectionsPaginator(e.client, &r53.ListCidrCollectionsInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, c := range page.CidrCollections {
			names = append(names, aws.ToString(c.Name))
		}
	}
	if want := []string{"extra0", "extra1", "extra2", "extra3", "net"}; !reflect.DeepEqual(names, want) || pages != 3 {
		t.Fatalf("collections = %v in %d pages", names, pages)
	}

	_, err = e.client.ListCidrBlocks(ctx, &r53.ListCidrBlocksInput{CollectionId: aws.String(id), NextToken: aws.String("bogus")})
	expectAPIError(t, err, "InvalidInput", http.StatusBadRequest, "The pagination token 'bogus' is not valid for this request.", &invalid)
	_, err = e.client.ListCidrLocations(ctx, &r53.ListCidrLocationsInput{CollectionId: aws.String("not-a-uuid")})
	expectAPIError(t, err, "InvalidInput", http.StatusBadRequest, "", &invalid)
}

// TestCidrWire checks the XML on the wire: member items, empty lists, the
// empty delete response, and request forms the SDKs do not produce.
func TestCidrWire(t *testing.T) {
	e := newTestEnv(t)
	resp, body := e.do(t, "GET", "/2013-04-01/cidrcollection", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<CidrCollections></CidrCollections>") {
		t.Fatalf("empty list: %d %s", resp.StatusCode, body)
	}
	id := aws.ToString(e.createCidr(t, "net").Id)

	// The API reference's sample names change items CidrCollectionChange.
	req := `<?xml version="1.0" encoding="UTF-8"?>
<ChangeCidrCollectionRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
  <Changes><CidrCollectionChange><Action>PUT</Action><CidrList><Cidr>192.0.2.0/24</Cidr></CidrList><LocationName>hq</LocationName></CidrCollectionChange></Changes>
  <CollectionVersion>1</CollectionVersion>
</ChangeCidrCollectionRequest>`
	resp, body = e.do(t, "POST", "/2013-04-01/cidrcollection/"+id, []byte(req))
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<ChangeCidrCollectionResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Id>/change/C") {
		t.Fatalf("change: %d %s", resp.StatusCode, body)
	}

	tests := []struct {
		path string
		want string
	}{
		{"/2013-04-01/cidrcollection", "<CidrCollections><member><Arn>arn:aws:route53:::cidrcollection/" + id + "</Arn><Id>" + id + "</Id><Name>net</Name><Version>2</Version></member></CidrCollections>"},
		{"/2013-04-01/cidrcollection/" + id, "<CidrLocations><member><LocationName>hq</LocationName></member></CidrLocations>"},
		{"/2013-04-01/cidrcollection/" + id + "/cidrblocks?location=hq", "<CidrBlocks><member><CidrBlock>192.0.2.0/24</CidrBlock><LocationName>hq</LocationName></member></CidrBlocks>"},
	}
	for _, tc := range tests {
		resp, body := e.do(t, "GET", tc.path, nil)
		if resp.StatusCode != 200 || !strings.Contains(string(body), tc.want) || strings.Contains(string(body), "NextToken") {
			t.Errorf("GET %s: %d %s\nwant %s", tc.path, resp.StatusCode, body, tc.want)
		}
	}

	bad := []struct {
		method, path, body, wantMsg string
	}{
		{"GET", "/2013-04-01/cidrcollection?maxresults=0", "", "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must be a positive integer"},
		{"GET", "/2013-04-01/cidrcollection/" + id + "/cidrblocks?maxresults=x", "", "1 validation error detected: Value 'x' at 'maxResults' failed to satisfy constraint: Member must be a positive integer"},
		{"POST", "/2013-04-01/cidrcollection/" + id, `<ChangeCidrCollectionRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Changes/></ChangeCidrCollectionRequest>`, "Invalid XML ; cvc-complex-type.2.4.b"},
		{"POST", "/2013-04-01/cidrcollection/" + id, `<ChangeCidrCollectionRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Changes><member><LocationName>a</LocationName><Action>PUT</Action><CidrList><Cidr></Cidr></CidrList></member></Changes></ChangeCidrCollectionRequest>`, "Invalid XML ; cvc-minLength-valid"},
		{"POST", "/2013-04-01/cidrcollection/" + id, `<ChangeCidrCollectionRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Changes><member><LocationName>a</LocationName><Action>PUT</Action></member></Changes></ChangeCidrCollectionRequest>`, "Invalid XML ; cvc-complex-type.2.4.b: The content of element 'member' is not complete."},
		{"POST", "/2013-04-01/cidrcollection/" + id, `<ChangeCidrCollectionRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><CollectionVersion>two</CollectionVersion><Changes><member><LocationName>a</LocationName><Action>PUT</Action><CidrList><Cidr>192.0.2.0/24</Cidr></CidrList></member></Changes></ChangeCidrCollectionRequest>`, "Invalid XML ; cvc-datatype-valid.1.2.1"},
		{"POST", "/2013-04-01/cidrcollection", `<CreateCidrCollectionRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>x</Name></CreateCidrCollectionRequest>`, "Invalid XML ; cvc-complex-type.2.4.b"},
	}
	for _, tc := range bad {
		var b []byte
		if tc.body != "" {
			b = []byte(tc.body)
		}
		resp, body := e.do(t, tc.method, tc.path, b)
		checkError(t, resp, body, http.StatusBadRequest, "InvalidInput", tc.wantMsg)
	}

	e.changeCidr(t, id, cidrDelete("hq", "192.0.2.0/24"))
	resp, body = e.do(t, "DELETE", "/2013-04-01/cidrcollection/"+id, nil)
	if want := `<?xml version="1.0"?>` + "\n" + `<DeleteCidrCollectionResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"/>`; resp.StatusCode != 200 || strings.TrimSpace(string(body)) != want {
		t.Fatalf("delete: %d %q", resp.StatusCode, body)
	}
}
