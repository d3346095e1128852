package cli

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// byNameHandler answers ListHostedZonesByName from a fixed, sorted zone list
// (id, name pairs), paging by maxItems.
func byNameHandler(t *testing.T, zones [][2]string, maxItems int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		start := 0
		for start < len(zones) && zones[start][1] < q.Get("dnsname") {
			start++
		}
		if id := q.Get("hostedzoneid"); id != "" {
			for start < len(zones) && zones[start][0] != id {
				start++
			}
		}
		end := min(start+maxItems, len(zones))
		var b strings.Builder
		b.WriteString("<HostedZones>")
		for _, z := range zones[start:end] {
			b.WriteString(hostedZoneXML(z[0], z[1], "", 2))
		}
		b.WriteString("</HostedZones>")
		if end < len(zones) {
			fmt.Fprintf(&b, "<IsTruncated>true</IsTruncated><NextDNSName>%s</NextDNSName><NextHostedZoneId>%s</NextHostedZoneId>", zones[end][1], zones[end][0])
		} else {
			b.WriteString("<IsTruncated>false</IsTruncated>")
		}
		fmt.Fprintf(&b, "<MaxItems>%d</MaxItems>", maxItems)
		writeXML(w, 200, "ListHostedZonesByNameResponse", b.String())
	}
}

func TestResolveZone(t *testing.T) {
	zones := [][2]string{
		{"ZA", "a.example."},
		{"ZDUP1", "dup.example."},
		{"ZDUP2", "dup.example."},
		{"ZDUP3", "dup.example."},
		{"ZONE", "one.example."},
	}
	tests := []struct {
		arg      string
		want     zoneRef
		wantErr  string
		requests int
	}{
		{arg: "Z123ABC", want: zoneRef{ID: "Z123ABC"}},
		{arg: "/hostedzone/Z123ABC", want: zoneRef{ID: "Z123ABC"}},
		{arg: "ONE.example", want: zoneRef{ID: "ZONE", Name: "one.example."}, requests: 1},
		{arg: "a.example.", want: zoneRef{ID: "ZA", Name: "a.example."}, requests: 1},
		{arg: "dup.example", wantErr: "3 hosted zones are named dup.example. (ZDUP1, ZDUP2, ZDUP3): give the ID instead", requests: 2},
		{arg: "missing.example", wantErr: "no hosted zone named missing.example.", requests: 1},
		{arg: "zz.example", wantErr: "no hosted zone named zz.example.", requests: 1},
		{arg: "a..b", wantErr: `"a..b" is neither a hosted zone ID nor a valid zone name`},
	}
	for _, tc := range tests {
		t.Run(tc.arg, func(t *testing.T) {
			f := newFakeAPI(t)
			f.handle("GET /2013-04-01/hostedzonesbyname", byNameHandler(t, zones, 2))
			r := NewRunner(f.client(), nil, nil, nil)
			got, err := r.resolveZone(context.Background(), tc.arg)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
			} else if err != nil || got != tc.want {
				t.Fatalf("resolveZone = %+v, %v; want %+v", got, err, tc.want)
			}
			reqs := f.requests()
			if len(reqs) != tc.requests {
				t.Fatalf("%d requests, want %d", len(reqs), tc.requests)
			}
			if len(reqs) > 0 {
				want, _ := strings.CutSuffix(strings.ToLower(tc.arg), ".")
				if q := reqs[0].Query; q["dnsname"] != want+"." || q["maxitems"] != "100" || q["hostedzoneid"] != "" {
					t.Errorf("first query = %v", q)
				}
			}
			if len(reqs) > 1 {
				if q := reqs[1].Query; q["dnsname"] != "dup.example." || q["hostedzoneid"] != "ZDUP3" {
					t.Errorf("second query = %v, want the next page's name and ID", q)
				}
			}
		})
	}
}

func TestZoneCreate(t *testing.T) {
	f := newFakeAPI(t)
	var bodies []string
	f.handle("POST /2013-04-01/hostedzone", func(w http.ResponseWriter, r *http.Request) {
		reqs := f.requests()
		bodies = append(bodies, string(reqs[len(reqs)-1].Body))
		w.Header().Set("Location", "https://route53.amazonaws.com/2013-04-01/hostedzone/Z0ABC")
		writeXML(w, 201, "CreateHostedZoneResponse", hostedZoneXML("Z0ABC", "example.com.", "", 2)+changeInfoXML("C1", "PENDING")+
			"<DelegationSet><NameServers><NameServer>ns-1.awsdns-00.com</NameServer><NameServer>ns-600.awsdns-11.net</NameServer></NameServers></DelegationSet>")
	})
	code, out, errOut := f.run("", "zone", "create", "example.com", "--comment", "team <a&b>", "--caller-reference", "ref-1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "Z0ABC\texample.com.\n  ns-1.awsdns-00.com\n  ns-600.awsdns-11.net\n"; out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
	var req struct {
		XMLName         xml.Name `xml:"CreateHostedZoneRequest"`
		Name            string
		CallerReference string
		Comment         *string `xml:"HostedZoneConfig>Comment"`
	}
	if err := xml.Unmarshal([]byte(bodies[0]), &req); err != nil {
		t.Fatal(err)
	}
	if req.Name != "example.com" || req.CallerReference != "ref-1" || aws.ToString(req.Comment) != "team <a&b>" {
		t.Errorf("request = %+v", req)
	}
	// Without --caller-reference each call gets a fresh one; without
	// --comment there is no HostedZoneConfig.
	refs := map[string]bool{}
	for range 2 {
		if code, _, errOut := f.run("", "zone", "create", "example.com"); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		req.Comment = nil
		if err := xml.Unmarshal([]byte(bodies[len(bodies)-1]), &req); err != nil {
			t.Fatal(err)
		}
		if req.Comment != nil || strings.Contains(bodies[len(bodies)-1], "HostedZoneConfig") {
			t.Errorf("unexpected HostedZoneConfig in %s", bodies[len(bodies)-1])
		}
		if len(req.CallerReference) < 16 || len(req.CallerReference) > 128 {
			t.Errorf("caller reference %q", req.CallerReference)
		}
		refs[req.CallerReference] = true
	}
	if len(refs) != 2 {
		t.Errorf("default caller references repeat: %v", refs)
	}
}

func TestZoneList(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /2013-04-01/hostedzone", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("marker") == "" {
			writeXML(w, 200, "ListHostedZonesResponse", "<HostedZones>"+
				hostedZoneXML("Z1", "example.com.", "main zone", 12)+
				hostedZoneXML("Z22222222", "a-much-longer-name.example.org.", "", 2)+
				"</HostedZones><IsTruncated>true</IsTruncated><NextMarker>Z3</NextMarker><MaxItems>2</MaxItems>")
			return
		}
		writeXML(w, 200, "ListHostedZonesResponse", "<HostedZones>"+hostedZoneXML("Z3", "b.example.", "", 1234)+
			"</HostedZones><Marker>Z3</Marker><IsTruncated>false</IsTruncated><MaxItems>2</MaxItems>")
	})
	code, out, errOut := f.run("", "zone", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "" +
		"Z1         example.com.                     12    main zone\n" +
		"Z22222222  a-much-longer-name.example.org.  2     \n" +
		"Z3         b.example.                       1234  \n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[0].Query["maxitems"] != "100" || reqs[1].Query["marker"] != "Z3" {
		t.Errorf("requests = %+v", reqs)
	}
}

func TestZoneDelete(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /2013-04-01/hostedzonesbyname", byNameHandler(t, [][2]string{{"Z7", "example.com."}}, 100))
	f.handle("DELETE /2013-04-01/hostedzone/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeXML(w, 200, "DeleteHostedZoneResponse", changeInfoXML("C9", "PENDING"))
	})
	code, out, errOut := f.run("", "zone", "delete", "example.com")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "deleted hosted zone example.com. (Z7) (change C9 PENDING)\n"; out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
	reqs := f.requests()
	if len(reqs) != 2 || reqs[1].Method != "DELETE" || reqs[1].Path != "/2013-04-01/hostedzone/Z7" {
		t.Errorf("requests = %+v", reqs)
	}
}

// changeServer records the change batches it receives and reports each
// change PENDING on the first GetChange and INSYNC after.
type changeServer struct {
	batches []xmlChangeRequest
	polls   atomic.Int32
	fail    map[int]string // batch number (from 1) → InvalidChangeBatch message
}

func (c *changeServer) register(t *testing.T, f *fakeAPI) {
	f.handle("POST /2013-04-01/hostedzone/{id}/rrset", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != "Z1" {
			t.Errorf("change sent to zone %q", r.PathValue("id"))
		}
		reqs := f.requests()
		c.batches = append(c.batches, decodeChangeRequest(t, reqs[len(reqs)-1].Body))
		if msg, ok := c.fail[len(c.batches)]; ok {
			writeError(w, 400, "InvalidChangeBatch", msg)
			return
		}
		writeXML(w, 200, "ChangeResourceRecordSetsResponse", changeInfoXML(fmt.Sprintf("C%d", len(c.batches)), "PENDING"))
	})
	f.handle("GET /2013-04-01/change/{id}", func(w http.ResponseWriter, r *http.Request) {
		status := "INSYNC"
		if c.polls.Add(1)%2 == 1 {
			status = "PENDING"
		}
		writeXML(w, 200, "GetChangeResponse", changeInfoXML(r.PathValue("id"), status))
	})
	f.handle("GET /2013-04-01/hostedzone/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeXML(w, 200, "GetHostedZoneResponse", hostedZoneXML(r.PathValue("id"), "example.com.", "", 2))
	})
}

func TestZoneImport(t *testing.T) {
	f := newFakeAPI(t)
	cs := &changeServer{}
	cs.register(t, f)
	dir := t.TempDir()
	path := filepath.Join(dir, "example.db")
	const file = `$TTL 300
@	IN	SOA	ns1 host 1 2 3 4 5
@	IN	NS	ns1
@	IN	NS	ns2
www	IN	A	192.0.2.1
www	60	IN	A	192.0.2.2
www	IN	TXT	"hello \"world\""
*	IN	CNAME	www
`
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := f.run("", "zone", "import", "Z1", "--file", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "example.com. (Z1): upserted 3 record sets (4 records) from " + path + " in 1 change batch; INSYNC\n"; out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
	if want := "meridian: zone import: skipped the apex SOA (1 record) and NS (2 records): Route 53 manages them\n" +
		"meridian: zone import: 1 record set had records with different TTLs: each uses its smallest TTL\n"; errOut != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
	if len(cs.batches) != 1 {
		t.Fatalf("%d batches, want 1", len(cs.batches))
	}
	b := cs.batches[0].ChangeBatch
	if b.Comment != "meridian zone import example.db (batch 1 of 1)" {
		t.Errorf("comment = %q", b.Comment)
	}
	var got []string
	for _, c := range b.Changes {
		s := c.ResourceRecordSet
		got = append(got, fmt.Sprintf("%s %s %s %d %q", c.Action, s.Name, s.Type, aws.ToInt64(s.TTL), s.Values))
	}
	want := []string{
		`UPSERT www.example.com. A 60 ["192.0.2.1" "192.0.2.2"]`,
		`UPSERT www.example.com. TXT 300 ["\"hello \\\"world\\\"\""]`,
		`UPSERT \052.example.com. CNAME 300 ["www.example.com."]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := cs.polls.Load(); n != 2 {
		t.Errorf("%d GetChange polls, want 2 (PENDING then INSYNC)", n)
	}
}

func TestZoneImportSeveralBatches(t *testing.T) {
	// 501 single-value UPSERTs count 1,002 records: two batches.
	var b strings.Builder
	for i := range 501 {
		fmt.Fprintf(&b, "h%d 300 IN A 192.0.2.%d\n", i, i%250)
	}
	tests := []struct {
		name     string
		fail     map[int]string
		wantCode int
		wantErr  string
		wantOut  string
	}{
		{name: "all applied", wantOut: "example.com. (Z1): upserted 501 record sets (501 records) from (stdin) in 2 change batches; INSYNC\n"},
		{name: "second fails", fail: map[int]string{2: "[bad]"}, wantCode: 1,
			wantErr: "meridian: zone import: change batch 2 of 2 (batch 1 was applied): InvalidChangeBatch: [bad]\n"},
		{name: "first fails", fail: map[int]string{1: "[bad]"}, wantCode: 1,
			wantErr: "meridian: zone import: change batch 1 of 2 (nothing applied): InvalidChangeBatch: [bad]\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t)
			cs := &changeServer{fail: tc.fail}
			cs.register(t, f)
			code, out, errOut := f.run(b.String(), "zone", "import", "/hostedzone/Z1", "--file", "-")
			if code != tc.wantCode || out != tc.wantOut || errOut != tc.wantErr {
				t.Fatalf("got exit %d stdout %q stderr %q; want %d %q %q", code, out, errOut, tc.wantCode, tc.wantOut, tc.wantErr)
			}
			if tc.wantCode == 0 {
				if len(cs.batches) != 2 || len(cs.batches[0].ChangeBatch.Changes) != 500 || len(cs.batches[1].ChangeBatch.Changes) != 1 {
					t.Errorf("batches of %d and %d changes, want 500 and 1", len(cs.batches[0].ChangeBatch.Changes), len(cs.batches[1].ChangeBatch.Changes))
				}
			}
		})
	}
}

func TestZoneImportTimeout(t *testing.T) {
	f := newFakeAPI(t)
	cs := &changeServer{}
	cs.register(t, f)
	f.handle("GET /2013-04-01/change/C1", func(w http.ResponseWriter, r *http.Request) {
		writeXML(w, 200, "GetChangeResponse", changeInfoXML("C1", "PENDING"))
	})
	code, _, errOut := f.run("www 300 IN A 192.0.2.1\n", "zone", "import", "Z1", "--file", "-", "--timeout", "50ms")
	if want := "meridian: zone import: change C1 still PENDING after 50ms\n"; code != 1 || errOut != want {
		t.Errorf("exit %d stderr %q, want 1 and %q", code, errOut, want)
	}
}

func TestZoneImportOrigin(t *testing.T) {
	f := newFakeAPI(t)
	cs := &changeServer{}
	cs.register(t, f)
	code, _, errOut := f.run("www 300 IN A 192.0.2.1\n", "zone", "import", "Z1", "--file", "-", "--origin", "eu.example.com")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := cs.batches[0].ChangeBatch.Changes[0].ResourceRecordSet.Name; got != "www.eu.example.com." {
		t.Errorf("name = %q, want www.eu.example.com.", got)
	}
	code, _, errOut = f.run("www 300 IN A 192.0.2.1\n", "zone", "import", "Z1", "--file", "-", "--origin", "example.org")
	if want := "meridian: zone import: www.example.org. A is outside the zone example.com. (check $ORIGIN or --origin)\n"; code != 1 || errOut != want {
		t.Errorf("exit %d stderr %q, want 1 and %q", code, errOut, want)
	}
}

func TestZoneExport(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /2013-04-01/hostedzone/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeXML(w, 200, "GetHostedZoneResponse", hostedZoneXML(r.PathValue("id"), "example.com.", "", 5))
	})
	w1 := rrset("www.example.com.", types.RRTypeA, 60, "192.0.2.1")
	w1.SetIdentifier, w1.Weight = aws.String("one"), aws.Int64(1)
	w2 := rrset("www.example.com.", types.RRTypeA, 60, "192.0.2.2")
	w2.SetIdentifier, w2.Weight = aws.String("two"), aws.Int64(3)
	pages := [][]types.ResourceRecordSet{
		{rrset("example.com.", types.RRTypeNs, 172800, "ns-1.awsdns-00.com."),
			rrset("example.com.", types.RRTypeSoa, 900, "ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400")},
		{rrset("mail.example.com.", types.RRTypeA, 300, "192.0.2.25"), w1},
		{w2},
	}
	next := []string{"<NextRecordName>mail.example.com.</NextRecordName><NextRecordType>A</NextRecordType>",
		"<NextRecordName>www.example.com.</NextRecordName><NextRecordType>A</NextRecordType><NextRecordIdentifier>two</NextRecordIdentifier>", ""}
	f.handle("GET /2013-04-01/hostedzone/{id}/rrset", func(w http.ResponseWriter, r *http.Request) {
		page := 0
		switch q := r.URL.Query(); {
		case q.Get("identifier") == "two":
			page = 2
		case q.Get("name") == "mail.example.com.":
			page = 1
		}
		var b strings.Builder
		b.WriteString("<ResourceRecordSets>")
		for _, s := range pages[page] {
			b.WriteString(rrsetXML(s))
		}
		b.WriteString("</ResourceRecordSets>")
		fmt.Fprintf(&b, "<IsTruncated>%t</IsTruncated>%s<MaxItems>2</MaxItems>", next[page] != "", next[page])
		writeXML(w, 200, "ListResourceRecordSetsResponse", b.String())
	})
	path := filepath.Join(t.TempDir(), "out.db")
	code, out, errOut := f.run("", "zone", "export", "Z1", "--file", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "example.com. (Z1): exported 5 record sets to " + path + "\n"; out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
	if want := "meridian: zone export: 2 record sets with a set identifier or alias target written as comments: BIND cannot express them\n"; errOut != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `; hosted zone example.com. (Z1), exported by meridian
$ORIGIN example.com.
$TTL 300
@	900	IN	SOA	ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400
@	172800	IN	NS	ns-1.awsdns-00.com.
mail	300	IN	A	192.0.2.25
; weighted set-identifier=one weight=1
;www	60	IN	A	192.0.2.1
; weighted set-identifier=two weight=3
;www	60	IN	A	192.0.2.2
`
	if string(data) != want {
		t.Errorf("file:\n%s\nwant:\n%s", data, want)
	}
	reqs := f.requests()
	var queries []string
	for _, r := range reqs[1:] {
		queries = append(queries, fmt.Sprintf("name=%s type=%s identifier=%s", r.Query["name"], r.Query["type"], r.Query["identifier"]))
	}
	wantQ := []string{"name= type= identifier=", "name=mail.example.com. type=A identifier=", "name=www.example.com. type=A identifier=two"}
	if strings.Join(queries, "\n") != strings.Join(wantQ, "\n") {
		t.Errorf("list queries:\n%s\nwant:\n%s", strings.Join(queries, "\n"), strings.Join(wantQ, "\n"))
	}

	// Without --file the zone goes to stdout.
	code, out, _ = f.run("", "zone", "export", "Z1")
	if code != 0 || out != want {
		t.Errorf("export to stdout: exit %d\n%s", code, out)
	}
}

func TestZoneImportMissingFile(t *testing.T) {
	f := newFakeAPI(t)
	path := filepath.Join(t.TempDir(), "absent.db")
	code, _, errOut := f.run("", "zone", "import", "example.com", "--file", path)
	if want := "meridian: zone import: open " + path + ": no such file or directory\n"; code != 1 || errOut != want {
		t.Errorf("exit %d stderr %q, want 1 and %q", code, errOut, want)
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}
