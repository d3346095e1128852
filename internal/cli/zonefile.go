package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// zoneImport reads a BIND master file into a hosted zone with UPSERT change
// batches, waits for them to be INSYNC, and prints a summary. Record sets
// already in the zone but absent from the file are left alone.
func (r *Runner) zoneImport(ctx context.Context, in *invocation, args []string) error {
	file, ok := in.flag("file")
	if !ok || file == "" {
		return usagef("--file is required")
	}
	timeout, err := in.timeoutFlag()
	if err != nil {
		return err
	}
	var origin string
	if o, ok := in.flag("origin"); ok {
		if _, valid := dns.IsDomainName(o); !valid || o == "" {
			return fmt.Errorf("--origin %q is not a domain name", o)
		}
		origin = dns.Fqdn(o)
	}
	src, name, closeSrc, err := r.openInput(file)
	if err != nil {
		return err
	}
	defer closeSrc()
	ref, err := r.resolveZoneName(ctx, args[0])
	if err != nil {
		return err
	}
	if origin == "" {
		// The zone's name in master-file form (decimal escapes, not octal).
		labels, err := zone.ParseName(ref.Name)
		if err != nil {
			return fmt.Errorf("zone name %q: %w", ref.Name, err)
		}
		origin = zone.DNSName(labels)
	}
	plan, err := parseZoneFile(src, name, origin, ref.Name)
	if err != nil {
		return err
	}
	for _, note := range plan.notes() {
		fmt.Fprintf(r.Stderr, "meridian: zone import: %s\n", note)
	}
	if len(plan.Sets) == 0 {
		fmt.Fprintf(r.Stdout, "%s: nothing to import from %s\n", ref, name)
		return nil
	}
	batches, err := splitBatches(plan.changes(), route53Limits)
	if err != nil {
		return err
	}
	// Route 53 caps a batch comment at 256 characters.
	label := filepath.Base(name)
	if len(label) > 128 {
		label = label[:128]
	}
	var ids []string
	for i, batch := range batches {
		out, err := r.Client.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
			HostedZoneId: aws.String(ref.ID),
			ChangeBatch: &types.ChangeBatch{
				Comment: aws.String(fmt.Sprintf("meridian zone import %s (batch %d of %d)", label, i+1, len(batches))),
				Changes: batch,
			},
		})
		switch {
		case err != nil && len(batches) == 1:
			return remote(err)
		case err != nil && i == 0:
			return fmt.Errorf("change batch 1 of %d (nothing applied): %w", len(batches), remote(err))
		case err != nil && i == 1:
			return fmt.Errorf("change batch 2 of %d (batch 1 was applied): %w", len(batches), remote(err))
		case err != nil:
			return fmt.Errorf("change batch %d of %d (batches 1-%d were applied): %w", i+1, len(batches), i, remote(err))
		}
		if out.ChangeInfo == nil || out.ChangeInfo.Id == nil {
			return fmt.Errorf("change batch %d of %d: the server's answer holds no change ID", i+1, len(batches))
		}
		ids = append(ids, aws.ToString(out.ChangeInfo.Id))
	}
	if err := r.waitInsync(ctx, ids, timeout); err != nil {
		return err
	}
	fmt.Fprintf(r.Stdout, "%s: upserted %s (%s) from %s in %s; INSYNC\n", ref,
		plural(len(plan.Sets), "record set"), plural(plan.Records, "record"), name, plural(len(batches), "change batch"))
	return nil
}

// zoneExport writes every record set of a hosted zone as a BIND master file,
// to --file or stdout.
func (r *Runner) zoneExport(ctx context.Context, in *invocation, args []string) error {
	ref, err := r.resolveZoneName(ctx, args[0])
	if err != nil {
		return err
	}
	var sets []types.ResourceRecordSet
	err = r.eachRecordSet(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(ref.ID)}, func(s types.ResourceRecordSet) bool {
		sets = append(sets, s)
		return true
	})
	if err != nil {
		return err
	}
	res, err := renderZoneFile(ref, sets)
	if err != nil {
		return err
	}
	file, _ := in.flag("file")
	if file == "" || file == "-" {
		if _, err := io.WriteString(r.Stdout, res.Text); err != nil {
			return fmt.Errorf("writing the zone file: %w", err)
		}
	} else if err := os.WriteFile(file, []byte(res.Text), 0o644); err != nil {
		return fmt.Errorf("writing the zone file: %w", err)
	}
	if res.Commented > 0 {
		fmt.Fprintf(r.Stderr, "meridian: zone export: %s with a set identifier or alias target written as comments: BIND cannot express them\n",
			plural(res.Commented, "record set"))
	}
	if res.Unparsed > 0 {
		fmt.Fprintf(r.Stderr, "meridian: zone export: %s that did not parse as their type written as comments\n", plural(res.Unparsed, "value"))
	}
	if file != "" && file != "-" {
		fmt.Fprintf(r.Stdout, "%s: exported %s to %s\n", ref, plural(res.Sets+res.Commented, "record set"), file)
	}
	return nil
}

// openInput opens a named file, or stdin for "-". It returns the reader, a
// name for messages, and a function to close it.
func (r *Runner) openInput(path string) (io.Reader, string, func(), error) {
	if path == "-" {
		if r.Stdin == nil {
			return nil, "", nil, fmt.Errorf("no standard input to read")
		}
		return r.Stdin, "(stdin)", func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", nil, err // *fs.PathError names the operation and path
	}
	return f, path, func() { f.Close() }, nil
}

// eachRecordSet lists record sets from input's start position, following
// NextRecordName/Type/Identifier, and calls fn on each until it returns false.
func (r *Runner) eachRecordSet(ctx context.Context, input *route53.ListResourceRecordSetsInput, fn func(types.ResourceRecordSet) bool) error {
	for {
		out, err := r.Client.ListResourceRecordSets(ctx, input)
		if err != nil {
			return remote(err)
		}
		for _, s := range out.ResourceRecordSets {
			if !fn(s) {
				return nil
			}
		}
		if !out.IsTruncated || out.NextRecordName == nil {
			return nil
		}
		next := &route53.ListResourceRecordSetsInput{
			HostedZoneId:          input.HostedZoneId,
			MaxItems:              input.MaxItems,
			StartRecordName:       out.NextRecordName,
			StartRecordType:       out.NextRecordType,
			StartRecordIdentifier: out.NextRecordIdentifier,
		}
		if aws.ToString(next.StartRecordName) == aws.ToString(input.StartRecordName) &&
			next.StartRecordType == input.StartRecordType &&
			aws.ToString(next.StartRecordIdentifier) == aws.ToString(input.StartRecordIdentifier) {
			return fmt.Errorf("the server returned the same ListResourceRecordSets page twice (at %s %s)",
				aws.ToString(next.StartRecordName), strings.TrimSpace(string(next.StartRecordType)))
		}
		input = next
	}
}
