// Package accelstats serves Meridian's accelerator statistics endpoint, GET
// /meridian/v1/accelerator-stats: the data plane's per-endpoint flow and
// byte counters and its refusal counters, as JSON, for `meridian accel
// stats`. Requests are SigV4-verified for service "globalaccelerator" like
// the Global Accelerator API.
package accelstats

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// maxBodyBytes bounds the (normally empty) request body read for the
// signature check.
const maxBodyBytes = 64 << 10

// Source is where the counters come from: *accel.Proxy.
type Source interface {
	Stats() []accel.EndpointStats
	Drops() accel.Drops
}

// Handler serves GET /meridian/v1/accelerator-stats[?accelerator=ARN]: the
// counters of every endpoint the data plane knows (the configured ones and
// removed ones still draining), or of one accelerator's endpoints, and the
// proxy-wide drop counters. Answers are a Response as JSON; failures an
// ErrorResponse.
type Handler struct {
	source Source
	creds  auth.Credentials
	logger *slog.Logger
	now    func() time.Time
}

// NewHandler returns the statistics endpoint over source, accepting
// requests signed with creds. A nil logger discards.
func NewHandler(source Source, creds auth.Credentials, logger *slog.Logger) *Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Handler{source: source, creds: creds, logger: logger, now: time.Now}
}

// apiError is a failure with its code and HTTP status.
type apiError struct {
	status  int
	code    string
	message string
}

func invalidArgument(message string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: globalaccel.CodeInvalidArgument, message: message}
}

// ServeHTTP verifies the signature, then answers with the counters.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, fail, cause := h.creds.VerifyRequest(r, maxBodyBytes, SigningService, globalaccel.CodeInvalidArgument, h.now()); fail != nil {
		if fail.Status >= http.StatusInternalServerError {
			h.logger.Error("accelerator stats: signature check failed", "err", cause)
		} else {
			h.logger.Debug("accelerator stats: request refused", "code", fail.Code, "err", cause)
		}
		writeError(w, &apiError{status: fail.Status, code: fail.Code, message: fail.Message})
		return
	}
	if r.URL.Path != Path {
		writeError(w, &apiError{status: http.StatusNotFound, code: "NotFound", message: "no such endpoint: " + r.URL.Path})
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed", message: "the accelerator stats endpoint takes GET, not " + r.Method})
		return
	}
	filter, aerr := acceleratorFilter(r)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeJSON(w, http.StatusOK, h.collect(filter))
}

// acceleratorFilter returns the accelerator ARN the request asks about, ""
// for all of them.
func acceleratorFilter(r *http.Request) (string, *apiError) {
	vals, ok := r.URL.Query()["accelerator"]
	switch {
	case !ok:
		return "", nil
	case len(vals) > 1:
		return "", invalidArgument("give the accelerator parameter at most once")
	}
	if _, err := globalaccel.ParseKind("accelerator", vals[0], globalaccel.KindAccelerator); err != nil {
		var ze *zone.Error
		if errors.As(err, &ze) {
			return "", &apiError{status: http.StatusBadRequest, code: ze.Code, message: ze.Message}
		}
		return "", invalidArgument(err.Error())
	}
	return vals[0], nil
}

// collect reads the counters, keeping the endpoints of accelerator acc
// alone unless it is "".
func (h *Handler) collect(acc string) Response {
	stats := h.source.Stats()
	resp := Response{Endpoints: make([]Endpoint, 0, len(stats)), Drops: dropsOf(h.source.Drops())}
	for _, s := range stats {
		if acc == "" || s.AcceleratorARN == acc {
			resp.Endpoints = append(resp.Endpoints, endpointOf(s))
		}
	}
	return resp
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, ErrorResponse{Error: ErrorDetail{Code: e.code, Message: e.message}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"InternalFailure","message":"the response could not be encoded"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
