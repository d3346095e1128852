package auth

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

func TestVerifyRequest(t *testing.T) {
	creds := Credentials{testKeyID: testSecret}
	signed := func(body string) *http.Request {
		req := httptest.NewRequest("POST", "http://localhost:8080/meridian/v1/x", bytes.NewReader([]byte(body)))
		c := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
		if err := v4.NewSigner().SignHTTP(context.Background(), c, req, hashOf([]byte(body)), "route53", "us-east-1", testNow); err != nil {
			t.Fatal(err)
		}
		return req
	}
	tests := []struct {
		name       string
		req        *http.Request
		wantStatus int // 0: accepted
		wantCode   string
	}{
		{name: "signed", req: signed("hello")},
		{name: "body too large", req: signed(strings.Repeat("x", 17)), wantStatus: 400, wantCode: "BadBody"},
		{name: "unsigned", req: httptest.NewRequest("GET", "http://localhost:8080/meridian/v1/x", nil), wantStatus: 403, wantCode: "MissingAuthenticationToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, fail, _ := creds.VerifyRequest(tt.req, 16, "route53", "BadBody", testNow)
			if tt.wantStatus == 0 {
				if fail != nil || string(body) != "hello" {
					t.Fatalf("body %q, failure %+v", body, fail)
				}
				return
			}
			if fail == nil || fail.Status != tt.wantStatus || fail.Code != tt.wantCode {
				t.Fatalf("failure = %+v, want %d %s", fail, tt.wantStatus, tt.wantCode)
			}
		})
	}
}
