package awserr

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/restjson"
	awsxml "github.com/aws/aws-sdk-go-v2/aws/protocol/xml"
)

func TestWriteXMLParsesWithSDK(t *testing.T) {
	cases := []struct {
		err      *Error
		wantType string
	}{
		{New("NoSuchHostedZone", "No hosted zone found with ID: Z1", http.StatusNotFound), "Sender"},
		{New("InvalidChangeBatch", "[Tried to create resource record set [name='a.', type='A'] but it already exists, <&>]", 400), "Sender"},
		{InternalFailure(), "Receiver"},
	}
	for _, tc := range cases {
		t.Run(tc.err.Code, func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteXML(rec, "https://route53.amazonaws.com/doc/2013-04-01/", "req-1", tc.err)
			if rec.Code != tc.err.Status || rec.Header().Get("Content-Type") != "text/xml" || headerValue(rec.Header(), "x-amzn-requestid") != "req-1" {
				t.Fatalf("status %d headers %v", rec.Code, rec.Header())
			}
			body := rec.Body.String()
			if !strings.HasPrefix(body, `<?xml version="1.0"?>`+"\n"+`<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>`+tc.wantType+`</Type>`) {
				t.Fatalf("body %s", body)
			}
			c, err := awsxml.GetErrorResponseComponents(bytes.NewReader(rec.Body.Bytes()), false)
			if err != nil {
				t.Fatal(err)
			}
			if c.Code != tc.err.Code || c.Message != tc.err.Message || c.RequestID != "req-1" {
				t.Fatalf("SDK parsed %+v", c)
			}
		})
	}
}

func TestWriteJSONParsesWithSDK(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteJSON(rec, "req-2", New("AcceleratorNotFoundException", `Accelerator "x" was not found`, 400))
	if rec.Code != 400 || rec.Header().Get("Content-Type") != JSONContentType ||
		headerValue(rec.Header(), "x-amzn-errortype") != "AcceleratorNotFoundException" || headerValue(rec.Header(), "x-amzn-requestid") != "req-2" {
		t.Fatalf("status %d headers %v", rec.Code, rec.Header())
	}
	typ, msg, err := restjson.GetErrorInfo(json.NewDecoder(rec.Body))
	if err != nil {
		t.Fatal(err)
	}
	if typ != "AcceleratorNotFoundException" || msg != `Accelerator "x" was not found` {
		t.Fatalf("SDK parsed %q %q", typ, msg)
	}
}

func TestNewRequestID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		id := NewRequestID()
		if !re.MatchString(id) || seen[id] {
			t.Fatalf("bad or repeated request ID %q", id)
		}
		seen[id] = true
	}
}

// headerValue looks a header up case-insensitively: WriteXML and WriteJSON
// set AWS's spelling directly in the map, which Header.Get does not find.
func headerValue(h http.Header, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
