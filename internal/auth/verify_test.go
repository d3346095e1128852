package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testKeyID  = "AKIAIOSFODNN7EXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

var testNow = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// verifyServer runs Verify on every request it receives and reports the
// outcome through the response: 200 and an empty body on success, otherwise
// the error's status with "<Code>\n<Message>" as the body.
func verifyServer(t *testing.T, creds Credentials, service string, now time.Time) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if err := creds.Verify(r, body, service, now); err != nil {
			var ae *Error
			if !errors.As(err, &ae) {
				http.Error(w, "untyped error: "+err.Error(), http.StatusInternalServerError)
				return
			}
			w.WriteHeader(ae.Status)
			io.WriteString(w, ae.Code+"\n"+ae.Message)
			return
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func hashOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

type signCase struct {
	name    string
	method  string
	path    string // escaped path and query appended to the server URL
	body    string
	region  string
	service string
	creds   aws.Credentials
	at      time.Time
	headers map[string]string // set before signing
	tamper  func(r *http.Request)
	code    string // "" for success
	status  int
	msgPart string
}

func TestVerifySignedRequests(t *testing.T) {
	good := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	withToken := good
	withToken.SessionToken = "FwoGZXIvYXdzEXAMPLETOKEN//+=="
	cases := []signCase{
		{name: "GET us-east-1", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1"},
		{name: "GET eu-central-1", method: "GET", path: "/2013-04-01/hostedzonecount", region: "eu-central-1"},
		{name: "GET ap-southeast-2", method: "GET", path: "/2013-04-01/hostedzone/Z123", region: "ap-southeast-2"},
		{name: "custom region name", method: "GET", path: "/2013-04-01/hostedzone", region: "home-lab-1"},
		{name: "special characters in path", method: "GET", path: "/2013-04-01/tags/hostedzone/%2Fhostedzone%2FZ1%20x~y%2A", region: "us-west-2"},
		{name: "query string", method: "GET", path: "/2013-04-01/hostedzone/Z1/rrset?name=%2A.example.com.&type=A&maxitems=1&identifier=a%20b%2Bc", region: "eu-west-1"},
		{name: "repeated query keys", method: "GET", path: "/2013-04-01/hostedzone?b=2&a=1&a=0", region: "eu-west-1"},
		{name: "POST body", method: "POST", path: "/2013-04-01/hostedzone", body: "<CreateHostedZoneRequest/>", region: "us-east-1"},
		{name: "POST body with content type", method: "POST", path: "/2013-04-01/hostedzone", body: "<x/>", region: "us-east-1",
			headers: map[string]string{"Content-Type": "text/xml"}},
		{name: "session token", method: "GET", path: "/2013-04-01/hostedzone", region: "sa-east-1", creds: withToken},
		{name: "content sha256 header", method: "POST", path: "/2013-04-01/hostedzone", body: "abc", region: "us-east-1",
			headers: map[string]string{"X-Amz-Content-Sha256": hashOf([]byte("abc"))}},
		{name: "unsigned header added later is ignored", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			tamper: func(r *http.Request) { r.Header.Set("X-Forwarded-For", "192.0.2.1") }},
		{name: "clock skew inside window", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			at: testNow.Add(-14 * time.Minute)},

		{name: "tampered body", method: "POST", path: "/2013-04-01/hostedzone", body: "<a>1</a>", region: "us-east-1",
			tamper: func(r *http.Request) { setBody(r, "<a>2</a>") },
			code:   CodeSignatureDoesNotMatch, status: 403, msgPart: "does not match the signature you provided"},
		{name: "tampered signed header", method: "POST", path: "/2013-04-01/hostedzone", body: "<a/>", region: "us-east-1",
			headers: map[string]string{"Content-Type": "text/xml"},
			tamper:  func(r *http.Request) { r.Header.Set("Content-Type", "application/xml") },
			code:    CodeSignatureDoesNotMatch, status: 403},
		{name: "tampered path", method: "GET", path: "/2013-04-01/hostedzone/Z1", region: "us-east-1",
			tamper: func(r *http.Request) { r.URL.Path = "/2013-04-01/hostedzone/Z2"; r.URL.RawPath = "" },
			code:   CodeSignatureDoesNotMatch, status: 403},
		{name: "tampered query", method: "GET", path: "/2013-04-01/hostedzone?maxitems=1", region: "us-east-1",
			tamper: func(r *http.Request) { r.URL.RawQuery = "maxitems=2" },
			code:   CodeSignatureDoesNotMatch, status: 403},
		{name: "tampered method", method: "GET", path: "/2013-04-01/hostedzone/Z1", region: "us-east-1",
			tamper: func(r *http.Request) { r.Method = "DELETE" },
			code:   CodeSignatureDoesNotMatch, status: 403},
		{name: "tampered region in scope", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			tamper: func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/us-east-1/", "/us-west-1/", 1))
			},
			code: CodeSignatureDoesNotMatch, status: 403},
		{name: "wrong secret", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			creds: aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: "not-the-secret"},
			code:  CodeSignatureDoesNotMatch, status: 403},
		{name: "unknown access key", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			creds: aws.Credentials{AccessKeyID: "AKIAUNKNOWNUNKNOWN00", SecretAccessKey: testSecret},
			code:  CodeInvalidClientTokenID, status: 403, msgPart: "security token included in the request is invalid"},
		{name: "wrong service", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1", service: "globalaccelerator",
			code: CodeSignatureDoesNotMatch, status: 403, msgPart: "Credential should be scoped to correct service: 'route53'."},
		{name: "signed too long ago", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			at:   testNow.Add(-16 * time.Minute),
			code: CodeSignatureDoesNotMatch, status: 403,
			msgPart: "Signature expired: 20250314T145326Z is now earlier than 20250314T145426Z (20250314T150926Z - 15 min.)"},
		{name: "signed in the future", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			at:   testNow.Add(20 * time.Minute),
			code: CodeSignatureDoesNotMatch, status: 403,
			msgPart: "Signature not yet current: 20250314T152926Z is still later than 20250314T152426Z (20250314T150926Z + 15 min.)"},
		{name: "content sha256 header wrong", method: "POST", path: "/2013-04-01/hostedzone", body: "abc", region: "us-east-1",
			headers: map[string]string{"X-Amz-Content-Sha256": hashOf([]byte("abd"))},
			code:    CodeSignatureDoesNotMatch, status: 403, msgPart: "x-amz-content-sha256"},
		{name: "unsigned payload refused", method: "POST", path: "/2013-04-01/hostedzone", body: "abc", region: "us-east-1",
			headers: map[string]string{"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD"},
			code:    CodeSignatureDoesNotMatch, status: 403},
		{name: "session token not signed", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			tamper: func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "sneaky") },
			code:   CodeIncompleteSignature, status: 400},
		{name: "session token swapped", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1", creds: withToken,
			tamper: func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "other") },
			code:   CodeSignatureDoesNotMatch, status: 403},
		{name: "no authorization", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			tamper: func(r *http.Request) { r.Header.Del("Authorization") },
			code:   CodeMissingAuthenticationToken, status: 403},
		{name: "malformed authorization", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			tamper: func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=abc") },
			code:   CodeIncompleteSignature, status: 400, msgPart: "Authorization header requires 'Signature' parameter."},
		{name: "short credential scope", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			tamper: func(r *http.Request) {
				r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250314/route53, SignedHeaders=host;x-amz-date, Signature=00")
			},
			code: CodeIncompleteSignature, status: 400, msgPart: "exactly 5 slash-delimited elements"},
		{name: "other algorithm", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			tamper: func(r *http.Request) { r.Header.Set("Authorization", "AWS AKID:abc") },
			code:   CodeIncompleteSignature, status: 400},
		{name: "missing date", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			tamper: func(r *http.Request) { r.Header.Del("X-Amz-Date") },
			code:   CodeIncompleteSignature, status: 400, msgPart: "'X-Amz-Date' or a 'Date' header"},
		{name: "date not matching scope", method: "GET", path: "/2013-04-01/hostedzone", region: "us-east-1",
			tamper: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20250315T000100Z") },
			code:   CodeSignatureDoesNotMatch, status: 403, msgPart: "Date in Credential scope does not match"},
	}
	creds := Credentials{testKeyID: testSecret}
	srv := verifyServer(t, creds, "route53", testNow)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			setBody(req, tc.body)
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			c := tc.creds
			if c.AccessKeyID == "" {
				c = good
			}
			service := tc.service
			if service == "" {
				service = "route53"
			}
			at := tc.at
			if at.IsZero() {
				at = testNow.Add(-3 * time.Second)
			}
			if err := v4.NewSigner().SignHTTP(context.Background(), c, req, hashOf([]byte(tc.body)), service, tc.region, at); err != nil {
				t.Fatal(err)
			}
			if tc.tamper != nil {
				tc.tamper(req)
			}
			checkOutcome(t, req, tc.code, tc.status, tc.msgPart)
		})
	}
}

func setBody(r *http.Request, body string) {
	r.Body = io.NopCloser(strings.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
}

func checkOutcome(t *testing.T, req *http.Request, code string, status int, msgPart string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if code == "" {
		if resp.StatusCode != 200 {
			t.Fatalf("want success, got %d %s", resp.StatusCode, b)
		}
		return
	}
	gotCode, msg, _ := strings.Cut(string(b), "\n")
	if resp.StatusCode != status || gotCode != code {
		t.Fatalf("want %d %s, got %d %s", status, code, resp.StatusCode, b)
	}
	if !strings.Contains(msg, msgPart) {
		t.Fatalf("message %q lacks %q", msg, msgPart)
	}
}

func TestVerifyPresigned(t *testing.T) {
	creds := Credentials{testKeyID: testSecret}
	srv := verifyServer(t, creds, "route53", testNow)
	good := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: "tok/en"}
	cases := []struct {
		name    string
		expires string
		at      time.Time
		tamper  func(u *url.URL)
		code    string
		msgPart string
	}{
		{name: "valid", at: testNow.Add(-time.Minute)},
		{name: "valid with expiry", expires: "3600", at: testNow.Add(-50 * time.Minute)},
		{name: "expired", expires: "60", at: testNow.Add(-2 * time.Minute), code: CodeSignatureDoesNotMatch, msgPart: "Signature expired"},
		{name: "too old without expiry", at: testNow.Add(-time.Hour), code: CodeSignatureDoesNotMatch, msgPart: "Signature expired"},
		{name: "tampered query", at: testNow, code: CodeSignatureDoesNotMatch,
			tamper: func(u *url.URL) { q := u.Query(); q.Set("maxitems", "99"); u.RawQuery = q.Encode() }},
		{name: "tampered signature", at: testNow, code: CodeSignatureDoesNotMatch,
			tamper: func(u *url.URL) {
				q := u.Query()
				q.Set("X-Amz-Signature", strings.Repeat("0", 64))
				u.RawQuery = q.Encode()
			}},
		{name: "bad expiry", expires: "-5", at: testNow, code: CodeIncompleteSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := srv.URL + "/2013-04-01/hostedzone?maxitems=1"
			if tc.expires != "" {
				u += "&X-Amz-Expires=" + tc.expires
			}
			req, err := http.NewRequest("GET", u, nil)
			if err != nil {
				t.Fatal(err)
			}
			signed, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), good, req, emptyPayloadHash, "route53", "eu-central-1", tc.at)
			if err != nil {
				t.Fatal(err)
			}
			pu, err := url.Parse(signed)
			if err != nil {
				t.Fatal(err)
			}
			if tc.tamper != nil {
				tc.tamper(pu)
			}
			preq, err := http.NewRequest("GET", pu.String(), nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range hdr {
				if k != "Host" {
					preq.Header[k] = v
				}
			}
			status := 403
			if tc.code == CodeIncompleteSignature {
				status = 400
			}
			checkOutcome(t, preq, tc.code, status, tc.msgPart)
		})
	}
}

func TestVerifyDirect(t *testing.T) {
	// Verify must not depend on the transport: a request built in memory
	// and signed for a Host with a port verifies too.
	creds := Credentials{testKeyID: testSecret}
	body := []byte("<ChangeResourceRecordSetsRequest/>")
	req := httptest.NewRequest("POST", "http://localhost:8053/2013-04-01/hostedzone/Z1/rrset/", bytes.NewReader(body))
	c := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), c, req, hashOf(body), "route53", "eu-central-1", testNow); err != nil {
		t.Fatal(err)
	}
	if err := creds.Verify(req, body, "route53", testNow); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if err := creds.Verify(req, append(body, ' '), "route53", testNow); err == nil {
		t.Fatal("modified body verified")
	}
	req.Host = "localhost:8054"
	if err := creds.Verify(req, body, "route53", testNow); err == nil {
		t.Fatal("different host verified")
	}
}
