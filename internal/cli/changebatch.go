package cli

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// readChangeBatchArg returns the JSON named by a --change-batch argument:
// file://PATH or fileb://PATH (as the aws CLI takes), @PATH, - for stdin, or
// the JSON itself.
func (r *Runner) readChangeBatchArg(arg string) ([]byte, error) {
	var path string
	switch {
	case strings.HasPrefix(arg, "file://"):
		path = strings.TrimPrefix(arg, "file://")
	case strings.HasPrefix(arg, "fileb://"):
		path = strings.TrimPrefix(arg, "fileb://")
	case strings.HasPrefix(arg, "@"):
		path = strings.TrimPrefix(arg, "@")
	case arg == "-":
		if r.Stdin == nil {
			return nil, fmt.Errorf("no standard input to read the change batch from")
		}
		data, err := io.ReadAll(r.Stdin)
		if err != nil {
			return nil, fmt.Errorf("reading the change batch from standard input: %w", err)
		}
		return data, nil
	default:
		return []byte(arg), nil
	}
	if path == "" {
		return nil, usagef("--change-batch %q names no file", arg)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the change batch: %w", err)
	}
	return data, nil
}

// toSDKChangeBatch converts Meridian's change batch into the SDK's, field
// for field.
func toSDKChangeBatch(cb zone.ChangeBatch) (*types.ChangeBatch, error) {
	out := &types.ChangeBatch{Changes: make([]types.Change, len(cb.Changes))}
	if cb.Comment != "" {
		out.Comment = aws.String(cb.Comment)
	}
	for i, c := range cb.Changes {
		set, err := toSDKRecordSet(c.RRSet)
		if err != nil {
			return nil, fmt.Errorf("change %d (%s %s): %w", i+1, c.RRSet.Name, c.RRSet.Type, err)
		}
		out.Changes[i] = types.Change{Action: types.ChangeAction(c.Action), ResourceRecordSet: set}
	}
	return out, nil
}

// toSDKRecordSet converts one record set; empty strings and nil pointers are
// left out, as the JSON left them out.
func toSDKRecordSet(s zone.RRSet) (*types.ResourceRecordSet, error) {
	out := &types.ResourceRecordSet{
		Name:                    optString(s.Name),
		Type:                    types.RRType(s.Type),
		SetIdentifier:           optString(s.SetIdentifier),
		Weight:                  s.Weight,
		Region:                  types.ResourceRecordSetRegion(s.Region),
		Failover:                types.ResourceRecordSetFailover(s.Failover),
		MultiValueAnswer:        s.MultiValueAnswer,
		TTL:                     s.TTL,
		HealthCheckId:           optString(s.HealthCheckID),
		TrafficPolicyInstanceId: optString(s.TrafficPolicyInstanceID),
	}
	if g := s.GeoLocation; g != nil {
		out.GeoLocation = &types.GeoLocation{
			ContinentCode:   optString(g.ContinentCode),
			CountryCode:     optString(g.CountryCode),
			SubdivisionCode: optString(g.SubdivisionCode),
		}
	}
	for _, v := range s.Values {
		out.ResourceRecords = append(out.ResourceRecords, types.ResourceRecord{Value: aws.String(v)})
	}
	if a := s.AliasTarget; a != nil {
		out.AliasTarget = &types.AliasTarget{
			HostedZoneId:         aws.String(a.HostedZoneID),
			DNSName:              aws.String(a.DNSName),
			EvaluateTargetHealth: a.EvaluateTargetHealth,
		}
	}
	if c := s.CidrRoutingConfig; c != nil {
		out.CidrRoutingConfig = &types.CidrRoutingConfig{
			CollectionId: aws.String(c.CollectionID),
			LocationName: aws.String(c.LocationName),
		}
	}
	if g := s.GeoProximityLocation; g != nil {
		loc := &types.GeoProximityLocation{
			AWSRegion:      optString(g.AWSRegion),
			LocalZoneGroup: optString(g.LocalZoneGroup),
		}
		if c := g.Coordinates; c != nil {
			loc.Coordinates = &types.Coordinates{Latitude: aws.String(c.Latitude), Longitude: aws.String(c.Longitude)}
		}
		if g.Bias != nil {
			if *g.Bias < math.MinInt32 || *g.Bias > math.MaxInt32 {
				return nil, fmt.Errorf("GeoProximityLocation.Bias %d is out of range", *g.Bias)
			}
			loc.Bias = aws.Int32(int32(*g.Bias))
		}
		out.GeoProximityLocation = loc
	}
	return out, nil
}

// optString returns nil for "", else a pointer to s.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
