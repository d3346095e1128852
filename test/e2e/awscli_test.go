package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// awsCLI runs the real aws CLI against the node and returns its output.
func (n *node) awsCLI(t *testing.T, secret string, args ...string) (string, error) {
	t.Helper()
	env := []string{
		"AWS_ACCESS_KEY_ID=" + testAccessKey,
		"AWS_SECRET_ACCESS_KEY=" + secret,
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=",
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	}
	return run(t, env, "aws", append([]string{"--endpoint-url", n.APIURL, "--output", "json"}, args...)...)
}

func needAWSCLI(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("aws CLI not installed")
	}
}

// TestAWSCLITutorial follows the seed tutorial: create a zone, apply a
// change.json with an A record, wait for INSYNC, list, and resolve it.
func TestAWSCLITutorial(t *testing.T) {
	needAWSCLI(t)
	n := startNode(t, "")
	out, err := n.awsCLI(t, testSecretKey, "route53", "create-hosted-zone", "--name", "example.com", "--caller-reference", "tutorial-1")
	if err != nil {
		t.Fatalf("create-hosted-zone: %v\n%s", err, out)
	}
	var created struct {
		HostedZone    struct{ Id, Name string }
		ChangeInfo    struct{ Id, Status string }
		DelegationSet struct{ NameServers []string }
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatalf("decode %q: %v", out, err)
	}
	if !strings.HasPrefix(created.HostedZone.Id, "/hostedzone/Z") || created.HostedZone.Name != "example.com." {
		t.Errorf("zone = %+v", created.HostedZone)
	}
	if !strings.HasPrefix(created.ChangeInfo.Id, "/change/C") || len(created.DelegationSet.NameServers) != 4 {
		t.Errorf("change = %+v, name servers = %v", created.ChangeInfo, created.DelegationSet.NameServers)
	}

	// The same caller reference again fails.
	out, err = n.awsCLI(t, testSecretKey, "route53", "create-hosted-zone", "--name", "example.com", "--caller-reference", "tutorial-1")
	if err == nil || !strings.Contains(out, "HostedZoneAlreadyExists") {
		t.Errorf("duplicate caller reference: err=%v out=%s", err, out)
	}

	change := filepath.Join(t.TempDir(), "change.json")
	writeFile(t, change, `{
  "Comment": "tutorial",
  "Changes": [{
    "Action": "CREATE",
    "ResourceRecordSet": {
      "Name": "www.example.com",
      "Type": "A",
      "TTL": 300,
      "ResourceRecords": [{"Value": "192.0.2.44"}]
    }
  }]
}`)
	zoneID := created.HostedZone.Id
	out, err = n.awsCLI(t, testSecretKey, "route53", "change-resource-record-sets", "--hosted-zone-id", zoneID, "--change-batch", "file://"+change)
	if err != nil {
		t.Fatalf("change-resource-record-sets: %v\n%s", err, out)
	}
	var changed struct {
		ChangeInfo struct{ Id, Status, Comment string }
	}
	if err := json.Unmarshal([]byte(out), &changed); err != nil {
		t.Fatal(err)
	}
	if changed.ChangeInfo.Comment != "tutorial" {
		t.Errorf("comment not echoed: %+v", changed.ChangeInfo)
	}
	out, err = n.awsCLI(t, testSecretKey, "route53", "wait", "resource-record-sets-changed", "--id", changed.ChangeInfo.Id)
	if err != nil {
		t.Fatalf("wait: %v\n%s", err, out)
	}
	out, err = n.awsCLI(t, testSecretKey, "route53", "get-change", "--id", changed.ChangeInfo.Id)
	if err != nil || !strings.Contains(out, `"INSYNC"`) {
		t.Fatalf("get-change: %v\n%s", err, out)
	}
	// INSYNC means the DNS server answers with the record.
	r := n.query(t, "udp", "www.example.com.", dns.TypeA)
	if len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != "192.0.2.44" || r.Answer[0].Header().Ttl != 300 || !r.Authoritative {
		t.Fatalf("DNS answer after INSYNC: %v", r)
	}

	out, err = n.awsCLI(t, testSecretKey, "route53", "list-resource-record-sets", "--hosted-zone-id", zoneID)
	if err != nil {
		t.Fatalf("list: %v\n%s", err, out)
	}
	var listed struct {
		ResourceRecordSets []struct {
			Name, Type      string
			TTL             int
			ResourceRecords []struct{ Value string }
		}
	}
	if err := json.Unmarshal([]byte(out), &listed); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, rs := range listed.ResourceRecordSets {
		types = append(types, rs.Name+" "+rs.Type)
	}
	want := "example.com. NS,example.com. SOA,www.example.com. A"
	if strings.Join(types, ",") != want {
		t.Errorf("listed %v, want %s", types, want)
	}

	// Paginating with --max-items 1 walks every record set.
	out, err = n.awsCLI(t, testSecretKey, "route53", "list-resource-record-sets", "--hosted-zone-id", zoneID, "--max-items", "1")
	if err != nil || !strings.Contains(out, "NextToken") {
		t.Errorf("paginated list: %v\n%s", err, out)
	}

	// dig sees the same answer over UDP and TCP.
	if _, err := exec.LookPath("dig"); err == nil {
		host, port := splitHostPort(t, n.DNSAddr)
		for _, proto := range []string{"+notcp", "+tcp"} {
			out, err := run(t, nil, "dig", "@"+host, "-p", port, proto, "+norecurse", "www.example.com", "A")
			if err != nil || !strings.Contains(out, "192.0.2.44") || !strings.Contains(out, "flags: qr aa") {
				t.Errorf("dig %s: %v\n%s", proto, err, out)
			}
		}
	}
}

// TestAWSCLIErrors checks the error paths a user meets first, with the code,
// the message and the exit status the real CLI shows.
func TestAWSCLIErrors(t *testing.T) {
	needAWSCLI(t)
	n := startNode(t, "")
	out, err := n.awsCLI(t, testSecretKey, "route53", "create-hosted-zone", "--name", "errors.example", "--caller-reference", "e1")
	if err != nil {
		t.Fatalf("create: %v\n%s", err, out)
	}
	var created struct{ HostedZone struct{ Id string } }
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatal(err)
	}
	zoneID := created.HostedZone.Id
	dir := t.TempDir()
	batch := func(name, body string) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, body)
		return "file://" + p
	}
	ok := batch("ok.json", `{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"a.errors.example","Type":"A","TTL":60,"ResourceRecords":[{"Value":"192.0.2.1"}]}}]}`)
	if out, err := n.awsCLI(t, testSecretKey, "route53", "change-resource-record-sets", "--hosted-zone-id", zoneID, "--change-batch", ok); err != nil {
		t.Fatalf("first create: %v\n%s", err, out)
	}
	tests := []struct {
		name  string
		args  []string
		wants []string
	}{
		{
			name:  "duplicate CREATE",
			args:  []string{"route53", "change-resource-record-sets", "--hosted-zone-id", zoneID, "--change-batch", ok},
			wants: []string{"InvalidChangeBatch", "[Tried to create resource record set [name='a.errors.example.', type='A'] but it already exists]"},
		},
		{
			name: "CNAME at apex",
			args: []string{"route53", "change-resource-record-sets", "--hosted-zone-id", zoneID, "--change-batch",
				batch("apex.json", `{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"errors.example","Type":"CNAME","TTL":60,"ResourceRecords":[{"Value":"x.example.net"}]}}]}`)},
			wants: []string{"InvalidChangeBatch", "RRSet of type CNAME with DNS name errors.example. is not permitted at apex in zone errors.example."},
		},
		{
			name: "DELETE with wrong values",
			args: []string{"route53", "change-resource-record-sets", "--hosted-zone-id", zoneID, "--change-batch",
				batch("del.json", `{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"a.errors.example","Type":"A","TTL":60,"ResourceRecords":[{"Value":"192.0.2.99"}]}}]}`)},
			wants: []string{"InvalidChangeBatch", "Tried to delete resource record set [name='a.errors.example.', type='A'] but the values provided do not match the current values"},
		},
		{
			name:  "delete non-empty zone",
			args:  []string{"route53", "delete-hosted-zone", "--id", zoneID},
			wants: []string{"HostedZoneNotEmpty", "The specified hosted zone contains non-required resource record sets and so cannot be deleted."},
		},
		{
			name:  "unknown zone",
			args:  []string{"route53", "get-hosted-zone", "--id", "Z0000000000000000000"},
			wants: []string{"NoSuchHostedZone", "No hosted zone found with ID: Z0000000000000000000"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := n.awsCLI(t, testSecretKey, tt.args...)
			if err == nil {
				t.Fatalf("succeeded, want error:\n%s", out)
			}
			for _, w := range tt.wants {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	t.Run("bad signature", func(t *testing.T) {
		out, err := n.awsCLI(t, "not-the-secret", "route53", "list-hosted-zones")
		if err == nil || !strings.Contains(out, "SignatureDoesNotMatch") {
			t.Errorf("err=%v out=%s", err, out)
		}
	})
	// The zone is intact after all the failed batches.
	r := n.query(t, "udp", "a.errors.example.", dns.TypeA)
	if len(r.Answer) != 1 {
		t.Errorf("record lost after failed batches: %v", r)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
