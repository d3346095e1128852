package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/meridian-gtm/meridian/internal/zone"
)

func TestRecordList(t *testing.T) {
	weighted := rrset("www.example.com.", types.RRTypeA, 60, "192.0.2.1", "192.0.2.2")
	weighted.SetIdentifier, weighted.Weight, weighted.HealthCheckId = aws.String("blue"), aws.Int64(10), aws.String("hc-1")
	alias := types.ResourceRecordSet{Name: aws.String("www.example.com."), Type: types.RRTypeAaaa,
		AliasTarget: &types.AliasTarget{HostedZoneId: aws.String("Z2"), DNSName: aws.String("lb.example.net."), EvaluateTargetHealth: true}}
	latency := rrset("www.example.com.", types.RRTypeTxt, 300, `"a, b"`, `"c"`)
	latency.SetIdentifier, latency.Region = aws.String("us"), types.ResourceRecordSetRegionUsEast1
	all := []types.ResourceRecordSet{
		rrset("example.com.", types.RRTypeNs, 172800, "ns-1.awsdns-00.com."),
		weighted, alias, latency,
		rrset("x.example.com.", types.RRTypeA, 300, "192.0.2.9"),
	}
	tests := []struct {
		name  string
		args  []string
		query string
		want  string
	}{
		{name: "everything", args: nil, query: "name= type=", want: "" +
			"example.com.      NS    172800  simple                                                       ns-1.awsdns-00.com.\n" +
			"www.example.com.  A     60      weighted set-identifier=blue weight=10 health-check-id=hc-1  192.0.2.1, 192.0.2.2\n" +
			"www.example.com.  AAAA  -       simple                                                       alias lb.example.net. hosted-zone-id=Z2 evaluate-target-health=true\n" +
			"www.example.com.  TXT   300     latency set-identifier=us region=us-east-1                   \"a, b\", \"c\"\n" +
			"x.example.com.    A     300     simple                                                       192.0.2.9\n"},
		{name: "by name", args: []string{"--name", "WWW.example.com"}, query: "name=www.example.com. type=", want: "" +
			"www.example.com.  A     60   weighted set-identifier=blue weight=10 health-check-id=hc-1  192.0.2.1, 192.0.2.2\n" +
			"www.example.com.  AAAA  -    simple                                                       alias lb.example.net. hosted-zone-id=Z2 evaluate-target-health=true\n" +
			"www.example.com.  TXT   300  latency set-identifier=us region=us-east-1                   \"a, b\", \"c\"\n"},
		{name: "by name and type", args: []string{"--name", "www.example.com.", "--type", "aaaa"}, query: "name=www.example.com. type=AAAA", want: "" +
			"www.example.com.  AAAA  -  simple  alias lb.example.net. hosted-zone-id=Z2 evaluate-target-health=true\n"},
		{name: "by type", args: []string{"--type", "A"}, query: "name= type=", want: "" +
			"www.example.com.  A  60   weighted set-identifier=blue weight=10 health-check-id=hc-1  192.0.2.1, 192.0.2.2\n" +
			"x.example.com.    A  300  simple                                                       192.0.2.9\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.handle("GET /2013-04-01/hostedzone/{id}/rrset", func(w http.ResponseWriter, r *http.Request) {
				// Start at the requested name (and type), as Route 53 does.
				q := r.URL.Query()
				var b strings.Builder
				b.WriteString("<ResourceRecordSets>")
				for _, s := range all {
					name := aws.ToString(s.Name)
					if q.Get("name") != "" && (zone.ReversedSortKey(name) < zone.ReversedSortKey(q.Get("name")) ||
						name == q.Get("name") && string(s.Type) < q.Get("type")) {
						continue
					}
					b.WriteString(rrsetXML(s))
				}
				b.WriteString("</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>300</MaxItems>")
				writeXML(w, 200, "ListResourceRecordSetsResponse", b.String())
			})
			code, out, errOut := f.run("", append([]string{"record", "list", "--zone", "Z1"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if out != tc.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, tc.want)
			}
			reqs := f.requests()
			if len(reqs) != 1 || reqs[0].Path != "/2013-04-01/hostedzone/Z1/rrset" {
				t.Fatalf("requests = %+v", reqs)
			}
			if q := fmt.Sprintf("name=%s type=%s", reqs[0].Query["name"], reqs[0].Query["type"]); q != tc.query {
				t.Errorf("query %q, want %q", q, tc.query)
			}
		})
	}
}

// fullBatch uses every ResourceRecordSet field the aws CLI accepts.
const fullBatch = `{
  "Comment": "every field",
  "Changes": [
    {"Action": "UPSERT", "ResourceRecordSet": {"Name": "w.example.com", "Type": "A", "SetIdentifier": "w1", "Weight": 10,
      "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.1"}, {"Value": "192.0.2.2"}], "HealthCheckId": "hc-1"}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "l.example.com", "Type": "A", "SetIdentifier": "l1", "Region": "eu-west-1",
      "AliasTarget": {"HostedZoneId": "Z2", "DNSName": "lb.example.net", "EvaluateTargetHealth": true}}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "g.example.com", "Type": "A", "SetIdentifier": "g1",
      "GeoLocation": {"ContinentCode": "EU", "CountryCode": "DE", "SubdivisionCode": "BE"}, "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.3"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "f.example.com", "Type": "A", "SetIdentifier": "f1", "Failover": "PRIMARY",
      "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.4"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "m.example.com", "Type": "A", "SetIdentifier": "m1", "MultiValueAnswer": true,
      "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.5"}]}},
    {"Action": "DELETE", "ResourceRecordSet": {"Name": "c.example.com", "Type": "A", "SetIdentifier": "c1",
      "CidrRoutingConfig": {"CollectionId": "0c7a1fd2-4a29-4b2b-8c3a-4a8c6b0a9d5e", "LocationName": "office"}, "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.6"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "p.example.com", "Type": "A", "SetIdentifier": "p1",
      "GeoProximityLocation": {"Coordinates": {"Latitude": "49.22", "Longitude": "-74.01"}, "Bias": -20}, "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.7"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "q.example.com", "Type": "A", "SetIdentifier": "q1",
      "GeoProximityLocation": {"AWSRegion": "us-east-1"}, "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.8"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "t.example.com", "Type": "A", "TrafficPolicyInstanceId": "tp-1"}}
  ]
}`

func TestRecordChange(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "change.json")
	if err := os.WriteFile(path, []byte(fullBatch), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
		polls int32
	}{
		{name: "file://", args: []string{"--change-batch", "file://" + path}, want: "C1\tPENDING\n"},
		{name: "@file", args: []string{"--change-batch=@" + path}, want: "C1\tPENDING\n"},
		{name: "stdin", stdin: fullBatch, args: []string{"--change-batch", "-"}, want: "C1\tPENDING\n"},
		{name: "inline with --wait", args: []string{"--change-batch", fullBatch, "--wait"}, want: "C1\tPENDING\nC1\tINSYNC\n", polls: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t)
			cs := &changeServer{}
			cs.register(t, f)
			code, out, errOut := f.run(tc.stdin, append([]string{"record", "change", "--zone", "Z1"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if out != tc.want {
				t.Errorf("stdout = %q, want %q", out, tc.want)
			}
			if got := cs.polls.Load(); got != tc.polls {
				t.Errorf("%d GetChange polls, want %d", got, tc.polls)
			}
			if len(cs.batches) != 1 {
				t.Fatalf("%d batches, want 1", len(cs.batches))
			}
			checkFullBatch(t, cs.batches[0])
		})
	}
}

// checkFullBatch compares the XML the SDK sent with fullBatch, field by field.
func checkFullBatch(t *testing.T, got xmlChangeRequest) {
	t.Helper()
	// Decode fullBatch as plain JSON into the same shape for comparison.
	var want struct {
		Comment string
		Changes []struct {
			Action            string
			ResourceRecordSet struct {
				xmlRRSet
				ResourceRecords []struct{ Value string }
			}
		}
	}
	if err := json.Unmarshal([]byte(fullBatch), &want); err != nil {
		t.Fatal(err)
	}
	if got.ChangeBatch.Comment != want.Comment {
		t.Errorf("comment = %q, want %q", got.ChangeBatch.Comment, want.Comment)
	}
	if len(got.ChangeBatch.Changes) != len(want.Changes) {
		t.Fatalf("%d changes, want %d", len(got.ChangeBatch.Changes), len(want.Changes))
	}
	for i, wc := range want.Changes {
		ws := wc.ResourceRecordSet.xmlRRSet
		for _, rr := range wc.ResourceRecordSet.ResourceRecords {
			ws.Values = append(ws.Values, rr.Value)
		}
		gc := got.ChangeBatch.Changes[i]
		if gc.Action != wc.Action || !reflect.DeepEqual(gc.ResourceRecordSet, ws) {
			g, _ := json.Marshal(gc.ResourceRecordSet)
			w, _ := json.Marshal(ws)
			t.Errorf("change %d: %s %s\nwant %s %s", i, gc.Action, g, wc.Action, w)
		}
	}
}

func TestRecordChangeErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad JSON", []string{"--change-batch", `{"Changes": [`},
			"meridian: record change: invalid change batch: invalid JSON: unexpected EOF\n"},
		{"unknown field", []string{"--change-batch", `{"Changes": [], "Colour": 1}`},
			`meridian: record change: invalid change batch: ChangeBatch: unknown field "Colour", must be one of: Comment, Changes` + "\n"},
		{"missing file", []string{"--change-batch", "file:///nonexistent/change.json"},
			"meridian: record change: reading the change batch: open /nonexistent/change.json: no such file or directory\n"},
		{"bias out of range", []string{"--change-batch", `{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"p.example.com","Type":"A","SetIdentifier":"p","GeoProximityLocation":{"AWSRegion":"us-east-1","Bias":9999999999},"TTL":1,"ResourceRecords":[{"Value":"192.0.2.1"}]}}]}`},
			"meridian: record change: invalid change batch: change 1 (p.example.com A): GeoProximityLocation.Bias 9999999999 is out of range\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t)
			code, out, errOut := f.run("", append([]string{"record", "change", "--zone", "Z1"}, tc.args...)...)
			if code != 1 || out != "" || errOut != tc.want {
				t.Errorf("got exit %d stdout %q stderr %q; want 1, nothing, %q", code, out, errOut, tc.want)
			}
			if n := len(f.requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}
