package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

const (
	defaultWaitTimeout  = 5 * time.Minute
	defaultPollInterval = 500 * time.Millisecond
	maxPollInterval     = 5 * time.Second
)

// timeoutFlag returns --timeout as a duration ("90s", "5m", or plain seconds).
func (in *invocation) timeoutFlag() (time.Duration, error) {
	v, ok := in.flag("timeout")
	if !ok {
		return defaultWaitTimeout, nil
	}
	if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, usagef("--timeout wants a positive duration such as 90s or 5m, got %q", v)
	}
	return d, nil
}

// waitInsync polls GetChange for each change until it is INSYNC, giving up
// after timeout in all. The first poll is immediate.
func (r *Runner) waitInsync(ctx context.Context, changeIDs []string, timeout time.Duration) error {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	first := r.PollInterval
	if first <= 0 {
		first = defaultPollInterval
	}
	for _, id := range changeIDs {
		delay, status := first, string(types.ChangeStatusPending)
		for {
			out, err := r.Client.GetChange(wctx, &route53.GetChangeInput{Id: aws.String(id)})
			if err != nil {
				if ctx.Err() == nil && errors.Is(wctx.Err(), context.DeadlineExceeded) {
					return fmt.Errorf("change %s still %s after %s", bareID(&id), status, timeout)
				}
				return fmt.Errorf("waiting for change %s: %w", bareID(&id), remote(err))
			}
			status = changeStatus(out.ChangeInfo)
			if status == string(types.ChangeStatusInsync) {
				break
			}
			select {
			case <-wctx.Done():
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return fmt.Errorf("change %s still %s after %s", bareID(&id), status, timeout)
			case <-time.After(delay):
			}
			delay = min(2*delay, maxPollInterval)
		}
	}
	return nil
}

// changeStatus returns a ChangeInfo's status, or "PENDING" when absent.
func changeStatus(ci *types.ChangeInfo) string {
	if ci == nil || ci.Status == "" {
		return string(types.ChangeStatusPending)
	}
	return string(ci.Status)
}

// changeNote renders " (change C… STATUS)", or nothing without a ChangeInfo.
func changeNote(ci *types.ChangeInfo) string {
	if ci == nil || ci.Id == nil {
		return ""
	}
	return fmt.Sprintf(" (change %s %s)", bareID(ci.Id), changeStatus(ci))
}
