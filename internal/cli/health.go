package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// healthyShare is Route 53's aggregation rule: a check is healthy when more
// than this share of the checkers that report consider it healthy (spec
// 3.2). `health status` uses it to summarize the observations, since the
// Route 53 API itself has no aggregate status.
const healthyShare = 0.18

// tagBatch is how many resources one ListTagsForResources call may name.
const tagBatch = 10

// healthList prints one aligned line per health check: ID, type, target,
// request interval, threshold, the inverted/disabled flags and the Name tag.
// The Route 53 API has no aggregate status per check, so the list has no
// status column: `health status ID` summarizes a check's observations.
func (r *Runner) healthList(ctx context.Context, in *invocation, args []string) error {
	var checks []types.HealthCheck
	input := &route53.ListHealthChecksInput{MaxItems: aws.Int32(1000)}
	for {
		out, err := r.Client.ListHealthChecks(ctx, input)
		if err != nil {
			return remote(err)
		}
		checks = append(checks, out.HealthChecks...)
		if !out.IsTruncated || out.NextMarker == nil {
			break
		}
		if input.Marker != nil && *input.Marker == *out.NextMarker {
			return fmt.Errorf("the server returned the same ListHealthChecks page twice (marker %s)", *out.NextMarker)
		}
		input.Marker = out.NextMarker
	}
	names, err := r.healthCheckNames(ctx, checks)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(r.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tTARGET\tINTERVAL\tTHRESHOLD\tFLAGS\tNAME")
	for _, hc := range checks {
		c := hc.HealthCheckConfig
		if c == nil {
			c = &types.HealthCheckConfig{}
		}
		id := aws.ToString(hc.Id)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, c.Type, oneLine(healthTarget(c)), healthInterval(c),
			healthThreshold(c), healthFlags(c), oneLine(orDash(names[id])))
	}
	return tw.Flush()
}

// healthCheckNames returns the Name tag of each check that has one.
func (r *Runner) healthCheckNames(ctx context.Context, checks []types.HealthCheck) (map[string]string, error) {
	names := map[string]string{}
	for start := 0; start < len(checks); start += tagBatch {
		var ids []string
		for _, hc := range checks[start:min(start+tagBatch, len(checks))] {
			ids = append(ids, aws.ToString(hc.Id))
		}
		out, err := r.Client.ListTagsForResources(ctx, &route53.ListTagsForResourcesInput{
			ResourceType: types.TagResourceTypeHealthcheck, ResourceIds: ids,
		})
		if err != nil {
			return nil, remote(err)
		}
		for _, set := range out.ResourceTagSets {
			for _, t := range set.Tags {
				if aws.ToString(t.Key) == "Name" {
					names[aws.ToString(set.ResourceId)] = aws.ToString(t.Value)
				}
			}
		}
	}
	return names, nil
}

// healthTarget describes what a check watches: the endpoint it probes, the
// children it counts or the alarm it follows.
func healthTarget(c *types.HealthCheckConfig) string {
	switch c.Type {
	case types.HealthCheckTypeCalculated:
		return fmt.Sprintf("at least %d of %d children", aws.ToInt32(c.HealthThreshold), len(c.ChildHealthChecks))
	case types.HealthCheckTypeCloudwatchMetric:
		if a := c.AlarmIdentifier; a != nil {
			return fmt.Sprintf("alarm %s in %s", aws.ToString(a.Name), a.Region)
		}
		return "alarm"
	case types.HealthCheckTypeRecoveryControl:
		return aws.ToString(c.RoutingControlArn)
	}
	host := aws.ToString(c.IPAddress)
	if host == "" {
		host = aws.ToString(c.FullyQualifiedDomainName)
	}
	var b strings.Builder
	switch c.Type {
	case types.HealthCheckTypeHttp, types.HealthCheckTypeHttpStrMatch:
		b.WriteString("http://")
	case types.HealthCheckTypeHttps, types.HealthCheckTypeHttpsStrMatch:
		b.WriteString("https://")
	}
	if c.Port != nil {
		b.WriteString(net.JoinHostPort(host, strconv.Itoa(int(*c.Port))))
	} else {
		b.WriteString(host)
	}
	if c.Type != types.HealthCheckTypeTcp {
		path := aws.ToString(c.ResourcePath)
		if path == "" {
			path = "/"
		}
		b.WriteString(path)
	}
	if c.IPAddress != nil && c.FullyQualifiedDomainName != nil {
		fmt.Fprintf(&b, " host=%s", aws.ToString(c.FullyQualifiedDomainName))
	}
	if c.SearchString != nil {
		fmt.Fprintf(&b, " search=%q", aws.ToString(c.SearchString))
	}
	return b.String()
}

func healthInterval(c *types.HealthCheckConfig) string {
	if c.RequestInterval == nil {
		return "-"
	}
	return fmt.Sprintf("%ds", *c.RequestInterval)
}

// healthThreshold is the failure threshold of a probing check, or the
// health threshold of a calculated one.
func healthThreshold(c *types.HealthCheckConfig) string {
	switch {
	case c.Type == types.HealthCheckTypeCalculated && c.HealthThreshold != nil:
		return strconv.Itoa(int(*c.HealthThreshold))
	case c.FailureThreshold != nil:
		return strconv.Itoa(int(*c.FailureThreshold))
	}
	return "-"
}

func healthFlags(c *types.HealthCheckConfig) string {
	var flags []string
	if aws.ToBool(c.Inverted) {
		flags = append(flags, "inverted")
	}
	if aws.ToBool(c.Disabled) {
		flags = append(flags, "disabled")
	}
	if len(flags) == 0 {
		return "-"
	}
	return strings.Join(flags, ",")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// healthStatus prints a check's status as its checkers report it: a summary
// line, one line per checker (region, checker IP, checked time, status) and
// the checkers' most recent failures.
func (r *Runner) healthStatus(ctx context.Context, in *invocation, args []string) error {
	id := args[0]
	id = id[strings.LastIndexByte(id, '/')+1:]
	got, err := r.Client.GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: aws.String(id)})
	if err != nil {
		return remote(err)
	}
	c := got.HealthCheck.HealthCheckConfig
	if c == nil {
		return errors.New("the server's answer holds no health check configuration")
	}
	fmt.Fprintf(r.Stdout, "%s  %s  %s  flags: %s\n", id, c.Type, oneLine(healthTarget(c)), healthFlags(c))
	if c.Type == types.HealthCheckTypeCalculated {
		fmt.Fprintf(r.Stdout, "calculated: healthy when at least %d of its children are healthy; Route 53 reports no checker status for it.\n",
			aws.ToInt32(c.HealthThreshold))
		for _, child := range c.ChildHealthChecks {
			fmt.Fprintf(r.Stdout, "  child %s\n", child)
		}
		return nil
	}
	status, err := r.Client.GetHealthCheckStatus(ctx, &route53.GetHealthCheckStatusInput{HealthCheckId: aws.String(id)})
	if err != nil {
		return remote(err)
	}
	failures, err := r.Client.GetHealthCheckLastFailureReason(ctx, &route53.GetHealthCheckLastFailureReasonInput{HealthCheckId: aws.String(id)})
	if err != nil {
		return remote(err)
	}
	fmt.Fprintln(r.Stdout, "status: "+summarizeStatus(c, status.HealthCheckObservations))
	if len(status.HealthCheckObservations) > 0 {
		writeObservations(r.Stdout, status.HealthCheckObservations)
	}
	if len(failures.HealthCheckObservations) == 0 {
		fmt.Fprintln(r.Stdout, "last failures: none")
		return nil
	}
	fmt.Fprintln(r.Stdout, "last failures:")
	writeObservations(r.Stdout, failures.HealthCheckObservations)
	return nil
}

// summarizeStatus derives a check's status from its observations as Route 53
// aggregates them: more than 18% of the reporting checkers healthy, then
// Disabled (counts as healthy) and Inverted.
func summarizeStatus(c *types.HealthCheckConfig, obs []types.HealthCheckObservation) string {
	inverted := aws.ToBool(c.Inverted)
	if aws.ToBool(c.Disabled) {
		return verdict(!inverted) + " (disabled: no checker probes it and it counts as healthy" + invertedNote(inverted) + ")"
	}
	if len(obs) == 0 {
		return verdict(!inverted) + " (no checker has reported yet; a new check counts as healthy" + invertedNote(inverted) + ")"
	}
	ok := 0
	for _, o := range obs {
		if o.StatusReport != nil && strings.HasPrefix(aws.ToString(o.StatusReport.Status), "Success") {
			ok++
		}
	}
	healthy := float64(ok) > healthyShare*float64(len(obs))
	return fmt.Sprintf("%s (%d of %d checkers report success; healthy takes more than 18%%%s)",
		verdict(healthy != inverted), ok, len(obs), invertedNote(inverted))
}

func verdict(healthy bool) string {
	if healthy {
		return "healthy"
	}
	return "unhealthy"
}

func invertedNote(inverted bool) string {
	if inverted {
		return ", then inverted"
	}
	return ""
}

// writeObservations prints one aligned line per checker.
func writeObservations(w io.Writer, obs []types.HealthCheckObservation) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, o := range obs {
		checked, text := "-", "-"
		if s := o.StatusReport; s != nil {
			if s.CheckedTime != nil {
				checked = s.CheckedTime.UTC().Format("2006-01-02T15:04:05.000Z")
			}
			text = oneLine(aws.ToString(s.Status))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", orDash(string(o.Region)), orDash(aws.ToString(o.IPAddress)), checked, text)
	}
	_ = tw.Flush()
}
