package globalaccel

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/globalaccelerator"
	"github.com/aws/smithy-go"

	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/store/boltstore"
)

const (
	testKeyID  = "AKIDGLOBALACCEL"
	testSecret = "ga-test-secret"
)

// testEnv is the real API over a real control plane and bbolt store, with
// a controllable data plane (deployed) and health hook (health).
type testEnv struct {
	srv      *httptest.Server
	client   *globalaccelerator.Client
	svc      *control.AcceleratorService
	deployed atomic.Int64 // the revision the "data plane" serves

	mu     sync.Mutex
	health map[string][2]string // health check ID → state, reason
}

func newEnv(t *testing.T, cfg control.AcceleratorConfig) *testEnv {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "meridian.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	e := &testEnv{health: map[string][2]string{}}
	if cfg.Deployed == nil {
		cfg.Deployed = func(rev int64) bool { return rev <= e.deployed.Load() }
	}
	e.svc = control.New(control.Config{Store: st}).Accelerators(cfg)
	e.srv = httptest.NewServer(NewHandler(e.svc, auth.Credentials{testKeyID: testSecret}, slog.New(slog.DiscardHandler), e.healthOf))
	t.Cleanup(e.srv.Close)
	e.client = globalaccelerator.New(globalaccelerator.Options{
		Region:           "us-west-2",
		BaseEndpoint:     aws.String(e.srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(testKeyID, testSecret, ""),
		HTTPClient:       e.srv.Client(),
		RetryMaxAttempts: 1,
	})
	return e
}

func (e *testEnv) healthOf(id string) (string, string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if h, ok := e.health[id]; ok {
		return h[0], h[1]
	}
	return "INITIAL", ""
}

func (e *testEnv) setHealth(id, state, reason string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.health[id] = [2]string{state, reason}
}

// deployAll makes the fake data plane serve every committed revision.
func (e *testEnv) deployAll() { e.deployed.Store(1 << 62) }

// apiCode returns the AWS error code of err ("" for nil).
func apiCode(err error) string {
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return "not an API error: " + err.Error()
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := apiCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

// rawResponse is a response to a hand-signed request.
type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

// raw sends a JSON body signed as the SDK signs it (service
// globalaccelerator, content-type;host;x-amz-date;x-amz-target), to target
// (without the prefix), with the given secret.
func (e *testEnv) raw(t *testing.T, target, body, secret string) rawResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", TargetPrefix+target)
	}
	sum := sha256.Sum256([]byte(body))
	err = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: secret},
		req, hex.EncodeToString(sum[:]), SigningService, "eu-central-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: b}
}

// decodeJSON decodes a raw response body.
func decodeJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return m
}
