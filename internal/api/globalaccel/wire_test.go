package globalaccel

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/control"
)

// TestWireForm checks the AWS JSON 1.1 forms byte by byte where the SDKs
// depend on them: content type, request ID, epoch timestamps, {} for empty
// outputs, __type errors with x-amzn-ErrorType.
func TestWireForm(t *testing.T) {
	e := newEnv(t, control.AcceleratorConfig{})
	r := e.raw(t, "CreateAccelerator", `{"Name":"wire","IdempotencyToken":"t1","Enabled":false}`, testSecret)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/x-amz-json-1.1" || r.header.Get("X-Amzn-Requestid") == "" {
		t.Fatalf("create: %d %v %s", r.status, r.header, r.body)
	}
	acc := decodeJSON(t, r.body)["Accelerator"].(map[string]any)
	if _, ok := acc["CreatedTime"].(float64); !ok {
		t.Errorf("CreatedTime %#v is not a JSON number", acc["CreatedTime"])
	}
	if !strings.Contains(string(r.body), `"CreatedTime":1`) || !strings.Contains(string(r.body), `"IpFamily":"IPv4"`) {
		t.Errorf("body %s", r.body)
	}
	arn := acc["AcceleratorArn"].(string)

	r = e.raw(t, "DeleteAccelerator", `{"AcceleratorArn":"`+arn+`"}`, testSecret)
	if r.status != http.StatusOK || string(r.body) != "{}" {
		t.Errorf("delete: %d %s, want 200 {}", r.status, r.body)
	}

	tests := []struct {
		name, target, body, secret string
		status                     int
		code, message              string
	}{
		{"not found", "DescribeAccelerator", `{"AcceleratorArn":"` + arn + `"}`, testSecret, 400, "AcceleratorNotFoundException", "Accelerator " + arn + " was not found."},
		{"malformed ARN", "DescribeAccelerator", `{"AcceleratorArn":"arn:aws:s3:::bucket"}`, testSecret, 400, "InvalidArgumentException", ""},
		{"missing ARN", "DescribeAccelerator", `{}`, testSecret, 400, "InvalidArgumentException", "AcceleratorArn is required."},
		{"listener ARN as accelerator", "DescribeAccelerator", `{"AcceleratorArn":"` + arn + `/listener/0123abcd"}`, testSecret, 400, "InvalidArgumentException", ""},
		{"unknown operation", "CreateCustomRoutingAccelerator", `{}`, testSecret, 400, "UnknownOperationException", ""},
		{"no target", "", `{}`, testSecret, 400, "UnknownOperationException", ""},
		{"bad JSON", "ListAccelerators", `{"MaxResults":`, testSecret, 400, "SerializationException", ""},
		{"wrong type", "CreateAccelerator", `{"Name":5,"IdempotencyToken":"x"}`, testSecret, 400, "SerializationException", ""},
		{"bad signature", "ListAccelerators", `{}`, "not-the-secret", 403, "InvalidSignatureException", ""},
		{"MaxResults 0", "ListAccelerators", `{"MaxResults":0}`, testSecret, 400, "InvalidArgumentException", ""},
		{"MaxResults 101", "ListAccelerators", `{"MaxResults":101}`, testSecret, 400, "InvalidArgumentException", ""},
		{"bad NextToken", "ListAccelerators", `{"NextToken":"!!!"}`, testSecret, 400, "InvalidNextTokenException", ""},
		{"empty body", "ListAccelerators", ``, testSecret, 200, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.raw(t, tc.target, tc.body, tc.secret)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.code == "" {
				return
			}
			m := decodeJSON(t, r.body)
			if m["__type"] != tc.code || r.header.Get("X-Amzn-Errortype") != tc.code || r.header.Get("Content-Type") != "application/x-amz-json-1.1" {
				t.Errorf("error %s (x-amzn-ErrorType %q), want %s", r.body, r.header.Get("X-Amzn-Errortype"), tc.code)
			}
			if msg, _ := m["Message"].(string); msg == "" || (tc.message != "" && msg != tc.message) {
				t.Errorf("Message %q, want %q", msg, tc.message)
			}
		})
	}
}

// TestAuthentication: unsigned requests and unknown keys get the JSON
// protocol's auth codes.
func TestAuthentication(t *testing.T) {
	e := newEnv(t, control.AcceleratorConfig{})
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", TargetPrefix+"ListAccelerators")
	w := httptest.NewRecorder()
	NewHandler(e.svc, nil, nil, nil).ServeHTTP(w, req)
	if got := w.Header()["x-amzn-ErrorType"]; w.Code != http.StatusForbidden || len(got) != 1 || got[0] != "MissingAuthenticationTokenException" {
		t.Errorf("unsigned: %d %v %s", w.Code, w.Header(), w.Body)
	}
	// A handler that knows no keys refuses a correctly signed request.
	srv := httptest.NewServer(NewHandler(e.svc, nil, nil, nil))
	defer srv.Close()
	e.srv = srv
	r := e.raw(t, "ListAccelerators", `{}`, testSecret)
	if m := decodeJSON(t, r.body); m["__type"] != "UnrecognizedClientException" {
		t.Errorf("unknown key: %d %s", r.status, r.body)
	}
}

func TestMatches(t *testing.T) {
	for target, want := range map[string]bool{
		"GlobalAccelerator_V20180706.ListAccelerators": true,
		"GlobalAccelerator_V20180706.":                 true,
		"DynamoDB_20120810.ListTables":                 false,
		"":                                             false,
	} {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		if target != "" {
			r.Header.Set("X-Amz-Target", target)
		}
		if got := Matches(r); got != want {
			t.Errorf("Matches(%q) = %v, want %v", target, got, want)
		}
	}
}
