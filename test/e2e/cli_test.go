package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// meridianCLI runs a meridian client subcommand against the node.
func (n *node) meridianCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	env := []string{"MERIDIAN_ACCESS_KEY_ID=" + testAccessKey, "MERIDIAN_SECRET_ACCESS_KEY=" + testSecretKey}
	return run(t, env, binPath, append(args, "--endpoint", n.APIURL)...)
}

// TestMeridianCLI drives the server with meridian's own client: zone
// create, record change with the aws CLI's JSON, BIND import and export,
// and the one-line errors.
func TestMeridianCLI(t *testing.T) {
	n := startNode(t, "")
	dir := t.TempDir()
	if out, err := n.meridianCLI(t, "zone", "create", "cli.example", "--comment", "from the CLI"); err != nil {
		t.Fatalf("zone create: %v\n%s", err, out)
	}
	out, err := n.meridianCLI(t, "zone", "create", "cli.example", "--caller-reference", "fixed")
	if err != nil {
		t.Fatalf("second zone with the same name (allowed, as in Route 53): %v\n%s", err, out)
	}
	out, err = n.meridianCLI(t, "zone", "create", "cli.example", "--caller-reference", "fixed")
	if err == nil || strings.Count(strings.TrimSpace(out), "\n") != 0 || !strings.Contains(out, "HostedZoneAlreadyExists") {
		t.Errorf("reused caller reference: want one error line, got err=%v\n%s", err, out)
	}
	// Two zones now share the name: commands that take a name must refuse to guess.
	out, err = n.meridianCLI(t, "record", "list", "--zone", "cli.example")
	if err == nil {
		t.Errorf("ambiguous zone name accepted:\n%s", out)
	}
	out, err = n.meridianCLI(t, "zone", "list")
	if err != nil || strings.Count(out, "cli.example.") != 2 {
		t.Fatalf("zone list: %v\n%s", err, out)
	}
	var zoneID string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "from the CLI") {
			zoneID = strings.Fields(line)[0]
		}
	}
	if zoneID == "" {
		t.Fatalf("no zone with the comment in:\n%s", out)
	}

	change := filepath.Join(dir, "change.json")
	writeFile(t, change, `{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"www.cli.example","Type":"A","TTL":300,"ResourceRecords":[{"Value":"192.0.2.44"}]}}]}`)
	if out, err := n.meridianCLI(t, "record", "change", "--zone", zoneID, "--change-batch", "file://"+change, "--wait"); err != nil || !strings.Contains(out, "INSYNC") {
		t.Fatalf("record change: %v\n%s", err, out)
	}
	if r := n.query(t, "udp", "www.cli.example.", dns.TypeA); len(r.Answer) != 1 {
		t.Fatalf("record not served: %v", r)
	}

	zoneFile := filepath.Join(dir, "in.db")
	writeFile(t, zoneFile, `$ORIGIN cli.example.
$TTL 3600
@       IN SOA ns1.cli.example. admin.cli.example. 7 3600 600 86400 300
@       IN NS  ns1.cli.example.
@       IN MX  10 mail
mail    IN A   192.0.2.25
        IN AAAA 2001:db8::25
txt     IN TXT "hello world" "second string"
alias   IN CNAME mail
srv     IN SRV 0 5 5060 mail.cli.example.
`)
	if out, err := n.meridianCLI(t, "zone", "import", zoneID, "--file", zoneFile); err != nil {
		t.Fatalf("zone import: %v\n%s", err, out)
	}
	r := n.query(t, "udp", "cli.example.", dns.TypeMX)
	if len(r.Answer) != 1 || r.Answer[0].(*dns.MX).Mx != "mail.cli.example." {
		t.Fatalf("imported MX: %v", r)
	}
	r = n.query(t, "udp", "txt.cli.example.", dns.TypeTXT)
	if len(r.Answer) != 1 || strings.Join(r.Answer[0].(*dns.TXT).Txt, "|") != "hello world|second string" {
		t.Fatalf("imported TXT: %v", r)
	}

	exported := filepath.Join(dir, "out.db")
	if out, err := n.meridianCLI(t, "zone", "export", zoneID, "--file", exported); err != nil {
		t.Fatalf("zone export: %v\n%s", err, out)
	}
	b, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	// Every exported line parses back as a zone file holding what was served.
	zp := dns.NewZoneParser(strings.NewReader(string(b)), "", "")
	got := map[string]bool{}
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		got[dns.TypeToString[rr.Header().Rrtype]+" "+rr.Header().Name] = true
	}
	if err := zp.Err(); err != nil {
		t.Fatalf("exported file does not parse: %v\n%s", err, b)
	}
	for _, want := range []string{"SOA cli.example.", "NS cli.example.", "MX cli.example.", "A mail.cli.example.", "AAAA mail.cli.example.",
		"TXT txt.cli.example.", "CNAME alias.cli.example.", "SRV srv.cli.example.", "A www.cli.example."} {
		if !got[want] {
			t.Errorf("export lacks %s:\n%s", want, b)
		}
	}

	out, err = n.meridianCLI(t, "zone", "delete", zoneID)
	if err == nil || !strings.Contains(out, "HostedZoneNotEmpty") {
		t.Errorf("deleting a non-empty zone: err=%v\n%s", err, out)
	}
}
