package route53

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/meridian-gtm/meridian/internal/api/awserr"
	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// statusByCode is the HTTP status of each Route 53 error code (spec 4.2).
// Codes not listed are client errors answered with 400.
var statusByCode = map[string]int{
	"NoSuchHostedZone":                    http.StatusNotFound,
	"NoSuchHealthCheck":                   http.StatusNotFound,
	"NoSuchChange":                        http.StatusNotFound,
	"NoSuchQueryLoggingConfig":            http.StatusNotFound,
	"NoSuchGeoLocation":                   http.StatusNotFound,
	"NoSuchCloudWatchLogsLogGroup":        http.StatusNotFound,
	"NoSuchCidrCollectionException":       http.StatusNotFound,
	"NoSuchCidrLocationException":         http.StatusNotFound,
	"NoSuchTrafficPolicy":                 http.StatusNotFound,
	"NoSuchTrafficPolicyInstance":         http.StatusNotFound,
	"NoSuchKeySigningKey":                 http.StatusNotFound,
	"VPCAssociationNotFound":              http.StatusNotFound,
	"VPCAssociationAuthorizationNotFound": http.StatusNotFound,
	"UnknownOperationException":           http.StatusNotFound,

	"HostedZoneAlreadyExists":                http.StatusConflict,
	"HealthCheckAlreadyExists":               http.StatusConflict,
	"HealthCheckVersionMismatch":             http.StatusConflict,
	"QueryLoggingConfigAlreadyExists":        http.StatusConflict,
	"CidrCollectionVersionMismatchException": http.StatusConflict,
	"KeySigningKeyAlreadyExists":             http.StatusConflict,
	"TrafficPolicyAlreadyExists":             http.StatusConflict,
	"TrafficPolicyInstanceAlreadyExists":     http.StatusConflict,

	"NotAuthorizedException": http.StatusUnauthorized,

	"InternalFailure":    http.StatusInternalServerError,
	"ServiceUnavailable": http.StatusServiceUnavailable,
}

// StatusFor returns the HTTP status Route 53 answers an error code with.
func StatusFor(code string) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// toAWSError turns any error from a handler into the error to render:
// *zone.Error and *auth.Error keep their code; a cancelled request is a
// client timeout; anything else is logged and becomes InternalFailure.
func toAWSError(err error, logger *slog.Logger, requestID string) *awserr.Error {
	if ze, ok := zone.AsError(err); ok {
		return awserr.New(ze.Code, ze.Message, StatusFor(ze.Code))
	}
	var ae *auth.Error
	if errors.As(err, &ae) {
		return awserr.New(ae.Code, ae.Message, ae.Status)
	}
	var we *awserr.Error
	if errors.As(err, &we) {
		return we
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return awserr.New("RequestTimeout", "The request was cancelled before it completed.", http.StatusRequestTimeout)
	}
	logger.Error("route53 API: internal failure", "request_id", requestID, "err", err)
	return awserr.InternalFailure()
}

func errUnknownOperation(r *http.Request) error {
	return awserr.New("UnknownOperationException",
		"The operation "+r.Method+" "+r.URL.EscapedPath()+" is not supported by this Route 53 API.", http.StatusNotFound)
}
