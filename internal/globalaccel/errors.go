package globalaccel

import (
	"fmt"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// Global Accelerator error codes (spec 5.2). Errors are *zone.Error values
// carrying one of these codes; the API renders them as JSON __type errors.
const (
	CodeAcceleratorNotFound          = "AcceleratorNotFoundException"
	CodeAcceleratorNotDisabled       = "AcceleratorNotDisabledException"
	CodeAssociatedListenerFound      = "AssociatedListenerFoundException"
	CodeAssociatedEndpointGroupFound = "AssociatedEndpointGroupFoundException"
	CodeListenerNotFound             = "ListenerNotFoundException"
	CodeEndpointGroupNotFound        = "EndpointGroupNotFoundException"
	CodeEndpointGroupAlreadyExists   = "EndpointGroupAlreadyExistsException"
	CodeEndpointNotFound             = "EndpointNotFoundException"
	CodeInvalidArgument              = "InvalidArgumentException"
	CodeInvalidPortRange             = "InvalidPortRangeException"
	CodeInvalidNextToken             = "InvalidNextTokenException"
	CodeLimitExceeded                = "LimitExceededException"
	CodeInternalServiceError         = "InternalServiceErrorException"
)

// InvalidArgument returns an InvalidArgumentException.
func InvalidArgument(format string, args ...any) *zone.Error {
	return zone.NewError(CodeInvalidArgument, fmt.Sprintf(format, args...))
}

// InvalidPortRange returns an InvalidPortRangeException.
func InvalidPortRange(format string, args ...any) *zone.Error {
	return zone.NewError(CodeInvalidPortRange, fmt.Sprintf(format, args...))
}

// LimitExceeded returns a LimitExceededException.
func LimitExceeded(format string, args ...any) *zone.Error {
	return zone.NewError(CodeLimitExceeded, fmt.Sprintf(format, args...))
}

// AcceleratorNotFound is the error for an unknown accelerator ARN.
func AcceleratorNotFound(arn string) *zone.Error {
	return zone.NewError(CodeAcceleratorNotFound, "Accelerator "+arn+" was not found.")
}

// ListenerNotFound is the error for an unknown listener ARN.
func ListenerNotFound(arn string) *zone.Error {
	return zone.NewError(CodeListenerNotFound, "Listener "+arn+" was not found.")
}

// EndpointGroupNotFound is the error for an unknown endpoint group ARN.
func EndpointGroupNotFound(arn string) *zone.Error {
	return zone.NewError(CodeEndpointGroupNotFound, "Endpoint group "+arn+" was not found.")
}

// EndpointNotFound is the error for removing an endpoint a group does not
// hold.
func EndpointNotFound(id, groupARN string) *zone.Error {
	return zone.NewError(CodeEndpointNotFound, "Endpoint "+id+" was not found in endpoint group "+groupARN+".")
}

// AcceleratorNotDisabled is the error for deleting an enabled accelerator.
func AcceleratorNotDisabled(arn string) *zone.Error {
	return zone.NewError(CodeAcceleratorNotDisabled,
		"Cannot delete accelerator "+arn+" because it is enabled. Disable it first (UpdateAccelerator with Enabled false).")
}

// AssociatedListenerFound is the error for deleting an accelerator that
// still has listeners, in the wording AWS uses (spec 5.2).
func AssociatedListenerFound(arn string) *zone.Error {
	return zone.NewError(CodeAssociatedListenerFound,
		"Cannot delete accelerator "+arn+" because an associated listener was found.")
}

// AssociatedEndpointGroupFound is the error for deleting a listener that
// still has endpoint groups.
func AssociatedEndpointGroupFound(arn string) *zone.Error {
	return zone.NewError(CodeAssociatedEndpointGroupFound,
		"Cannot delete listener "+arn+" because an associated endpoint group was found.")
}

// EndpointGroupAlreadyExists is the error for a second endpoint group in one
// region of a listener.
func EndpointGroupAlreadyExists(region, listenerARN string) *zone.Error {
	return zone.NewError(CodeEndpointGroupAlreadyExists,
		"An endpoint group for region "+region+" already exists in listener "+listenerARN+".")
}

// InvalidNextToken is the error for a NextToken this service did not issue.
func InvalidNextToken() *zone.Error {
	return zone.NewError(CodeInvalidNextToken, "The NextToken is not valid: pass the NextToken of the previous response unchanged.")
}

// TokenReused is the error for an idempotency token repeated with different
// parameters: Global Accelerator leaves this case undocumented (spec 9.12),
// and Meridian refuses it rather than guess which request was meant.
func TokenReused(token, operation string) *zone.Error {
	return InvalidArgument("The idempotency token %q was already used for a %s request with different parameters. Use a new token for a different request.",
		token, operation)
}
