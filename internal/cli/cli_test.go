package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		words     []string
		flags     map[string]string
		wantError string
	}{
		{name: "flags before and after", args: []string{"--endpoint", "http://x:1", "zone", "create", "a.com", "--comment=hi there", "-data-dir", "/d"},
			words: []string{"zone", "create", "a.com"}, flags: map[string]string{"endpoint": "http://x:1", "comment": "hi there", "data-dir": "/d"}},
		{name: "boolean", args: []string{"record", "change", "--wait", "--zone", "Z1"},
			words: []string{"record", "change"}, flags: map[string]string{"wait": "true", "zone": "Z1"}},
		{name: "boolean false", args: []string{"--wait=false"}, flags: map[string]string{"wait": "false"}},
		{name: "dash value", args: []string{"--change-batch", "-"}, flags: map[string]string{"change-batch": "-"}},
		{name: "double dash ends flags", args: []string{"zone", "--", "--odd"}, words: []string{"zone", "--odd"}, flags: map[string]string{}},
		{name: "lone dash is a word", args: []string{"-"}, words: []string{"-"}, flags: map[string]string{}},
		{name: "-h", args: []string{"zone", "-h"}, words: []string{"zone"}, flags: map[string]string{"help": "true"}},
		{name: "missing value", args: []string{"zone", "create", "--comment"}, wantError: "flag --comment needs a value"},
		{name: "unknown flag", args: []string{"--colour", "x"}, wantError: "unknown flag --colour"},
		{name: "bad boolean", args: []string{"--wait=maybe"}, wantError: "takes no value other than true or false"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := parseArgs(tc.args)
			if tc.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantError) {
					t.Fatalf("error = %v, want %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(in.words, tc.words) || !reflect.DeepEqual(in.flags, tc.flags) {
				t.Errorf("got words %q flags %v, want %q %v", in.words, in.flags, tc.words, tc.flags)
			}
		})
	}
}

// TestRunUsage covers the command-line mistakes caught before any call.
func TestRunUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr []string // fragments
	}{
		{"no arguments", nil, []string{"usage: meridian", "zone import NAME|ID --file zone.db"}},
		{"help", []string{"help"}, []string{"usage: meridian", "record change --zone"}},
		{"--help", []string{"zone", "list", "--help"}, []string{"usage: meridian"}},
		{"unknown subcommand", []string{"zone", "frobnicate"}, []string{`meridian: unknown subcommand "zone frobnicate"`, "usage:"}},
		{"unknown group", []string{"dance"}, []string{`unknown subcommand "dance"`}},
		{"missing argument", []string{"zone", "create"}, []string{"meridian: zone create: missing NAME (usage: meridian zone create NAME"}},
		{"extra argument", []string{"zone", "delete", "a.com", "b.com"}, []string{`meridian: zone delete: unexpected argument "b.com"`}},
		{"flag of another command", []string{"zone", "list", "--file", "x"}, []string{"meridian: zone list: flag --file is not accepted here"}},
		{"import without --file", []string{"zone", "import", "Z1"}, []string{"meridian: zone import: --file is required"}},
		{"record list without --zone", []string{"record", "list"}, []string{"meridian: record list: --zone is required"}},
		{"bad type", []string{"record", "list", "--zone", "Z1", "--type", "MD"}, []string{`--type "MD" is not a record type`}},
		{"bad timeout", []string{"record", "change", "--zone", "Z1", "--change-batch", "{}", "--timeout", "soon"}, []string{"--timeout wants a positive duration"}},
		{"unknown flag", []string{"zone", "list", "--bogus"}, []string{"meridian: unknown flag --bogus"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t)
			code, out, errOut := f.run("", tc.args...)
			if code != 2 {
				t.Errorf("exit code = %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			for _, frag := range tc.stderr {
				if !strings.Contains(errOut, frag) {
					t.Errorf("stderr %q lacks %q", errOut, frag)
				}
			}
			if n := len(f.requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

func TestParseZoneID(t *testing.T) {
	tests := []struct {
		arg, id string
		ok      bool
	}{
		{"Z06776831VVYJZODRDBD9", "Z06776831VVYJZODRDBD9", true},
		{"/hostedzone/Z1PA6795UKMFR9", "Z1PA6795UKMFR9", true},
		{"Z1", "Z1", true},
		{"example.com", "", false},
		{"Zebra.com", "", false},
		{"zabc", "", false},
		{"Z", "", false},
		{"/hostedzone/example.com", "", false},
		{"Z" + strings.Repeat("A", 32), "", false},
	}
	for _, tc := range tests {
		id, ok := parseZoneID(tc.arg)
		if id != tc.id || ok != tc.ok {
			t.Errorf("parseZoneID(%q) = %q, %t; want %q, %t", tc.arg, id, ok, tc.id, tc.ok)
		}
	}
}

func TestErrorLines(t *testing.T) {
	tests := []struct {
		name   string
		status int
		code   string
		msg    string
		args   []string
		want   string
	}{
		{"already exists", 409, "HostedZoneAlreadyExists", "A hosted zone has already been created with the specified caller reference.",
			[]string{"zone", "create", "example.com"},
			"meridian: zone create: HostedZoneAlreadyExists: A hosted zone has already been created with the specified caller reference.\n"},
		{"not empty", 400, "HostedZoneNotEmpty", "The specified hosted zone contains non-required resource record sets and so cannot be deleted.",
			[]string{"zone", "delete", "/hostedzone/Z1"},
			"meridian: zone delete: HostedZoneNotEmpty: The specified hosted zone contains non-required resource record sets and so cannot be deleted.\n"},
		{"invalid change batch", 400, "InvalidChangeBatch", "[Tried to create resource record set [name='a.example.com.', type='A'] but it already exists,\nsecond line]",
			[]string{"record", "change", "--zone", "Z1", "--change-batch", `{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"a.example.com","Type":"A","TTL":60,"ResourceRecords":[{"Value":"192.0.2.1"}]}}]}`},
			"meridian: record change: InvalidChangeBatch: [Tried to create resource record set [name='a.example.com.', type='A'] but it already exists, second line]\n"},
		{"not found without a message", 404, "NoSuchHostedZone", "",
			[]string{"zone", "delete", "Z9"}, "meridian: zone delete: NoSuchHostedZone\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.handle("/", func(w http.ResponseWriter, r *http.Request) { writeError(w, tc.status, tc.code, tc.msg) })
			code, out, errOut := f.run("", tc.args...)
			if code != 1 || out != "" || errOut != tc.want {
				t.Errorf("got exit %d stdout %q stderr %q; want 1, nothing, %q", code, out, errOut, tc.want)
			}
		})
	}
}

func TestMalformedAnswers(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"plain 404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
			"meridian: zone list: ListHostedZones: HTTP status 404 (not a Route 53 error response)\n"},
		{"bad XML", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			io.WriteString(w, "<ListHostedZonesResponse><HostedZones><HostedZone>")
		}, "meridian: zone list: ListHostedZones: HTTP status 200: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.handle("/", tc.handler)
			code, _, errOut := f.run("", "zone", "list")
			if code != 1 || !strings.HasPrefix(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d stderr %q, want 1 and one line starting %q", code, errOut, tc.want)
			}
		})
	}
}

func TestUnreachableServer(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	url := f.srv.URL
	f.srv.Close()
	var out, errOut bytes.Buffer
	r := &Runner{Stdout: &out, Stderr: &errOut}
	env := map[string]string{"MERIDIAN_ACCESS_KEY_ID": "AKID", "MERIDIAN_SECRET_ACCESS_KEY": "s"}
	code := r.run(context.Background(), []string{"zone", "list", "--endpoint", url}, mapEnv(env))
	if code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	line := errOut.String()
	for _, frag := range []string{"meridian: zone list: ListHostedZones: dial tcp", "connection refused", "is a Meridian server listening at " + url} {
		if !strings.Contains(line, frag) {
			t.Errorf("stderr %q lacks %q", line, frag)
		}
	}
	if strings.Count(line, "\n") != 1 {
		t.Errorf("stderr is not one line: %q", line)
	}
}

func TestDescribeRemotePlainErrors(t *testing.T) {
	err := errors.New("plain")
	if got := remote(err).Error(); got != "plain" {
		t.Errorf("remote(plain) = %q", got)
	}
	if remote(nil) != nil {
		t.Error("remote(nil) is not nil")
	}
	wrapped := remote(err)
	if !errors.Is(wrapped, err) {
		t.Error("remote error does not unwrap to the SDK error")
	}
}

func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestCredentialsAndEndpoint checks where Run takes its endpoint, region and
// credentials from, by the signature the server receives.
func TestCredentialsAndEndpoint(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "credentials"),
		[]byte("[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = x\n\n[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = filesecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	emptyDir := t.TempDir()
	badDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(badDir, "credentials"), []byte("[other]\naws_access_key_id = A\naws_secret_access_key = B\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		env       map[string]string
		args      []string
		wantScope string // credential scope prefix in the Authorization header
		wantErr   string
	}{
		{name: "environment wins over the file",
			env:       map[string]string{"MERIDIAN_ACCESS_KEY_ID": "AKIDENV", "MERIDIAN_SECRET_ACCESS_KEY": "s", "MERIDIAN_DATA_DIR": dir},
			wantScope: "Credential=AKIDENV/", args: []string{"zone", "list"}},
		{name: "data-dir file from the environment",
			env:       map[string]string{"MERIDIAN_DATA_DIR": dir},
			wantScope: "Credential=AKIDFILE/", args: []string{"zone", "list"}},
		{name: "data-dir flag after the subcommand",
			env:       map[string]string{"MERIDIAN_DATA_DIR": emptyDir},
			wantScope: "Credential=AKIDFILE/", args: []string{"zone", "list", "--data-dir", dir}},
		{name: "region from AWS_REGION",
			env:       map[string]string{"MERIDIAN_ACCESS_KEY_ID": "AKIDENV", "MERIDIAN_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-central-1"},
			wantScope: "/eu-central-1/route53/aws4_request", args: []string{"zone", "list"}},
		{name: "default region",
			env:       map[string]string{"MERIDIAN_ACCESS_KEY_ID": "AKIDENV", "MERIDIAN_SECRET_ACCESS_KEY": "s"},
			wantScope: "/us-east-1/route53/aws4_request", args: []string{"zone", "list"}},
		{name: "half the environment",
			env:     map[string]string{"MERIDIAN_ACCESS_KEY_ID": "AKIDENV"},
			wantErr: "meridian: zone list: set both MERIDIAN_ACCESS_KEY_ID and MERIDIAN_SECRET_ACCESS_KEY, or neither\n", args: []string{"zone", "list"}},
		{name: "file without a default profile",
			env:     map[string]string{"MERIDIAN_DATA_DIR": badDir},
			wantErr: "reading credentials file " + filepath.Join(badDir, "credentials"), args: []string{"zone", "list"}},
		{name: "bad endpoint",
			env:     map[string]string{"MERIDIAN_ENDPOINT": "localhost:8080"},
			wantErr: `meridian: zone list: invalid endpoint "localhost:8080"`, args: []string{"zone", "list"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.handle("GET /2013-04-01/hostedzone", func(w http.ResponseWriter, r *http.Request) {
				writeXML(w, 200, "ListHostedZonesResponse", "<HostedZones></HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems>")
			})
			env := map[string]string{"MERIDIAN_ENDPOINT": f.srv.URL}
			for k, v := range tc.env {
				env[k] = v
			}
			var out, errOut bytes.Buffer
			r := &Runner{Stdout: &out, Stderr: &errOut}
			code := r.run(context.Background(), tc.args, mapEnv(env))
			if tc.wantErr != "" {
				if code != 1 || !strings.Contains(errOut.String(), tc.wantErr) {
					t.Fatalf("exit %d stderr %q, want 1 and %q", code, errOut.String(), tc.wantErr)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			reqs := f.requests()
			if len(reqs) != 1 || !strings.Contains(reqs[0].Auth, tc.wantScope) {
				t.Fatalf("requests %+v, want one signed with %q", reqs, tc.wantScope)
			}
		})
	}
}

func TestNewClientUsesEndpoint(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /2013-04-01/hostedzonecount", func(w http.ResponseWriter, r *http.Request) {
		writeXML(w, 200, "GetHostedZoneCountResponse", "<HostedZoneCount>7</HostedZoneCount>")
	})
	t.Setenv("MERIDIAN_ACCESS_KEY_ID", "AKIDENV")
	t.Setenv("MERIDIAN_SECRET_ACCESS_KEY", "s")
	c, err := NewClient(context.Background(), f.srv.URL, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.GetHostedZoneCount(context.Background(), &route53.GetHostedZoneCountInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(out.HostedZoneCount) != 7 {
		t.Errorf("count = %d, want 7", aws.ToInt64(out.HostedZoneCount))
	}
}

// TestNoCredentials checks the hint given when the SDK's default chain, the
// last resort, finds nothing (IMDS disabled so nothing leaves the machine).
func TestNoCredentials(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	f := newFakeAPI(t)
	dataDir := t.TempDir()
	var out, errOut bytes.Buffer
	r := &Runner{Stdout: &out, Stderr: &errOut}
	code := r.run(context.Background(), []string{"zone", "list", "--endpoint", f.srv.URL, "--data-dir", dataDir}, mapEnv(nil))
	want := "(no Meridian credentials: set MERIDIAN_ACCESS_KEY_ID and MERIDIAN_SECRET_ACCESS_KEY, or give --data-dir holding the server's credentials file (looked in " + dataDir + "))\n"
	if code != 1 || !strings.HasPrefix(errOut.String(), "meridian: zone list: ListHostedZones: ") || !strings.HasSuffix(errOut.String(), want) {
		t.Errorf("exit %d stderr %q, want 1 and a line ending %q", code, errOut.String(), want)
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d unsigned requests reached the server", n)
	}
}
