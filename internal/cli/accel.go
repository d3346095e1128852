package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/globalaccelerator"
	"github.com/aws/aws-sdk-go-v2/service/globalaccelerator/types"
)

// gaClient returns a Global Accelerator client for the same server,
// credentials, region and HTTP client as the Runner's Route 53 client:
// Meridian serves both APIs on one endpoint.
func (r *Runner) gaClient() (*globalaccelerator.Client, error) {
	o := r.Client.Options()
	if aws.ToString(o.BaseEndpoint) == "" {
		// Without an endpoint the SDK would call AWS itself.
		return nil, errors.New("the client has no Meridian endpoint to send Global Accelerator requests to")
	}
	return globalaccelerator.New(globalaccelerator.Options{
		Region:           o.Region,
		BaseEndpoint:     o.BaseEndpoint,
		Credentials:      o.Credentials,
		HTTPClient:       o.HTTPClient,
		Retryer:          o.Retryer,
		RetryMaxAttempts: o.RetryMaxAttempts,
		RetryMode:        o.RetryMode,
		Logger:           o.Logger,
		ClientLogMode:    o.ClientLogMode,
		AppID:            o.AppID,
	}), nil
}

// accelList prints one aligned line per accelerator: name, status, enabled
// flag, DNS name, static addresses and ARN.
func (r *Runner) accelList(ctx context.Context, in *invocation, args []string) error {
	c, err := r.gaClient()
	if err != nil {
		return err
	}
	var accs []types.Accelerator
	p := globalaccelerator.NewListAcceleratorsPaginator(c, &globalaccelerator.ListAcceleratorsInput{MaxResults: aws.Int32(100)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return remote(err)
		}
		accs = append(accs, out.Accelerators...)
	}
	tw := tabwriter.NewWriter(r.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATUS\tENABLED\tDNS NAME\tADDRESSES\tARN")
	for _, a := range accs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", oneLine(orDash(aws.ToString(a.Name))), orDash(string(a.Status)),
			yesNo(aws.ToBool(a.Enabled)), orDash(aws.ToString(a.DnsName)), orDash(strings.Join(addresses(a.IpSets), ",")), aws.ToString(a.AcceleratorArn))
	}
	return tw.Flush()
}

// accelDescribe prints an accelerator with its listeners, their endpoint
// groups and each endpoint's weight and health.
func (r *Runner) accelDescribe(ctx context.Context, in *invocation, args []string) error {
	c, err := r.gaClient()
	if err != nil {
		return err
	}
	arn := args[0]
	out, err := c.DescribeAccelerator(ctx, &globalaccelerator.DescribeAcceleratorInput{AcceleratorArn: aws.String(arn)})
	if err != nil {
		return remote(err)
	}
	a := out.Accelerator
	if a == nil {
		return errors.New("the server's answer holds no accelerator")
	}
	attrs, err := c.DescribeAcceleratorAttributes(ctx, &globalaccelerator.DescribeAcceleratorAttributesInput{AcceleratorArn: aws.String(arn)})
	if err != nil {
		return remote(err)
	}
	var listeners []types.Listener
	lp := globalaccelerator.NewListListenersPaginator(c, &globalaccelerator.ListListenersInput{AcceleratorArn: aws.String(arn), MaxResults: aws.Int32(100)})
	for lp.HasMorePages() {
		page, err := lp.NextPage(ctx)
		if err != nil {
			return remote(err)
		}
		listeners = append(listeners, page.Listeners...)
	}
	groups := make([][]types.EndpointGroup, len(listeners))
	for i, l := range listeners {
		gp := globalaccelerator.NewListEndpointGroupsPaginator(c, &globalaccelerator.ListEndpointGroupsInput{ListenerArn: l.ListenerArn, MaxResults: aws.Int32(100)})
		for gp.HasMorePages() {
			page, err := gp.NextPage(ctx)
			if err != nil {
				return remote(err)
			}
			groups[i] = append(groups[i], page.EndpointGroups...)
		}
	}
	writeAccelerator(r.Stdout, a, attrs.AcceleratorAttributes)
	for i, l := range listeners {
		writeListener(r.Stdout, l, groups[i])
	}
	return nil
}

// writeAccelerator prints an accelerator's own settings, one per line.
func writeAccelerator(w io.Writer, a *types.Accelerator, attrs *types.AcceleratorAttributes) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "accelerator\t%s\n", aws.ToString(a.AcceleratorArn))
	fmt.Fprintf(tw, "name\t%s\n", oneLine(aws.ToString(a.Name)))
	fmt.Fprintf(tw, "status\t%s, %s\n", orDash(string(a.Status)), map[bool]string{true: "enabled", false: "disabled"}[aws.ToBool(a.Enabled)])
	fmt.Fprintf(tw, "ip address type\t%s\n", orDash(string(a.IpAddressType)))
	fmt.Fprintf(tw, "addresses\t%s\n", orDash(strings.Join(addresses(a.IpSets), " ")))
	fmt.Fprintf(tw, "dns name\t%s\n", orDash(aws.ToString(a.DnsName)))
	if a.DualStackDnsName != nil {
		fmt.Fprintf(tw, "dual-stack dns name\t%s\n", aws.ToString(a.DualStackDnsName))
	}
	fmt.Fprintf(tw, "created\t%s\n", timeOrDash(a.CreatedTime))
	fmt.Fprintf(tw, "last modified\t%s\n", timeOrDash(a.LastModifiedTime))
	if attrs != nil && aws.ToBool(attrs.FlowLogsEnabled) {
		fmt.Fprintf(tw, "flow logs\ts3://%s/%s\n", aws.ToString(attrs.FlowLogsS3Bucket), aws.ToString(attrs.FlowLogsS3Prefix))
	} else {
		fmt.Fprintf(tw, "flow logs\toff\n")
	}
	_ = tw.Flush()
}

// writeListener prints a listener line, then each endpoint group and its
// endpoints indented below it.
func writeListener(w io.Writer, l types.Listener, groups []types.EndpointGroup) {
	fmt.Fprintf(w, "\nlistener %s\n  %s %s, client affinity %s\n", aws.ToString(l.ListenerArn), l.Protocol, portRanges(l.PortRanges), orDash(string(l.ClientAffinity)))
	if len(groups) == 0 {
		fmt.Fprintln(w, "  no endpoint groups")
	}
	for _, g := range groups {
		fmt.Fprintf(w, "  endpoint group %s  %s\n", aws.ToString(g.EndpointGroupRegion), aws.ToString(g.EndpointGroupArn))
		check := fmt.Sprintf("%s port %d", g.HealthCheckProtocol, aws.ToInt32(g.HealthCheckPort))
		if g.HealthCheckProtocol != types.HealthCheckProtocolTcp {
			check += " path " + aws.ToString(g.HealthCheckPath)
		}
		fmt.Fprintf(w, "    traffic dial %s%%, health check %s every %ds, threshold %d\n",
			strconv.FormatFloat(float64(aws.ToFloat32(g.TrafficDialPercentage)), 'f', -1, 32), check,
			aws.ToInt32(g.HealthCheckIntervalSeconds), aws.ToInt32(g.ThresholdCount))
		if len(g.PortOverrides) > 0 {
			var parts []string
			for _, o := range g.PortOverrides {
				parts = append(parts, fmt.Sprintf("%d->%d", aws.ToInt32(o.ListenerPort), aws.ToInt32(o.EndpointPort)))
			}
			fmt.Fprintf(w, "    port overrides %s\n", strings.Join(parts, ", "))
		}
		if len(g.EndpointDescriptions) == 0 {
			fmt.Fprintln(w, "    no endpoints")
			continue
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, e := range g.EndpointDescriptions {
			health := string(e.HealthState)
			if reason := aws.ToString(e.HealthReason); reason != "" {
				health += " (" + oneLine(reason) + ")"
			}
			cip := ""
			if aws.ToBool(e.ClientIPPreservationEnabled) {
				cip = "\tclient IP preserved"
			}
			fmt.Fprintf(tw, "    endpoint %s\tweight %d\t%s%s\n", aws.ToString(e.EndpointId), aws.ToInt32(e.Weight), orDash(health), cip)
		}
		_ = tw.Flush()
	}
}

// addresses lists the static addresses of every IP set.
func addresses(sets []types.IpSet) []string {
	var out []string
	for _, s := range sets {
		out = append(out, s.IpAddresses...)
	}
	return out
}

// portRanges renders port ranges as "80, 8000-8099".
func portRanges(rs []types.PortRange) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		from, to := aws.ToInt32(r.FromPort), aws.ToInt32(r.ToPort)
		if from == to {
			parts[i] = strconv.Itoa(int(from))
		} else {
			parts[i] = fmt.Sprintf("%d-%d", from, to)
		}
	}
	if len(parts) == 0 {
		return "no ports"
	}
	return "ports " + strings.Join(parts, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func timeOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
