package globalaccel

import (
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// codeOf returns the error code of err: "" for nil and a marker for errors
// that are not *zone.Error.
func codeOf(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := zone.AsError(err); ok {
		return e.Code
	}
	return "not a coded error: " + err.Error()
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := codeOf(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func ptr[T any](v T) *T { return &v }

const (
	invalidArgument  = CodeInvalidArgument
	invalidPortRange = CodeInvalidPortRange
	limitExceeded    = CodeLimitExceeded
)
