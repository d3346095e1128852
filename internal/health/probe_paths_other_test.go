//go:build !linux

package health

import "testing"

// loopPath reports that this system has no probe loop.
func loopPath(*testing.T) (probePath, bool) { return probePath{}, false }
