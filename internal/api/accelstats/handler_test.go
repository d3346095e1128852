package accelstats

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/auth"
)

const (
	testKeyID  = "AKIAACCELSTATSTEST01"
	testSecret = "accel-stats-secret"

	accA = "arn:aws:globalaccelerator::123456789012:accelerator/0f1e2d3c-4b5a-4697-8877-665544332211"
	accB = "arn:aws:globalaccelerator::123456789012:accelerator/11111111-2222-4333-8444-555555555555"
	// emptyPayload is the SHA-256 of an empty body.
	emptyPayload = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// fakeSource serves fixed counters.
type fakeSource struct {
	stats []accel.EndpointStats
	drops accel.Drops
}

func (f fakeSource) Stats() []accel.EndpointStats { return f.stats }
func (f fakeSource) Drops() accel.Drops           { return f.drops }

func testSource() fakeSource {
	return fakeSource{
		stats: []accel.EndpointStats{
			{AcceleratorARN: accA, ListenerARN: accA + "/listener/0a0b0c0d", Protocol: "TCP", EndpointGroupARN: accA + "/listener/0a0b0c0d/endpoint-group/aaaaaaaaaaaa",
				Region: "us-east-1", EndpointID: "192.0.2.10", ActiveFlows: 2, TotalFlows: 17, DialErrors: 1, BytesIn: 1000, BytesOut: 5000},
			{AcceleratorARN: accA, ListenerARN: accA + "/listener/0a0b0c0d", Protocol: "TCP", EndpointGroupARN: accA + "/listener/0a0b0c0d/endpoint-group/bbbbbbbbbbbb",
				Region: "eu-west-1", EndpointID: "192.0.2.20:8080", ActiveFlows: 1, TotalFlows: 3, BytesIn: 10, BytesOut: 20, Removed: true},
			{AcceleratorARN: accB, ListenerARN: accB + "/listener/01020304", Protocol: "UDP", EndpointGroupARN: accB + "/listener/01020304/endpoint-group/cccccccccccc",
				Region: "ap-south-1", EndpointID: "198.51.100.7", TotalFlows: 9, BytesIn: 1 << 40, BytesOut: 1<<64 - 1},
		},
		drops: accel.Drops{Disabled: 4, NoEndpoint: 3, DialFailed: 2, UDPTableFull: 1},
	}
}

// request builds a request for target, signed for service unless it is "".
func request(t *testing.T, method, target, service string, at time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	if service != "" {
		creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, emptyPayload, service, "us-west-2", at); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHandlerAnswers(t *testing.T) {
	h := NewHandler(testSource(), auth.Credentials{testKeyID: testSecret}, nil)
	tests := []struct {
		name  string
		query string
		ids   []string
	}{
		{"all accelerators", "", []string{"192.0.2.10", "192.0.2.20:8080", "198.51.100.7"}},
		{"one accelerator", "?accelerator=" + url.QueryEscape(accA), []string{"192.0.2.10", "192.0.2.20:8080"}},
		{"the other accelerator", "?accelerator=" + url.QueryEscape(accB), []string{"198.51.100.7"}},
		{"an accelerator without endpoints", "?accelerator=" + url.QueryEscape("arn:aws:globalaccelerator::123456789012:accelerator/99999999-2222-4333-8444-555555555555"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := serve(h, request(t, http.MethodGet, Path+tc.query, SigningService, time.Now()))
			if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" {
				t.Fatalf("status %d, type %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
			}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
				t.Fatal(err)
			}
			if string(raw["endpoints"]) == "null" {
				t.Errorf("endpoints is null, want a list: %s", w.Body)
			}
			var resp Response
			if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range resp.Endpoints {
				ids = append(ids, e.EndpointID)
			}
			if len(ids) != len(tc.ids) {
				t.Fatalf("endpoints %v, want %v", ids, tc.ids)
			}
			for i := range ids {
				if ids[i] != tc.ids[i] {
					t.Fatalf("endpoints %v, want %v", ids, tc.ids)
				}
			}
			if want := (Drops{Disabled: 4, NoEndpoint: 3, DialFailed: 2, UDPTableFull: 1}); resp.Drops != want {
				t.Errorf("drops %+v, want %+v", resp.Drops, want)
			}
		})
	}
}

// TestHandlerWireNames pins the JSON member names and values of one endpoint.
func TestHandlerWireNames(t *testing.T) {
	h := NewHandler(testSource(), auth.Credentials{testKeyID: testSecret}, nil)
	w := serve(h, request(t, http.MethodGet, Path, SigningService, time.Now()))
	var doc struct {
		Endpoints []map[string]any `json:"endpoints"`
		Drops     map[string]any   `json:"drops"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Endpoints) != 3 {
		t.Fatalf("%d endpoints: %s", len(doc.Endpoints), w.Body)
	}
	want := map[string]any{
		"acceleratorArn": accA, "listenerArn": accA + "/listener/0a0b0c0d", "protocol": "TCP",
		"endpointGroupArn": accA + "/listener/0a0b0c0d/endpoint-group/bbbbbbbbbbbb", "region": "eu-west-1",
		"endpointId": "192.0.2.20:8080", "activeFlows": 1.0, "totalFlows": 3.0, "dialErrors": 0.0,
		"bytesIn": 10.0, "bytesOut": 20.0, "removed": true,
	}
	got := doc.Endpoints[1]
	if len(got) != len(want) {
		t.Errorf("members %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	for _, k := range []string{"disabled", "noEndpoint", "dialFailed", "udpTableFull"} {
		if _, ok := doc.Drops[k]; !ok {
			t.Errorf("drops lack %s: %v", k, doc.Drops)
		}
	}
	var full Response
	if err := json.Unmarshal(w.Body.Bytes(), &full); err != nil {
		t.Fatal(err)
	}
	if full.Endpoints[2].BytesOut != 1<<64-1 || full.Endpoints[2].BytesIn != 1<<40 {
		t.Errorf("large counters came back as %d and %d", full.Endpoints[2].BytesIn, full.Endpoints[2].BytesOut)
	}
}

func TestHandlerErrors(t *testing.T) {
	h := NewHandler(testSource(), auth.Credentials{testKeyID: testSecret}, nil)
	tests := []struct {
		name    string
		method  string
		target  string
		service string
		at      time.Time
		status  int
		code    string
	}{
		{"unsigned", http.MethodGet, Path, "", time.Now(), http.StatusForbidden, auth.CodeMissingAuthenticationToken},
		{"signed for route53", http.MethodGet, Path, "route53", time.Now(), http.StatusForbidden, auth.CodeSignatureDoesNotMatch},
		{"signed long ago", http.MethodGet, Path, SigningService, time.Now().Add(-time.Hour), http.StatusForbidden, auth.CodeSignatureDoesNotMatch},
		{"POST", http.MethodPost, Path, SigningService, time.Now(), http.StatusMethodNotAllowed, "MethodNotAllowed"},
		{"another path", http.MethodGet, Path + "/x", SigningService, time.Now(), http.StatusNotFound, "NotFound"},
		{"not an ARN", http.MethodGet, Path + "?accelerator=web", SigningService, time.Now(), http.StatusBadRequest, "InvalidArgumentException"},
		{"empty ARN", http.MethodGet, Path + "?accelerator=", SigningService, time.Now(), http.StatusBadRequest, "InvalidArgumentException"},
		{"a listener ARN", http.MethodGet, Path + "?accelerator=" + url.QueryEscape(accA+"/listener/0a0b0c0d"), SigningService, time.Now(), http.StatusBadRequest, "InvalidArgumentException"},
		{"two ARNs", http.MethodGet, Path + "?accelerator=" + url.QueryEscape(accA) + "&accelerator=" + url.QueryEscape(accB), SigningService, time.Now(), http.StatusBadRequest, "InvalidArgumentException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := serve(h, request(t, tc.method, tc.target, tc.service, tc.at))
			body, _ := io.ReadAll(w.Body)
			var er ErrorResponse
			if err := json.Unmarshal(body, &er); err != nil {
				t.Fatalf("body %q: %v", body, err)
			}
			if w.Code != tc.status || er.Error.Code != tc.code || er.Error.Message == "" {
				t.Errorf("status %d, error %+v; want %d %s with a message", w.Code, er.Error, tc.status, tc.code)
			}
			if tc.status == http.StatusMethodNotAllowed && w.Header().Get("Allow") != http.MethodGet {
				t.Errorf("Allow %q", w.Header().Get("Allow"))
			}
		})
	}
}
