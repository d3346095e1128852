package globalaccel

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/store/boltstore"
)

// FuzzOperations sends signed requests with arbitrary bodies to every
// operation of the handler, over a store that already holds an
// accelerator, a listener and an endpoint group. Whatever the body, the
// answer is a JSON document: 200, or a 4xx with a __type; never a panic or
// an internal error.
func FuzzOperations(f *testing.F) {
	st, err := boltstore.Open(filepath.Join(f.TempDir(), "meridian.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = st.Close() })
	svc := control.New(control.Config{Store: st}).Accelerators(control.AcceleratorConfig{})
	h := NewHandler(svc, auth.Credentials{testKeyID: testSecret}, slog.New(slog.DiscardHandler), nil)
	ops := make([]string, 0, len(h.(*handler).ops))
	for name := range h.(*handler).ops {
		ops = append(ops, name)
	}
	sort.Strings(ops)

	call := func(op, body string) (int, []byte) {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", TargetPrefix+op)
		sum := sha256.Sum256([]byte(body))
		if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret},
			req, hex.EncodeToString(sum[:]), SigningService, "us-west-2", time.Now()); err != nil {
			f.Fatal(err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code, w.Body.Bytes()
	}
	arnOf := func(op, body, field string) string {
		code, b := call(op, body)
		var out map[string]map[string]any
		if code != http.StatusOK || json.Unmarshal(b, &out) != nil {
			f.Fatalf("%s: %d %s", op, code, b)
		}
		for _, v := range out {
			if s, ok := v[field].(string); ok {
				return s
			}
		}
		f.Fatalf("%s: no %s in %s", op, field, b)
		return ""
	}
	acc := arnOf("CreateAccelerator", `{"Name":"fz","IdempotencyToken":"fz-acc"}`, "AcceleratorArn")
	lis := arnOf("CreateListener", `{"AcceleratorArn":"`+acc+`","Protocol":"TCP","PortRanges":[{"FromPort":80,"ToPort":81}],"IdempotencyToken":"fz-l"}`, "ListenerArn")
	grp := arnOf("CreateEndpointGroup", `{"ListenerArn":"`+lis+`","EndpointGroupRegion":"us-east-1","IdempotencyToken":"fz-g","EndpointConfigurations":[{"EndpointId":"192.0.2.1","Weight":10}]}`, "EndpointGroupArn")

	seeds := []struct {
		op   int
		body string
	}{
		{0, `{}`},
		{1, `{"AcceleratorArn":"` + acc + `"}`},
		{2, `{"ListenerArn":"` + lis + `","EndpointGroupRegion":"eu-west-1","IdempotencyToken":"x","TrafficDialPercentage":50.5,"HealthCheckPort":8080}`},
		{3, `{"EndpointGroupArn":"` + grp + `","EndpointConfigurations":[{"EndpointId":"198.51.100.7:8443","Weight":0,"ClientIPPreservationEnabled":true}]}`},
		{4, `{"AcceleratorArn":"` + acc + `","Enabled":false}`},
		{5, `{"ResourceArn":"` + acc + `","Tags":[{"Key":"k","Value":"v"}]}`},
		{6, `{"ListenerArn":"` + lis + `","PortRanges":[{"FromPort":70000,"ToPort":1}]}`},
		{7, `{"MaxResults":1,"NextToken":"!!"}`},
		{8, `{"EndpointGroupArn":"` + grp + `","PortOverrides":[{"ListenerPort":80,"EndpointPort":8080}]}`},
		{9, `[1,2,3]`},
		{10, `{"AcceleratorArn":123}`},
		{11, "\x00\xff"},
	}
	for _, s := range seeds {
		f.Add(uint8(s.op), s.body)
	}
	for i := range ops {
		f.Add(uint8(i), `{"AcceleratorArn":"`+acc+`","ListenerArn":"`+lis+`","EndpointGroupArn":"`+grp+`","EndpointIds":["192.0.2.1"]}`)
	}

	f.Fuzz(func(t *testing.T, op uint8, body string) {
		name := ops[int(op)%len(ops)]
		code, b := call(name, body)
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s %q: %d, body not a JSON object: %q", name, body, code, b)
		}
		switch {
		case code == http.StatusOK:
		case code >= 400 && code < 500:
			if typ, _ := doc["__type"].(string); typ == "" {
				t.Fatalf("%s %q: %d without __type: %s", name, body, code, b)
			}
		default:
			t.Fatalf("%s %q: status %d: %s", name, body, code, b)
		}
	})
}
