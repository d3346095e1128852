package cli

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// remoteError is a failed Route 53 call, rendered the way Route 53 names the
// failure ("Code: Message") rather than with the SDK's operation, status and
// request-ID decoration. It unwraps to the SDK's error.
type remoteError struct {
	text string
	err  error
}

func (e *remoteError) Error() string { return e.text }
func (e *remoteError) Unwrap() error { return e.err }

// remote converts an error returned by the Route 53 client into a remoteError;
// nil stays nil.
func remote(err error) error {
	if err == nil {
		return nil
	}
	return &remoteError{text: describeRemote(err), err: err}
}

// describeRemote renders an SDK error: the API error's code and message when
// the server answered with one, otherwise the operation and the root cause.
func describeRemote(err error) string {
	var icb *types.InvalidChangeBatch
	if errors.As(err, &icb) && len(icb.Messages) > 0 {
		return "InvalidChangeBatch: [" + strings.Join(icb.Messages, ", ") + "]"
	}
	var opErr *smithy.OperationError
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		code, msg := apiErr.ErrorCode(), apiErr.ErrorMessage()
		if code == "UnknownError" && errors.As(err, &opErr) {
			// The answer was not a Route 53 error document.
			return fmt.Sprintf("%s: %s (not a Route 53 error response)", opErr.OperationName, rootCause(opErr.Err))
		}
		switch {
		case code == "" && msg == "":
			return err.Error()
		case msg == "" || msg == code:
			return code
		case code == "":
			return msg
		}
		return code + ": " + msg
	}
	if errors.As(err, &opErr) {
		return opErr.OperationName + ": " + rootCause(opErr.Err)
	}
	return err.Error()
}

// rootCause strips the SDK's retry and transport wrappers from err.
func rootCause(err error) string {
	var netErr *net.OpError
	if errors.As(err, &netErr) {
		return netErr.Error()
	}
	var respErr *smithyhttp.ResponseError
	if errors.As(err, &respErr) {
		var apiErr smithy.APIError
		if respErr.Err == nil || errors.As(respErr.Err, &apiErr) {
			return fmt.Sprintf("HTTP status %d", respErr.HTTPStatusCode())
		}
		return fmt.Sprintf("HTTP status %d: %s", respErr.HTTPStatusCode(), rootCause(respErr.Err))
	}
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) && maxErr.Err != nil {
		return rootCause(maxErr.Err)
	}
	var sendErr *smithyhttp.RequestSendError
	if errors.As(err, &sendErr) && sendErr.Err != nil {
		return rootCause(sendErr.Err)
	}
	return err.Error()
}
