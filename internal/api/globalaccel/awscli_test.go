package globalaccel

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/control"
)

// awsCLI runs the real aws CLI (botocore) against the test server and
// returns its combined output.
func (e *testEnv) awsCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("aws", append([]string{"--endpoint-url", e.srv.URL, "--output", "json", "--region", "us-west-2", "globalaccelerator"}, args...)...)
	// The caller's AWS_* settings (profiles, real credentials) stay out.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env,
		"AWS_ACCESS_KEY_ID="+testKeyID,
		"AWS_SECRET_ACCESS_KEY="+testSecret,
		"AWS_PAGER=",
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestAWSCLI drives spec 7's Global Accelerator smoke test with the real
// aws CLI: create-accelerator → create-listener → create-endpoint-group in
// two regions → the early deletes fail → update-accelerator --no-enabled →
// delete in reverse order. It needs the aws CLI and takes a few seconds.
func TestAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the aws CLI ten times")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("aws CLI not installed")
	}
	e := newEnv(t, control.AcceleratorConfig{})
	run := func(want string, args ...string) map[string]any {
		t.Helper()
		out, err := e.awsCLI(t, args...)
		if want != "" {
			if err == nil || !strings.Contains(out, "("+want+")") {
				t.Fatalf("%s: err=%v, want %s:\n%s", args[0], err, want, out)
			}
			return nil
		}
		if err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, out)
		}
		m := map[string]any{}
		if strings.TrimSpace(out) != "" {
			if err := json.Unmarshal([]byte(out), &m); err != nil {
				t.Fatalf("%s: %v\n%s", args[0], err, out)
			}
		}
		return m
	}
	field := func(m map[string]any, obj, key string) string {
		s, _ := m[obj].(map[string]any)[key].(string)
		return s
	}

	acc := run("", "create-accelerator", "--name", "cli")
	arn := field(acc, "Accelerator", "AcceleratorArn")
	if field(acc, "Accelerator", "Status") != "IN_PROGRESS" || !dnsNameShape.MatchString(field(acc, "Accelerator", "DnsName")) {
		t.Errorf("create-accelerator: %v", acc)
	}
	lis := run("", "create-listener", "--accelerator-arn", arn, "--port-ranges", "FromPort=80,ToPort=80", "--protocol", "TCP")
	lisARN := field(lis, "Listener", "ListenerArn")
	var groups []string
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		g := run("", "create-endpoint-group", "--listener-arn", lisARN, "--endpoint-group-region", region,
			"--endpoint-configurations", "EndpointId=192.0.2.10,Weight=128")
		groups = append(groups, field(g, "EndpointGroup", "EndpointGroupArn"))
	}
	run("AcceleratorNotDisabledException", "delete-accelerator", "--accelerator-arn", arn)
	upd := run("", "update-accelerator", "--accelerator-arn", arn, "--no-enabled")
	if enabled, _ := upd["Accelerator"].(map[string]any)["Enabled"].(bool); enabled {
		t.Errorf("update-accelerator --no-enabled: %v", upd)
	}
	run("AssociatedListenerFoundException", "delete-accelerator", "--accelerator-arn", arn)
	run("AssociatedEndpointGroupFoundException", "delete-listener", "--listener-arn", lisARN)
	for _, g := range groups {
		run("", "delete-endpoint-group", "--endpoint-group-arn", g)
	}
	run("", "delete-listener", "--listener-arn", lisARN)
	run("", "delete-accelerator", "--accelerator-arn", arn)
	run("AcceleratorNotFoundException", "describe-accelerator", "--accelerator-arn", arn)
}
