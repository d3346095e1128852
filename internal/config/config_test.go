package config

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
		check   func(t *testing.T, f *File)
	}{
		{name: "empty", in: ""},
		{
			name: "full",
			in: `credentials:
  - {access_key_id: AKIDEXAMPLE, secret_access_key: secret}
nameservers: [ns1.example.net, ns2.example.net]
hostmaster: hostmaster.example.net.
region: eu-central-1
`,
			check: func(t *testing.T, f *File) {
				if len(f.Credentials) != 1 || f.Credentials[0].AccessKeyID != "AKIDEXAMPLE" {
					t.Errorf("credentials = %+v", f.Credentials)
				}
				if len(f.NameServers) != 2 || f.Hostmaster != "hostmaster.example.net." || f.Region != "eu-central-1" {
					t.Errorf("got %+v", f)
				}
			},
		},
		{name: "unknown key", in: "nameserver: [a]\n", wantErr: "field nameserver not found"},
		{name: "half credential", in: "credentials: [{access_key_id: A}]\n", wantErr: "both required"},
		{name: "bad yaml", in: "credentials: [\n", wantErr: "parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, f)
			}
		})
	}
}
