package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// zoneCreate creates a hosted zone and prints its ID, name and name servers.
func (r *Runner) zoneCreate(ctx context.Context, in *invocation, args []string) error {
	ref, ok := in.flag("caller-reference")
	if !ok {
		ref = newCallerReference()
	}
	input := &route53.CreateHostedZoneInput{Name: aws.String(args[0]), CallerReference: aws.String(ref)}
	if c, ok := in.flag("comment"); ok {
		input.HostedZoneConfig = &types.HostedZoneConfig{Comment: aws.String(c)}
	}
	out, err := r.Client.CreateHostedZone(ctx, input)
	if err != nil {
		return remote(err)
	}
	if out.HostedZone == nil {
		return fmt.Errorf("the server's answer holds no hosted zone")
	}
	fmt.Fprintf(r.Stdout, "%s\t%s\n", bareID(out.HostedZone.Id), aws.ToString(out.HostedZone.Name))
	if out.DelegationSet != nil {
		for _, ns := range out.DelegationSet.NameServers {
			fmt.Fprintf(r.Stdout, "  %s\n", ns)
		}
	}
	return nil
}

// newCallerReference returns a fresh, unique caller reference.
func newCallerReference() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return fmt.Sprintf("meridian-%s-%s", time.Now().UTC().Format("20060102T150405Z"), hex.EncodeToString(b[:]))
}

// zoneList prints one aligned line per hosted zone: ID, name, record set
// count, comment.
func (r *Runner) zoneList(ctx context.Context, in *invocation, args []string) error {
	tw := tabwriter.NewWriter(r.Stdout, 0, 4, 2, ' ', 0)
	input := &route53.ListHostedZonesInput{MaxItems: aws.Int32(100)}
	for {
		out, err := r.Client.ListHostedZones(ctx, input)
		if err != nil {
			return remote(err)
		}
		for _, hz := range out.HostedZones {
			comment := ""
			if hz.Config != nil {
				comment = aws.ToString(hz.Config.Comment)
				if hz.Config.PrivateZone {
					comment = "(private) " + comment
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", bareID(hz.Id), aws.ToString(hz.Name), aws.ToInt64(hz.ResourceRecordSetCount), oneLine(comment))
		}
		if !out.IsTruncated || out.NextMarker == nil {
			break
		}
		if input.Marker != nil && *input.Marker == *out.NextMarker {
			return fmt.Errorf("the server returned the same ListHostedZones page twice (marker %s)", *out.NextMarker)
		}
		input.Marker = out.NextMarker
	}
	return tw.Flush()
}

// zoneDelete deletes a hosted zone.
func (r *Runner) zoneDelete(ctx context.Context, in *invocation, args []string) error {
	ref, err := r.resolveZone(ctx, args[0])
	if err != nil {
		return err
	}
	out, err := r.Client.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: aws.String(ref.ID)})
	if err != nil {
		return remote(err)
	}
	fmt.Fprintf(r.Stdout, "deleted hosted zone %s%s\n", ref, changeNote(out.ChangeInfo))
	return nil
}
