package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// emptyPayloadSHA256 is the SigV4 payload hash of a request without a body.
const emptyPayloadSHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// nativeEndpoint is one of Meridian's own SigV4-signed JSON endpoints.
type nativeEndpoint struct {
	name     string // as said in messages: "explain", "accelerator stats"
	path     string
	service  string // the SigV4 service name requests are signed for
	maxBytes int64  // bounds the answer read
}

// nativeError is the error body of Meridian's own endpoints.
type nativeError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// signedGet sends a GET for ep with query v, signed with the Route 53
// client's credentials and region, to its endpoint through its HTTP client,
// and returns the body of a 200 answer. An error answer becomes its code
// and message.
func (r *Runner) signedGet(ctx context.Context, ep nativeEndpoint, v url.Values) ([]byte, error) {
	opts := r.Client.Options()
	endpoint := strings.TrimRight(aws.ToString(opts.BaseEndpoint), "/")
	if endpoint == "" {
		return nil, errors.New("no server endpoint: set --endpoint or MERIDIAN_ENDPOINT")
	}
	target := endpoint + ep.path
	if len(v) > 0 {
		target += "?" + v.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, fmt.Errorf("%s request: %w", ep.name, err)
	}
	if opts.Credentials == nil {
		return nil, errors.New("no credentials to sign the request with")
	}
	creds, err := opts.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("retrieving credentials: %w", err)
	}
	region := opts.Region
	if region == "" {
		region = defaultRegion
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptyPayloadSHA256, ep.service, region, time.Now()); err != nil {
		return nil, fmt.Errorf("signing the request: %w", err)
	}
	var hc aws.HTTPClient = http.DefaultClient
	if opts.HTTPClient != nil {
		hc = opts.HTTPClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, fmt.Errorf("GET %s: %w", ep.path, ue.Err)
		}
		return nil, fmt.Errorf("GET %s: %w", ep.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, ep.maxBytes))
	if err != nil {
		return nil, fmt.Errorf("reading the %s answer: %w", ep.name, err)
	}
	if resp.StatusCode != http.StatusOK {
		var er nativeError
		if json.Unmarshal(body, &er) == nil && er.Error.Code != "" {
			return nil, fmt.Errorf("%s: %s", er.Error.Code, er.Error.Message)
		}
		return nil, fmt.Errorf("GET %s: HTTP status %d (not a Meridian %s answer; does the server at %s have the %s endpoint?)", ep.path, resp.StatusCode, ep.name, endpoint, ep.name)
	}
	return body, nil
}
