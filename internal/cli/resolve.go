package cli

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// zoneRef is a hosted zone named on the command line: its bare ID and, when
// known, its canonical name.
type zoneRef struct {
	ID   string
	Name string
}

// String renders the zone for messages.
func (z zoneRef) String() string {
	if z.Name == "" {
		return z.ID
	}
	return z.Name + " (" + z.ID + ")"
}

// zoneIDPattern matches a bare hosted zone ID: Z and up to 31 uppercase
// letters and digits (the model's ResourceId is at most 32 characters).
var zoneIDPattern = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)

// parseZoneID returns the bare ID when arg looks like a hosted zone ID,
// "Z…" or "/hostedzone/Z…".
func parseZoneID(arg string) (string, bool) {
	s := strings.TrimPrefix(arg, "/hostedzone/")
	if zoneIDPattern.MatchString(s) {
		return s, true
	}
	return "", false
}

// bareID strips a resource-type prefix such as "/hostedzone/" or "/change/".
func bareID(id *string) string {
	s := aws.ToString(id)
	return s[strings.LastIndexByte(s, '/')+1:]
}

// resolveZone turns a zone argument into a zoneRef. An ID is used as is
// (without a call); a name must match exactly one hosted zone.
func (r *Runner) resolveZone(ctx context.Context, arg string) (zoneRef, error) {
	if id, ok := parseZoneID(arg); ok {
		return zoneRef{ID: id}, nil
	}
	want, err := zone.CanonicalName(arg)
	if err != nil || want == "." {
		return zoneRef{}, fmt.Errorf("%q is neither a hosted zone ID nor a valid zone name", arg)
	}
	var ids []string
	input := &route53.ListHostedZonesByNameInput{DNSName: aws.String(want), MaxItems: aws.Int32(100)}
	for {
		out, err := r.Client.ListHostedZonesByName(ctx, input)
		if err != nil {
			return zoneRef{}, fmt.Errorf("looking up zone %s: %w", want, remote(err))
		}
		past := false
		for _, hz := range out.HostedZones {
			name, err := zone.CanonicalName(aws.ToString(hz.Name))
			if err != nil || name != want {
				past = true
				break
			}
			ids = append(ids, bareID(hz.Id))
		}
		if past || !out.IsTruncated || out.NextDNSName == nil {
			break
		}
		input.DNSName, input.HostedZoneId = out.NextDNSName, out.NextHostedZoneId
	}
	switch len(ids) {
	case 0:
		return zoneRef{}, fmt.Errorf("no hosted zone named %s", want)
	case 1:
		return zoneRef{ID: ids[0], Name: want}, nil
	}
	return zoneRef{}, fmt.Errorf("%d hosted zones are named %s (%s): give the ID instead", len(ids), want, strings.Join(ids, ", "))
}

// resolveZoneName resolves a zone argument and makes sure its name is known,
// asking GetHostedZone when the argument was an ID.
func (r *Runner) resolveZoneName(ctx context.Context, arg string) (zoneRef, error) {
	ref, err := r.resolveZone(ctx, arg)
	if err != nil || ref.Name != "" {
		return ref, err
	}
	out, err := r.Client.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(ref.ID)})
	if err != nil {
		return zoneRef{}, remote(err)
	}
	name, err := zone.CanonicalName(aws.ToString(out.HostedZone.Name))
	if err != nil {
		return zoneRef{}, fmt.Errorf("hosted zone %s has an invalid name %q: %w", ref.ID, aws.ToString(out.HostedZone.Name), err)
	}
	ref.Name = name
	return ref, nil
}
