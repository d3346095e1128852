// Package accelstats serves Meridian's accelerator statistics endpoint, GET
// /meridian/v1/accelerator-stats: the data plane's per-endpoint flow and
// byte counters and its refusal counters, as JSON, for `meridian accel
// stats`. Requests are SigV4-verified for service "globalaccelerator" like
// the Global Accelerator API.
package accelstats

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/api/getapi"
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
	ep     getapi.Endpoint
}

// NewHandler returns the statistics endpoint over source, accepting
// requests signed with creds. A nil logger discards.
func NewHandler(source Source, creds auth.Credentials, logger *slog.Logger) *Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Handler{source: source, ep: getapi.Endpoint{
		Name: "accelerator stats", Path: Path, Service: SigningService,
		BadRequestCode: globalaccel.CodeInvalidArgument, MaxBody: maxBodyBytes,
		Creds: creds, Logger: logger, Now: time.Now,
	}}
}

func invalidArgument(message string) *getapi.Error {
	return getapi.BadRequest(globalaccel.CodeInvalidArgument, message)
}

// ServeHTTP verifies the signature, then answers with the counters.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.ep.Admit(w, r) {
		return
	}
	filter, aerr := acceleratorFilter(r)
	if aerr != nil {
		getapi.WriteError(w, aerr)
		return
	}
	getapi.WriteJSON(w, http.StatusOK, h.collect(filter))
}

// acceleratorFilter returns the accelerator ARN the request asks about, ""
// for all of them.
func acceleratorFilter(r *http.Request) (string, *getapi.Error) {
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
			return "", getapi.BadRequest(ze.Code, ze.Message)
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
