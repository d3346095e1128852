package route53

import (
	"context"
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
)

const xmlDecl = `<?xml version="1.0"?>`

var (
	uuidRE      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	timestampRE = regexp.MustCompile(`<SubmittedAt>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z</SubmittedAt>`)
)

type errorDoc struct {
	XMLName xml.Name
	Error   struct {
		Type, Code, Message string
	}
	RequestID string `xml:"RequestId"`
}

// checkError asserts an <ErrorResponse> in Route 53's exact form.
func checkError(t *testing.T, resp *http.Response, body []byte, status int, code, msgPart string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, status, body)
	}
	if !strings.HasPrefix(string(body), xmlDecl) || resp.Header.Get("Content-Type") != "text/xml" {
		t.Fatalf("not an XML response: %s %s", resp.Header.Get("Content-Type"), body)
	}
	var doc errorDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.XMLName.Local != "ErrorResponse" || doc.XMLName.Space != Namespace {
		t.Fatalf("root %v", doc.XMLName)
	}
	wantType := "Sender"
	if status >= 500 {
		wantType = "Receiver"
	}
	if doc.Error.Type != wantType || doc.Error.Code != code || !strings.Contains(doc.Error.Message, msgPart) {
		t.Fatalf("error = %+v, want %s containing %q", doc.Error, code, msgPart)
	}
	if id := resp.Header.Get("x-amzn-RequestId"); !uuidRE.MatchString(id) || id != doc.RequestID {
		t.Fatalf("request ID header %q, body %q", id, doc.RequestID)
	}
}

const createZoneBody = `<?xml version="1.0" encoding="UTF-8"?>
<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
  <Name>wire.example</Name><CallerReference>wire-1</CallerReference>
  <HostedZoneConfig><Comment>c</Comment><PrivateZone>false</PrivateZone></HostedZoneConfig>
</CreateHostedZoneRequest>`

func TestWireFormat(t *testing.T) {
	e := newTestEnv(t)

	resp, body := e.do(t, "POST", "/2013-04-01/hostedzone", []byte(createZoneBody))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	if !strings.HasPrefix(string(body), xmlDecl+"\n"+`<CreateHostedZoneResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">`) {
		t.Fatalf("create body: %s", body)
	}
	if resp.Header.Get("Content-Type") != "text/xml" || !uuidRE.MatchString(resp.Header.Get("x-amzn-RequestId")) {
		t.Fatalf("headers: %v", resp.Header)
	}
	if !timestampRE.Match(body) {
		t.Errorf("SubmittedAt not ISO-8601 with milliseconds: %s", body)
	}
	if !strings.Contains(string(body), "<Config><Comment>c</Comment><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount>") {
		t.Errorf("hosted zone shape: %s", body)
	}
	var created struct {
		HostedZone struct {
			ID string `xml:"Id"`
		}
	}
	if err := xml.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	id := bareID(created.HostedZone.ID)
	if loc := resp.Header.Get("Location"); loc != e.srv.URL+"/2013-04-01/hostedzone/"+id {
		t.Errorf("Location = %q", loc)
	}

	// IDs in paths: bare, or with the prefix URL-encoded.
	for _, p := range []string{id, "%2Fhostedzone%2F" + id} {
		resp, body := e.do(t, "GET", "/2013-04-01/hostedzone/"+p, nil)
		if resp.StatusCode != 200 || !strings.Contains(string(body), "<Id>/hostedzone/"+id+"</Id>") {
			t.Fatalf("GET %s: %d %s", p, resp.StatusCode, body)
		}
	}

	change := func(name string) []byte {
		return []byte(`<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change>` +
			`<Action>CREATE</Action><ResourceRecordSet><Name>` + name + `</Name><Type>A</Type><TTL>300</TTL>` +
			`<ResourceRecords><ResourceRecord><Value>192.0.2.44</Value></ResourceRecord></ResourceRecords>` +
			`</ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`)
	}
	// ChangeResourceRecordSets with and without the trailing slash, element
	// order not the model's.
	for i, p := range []string{"/rrset/", "/rrset"} {
		name := []string{"a.wire.example", "b.wire.example"}[i]
		resp, body := e.do(t, "POST", "/2013-04-01/hostedzone/"+id+p, change(name))
		if resp.StatusCode != 200 || !strings.Contains(string(body), "<Status>PENDING</Status>") ||
			!strings.HasPrefix(string(body), xmlDecl+"\n"+`<ChangeResourceRecordSetsResponse xmlns="`+Namespace+`"><ChangeInfo><Id>/change/C`) {
			t.Fatalf("POST %s: %d %s", p, resp.StatusCode, body)
		}
	}
	resp, body = e.do(t, "GET", "/2013-04-01/hostedzone/"+id+"/rrset/?name=a.wire.example&type=A&maxitems=1", nil)
	want := `<ResourceRecordSets><ResourceRecordSet><Name>a.wire.example.</Name><Type>A</Type><TTL>300</TTL>` +
		`<ResourceRecords><ResourceRecord><Value>192.0.2.44</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></ResourceRecordSets>` +
		`<IsTruncated>true</IsTruncated><NextRecordName>b.wire.example.</NextRecordName><NextRecordType>A</NextRecordType><MaxItems>1</MaxItems>`
	if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
		t.Fatalf("list rrsets: %d %s", resp.StatusCode, body)
	}

	// Operations without output members answer with an empty root.
	resp, body = e.do(t, "POST", "/2013-04-01/tags/hostedzone/"+id,
		[]byte(`<ChangeTagsForResourceRequest xmlns="`+Namespace+`"><AddTags><Tag><Key>k</Key><Value>v</Value></Tag></AddTags></ChangeTagsForResourceRequest>`))
	if resp.StatusCode != 200 || string(body) != xmlDecl+"\n"+`<ChangeTagsForResourceResponse xmlns="`+Namespace+`"/>` {
		t.Fatalf("change tags: %d %s", resp.StatusCode, body)
	}

	resp, body = e.do(t, "GET", "/2013-04-01/hostedzonecount", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<HostedZoneCount>1</HostedZoneCount>") {
		t.Fatalf("count: %s", body)
	}
	resp, body = e.do(t, "GET", "/2013-04-01/hostedzone?maxitems=500", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<MaxItems>500</MaxItems>") || strings.Contains(string(body), "<Marker>") {
		t.Fatalf("list zones: %s", body)
	}
}

func TestWireErrors(t *testing.T) {
	e := newTestEnv(t)
	id := e.createZone(t, "example.com", "ref-wire-errors")
	rrset := "/2013-04-01/hostedzone/" + id + "/rrset/"
	batch := func(inner string) string {
		return `<ChangeResourceRecordSetsRequest xmlns="` + Namespace + `"><ChangeBatch><Changes><Change><Action>CREATE</Action>` +
			`<ResourceRecordSet><Name>x.example.com</Name><Type>A</Type>` + inner +
			`</ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`
	}
	values := `<ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords>`
	cases := []struct {
		name, method, path, body string
		status                   int
		code, msgPart            string
	}{
		{"unknown path", "GET", "/2013-04-01/nothing", "", 404, "UnknownOperationException", "GET /2013-04-01/nothing"},
		{"unclean path", "GET", "/2013-04-01/hostedzone//hostedzone/" + id, "", 404, "UnknownOperationException", "hostedzone//hostedzone"},
		{"dot segment", "GET", "/2013-04-01/hostedzone/../hostedzonecount", "", 404, "UnknownOperationException", ""},
		{"unsupported method", "PUT", "/2013-04-01/hostedzone", "", 404, "UnknownOperationException", "PUT"},
		{"unknown zone", "GET", "/2013-04-01/hostedzone/ZNOPE", "", 404, "NoSuchHostedZone", "No hosted zone found with ID: ZNOPE"},
		{"unknown element", "POST", rrset, batch(`<TTL>60</TTL><Colour>red</Colour>` + values), 400, "InvalidInput",
			"Invalid XML ; cvc-complex-type.2.4.a: Invalid content was found starting with element 'Colour'."},
		{"TTL not a number", "POST", rrset, batch(`<TTL>sixty</TTL>` + values), 400, "InvalidInput",
			"Invalid XML ; cvc-datatype-valid.1.2.1: 'sixty' is not a valid value for 'integer'."},
		{"boolean", "POST", rrset, batch(`<MultiValueAnswer>yes</MultiValueAnswer><SetIdentifier>a</SetIdentifier><TTL>1</TTL>` + values), 400, "InvalidInput",
			"'yes' is not a valid value for 'boolean'."},
		{"TTL out of range", "POST", rrset, batch(`<TTL>-1</TTL>` + values), 400, "InvalidInput", "tTL"},
		{"bad action", "POST", rrset, strings.Replace(batch(`<TTL>1</TTL>`+values), "CREATE", "MAKE", 1), 400, "InvalidInput",
			"Invalid XML ; cvc-enumeration-valid: Value 'MAKE' is not facet-valid with respect to enumeration '[CREATE, DELETE, UPSERT]'. It must be a value from the enumeration."},
		{"empty ResourceRecords", "POST", rrset, batch(`<TTL>1</TTL><ResourceRecords/>`), 400, "InvalidInput", "cvc-complex-type.2.4.b"},
		{"no changes", "POST", rrset, `<ChangeResourceRecordSetsRequest xmlns="` + Namespace + `"><ChangeBatch><Changes/></ChangeBatch></ChangeResourceRecordSetsRequest>`,
			400, "InvalidInput", "The content of element 'Changes' is not complete."},
		{"wrong root", "POST", rrset, `<CreateHostedZoneRequest/>`, 400, "InvalidInput", "Cannot find the declaration of element 'CreateHostedZoneRequest'"},
		{"not XML", "POST", rrset, `{"ChangeBatch":{}}`, 400, "InvalidInput", "Invalid XML"},
		{"missing value and alias", "POST", rrset, batch(``), 400, "InvalidInput", "but found none in Change with [Action=CREATE, Name=x.example.com, Type=A, SetIdentifier=null]"},
		{"oversized body", "POST", rrset, strings.Repeat(" ", MaxBodyBytes+1), 400, "InvalidInput", "larger than"},
		{"bad maxitems", "GET", "/2013-04-01/hostedzone?maxitems=abc", "", 400, "InvalidInput", "maxItems"},
		{"private zone", "POST", "/2013-04-01/hostedzone",
			`<CreateHostedZoneRequest xmlns="` + Namespace + `"><Name>p.example</Name><VPC><VPCRegion>us-east-1</VPCRegion><VPCId>vpc-1</VPCId></VPC><CallerReference>p</CallerReference></CreateHostedZoneRequest>`,
			400, "InvalidInput", "Private hosted zones are not supported"},
		{"no caller reference", "POST", "/2013-04-01/hostedzone",
			`<CreateHostedZoneRequest xmlns="` + Namespace + `"><Name>p.example</Name></CreateHostedZoneRequest>`,
			400, "InvalidInput", "One of '{\"" + Namespace + "\":CallerReference}' is expected."},
		{"bad tag resource", "GET", "/2013-04-01/tags/bucket/" + id, "", 400, "InvalidInput", "[healthcheck, hostedzone]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.do(t, tc.method, tc.path, []byte(tc.body))
			checkError(t, resp, body, tc.status, tc.code, tc.msgPart)
		})
	}
}

func TestAuthentication(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()

	_, err := e.newClient(testKeyID, "wrong-secret", nil).ListHostedZones(ctx, &r53.ListHostedZonesInput{})
	expectAPIError(t, err, "SignatureDoesNotMatch", 403,
		"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", nil)

	_, err = e.newClient("AKIANOTAKNOWNKEY0000", testSecret, nil).GetHostedZoneCount(ctx, &r53.GetHostedZoneCountInput{})
	expectAPIError(t, err, "InvalidClientTokenId", 403, "The security token included in the request is invalid.", nil)

	skewed := e.newClient(testKeyID, testSecret, shiftedSigner{d: -time.Hour})
	_, err = skewed.GetHostedZoneCount(ctx, &r53.GetHostedZoneCountInput{})
	if err == nil || !strings.Contains(err.Error(), "Signature expired") {
		t.Fatalf("skewed clock: %v", err)
	}
	expectAPIError(t, err, "SignatureDoesNotMatch", 403, "", nil)

	// A failed authentication changes nothing.
	_, err = e.newClient(testKeyID, "wrong-secret", nil).CreateHostedZone(ctx, &r53.CreateHostedZoneInput{Name: aws.String("x.example"), CallerReference: aws.String("x")})
	expectAPIError(t, err, "SignatureDoesNotMatch", 403, "", nil)
	count, err := e.client.GetHostedZoneCount(ctx, &r53.GetHostedZoneCountInput{})
	if err != nil || aws.ToInt64(count.HostedZoneCount) != 0 {
		t.Fatalf("count after rejected create: %v %v", count, err)
	}

	// Anonymous and tampered raw requests.
	req, _ := http.NewRequest("GET", e.srv.URL+"/2013-04-01/hostedzone", nil)
	resp, body := e.send(t, req)
	checkError(t, resp, body, 403, "MissingAuthenticationToken", "Missing Authentication Token")

	req, _ = http.NewRequest("GET", e.srv.URL+"/2013-04-01/nothing-here", nil)
	resp, body = e.send(t, req)
	checkError(t, resp, body, 403, "MissingAuthenticationToken", "")

	req, _ = http.NewRequest("GET", e.srv.URL+"/2013-04-01/hostedzone", nil)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x")
	resp, body = e.send(t, req)
	checkError(t, resp, body, 400, "IncompleteSignature", "")

	req, _ = http.NewRequest("GET", e.srv.URL+"/2013-04-01/hostedzone?maxitems=1", nil)
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptySHA256, "route53", testRegion, time.Now()); err != nil {
		t.Fatal(err)
	}
	req.URL.RawQuery = "maxitems=2"
	resp, body = e.send(t, req)
	checkError(t, resp, body, 403, "SignatureDoesNotMatch", "")

	req, _ = http.NewRequest("GET", e.srv.URL+"/2013-04-01/hostedzone", nil)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptySHA256, "globalaccelerator", testRegion, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, body = e.send(t, req)
	checkError(t, resp, body, 403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'route53'.")
}

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// shiftedSigner signs as a client whose clock is off by d.
type shiftedSigner struct{ d time.Duration }

func (s shiftedSigner) SignHTTP(ctx context.Context, c aws.Credentials, r *http.Request, payloadHash, service, region string, t time.Time, optFns ...func(*v4.SignerOptions)) error {
	return v4.NewSigner().SignHTTP(ctx, c, r, payloadHash, service, region, t.Add(s.d), optFns...)
}
