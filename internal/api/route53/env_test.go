package route53

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/store/boltstore"
)

const (
	testKeyID  = "AKIAMERIDIANTEST0001"
	testSecret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXg="
	testRegion = "eu-central-1"
)

// testEnv is a Route 53 API server over a real control plane on a real
// bbolt store, and an aws-sdk-go-v2 client pointed at it.
type testEnv struct {
	srv    *httptest.Server
	client *r53.Client
	store  *boltstore.Store
	svc    *control.Service
	// synced is the revision the (simulated) data plane has applied;
	// GetChange reports INSYNC for changes at or below it.
	synced atomic.Int64
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "meridian.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	e := &testEnv{store: st}
	e.svc = control.New(control.Config{Store: st, Synced: e.synced.Load})
	h := NewHandler(e.svc, auth.Credentials{testKeyID: testSecret}, slog.New(slog.DiscardHandler), nil, nil)
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	e.client = e.newClient(testKeyID, testSecret, nil)
	return e
}

// newClient returns an SDK client for the test server; signer, when set,
// replaces the SigV4 signer.
func (e *testEnv) newClient(keyID, secret string, signer r53.HTTPSignerV4) *r53.Client {
	return r53.New(r53.Options{
		BaseEndpoint:     aws.String(e.srv.URL),
		Region:           testRegion,
		Credentials:      credentials.NewStaticCredentialsProvider(keyID, secret, ""),
		HTTPClient:       e.srv.Client(),
		RetryMaxAttempts: 1,
		HTTPSignerV4:     signer,
	})
}

// do sends a raw request signed with the test key and returns the response
// with its body read.
func (e *testEnv) do(t *testing.T, method, path string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "route53", testRegion, time.Now()); err != nil {
		t.Fatal(err)
	}
	return e.send(t, req)
}

func (e *testEnv) send(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// createZone creates a hosted zone through the SDK and returns its bare ID.
func (e *testEnv) createZone(t *testing.T, name, ref string) string {
	t.Helper()
	out, err := e.client.CreateHostedZone(context.Background(), &r53.CreateHostedZoneInput{
		Name: aws.String(name), CallerReference: aws.String(ref),
	})
	if err != nil {
		t.Fatalf("create zone %s: %v", name, err)
	}
	return bareID(*out.HostedZone.Id)
}

func bareID(id string) string { return control.StripPrefix(id) }

// change applies one change batch through the SDK.
func (e *testEnv) change(t *testing.T, zoneID string, changes ...types.Change) *types.ChangeInfo {
	t.Helper()
	out, err := e.client.ChangeResourceRecordSets(context.Background(), &r53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(zoneID),
		ChangeBatch:  &types.ChangeBatch{Changes: changes},
	})
	if err != nil {
		t.Fatalf("change: %v", err)
	}
	return out.ChangeInfo
}

func simpleA(action types.ChangeAction, name string, ttl int64, values ...string) types.Change {
	rrs := make([]types.ResourceRecord, len(values))
	for i, v := range values {
		rrs[i] = types.ResourceRecord{Value: aws.String(v)}
	}
	return types.Change{Action: action, ResourceRecordSet: &types.ResourceRecordSet{
		Name: aws.String(name), Type: types.RRTypeA, TTL: aws.Int64(ttl), ResourceRecords: rrs,
	}}
}

// expectAPIError checks that err is an API error with the given code, HTTP
// status and message, and that it parsed into the SDK's typed error target
// (a pointer to a pointer of a types.* error) when target is non-nil.
func expectAPIError(t *testing.T, err error, code string, status int, message string, target any) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got success", code)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("not an API error: %v", err)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("code = %q, want %q (%v)", ae.ErrorCode(), code, err)
	}
	if message != "" && ae.ErrorMessage() != message {
		t.Fatalf("message = %q\nwant      %q", ae.ErrorMessage(), message)
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Fatalf("status: want %d, got %v", status, err)
	}
	if target != nil && !errors.As(err, target) {
		t.Fatalf("error %T does not parse into %T", ae, target)
	}
}
