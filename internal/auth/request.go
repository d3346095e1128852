package auth

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// VerifyRequest reads r's body, at most maxBody bytes, and verifies the
// request's SigV4 signature for service. It returns the body, or the error
// to answer with: 400 with badInputCode for an unreadable or too large body,
// the signature check's own *Error, or 500 InternalFailure when the check
// itself failed (cause says why, for the log).
func (c Credentials) VerifyRequest(r *http.Request, maxBody int64, service, badInputCode string, now time.Time) (body []byte, failure *Error, cause error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	switch {
	case err != nil:
		return nil, &Error{Code: badInputCode, Message: "could not read the request body", Status: http.StatusBadRequest}, err
	case int64(len(body)) > maxBody:
		return nil, &Error{Code: badInputCode, Message: fmt.Sprintf("the request body is larger than %d bytes", maxBody), Status: http.StatusBadRequest}, nil
	}
	if err := c.Verify(r, body, service, now); err != nil {
		var ae *Error
		if errors.As(err, &ae) {
			return nil, ae, err
		}
		return nil, &Error{Code: "InternalFailure", Message: "the signature could not be checked", Status: http.StatusInternalServerError}, err
	}
	return body, nil, nil
}
