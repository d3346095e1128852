// Package getapi holds what Meridian's own read-only JSON endpoints
// (/meridian/v1/explain, /meridian/v1/accelerator-stats) share: the checks a
// request passes before its handler runs (SigV4 signature, path, GET) and
// the JSON bodies of answers and errors.
package getapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/meridian-gtm/meridian/internal/auth"
)

// ErrorResponse is the body of every failed request.
type ErrorResponse struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail names a failure: an AWS-style code (InvalidInput,
// InvalidArgumentException, SignatureDoesNotMatch, …) and a message.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is a failure with its HTTP status.
type Error struct {
	Status  int
	Code    string
	Message string
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// BadRequest returns a 400 failure.
func BadRequest(code, message string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: message}
}

// Endpoint describes one read-only endpoint for Admit.
type Endpoint struct {
	// Name names the endpoint in logs and messages ("explain").
	Name string
	// Path is the only path served.
	Path string
	// Service is the SigV4 service name requests are signed for.
	Service string
	// BadRequestCode is the code of a malformed authentication.
	BadRequestCode string
	// MaxBody bounds the (normally empty) body read for the signature.
	MaxBody int64
	// Creds verify the signatures.
	Creds auth.Credentials
	// Logger receives refusals (debug) and failures (error).
	Logger *slog.Logger
	// Now is the clock for the signature's time check.
	Now func() time.Time
}

// Admit checks the request's signature, path and method (GET). It writes
// the error answer and returns false when one fails.
func (e *Endpoint) Admit(w http.ResponseWriter, r *http.Request) bool {
	if _, fail, cause := e.Creds.VerifyRequest(r, e.MaxBody, e.Service, e.BadRequestCode, e.Now()); fail != nil {
		if fail.Status >= http.StatusInternalServerError {
			e.Logger.Error(e.Name+": signature check failed", "err", cause)
		} else {
			e.Logger.Debug(e.Name+": request refused", "code", fail.Code, "err", cause)
		}
		WriteError(w, &Error{Status: fail.Status, Code: fail.Code, Message: fail.Message})
		return false
	}
	if r.URL.Path != e.Path {
		WriteError(w, &Error{Status: http.StatusNotFound, Code: "NotFound", Message: "no such endpoint: " + r.URL.Path})
		return false
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		WriteError(w, &Error{Status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed",
			Message: "the " + e.Name + " endpoint takes GET, not " + r.Method})
		return false
	}
	return true
}

// WriteError writes e as an ErrorResponse.
func WriteError(w http.ResponseWriter, e *Error) {
	WriteJSON(w, e.Status, ErrorResponse{Error: ErrorDetail{Code: e.Code, Message: e.Message}})
}

// WriteJSON writes v as indented JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"InternalFailure","message":"the response could not be encoded"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
