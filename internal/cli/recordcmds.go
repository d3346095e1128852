package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// recordList prints one aligned line per record set: name, type, TTL,
// routing summary, and values or alias target. --name keeps the sets with
// exactly that name, --type those of that type.
func (r *Runner) recordList(ctx context.Context, in *invocation, args []string) error {
	zoneArg, ok := in.flag("zone")
	if !ok || zoneArg == "" {
		return usagef("--zone is required")
	}
	input := &route53.ListResourceRecordSetsInput{}
	var wantName, wantType string
	if n, ok := in.flag("name"); ok {
		canon, err := zone.CanonicalName(n)
		if err != nil {
			return fmt.Errorf("--name %q: %w", n, err)
		}
		wantName = canon
		input.StartRecordName = aws.String(canon)
	}
	if t, ok := in.flag("type"); ok {
		wantType = strings.ToUpper(t)
		if !route53Types[wantType] {
			return usagef("--type %q is not a record type Route 53 supports", t)
		}
		if wantName != "" {
			input.StartRecordType = types.RRType(wantType)
		}
	}
	ref, err := r.resolveZone(ctx, zoneArg)
	if err != nil {
		return err
	}
	input.HostedZoneId = aws.String(ref.ID)
	tw := tabwriter.NewWriter(r.Stdout, 0, 4, 2, ' ', 0)
	err = r.eachRecordSet(ctx, input, func(s types.ResourceRecordSet) bool {
		if wantName != "" {
			name, err := zone.CanonicalName(aws.ToString(s.Name))
			if err != nil || name != wantName {
				return false // sorted by name: past the wanted one
			}
		}
		if wantType != "" && string(s.Type) != wantType {
			return true
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", aws.ToString(s.Name), s.Type, ttlText(s.TTL), routingSummary(s), valuesText(s))
		return true
	})
	if err != nil {
		return err
	}
	return tw.Flush()
}

// ttlText renders a TTL, or "-" for an alias record set without one.
func ttlText(ttl *int64) string {
	if ttl == nil {
		return "-"
	}
	return strconv.FormatInt(*ttl, 10)
}

// valuesText renders a record set's values, or its alias target.
func valuesText(s types.ResourceRecordSet) string {
	if s.AliasTarget != nil {
		return aliasSummary(s.AliasTarget)
	}
	vals := make([]string, len(s.ResourceRecords))
	for i, rr := range s.ResourceRecords {
		vals[i] = oneLine(aws.ToString(rr.Value))
	}
	return strings.Join(vals, ", ")
}

// recordChange submits a change batch in the aws CLI's JSON form and prints
// the change ID and status; with --wait it then waits for INSYNC.
func (r *Runner) recordChange(ctx context.Context, in *invocation, args []string) error {
	zoneArg, ok := in.flag("zone")
	if !ok || zoneArg == "" {
		return usagef("--zone is required")
	}
	spec, ok := in.flag("change-batch")
	if !ok || spec == "" {
		return usagef("--change-batch is required")
	}
	timeout, err := in.timeoutFlag()
	if err != nil {
		return err
	}
	data, err := r.readChangeBatchArg(spec)
	if err != nil {
		return err
	}
	cb, err := zone.ParseChangeBatchJSON(data) // its errors begin "invalid change batch: "
	if err != nil {
		return err
	}
	batch, err := toSDKChangeBatch(cb)
	if err != nil {
		return fmt.Errorf("invalid change batch: %w", err)
	}
	ref, err := r.resolveZone(ctx, zoneArg)
	if err != nil {
		return err
	}
	out, err := r.Client.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(ref.ID),
		ChangeBatch:  batch,
	})
	if err != nil {
		return remote(err)
	}
	if out.ChangeInfo == nil || out.ChangeInfo.Id == nil {
		return fmt.Errorf("the server's answer holds no change ID")
	}
	fmt.Fprintf(r.Stdout, "%s\t%s\n", bareID(out.ChangeInfo.Id), changeStatus(out.ChangeInfo))
	if !in.boolFlag("wait") || out.ChangeInfo.Status == types.ChangeStatusInsync {
		return nil
	}
	if err := r.waitInsync(ctx, []string{aws.ToString(out.ChangeInfo.Id)}, timeout); err != nil {
		return err
	}
	fmt.Fprintf(r.Stdout, "%s\t%s\n", bareID(out.ChangeInfo.Id), types.ChangeStatusInsync)
	return nil
}
