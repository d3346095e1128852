package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCounter(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  string
	}{
		{"none", nil, "requests=0 distinct=0 min=0 max=0 unknown=0"},
		{"one check twice", []string{"/c/1", "/c/1"}, "requests=2 distinct=1 min=0 max=2 unknown=0"},
		{"every check", []string{"/c/0", "/c/1", "/c/2", "/c/2"}, "requests=4 distinct=3 min=1 max=2 unknown=0"},
		{"out of range", []string{"/c/3", "/c/-1"}, "requests=2 distinct=0 min=0 max=0 unknown=2"},
		{"other paths", []string{"/", "/c/", "/c/x", "/d/1", "/health"}, "requests=5 distinct=0 min=0 max=0 unknown=5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCounter(3)
			for _, p := range tt.paths {
				rec := httptest.NewRecorder()
				c.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
				if rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
					t.Fatalf("GET %s: %d %q, want 200 \"ok\\n\"", p, rec.Code, rec.Body.String())
				}
			}
			if got := c.stats(); got != tt.want {
				t.Errorf("stats() = %q, want %q", got, tt.want)
			}
		})
	}
}
