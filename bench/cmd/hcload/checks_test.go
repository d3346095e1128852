package main

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReadEndpoints(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    []string
		wantErr string
	}{
		{"two", "127.0.1.1:8080\n127.0.1.2:8081\n", []string{"127.0.1.1:8080", "127.0.1.2:8081"}, ""},
		{"blank lines and spaces", "\n 127.0.1.1:80 \n\n", []string{"127.0.1.1:80"}, ""},
		{"ipv6", "[::1]:9000\n", []string{"[::1]:9000"}, ""},
		{"empty", "\n\n", nil, "no endpoint"},
		{"no port", "127.0.1.1\n", nil, ":1:"},
		{"bad second line", "127.0.1.1:80\nlocalhost:80\n", nil, ":2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "endpoints.txt")
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := readEndpoints(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("readEndpoints: err %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("readEndpoints: %v", err)
			}
			want := make([]netip.AddrPort, len(tt.want))
			for i, s := range tt.want {
				want[i] = netip.MustParseAddrPort(s)
			}
			if !slices.Equal(got, want) {
				t.Errorf("readEndpoints = %v, want %v", got, want)
			}
		})
	}
}

func TestCheckNaming(t *testing.T) {
	tests := []struct {
		i        int
		ref, res string
	}{
		{0, "hcbench-00000", "/c/0"},
		{42, "hcbench-00042", "/c/42"},
		{99999, "hcbench-99999", "/c/99999"},
	}
	for _, tt := range tests {
		if got := callerRef(tt.i); got != tt.ref {
			t.Errorf("callerRef(%d) = %q, want %q", tt.i, got, tt.ref)
		}
		if got := resourcePath(tt.i); got != tt.res {
			t.Errorf("resourcePath(%d) = %q, want %q", tt.i, got, tt.res)
		}
	}
}
