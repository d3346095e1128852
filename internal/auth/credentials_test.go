package auth

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
)

func clearEnv(t *testing.T) {
	t.Setenv(EnvAccessKeyID, "")
	t.Setenv(EnvSecretAccessKey, "")
}

func TestLoadOrCreateGeneratesSharedCredentialsFile(t *testing.T) {
	clearEnv(t)
	dir := filepath.Join(t.TempDir(), "data")
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))

	creds, path, err := LoadOrCreate(dir, nil, logger)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "credentials") {
		t.Fatalf("path = %q", path)
	}
	if len(creds) != 1 {
		t.Fatalf("want one key, got %d", len(creds))
	}
	var id, secret string
	for id, secret = range creds {
	}
	if !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(id) {
		t.Errorf("access key ID %q is not AKIA-style", id)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9+/]{40}$`).MatchString(secret) {
		t.Errorf("secret %q is not 40 characters of the base64 alphabet", secret)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	if !strings.Contains(logs.String(), "AWS_SHARED_CREDENTIALS_FILE="+path) {
		t.Errorf("log does not say how to use the file: %s", logs.String())
	}

	// The AWS SDK reads the file as a standard shared-credentials file.
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithSharedCredentialsFiles([]string{path}),
		config.WithSharedConfigFiles([]string{filepath.Join(dir, "no-such-config")}),
		config.WithSharedConfigProfile("default"),
		config.WithRegion("eu-central-1"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessKeyID != id || got.SecretAccessKey != secret {
		t.Fatalf("SDK read %q/%q, want %q/%q", got.AccessKeyID, got.SecretAccessKey, id, secret)
	}

	// A second start reuses the file.
	again, path2, err := LoadOrCreate(dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if path2 != path || again[id] != secret || len(again) != 1 {
		t.Fatalf("second start: %v %q", again, path2)
	}

	// Two generated keys differ.
	other, _, err := LoadOrCreate(t.TempDir(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, same := other[id]; same {
		t.Fatal("two data dirs got the same access key")
	}
}

func TestLoadOrCreatePrecedence(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "credentials"),
		[]byte("[other]\naws_access_key_id=AKIAOTHER\naws_secret_access_key=x\n\n[default]\n aws_access_key_id = AKIAFILE \naws_secret_access_key=filesecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		configured Credentials
		envID      string
		envSecret  string
		want       Credentials
		wantPath   bool
		wantErr    bool
	}{
		{name: "configured wins", configured: Credentials{"AKIACONF": "c1", "AKIACONF2": "c2"}, envID: "AKIAENV", envSecret: "e",
			want: Credentials{"AKIACONF": "c1", "AKIACONF2": "c2"}},
		{name: "environment next", envID: "AKIAENV", envSecret: "e", want: Credentials{"AKIAENV": "e"}},
		{name: "file last", want: Credentials{"AKIAFILE": "filesecret"}, wantPath: true},
		{name: "half environment", envID: "AKIAENV", wantErr: true},
		{name: "empty configured secret", configured: Credentials{"AKIACONF": ""}, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvAccessKeyID, tc.envID)
			t.Setenv(EnvSecretAccessKey, tc.envSecret)
			got, path, err := LoadOrCreate(dir, tc.configured, nil)
			if tc.wantErr {
				if err == nil {
					t.Fatal("want error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (path != "") != tc.wantPath {
				t.Errorf("path = %q", path)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestParseSharedCredentialsErrors(t *testing.T) {
	cases := map[string]string{
		"no default profile": "[work]\naws_access_key_id=a\naws_secret_access_key=b\n",
		"missing secret":     "[default]\naws_access_key_id=a\n",
		"empty":              "",
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			if _, _, err := parseSharedCredentials([]byte(content), "default"); err == nil {
				t.Fatal("want error")
			}
		})
	}
}
