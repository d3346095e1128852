package zone

import (
	"reflect"
	"strings"
	"testing"
)

// fullBatchJSON uses every member the CLI accepts.
const fullBatchJSON = `{
  "Comment": "all fields",
  "Changes": [
    {"Action": "UPSERT", "ResourceRecordSet": {
      "Name": "www.example.com", "Type": "A", "SetIdentifier": "w", "Weight": 10, "TTL": 60,
      "ResourceRecords": [{"Value": "192.0.2.1"}, {"Value": "192.0.2.2"}],
      "HealthCheckId": "abcdef11-2222-3333-4444-555555fedcba"}},
    {"Action": "CREATE", "ResourceRecordSet": {
      "Name": "geo.example.com", "Type": "A", "SetIdentifier": "g",
      "GeoLocation": {"CountryCode": "US", "SubdivisionCode": "CA"},
      "AliasTarget": {"HostedZoneId": "Z123", "DNSName": "www.example.com", "EvaluateTargetHealth": true}}},
    {"Action": "CREATE", "ResourceRecordSet": {
      "Name": "lat.example.com", "Type": "AAAA", "SetIdentifier": "l", "Region": "eu-west-1", "TTL": 0,
      "ResourceRecords": [{"Value": "2001:db8::1"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {
      "Name": "fo.example.com", "Type": "A", "SetIdentifier": "p", "Failover": "PRIMARY", "TTL": 30,
      "ResourceRecords": [{"Value": "192.0.2.3"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {
      "Name": "mv.example.com", "Type": "A", "SetIdentifier": "m", "MultiValueAnswer": true, "TTL": 30,
      "ResourceRecords": [{"Value": "192.0.2.4"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {
      "Name": "ip.example.com", "Type": "A", "SetIdentifier": "c", "TTL": 30,
      "CidrRoutingConfig": {"CollectionId": "12345678-90ab-cdef-1234-567890abcdef", "LocationName": "office"},
      "ResourceRecords": [{"Value": "192.0.2.5"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {
      "Name": "gp.example.com", "Type": "A", "SetIdentifier": "x", "TTL": 30,
      "GeoProximityLocation": {"Coordinates": {"Latitude": "49.22", "Longitude": "-74.01"}, "Bias": -10},
      "ResourceRecords": [{"Value": "192.0.2.6"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {
      "Name": "gp.example.com", "Type": "A", "SetIdentifier": "y", "TTL": 30,
      "GeoProximityLocation": {"AWSRegion": "us-east-1"},
      "ResourceRecords": [{"Value": "192.0.2.7"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {
      "Name": "gp.example.com", "Type": "A", "SetIdentifier": "z", "TTL": 30,
      "GeoProximityLocation": {"LocalZoneGroup": "us-west-2-den-1"},
      "ResourceRecords": [{"Value": "192.0.2.8"}]}},
    {"Action": "DELETE", "ResourceRecordSet": {
      "Name": "tp.example.com", "Type": "TXT", "TrafficPolicyInstanceId": "tpi-1"}},
    {"Action": "CREATE", "ResourceRecordSet": {
      "Name": "cont.example.com", "Type": "TXT", "SetIdentifier": "eu", "TTL": 300,
      "GeoLocation": {"ContinentCode": "EU"},
      "ResourceRecords": [{"Value": "\"<b>&amp;</b>\""}]}}
  ]
}`

func TestParseChangeBatchJSON(t *testing.T) {
	b, err := ParseChangeBatchJSON([]byte(fullBatchJSON))
	if err != nil {
		t.Fatal(err)
	}
	want := ChangeBatch{Comment: "all fields", Changes: []Change{
		{Action: ActionUpsert, RRSet: RRSet{Name: "www.example.com", Type: "A", SetIdentifier: "w", Weight: i64(10), TTL: i64(60),
			Values: []string{"192.0.2.1", "192.0.2.2"}, HealthCheckID: "abcdef11-2222-3333-4444-555555fedcba"}},
		{Action: ActionCreate, RRSet: RRSet{Name: "geo.example.com", Type: "A", SetIdentifier: "g",
			GeoLocation: &GeoLocation{CountryCode: "US", SubdivisionCode: "CA"},
			AliasTarget: &AliasTarget{HostedZoneID: "Z123", DNSName: "www.example.com", EvaluateTargetHealth: true}}},
		{Action: ActionCreate, RRSet: RRSet{Name: "lat.example.com", Type: "AAAA", SetIdentifier: "l", Region: "eu-west-1", TTL: i64(0),
			Values: []string{"2001:db8::1"}}},
		{Action: ActionCreate, RRSet: RRSet{Name: "fo.example.com", Type: "A", SetIdentifier: "p", Failover: "PRIMARY", TTL: i64(30),
			Values: []string{"192.0.2.3"}}},
		{Action: ActionCreate, RRSet: RRSet{Name: "mv.example.com", Type: "A", SetIdentifier: "m", MultiValueAnswer: boolp(true), TTL: i64(30),
			Values: []string{"192.0.2.4"}}},
		{Action: ActionCreate, RRSet: RRSet{Name: "ip.example.com", Type: "A", SetIdentifier: "c", TTL: i64(30),
			CidrRoutingConfig: &CidrRoutingConfig{CollectionID: "12345678-90ab-cdef-1234-567890abcdef", LocationName: "office"},
			Values:            []string{"192.0.2.5"}}},
		{Action: ActionCreate, RRSet: RRSet{Name: "gp.example.com", Type: "A", SetIdentifier: "x", TTL: i64(30),
			GeoProximityLocation: &GeoProximityLocation{Coordinates: &Coordinates{Latitude: "49.22", Longitude: "-74.01"}, Bias: i64(-10)},
			Values:               []string{"192.0.2.6"}}},
		{Action: ActionCreate, RRSet: RRSet{Name: "gp.example.com", Type: "A", SetIdentifier: "y", TTL: i64(30),
			GeoProximityLocation: &GeoProximityLocation{AWSRegion: "us-east-1"}, Values: []string{"192.0.2.7"}}},
		{Action: ActionCreate, RRSet: RRSet{Name: "gp.example.com", Type: "A", SetIdentifier: "z", TTL: i64(30),
			GeoProximityLocation: &GeoProximityLocation{LocalZoneGroup: "us-west-2-den-1"}, Values: []string{"192.0.2.8"}}},
		{Action: ActionDelete, RRSet: RRSet{Name: "tp.example.com", Type: "TXT", TrafficPolicyInstanceID: "tpi-1"}},
		{Action: ActionCreate, RRSet: RRSet{Name: "cont.example.com", Type: "TXT", SetIdentifier: "eu", TTL: i64(300),
			GeoLocation: &GeoLocation{ContinentCode: "EU"}, Values: []string{`"<b>&amp;</b>"`}}},
	}}
	if !reflect.DeepEqual(b, want) {
		t.Fatalf("parsed batch differs:\n got %+v\nwant %+v", b, want)
	}

	// Round trip: render and parse again.
	out, err := ChangeBatchJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"Value": "\"<b>&amp;</b>\""`) {
		t.Errorf("HTML characters escaped in output:\n%s", out)
	}
	if !strings.Contains(string(out), `"EvaluateTargetHealth": true`) || !strings.Contains(string(out), `"TTL": 0`) {
		t.Errorf("output lost EvaluateTargetHealth or a zero TTL:\n%s", out)
	}
	again, err := ParseChangeBatchJSON(out)
	if err != nil {
		t.Fatalf("re-parse of rendered batch: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(again, b) {
		t.Fatalf("round trip changed the batch:\n got %+v\nwant %+v", again, b)
	}
}

func TestChangeBatchJSONShape(t *testing.T) {
	out, err := ChangeBatchJSON(ChangeBatch{Changes: []Change{create(RRSet{Name: "a.example.com", Type: "A", TTL: i64(60), Values: []string{"192.0.2.1"}})}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "Changes": [
    {
      "Action": "CREATE",
      "ResourceRecordSet": {
        "Name": "a.example.com",
        "Type": "A",
        "TTL": 60,
        "ResourceRecords": [
          {
            "Value": "192.0.2.1"
          }
        ]
      }
    }
  ]
}
`
	if string(out) != want {
		t.Fatalf("ChangeBatchJSON:\n%s\nwant\n%s", out, want)
	}
	empty, err := ChangeBatchJSON(ChangeBatch{})
	if err != nil || string(empty) != "{\n  \"Changes\": []\n}\n" {
		t.Fatalf("empty batch renders as %q, %v", empty, err)
	}
}

func TestParseChangeBatchJSONErrors(t *testing.T) {
	rrset := func(inner string) string {
		return `{"Changes":[{"Action":"CREATE","ResourceRecordSet":{` + inner + `}}]}`
	}
	cases := []struct {
		name, in, want string
	}{
		{"not JSON", `{"Changes": [`, "invalid change batch: invalid JSON: unexpected EOF"},
		{"trailing data", `{"Changes":[]} {}`, "invalid change batch: unexpected data after the JSON object"},
		{"not an object", `[1]`, "invalid change batch: ChangeBatch: expected a JSON object, found an array"},
		{"unknown top-level field", `{"Changes":[],"Coment":"x"}`, `invalid change batch: ChangeBatch: unknown field "Coment", must be one of: Comment, Changes`},
		{"field names are case-sensitive", `{"changes":[]}`, `invalid change batch: ChangeBatch: unknown field "changes", must be one of: Comment, Changes`},
		{"missing Changes", `{"Comment":"x"}`, "invalid change batch: ChangeBatch.Changes: missing required field"},
		{"Changes not an array", `{"Changes":{}}`, "invalid change batch: ChangeBatch.Changes: expected an array, found an object"},
		{"unknown change field", `{"Changes":[{"Action":"CREATE","Record":{}}]}`, `invalid change batch: ChangeBatch.Changes[0]: unknown field "Record", must be one of: Action, ResourceRecordSet`},
		{"missing Action", `{"Changes":[{"ResourceRecordSet":{"Name":"a","Type":"A"}}]}`, "invalid change batch: ChangeBatch.Changes[0].Action: missing required field"},
		{"missing ResourceRecordSet", `{"Changes":[{"Action":"CREATE"}]}`, "invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet: missing required field"},
		{"unknown record set field", rrset(`"Name":"a","Type":"A","Ttl":60`), `invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet: unknown field "Ttl", must be one of: Name, Type, SetIdentifier, Weight, Region, GeoLocation, Failover, MultiValueAnswer, TTL, ResourceRecords, AliasTarget, HealthCheckId, TrafficPolicyInstanceId, CidrRoutingConfig, GeoProximityLocation`},
		{"missing Name", rrset(`"Type":"A"`), "invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.Name: missing required field"},
		{"TTL as a string", rrset(`"Name":"a","Type":"A","TTL":"60"`), `invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.TTL: expected an integer, found "60"`},
		{"fractional weight", rrset(`"Name":"a","Type":"A","Weight":1.5`), "invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.Weight: expected an integer, found 1.5"},
		{"MultiValueAnswer as a string", rrset(`"Name":"a","Type":"A","MultiValueAnswer":"true"`), "invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.MultiValueAnswer: expected true or false, found a string"},
		{"empty SetIdentifier", rrset(`"Name":"a","Type":"A","SetIdentifier":""`), "invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.SetIdentifier: must not be empty (omit the field instead)"},
		{"value without Value", rrset(`"Name":"a","Type":"A","ResourceRecords":[{"value":"x"}]`), `invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.ResourceRecords[0]: unknown field "value", must be one of: Value`},
		{"missing Value", rrset(`"Name":"a","Type":"A","ResourceRecords":[{}]`), "invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.ResourceRecords[0].Value: missing required field"},
		{"alias without EvaluateTargetHealth", rrset(`"Name":"a","Type":"A","AliasTarget":{"HostedZoneId":"Z","DNSName":"b"}`), "invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.AliasTarget.EvaluateTargetHealth: missing required field"},
		{"alias without DNSName", rrset(`"Name":"a","Type":"A","AliasTarget":{"HostedZoneId":"Z","EvaluateTargetHealth":false}`), "invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.AliasTarget.DNSName: missing required field"},
		{"unknown GeoLocation field", rrset(`"Name":"a","Type":"A","GeoLocation":{"Country":"DE"}`), `invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.GeoLocation: unknown field "Country", must be one of: ContinentCode, CountryCode, SubdivisionCode`},
		{"CIDR without LocationName", rrset(`"Name":"a","Type":"A","CidrRoutingConfig":{"CollectionId":"c"}`), "invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.CidrRoutingConfig.LocationName: missing required field"},
		{"coordinates without Longitude", rrset(`"Name":"a","Type":"A","GeoProximityLocation":{"Coordinates":{"Latitude":"1"}}`), "invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.GeoProximityLocation.Coordinates.Longitude: missing required field"},
		{"coordinates as numbers", rrset(`"Name":"a","Type":"A","GeoProximityLocation":{"Coordinates":{"Latitude":1,"Longitude":2}}`), "invalid change batch: ChangeBatch.Changes[0].ResourceRecordSet.GeoProximityLocation.Coordinates.Latitude: expected a string, found a number"},
		{"second change reported by index", `{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"a","Type":"A"}},{"Action":"CREATE","ResourceRecordSet":{"Name":"b","Type":"A","Extra":1}}]}`, `invalid change batch: ChangeBatch.Changes[1].ResourceRecordSet: unknown field "Extra", must be one of: Name, Type, SetIdentifier, Weight, Region, GeoLocation, Failover, MultiValueAnswer, TTL, ResourceRecords, AliasTarget, HealthCheckId, TrafficPolicyInstanceId, CidrRoutingConfig, GeoProximityLocation`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseChangeBatchJSON([]byte(tc.in))
			if err == nil {
				t.Fatalf("ParseChangeBatchJSON(%s) succeeded", tc.in)
			}
			if err.Error() != tc.want {
				t.Fatalf("error\n got %q\nwant %q", err.Error(), tc.want)
			}
		})
	}
}

func TestParseChangeBatchJSONNulls(t *testing.T) {
	// JSON null means the member is absent.
	b, err := ParseChangeBatchJSON([]byte(`{"Comment":null,"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"a.example.com","Type":"A","TTL":60,"SetIdentifier":null,"AliasTarget":null,"ResourceRecords":[{"Value":"192.0.2.1"}]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	r := b.Changes[0].RRSet
	if r.SetIdentifier != "" || r.AliasTarget != nil || *r.TTL != 60 || len(r.Values) != 1 {
		t.Fatalf("parsed %+v", r)
	}
	if _, err := ApplyChanges(testZone(), testDefaults(), b, Env{}); err != nil {
		t.Fatalf("ApplyChanges of parsed batch: %v", err)
	}
}
