//go:build !linux

package health

import "errors"

// newFastPath reports that this system has no probe loop: every probe runs
// on the goroutine path.
func newFastPath(*Timeouts, func([]probeDone)) (fastPath, error) {
	return nil, errors.ErrUnsupported
}
