package route53

import (
	"reflect"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
)

func i64(v int64) *int64 { return &v }
func bptr(v bool) *bool  { return &v }

const fullBatch = `<?xml version="1.0" encoding="UTF-8"?>
<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
 <ChangeBatch><Comment>all fields</Comment><Changes>
  <Change><ResourceRecordSet>
     <TTL> 60 </TTL><Type>A</Type><Name>WWW.Example.com</Name><SetIdentifier>a</SetIdentifier><Weight>10</Weight>
     <ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord><ResourceRecord><Value>192.0.2.2</Value></ResourceRecord></ResourceRecords>
     <HealthCheckId>abcdef11-2222-3333-4444-555555fedcba</HealthCheckId></ResourceRecordSet><Action>UPSERT</Action></Change>
  <Change><Action>CREATE</Action><ResourceRecordSet><Name>geo.example.com</Name><Type>A</Type><SetIdentifier>g</SetIdentifier>
     <GeoLocation><CountryCode>*</CountryCode></GeoLocation>
     <AliasTarget><HostedZoneId>Z123</HostedZoneId><DNSName>www.example.com</DNSName><EvaluateTargetHealth>true</EvaluateTargetHealth></AliasTarget>
  </ResourceRecordSet></Change>
  <Change><Action>DELETE</Action><ResourceRecordSet><Name>lat.example.com</Name><Type>AAAA</Type><SetIdentifier>l</SetIdentifier>
     <Region>eu-central-1</Region><Failover>PRIMARY</Failover><MultiValueAnswer>false</MultiValueAnswer><TTL>0</TTL>
     <ResourceRecords><ResourceRecord><Value>2001:db8::1</Value></ResourceRecord></ResourceRecords>
     <TrafficPolicyInstanceId>tp-1</TrafficPolicyInstanceId>
     <CidrRoutingConfig><CollectionId>c8c02f0c-4b2c-4fdd-9d4d-3f8a8e0c0a0b</CollectionId><LocationName>*</LocationName></CidrRoutingConfig>
     <GeoProximityLocation><Coordinates><Latitude>50.11</Latitude><Longitude>-8.68</Longitude></Coordinates><Bias>-99</Bias><AWSRegion>eu-central-1</AWSRegion><LocalZoneGroup>z</LocalZoneGroup></GeoProximityLocation>
     <GeoLocation><ContinentCode>EU</ContinentCode><SubdivisionCode>CA</SubdivisionCode></GeoLocation>
  </ResourceRecordSet></Change>
  <!-- comments and processing instructions are ignored -->
 </Changes></ChangeBatch>
</ChangeResourceRecordSetsRequest>`

func TestParseChangeBatchAllFields(t *testing.T) {
	got, err := parseChangeBatch([]byte(fullBatch))
	if err != nil {
		t.Fatal(err)
	}
	want := zone.ChangeBatch{Comment: "all fields", Changes: []zone.Change{
		{Action: zone.ActionUpsert, RRSet: zone.RRSet{
			Name: "WWW.Example.com", Type: "A", SetIdentifier: "a", Weight: i64(10), TTL: i64(60),
			Values: []string{"192.0.2.1", "192.0.2.2"}, HealthCheckID: "abcdef11-2222-3333-4444-555555fedcba",
		}},
		{Action: zone.ActionCreate, RRSet: zone.RRSet{
			Name: "geo.example.com", Type: "A", SetIdentifier: "g", GeoLocation: &zone.GeoLocation{CountryCode: "*"},
			AliasTarget: &zone.AliasTarget{HostedZoneID: "Z123", DNSName: "www.example.com", EvaluateTargetHealth: true},
		}},
		{Action: zone.ActionDelete, RRSet: zone.RRSet{
			Name: "lat.example.com", Type: "AAAA", SetIdentifier: "l", Region: "eu-central-1", Failover: "PRIMARY",
			MultiValueAnswer: bptr(false), TTL: i64(0), Values: []string{"2001:db8::1"}, TrafficPolicyInstanceID: "tp-1",
			CidrRoutingConfig: &zone.CidrRoutingConfig{CollectionID: "c8c02f0c-4b2c-4fdd-9d4d-3f8a8e0c0a0b", LocationName: "*"},
			GeoProximityLocation: &zone.GeoProximityLocation{
				AWSRegion: "eu-central-1", LocalZoneGroup: "z", Bias: i64(-99),
				Coordinates: &zone.Coordinates{Latitude: "50.11", Longitude: "-8.68"},
			},
			GeoLocation: &zone.GeoLocation{ContinentCode: "EU", SubdivisionCode: "CA"},
		}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestParseChangeBatchRejects(t *testing.T) {
	wrap := func(rrset string) string {
		return `<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet>` +
			rrset + `</ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`
	}
	nt := `<Name>a.example.com</Name><Type>A</Type>`
	cases := []struct {
		name, body, msg string
	}{
		{"empty body", ``, "Invalid XML ; Premature end of file."},
		{"syntax error", `<ChangeResourceRecordSetsRequest><ChangeBatch>`, "Invalid XML ; XML syntax error"},
		{"text after root", `<ChangeResourceRecordSetsRequest/>junk`, "Invalid XML ;"},
		{"second root", `<ChangeResourceRecordSetsRequest/><ChangeResourceRecordSetsRequest/>`, "following the root element"},
		{"doctype", `<!DOCTYPE x [<!ENTITY a "b">]><ChangeResourceRecordSetsRequest/>`, "DOCTYPE is disallowed."},
		{"foreign namespace", `<ChangeResourceRecordSetsRequest xmlns="urn:other"/>`, "cvc-elt.1.a"},
		{"no change batch", `<ChangeResourceRecordSetsRequest/>`,
			`cvc-complex-type.2.4.b: The content of element 'ChangeResourceRecordSetsRequest' is not complete. One of '{"https://route53.amazonaws.com/doc/2013-04-01/":ChangeBatch}' is expected.`},
		{"text in complex element", `<ChangeResourceRecordSetsRequest>hello<ChangeBatch/></ChangeResourceRecordSetsRequest>`, "cvc-complex-type.2.3: Element 'ChangeResourceRecordSetsRequest' cannot have character [children]"},
		{"duplicate element", wrap(nt + `<TTL>1</TTL><TTL>2</TTL>`), "cvc-complex-type.2.4.a: Invalid content was found starting with element 'TTL'."},
		{"unknown element", wrap(nt + `<Priority>1</Priority>`), "Invalid content was found starting with element 'Priority'."},
		{"child in leaf", wrap(nt + `<TTL><Value>1</Value></TTL>`), "cvc-type.3.1.2: Element 'TTL' is a simple type"},
		{"missing name", wrap(`<Type>A</Type>`), `One of '{"https://route53.amazonaws.com/doc/2013-04-01/":Name}' is expected.`},
		{"missing type", wrap(`<Name>a</Name>`), `":Type}' is expected.`},
		{"missing action", `<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><ResourceRecordSet>` + nt +
			`</ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`, `":Action}' is expected.`},
		{"bad weight", wrap(nt + `<Weight>1.5</Weight>`), "'1.5' is not a valid value for 'integer'."},
		{"huge TTL", wrap(nt + `<TTL>99999999999999999999</TTL>`), "is not a valid value for 'integer'."},
		{"bad bias", wrap(nt + `<GeoProximityLocation><Bias>x</Bias></GeoProximityLocation>`), "'x' is not a valid value for 'integer'."},
		{"bad evaluate", wrap(nt + `<AliasTarget><HostedZoneId>Z</HostedZoneId><DNSName>d</DNSName><EvaluateTargetHealth>maybe</EvaluateTargetHealth></AliasTarget>`),
			"'maybe' is not a valid value for 'boolean'."},
		{"alias incomplete", wrap(nt + `<AliasTarget><HostedZoneId>Z</HostedZoneId><DNSName>d</DNSName></AliasTarget>`), `":EvaluateTargetHealth}' is expected.`},
		{"value missing", wrap(nt + `<ResourceRecords><ResourceRecord/></ResourceRecords>`), `":Value}' is expected.`},
		{"wrong list item", wrap(nt + `<ResourceRecords><Value>1</Value></ResourceRecords>`), "Invalid content was found starting with element 'Value'."},
		{"empty set identifier", wrap(nt + `<SetIdentifier></SetIdentifier>`), "minLength '1' for type 'ResourceRecordSetIdentifier'"},
		{"empty failover", wrap(nt + `<Failover/>`), "for type 'ResourceRecordSetFailover'"},
		{"coordinates incomplete", wrap(nt + `<GeoProximityLocation><Coordinates><Latitude>1</Latitude></Coordinates></GeoProximityLocation>`), `":Longitude}' is expected.`},
		{"cidr incomplete", wrap(nt + `<CidrRoutingConfig><LocationName>x</LocationName></CidrRoutingConfig>`), `":CollectionId}' is expected.`},
		{"deep nesting", strings.Repeat("<ChangeResourceRecordSetsRequest>", 40), "too deeply"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseChangeBatch([]byte(tc.body))
			ze, ok := zone.AsError(err)
			if !ok || ze.Code != "InvalidInput" {
				t.Fatalf("want InvalidInput, got %v", err)
			}
			if !strings.HasPrefix(ze.Message, "Invalid XML ; ") || !strings.Contains(ze.Message, tc.msg) {
				t.Fatalf("message %q lacks %q", ze.Message, tc.msg)
			}
		})
	}
}

func TestParseOtherRequests(t *testing.T) {
	cz, err := parseCreateHostedZone([]byte(`<CreateHostedZoneRequest xmlns="` + Namespace + `"><DelegationSetId>/delegationset/N1</DelegationSetId>` +
		`<HostedZoneConfig><PrivateZone>1</PrivateZone><Comment>c</Comment></HostedZoneConfig><CallerReference>r</CallerReference><Name>a.example</Name></CreateHostedZoneRequest>`))
	if err != nil {
		t.Fatal(err)
	}
	if cz.Name != "a.example" || cz.CallerReference != "r" || cz.Comment != "c" || !cz.PrivateZone || cz.DelegationSetID != "/delegationset/N1" || cz.HasVPC {
		t.Fatalf("create zone = %+v", cz)
	}
	comment, err := parseUpdateComment([]byte(`<UpdateHostedZoneCommentRequest><Comment>new</Comment></UpdateHostedZoneCommentRequest>`))
	if err != nil || comment != "new" {
		t.Fatalf("comment %q %v", comment, err)
	}
	tags, err := parseChangeTags([]byte(`<ChangeTagsForResourceRequest><RemoveTagKeys><Key>a</Key><Key>b</Key></RemoveTagKeys>` +
		`<AddTags><Tag><Key>k</Key><Value>v</Value></Tag></AddTags></ChangeTagsForResourceRequest>`))
	if err != nil || len(tags.Add) != 1 || tags.Add[0].Key != "k" || tags.Add[0].Value != "v" || strings.Join(tags.Remove, ",") != "a,b" {
		t.Fatalf("tags %+v %v", tags, err)
	}
	ids, err := parseListTagsForResources([]byte(`<ListTagsForResourcesRequest><ResourceIds><ResourceId>Z1</ResourceId><ResourceId>Z2</ResourceId></ResourceIds></ListTagsForResourcesRequest>`))
	if err != nil || strings.Join(ids, ",") != "Z1,Z2" {
		t.Fatalf("ids %v %v", ids, err)
	}
	tooMany := `<ListTagsForResourcesRequest><ResourceIds>` + strings.Repeat(`<ResourceId>Z</ResourceId>`, 11) + `</ResourceIds></ListTagsForResourcesRequest>`
	if _, err := parseListTagsForResources([]byte(tooMany)); err == nil || !strings.Contains(err.Error(), "cvc-complex-type.2.4.d") {
		t.Fatalf("11 resource IDs: %v", err)
	}
	ds, err := parseCreateDelegationSet([]byte(`<CreateReusableDelegationSetRequest><HostedZoneId>Z9</HostedZoneId><CallerReference>c</CallerReference></CreateReusableDelegationSetRequest>`))
	if err != nil || ds.CallerReference != "c" || ds.HostedZoneID != "Z9" {
		t.Fatalf("delegation set %+v %v", ds, err)
	}
}

func FuzzChangeBatchXML(f *testing.F) {
	f.Add([]byte(fullBatch))
	f.Add([]byte(`<ChangeResourceRecordSetsRequest><ChangeBatch><Changes><Change><Action>CREATE</Action><ResourceRecordSet>` +
		`<Name>*.example.com</Name><Type>TXT</Type><TTL>1</TTL><ResourceRecords><ResourceRecord><Value>"a"</Value></ResourceRecord></ResourceRecords>` +
		`</ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`))
	f.Add([]byte(`<ChangeResourceRecordSetsRequest/>`))
	f.Add([]byte(`<a><b>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		batch, err := parseChangeBatch(body)
		if err != nil {
			if _, ok := zone.AsError(err); !ok {
				t.Fatalf("error is not a *zone.Error: %v", err)
			}
			return
		}
		if len(batch.Changes) == 0 {
			t.Fatal("a parsed batch has no changes")
		}
	})
}
