package zone

import (
	"errors"
	"strings"
)

// Error is a Route 53 API error: a code such as "InvalidChangeBatch" or
// "NoSuchHostedZone" and the message Route 53 would print. For
// InvalidChangeBatch, Messages holds each validation message and Message is
// their bracketed, comma-separated list, as Route 53 sends it.
//
// The API layer maps Code to an HTTP status; nothing in this package knows
// about HTTP.
type Error struct {
	Code     string
	Message  string
	Messages []string
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf-free constructors for the codes used across Meridian.

// NewError returns an *Error with the given code and message.
func NewError(code, message string) *Error { return &Error{Code: code, Message: message} }

// InvalidChangeBatch returns an InvalidChangeBatch error carrying every message.
func InvalidChangeBatch(messages ...string) *Error {
	return &Error{
		Code:     "InvalidChangeBatch",
		Message:  "[" + strings.Join(messages, ", ") + "]",
		Messages: messages,
	}
}

// InvalidInput returns an InvalidInput error.
func InvalidInput(message string) *Error { return NewError("InvalidInput", message) }

// NoSuchHostedZone returns the error for an unknown zone ID.
func NoSuchHostedZone(id string) *Error {
	return NewError("NoSuchHostedZone", "No hosted zone found with ID: "+id)
}

// AsError returns err as an *Error when it is (or wraps) one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// NoSuchHealthCheck returns the error for an unknown health check ID.
func NoSuchHealthCheck(id string) *Error {
	return NewError("NoSuchHealthCheck", "A health check with id "+id+" does not exist.")
}
