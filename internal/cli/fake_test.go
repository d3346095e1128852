package cli

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// This file holds a minimal stand-in for the Route 53 API: each test
// registers the few responses it needs and checks the requests the CLI sent.
// It exists only to check the CLI's request shaping; the server's behaviour
// is tested against the real server elsewhere.

const r53ns = "https://route53.amazonaws.com/doc/2013-04-01/"

// seenRequest is one request the fake received.
type seenRequest struct {
	Method string
	Path   string
	Query  map[string]string
	Body   []byte
	Auth   string
}

type fakeAPI struct {
	t    *testing.T
	mux  *http.ServeMux
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []seenRequest
}

func newFakeAPI(t *testing.T) *fakeAPI {
	f := &fakeAPI{t: t, mux: http.NewServeMux()}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		q := map[string]string{}
		for k, v := range r.URL.Query() {
			q[k] = v[0]
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, seenRequest{Method: r.Method, Path: r.URL.Path, Query: q, Body: body, Auth: r.Header.Get("Authorization")})
		f.mu.Unlock()
		f.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// handle registers a handler for a Go 1.22 mux pattern ("GET /2013-04-01/…").
func (f *fakeAPI) handle(pattern string, h http.HandlerFunc) { f.mux.HandleFunc(pattern, h) }

// requests returns the requests received so far.
func (f *fakeAPI) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenRequest(nil), f.reqs...)
}

// client returns a Route 53 client for the fake that does not retry.
func (f *fakeAPI) client() *route53.Client {
	return route53.New(route53.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(f.srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		HTTPClient:       f.srv.Client(),
		RetryMaxAttempts: 1,
	})
}

// run runs a subcommand against the fake and returns its exit code and output.
func (f *fakeAPI) run(stdin string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	r := NewRunner(f.client(), strings.NewReader(stdin), &out, &errOut)
	r.PollInterval = time.Millisecond
	code := r.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func writeXML(w http.ResponseWriter, status int, root, inner string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0"?>`+"\n"+`<%s xmlns="%s">%s</%s>`, root, r53ns, inner, root)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeXML(w, status, "ErrorResponse", fmt.Sprintf(
		"<Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>req-1</RequestId>", code, html.EscapeString(msg)))
}

func esc(s string) string { return html.EscapeString(s) }

func hostedZoneXML(id, name, comment string, count int) string {
	cfg := "<Config><PrivateZone>false</PrivateZone></Config>"
	if comment != "" {
		cfg = "<Config><Comment>" + esc(comment) + "</Comment><PrivateZone>false</PrivateZone></Config>"
	}
	return fmt.Sprintf("<HostedZone><Id>/hostedzone/%s</Id><Name>%s</Name><CallerReference>ref</CallerReference>%s<ResourceRecordSetCount>%d</ResourceRecordSetCount></HostedZone>",
		id, esc(name), cfg, count)
}

func changeInfoXML(id, status string) string {
	return fmt.Sprintf("<ChangeInfo><Id>/change/%s</Id><Status>%s</Status><SubmittedAt>2024-01-01T00:00:00.000Z</SubmittedAt></ChangeInfo>", id, status)
}

// rrsetXML renders a record set as ListResourceRecordSets does.
func rrsetXML(s types.ResourceRecordSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<ResourceRecordSet><Name>%s</Name><Type>%s</Type>", esc(aws.ToString(s.Name)), s.Type)
	if s.SetIdentifier != nil {
		fmt.Fprintf(&b, "<SetIdentifier>%s</SetIdentifier>", esc(*s.SetIdentifier))
	}
	if s.Weight != nil {
		fmt.Fprintf(&b, "<Weight>%d</Weight>", *s.Weight)
	}
	if s.Region != "" {
		fmt.Fprintf(&b, "<Region>%s</Region>", s.Region)
	}
	if s.TTL != nil {
		fmt.Fprintf(&b, "<TTL>%d</TTL>", *s.TTL)
	}
	if len(s.ResourceRecords) > 0 {
		b.WriteString("<ResourceRecords>")
		for _, rr := range s.ResourceRecords {
			fmt.Fprintf(&b, "<ResourceRecord><Value>%s</Value></ResourceRecord>", esc(aws.ToString(rr.Value)))
		}
		b.WriteString("</ResourceRecords>")
	}
	if a := s.AliasTarget; a != nil {
		fmt.Fprintf(&b, "<AliasTarget><HostedZoneId>%s</HostedZoneId><DNSName>%s</DNSName><EvaluateTargetHealth>%t</EvaluateTargetHealth></AliasTarget>",
			esc(aws.ToString(a.HostedZoneId)), esc(aws.ToString(a.DNSName)), a.EvaluateTargetHealth)
	}
	if s.HealthCheckId != nil {
		fmt.Fprintf(&b, "<HealthCheckId>%s</HealthCheckId>", esc(*s.HealthCheckId))
	}
	b.WriteString("</ResourceRecordSet>")
	return b.String()
}

// The request body of ChangeResourceRecordSets, as the SDK serializes it.
type xmlChangeRequest struct {
	ChangeBatch struct {
		Comment string
		Changes []xmlChange `xml:"Changes>Change"`
	}
}

type xmlChange struct {
	Action            string
	ResourceRecordSet xmlRRSet
}

type xmlRRSet struct {
	Name             string
	Type             string
	SetIdentifier    *string
	Weight           *int64
	Region           *string
	Failover         *string
	MultiValueAnswer *bool
	TTL              *int64
	Values           []string `xml:"ResourceRecords>ResourceRecord>Value"`
	GeoLocation      *struct {
		ContinentCode   *string
		CountryCode     *string
		SubdivisionCode *string
	}
	AliasTarget *struct {
		HostedZoneId         string
		DNSName              string
		EvaluateTargetHealth bool
	}
	HealthCheckId           *string
	TrafficPolicyInstanceId *string
	CidrRoutingConfig       *struct {
		CollectionId string
		LocationName string
	}
	GeoProximityLocation *struct {
		AWSRegion      *string
		LocalZoneGroup *string
		Coordinates    *struct{ Latitude, Longitude string }
		Bias           *int
	}
}

func decodeChangeRequest(t *testing.T, body []byte) xmlChangeRequest {
	t.Helper()
	var req xmlChangeRequest
	if err := xml.Unmarshal(body, &req); err != nil {
		t.Fatalf("decoding ChangeResourceRecordSets body: %v\n%s", err, body)
	}
	return req
}
