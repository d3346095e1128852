// Package globalaccel serves the AWS Global Accelerator JSON API (version
// 2018-08-08, standard accelerators) over the control plane, wire-compatible
// with the aws CLI and the AWS SDKs: POST / with X-Amz-Target
// GlobalAccelerator_V20180706.<Operation>, AWS JSON 1.1 bodies, SigV4 for
// service "globalaccelerator" in any region.
package globalaccel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/meridian-gtm/meridian/internal/api/awserr"
	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/control"
	ga "github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// TargetPrefix starts the X-Amz-Target header of every Global Accelerator
// request; the operation name follows it.
const TargetPrefix = "GlobalAccelerator_V20180706."

// SigningService is the SigV4 service name of Global Accelerator.
const SigningService = "globalaccelerator"

// MaxBodyBytes is the largest request body accepted.
const MaxBodyBytes = 1 << 20

// Matches reports whether r is a Global Accelerator API request: one whose
// X-Amz-Target names a Global Accelerator operation. The server routes
// those to this package's handler and everything else elsewhere.
func Matches(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix)
}

// HealthFunc reports an endpoint's health by the ID of its synthetic health
// check (globalaccel.HealthCheckID): INITIAL until the checks' first full
// round, then HEALTHY or UNHEALTHY, with a reason that may be "".
type HealthFunc func(healthCheckID string) (state, reason string)

// operation runs one API operation on a request body and returns the
// response document (nil for an empty output, rendered as {}).
type operation func(ctx context.Context, body []byte) (any, error)

type handler struct {
	ga     *control.AcceleratorService
	creds  auth.Credentials
	logger *slog.Logger
	health HealthFunc
	now    func() time.Time
	ops    map[string]operation
}

// NewHandler returns the Global Accelerator API handler over the control
// plane's Global Accelerator operations. Every request is SigV4-verified for
// service "globalaccelerator" against creds first. health reports endpoint
// health for DescribeEndpointGroup and the other outputs that describe
// endpoints; nil (no health-check engine) reports every endpoint INITIAL.
func NewHandler(svc *control.AcceleratorService, creds auth.Credentials, logger *slog.Logger, health func(id string) (state, reason string)) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	h := &handler{ga: svc, creds: creds, logger: logger, health: health, now: time.Now}
	h.ops = map[string]operation{
		"CreateAccelerator":             h.createAccelerator,
		"DescribeAccelerator":           h.describeAccelerator,
		"ListAccelerators":              h.listAccelerators,
		"UpdateAccelerator":             h.updateAccelerator,
		"DeleteAccelerator":             h.deleteAccelerator,
		"DescribeAcceleratorAttributes": h.describeAcceleratorAttributes,
		"UpdateAcceleratorAttributes":   h.updateAcceleratorAttributes,
		"CreateListener":                h.createListener,
		"DescribeListener":              h.describeListener,
		"ListListeners":                 h.listListeners,
		"UpdateListener":                h.updateListener,
		"DeleteListener":                h.deleteListener,
		"CreateEndpointGroup":           h.createEndpointGroup,
		"DescribeEndpointGroup":         h.describeEndpointGroup,
		"ListEndpointGroups":            h.listEndpointGroups,
		"UpdateEndpointGroup":           h.updateEndpointGroup,
		"DeleteEndpointGroup":           h.deleteEndpointGroup,
		"AddEndpoints":                  h.addEndpoints,
		"RemoveEndpoints":               h.removeEndpoints,
		"TagResource":                   h.tagResource,
		"UntagResource":                 h.untagResource,
		"ListTagsForResource":           h.listTagsForResource,
	}
	return h
}

// ServeHTTP reads the body, verifies the signature, and runs the operation
// X-Amz-Target names.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := awserr.NewRequestID()
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		h.writeError(w, id, awserr.New("SerializationException", "Could not read the request body.", http.StatusBadRequest))
		return
	}
	if len(body) > MaxBodyBytes {
		h.writeError(w, id, awserr.New("SerializationException", fmt.Sprintf("The request body is larger than %d bytes.", MaxBodyBytes), http.StatusBadRequest))
		return
	}
	if err := h.creds.Verify(r, body, SigningService, h.now()); err != nil {
		h.logger.Debug("globalaccelerator API: authentication failed", "request_id", id, "err", err)
		h.writeError(w, id, h.toAWSError(err, id))
		return
	}
	target := r.Header.Get("X-Amz-Target")
	name, ok := strings.CutPrefix(target, TargetPrefix)
	if r.Method != http.MethodPost || r.URL.Path != "/" || !ok || name == "" {
		h.writeError(w, id, awserr.New("UnknownOperationException",
			fmt.Sprintf("Global Accelerator API requests are POST / with an X-Amz-Target header of %s<Operation>; got %s %s with X-Amz-Target %q.",
				TargetPrefix, r.Method, r.URL.Path, target), http.StatusBadRequest))
		return
	}
	op, ok := h.ops[name]
	if !ok {
		h.writeError(w, id, awserr.New("UnknownOperationException",
			"The operation "+name+" is not supported by Meridian's Global Accelerator API, which serves standard accelerators (no custom routing accelerators, BYOIP or cross-account attachments).",
			http.StatusBadRequest))
		return
	}
	out, err := op(r.Context(), body)
	if err != nil {
		h.writeError(w, id, h.toAWSError(err, id))
		return
	}
	if out == nil {
		out = struct{}{}
	}
	b, err := json.Marshal(out)
	if err != nil {
		h.writeError(w, id, h.toAWSError(fmt.Errorf("encode %s response: %w", name, err), id))
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", awserr.JSONContentType)
	hdr.Set("Content-Length", strconv.Itoa(len(b)))
	awserr.SetRequestID(hdr, id)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func (h *handler) writeError(w http.ResponseWriter, id string, e *awserr.Error) {
	awserr.WriteJSON(w, id, e)
}

// authCodes maps SigV4 failures to the codes AWS JSON-protocol services
// answer with (spec 5.2).
var authCodes = map[string]string{
	auth.CodeSignatureDoesNotMatch:      "InvalidSignatureException",
	auth.CodeInvalidClientTokenID:       "UnrecognizedClientException",
	auth.CodeMissingAuthenticationToken: "MissingAuthenticationTokenException",
	auth.CodeIncompleteSignature:        "IncompleteSignatureException",
}

// serializationError marks a request body that is not the JSON the
// operation takes.
type serializationError struct{ err error }

func (e *serializationError) Error() string { return e.err.Error() }

// toAWSError turns an operation's error into the error to render: Global
// Accelerator codes answer 400 (InternalServiceErrorException 500), auth
// failures keep their status under JSON-protocol codes, and anything
// unexpected is logged and answered with InternalServiceErrorException.
func (h *handler) toAWSError(err error, requestID string) *awserr.Error {
	if ze, ok := zone.AsError(err); ok {
		status := http.StatusBadRequest
		if ze.Code == ga.CodeInternalServiceError {
			status = http.StatusInternalServerError
		}
		return awserr.New(ze.Code, ze.Message, status)
	}
	var ae *auth.Error
	if errors.As(err, &ae) {
		code := ae.Code
		if c, ok := authCodes[code]; ok {
			code = c
		}
		return awserr.New(code, ae.Message, ae.Status)
	}
	var se *serializationError
	if errors.As(err, &se) {
		return awserr.New("SerializationException", "The request body is not valid JSON for this operation: "+se.err.Error(), http.StatusBadRequest)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return awserr.New("RequestTimeout", "The request was cancelled before it completed.", http.StatusRequestTimeout)
	}
	h.logger.Error("globalaccelerator API: internal failure", "request_id", requestID, "err", err)
	return awserr.New(ga.CodeInternalServiceError, "The request processing has failed because of an unknown error, exception or failure.", http.StatusInternalServerError)
}

// decode reads a JSON request body into v; an empty body is {}.
func decode(body []byte, v any) error {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &serializationError{err: err}
	}
	return nil
}

// endpointHealth asks the health hook about one endpoint.
func (h *handler) endpointHealth(groupARN, endpointID string) (string, string) {
	if h.health == nil {
		return ga.HealthInitial, "No health checks run on this server yet."
	}
	return h.health(ga.HealthCheckID(groupARN, endpointID))
}
