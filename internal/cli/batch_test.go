package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// change builds a change of one record set with n values of width characters.
func change(action types.ChangeAction, name string, n, width int) types.Change {
	rrs := make([]types.ResourceRecord, n)
	for i := range rrs {
		v := fmt.Sprintf("%0*d", width, i)
		rrs[i] = types.ResourceRecord{Value: aws.String(v)}
	}
	return types.Change{Action: action, ResourceRecordSet: &types.ResourceRecordSet{
		Name: aws.String(name), Type: types.RRTypeTxt, TTL: aws.Int64(300), ResourceRecords: rrs,
	}}
}

func aliasChange(action types.ChangeAction, name string) types.Change {
	return types.Change{Action: action, ResourceRecordSet: &types.ResourceRecordSet{
		Name: aws.String(name), Type: types.RRTypeA,
		AliasTarget: &types.AliasTarget{HostedZoneId: aws.String("Z1"), DNSName: aws.String("t.example.com.")},
	}}
}

func repeat(n int, f func(i int) types.Change) []types.Change {
	out := make([]types.Change, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

func TestSplitBatches(t *testing.T) {
	up, create := types.ChangeActionUpsert, types.ChangeActionCreate
	tests := []struct {
		name    string
		changes []types.Change
		lim     batchLimits
		sizes   []int // changes per batch
		wantErr string
	}{
		{name: "empty", lim: route53Limits},
		{name: "500 upserts of one value fill one batch (counted twice)",
			changes: repeat(500, func(i int) types.Change { return change(up, fmt.Sprintf("r%d.", i), 1, 5) }),
			lim:     route53Limits, sizes: []int{500}},
		{name: "501 upserts need two",
			changes: repeat(501, func(i int) types.Change { return change(up, fmt.Sprintf("r%d.", i), 1, 5) }),
			lim:     route53Limits, sizes: []int{500, 1}},
		{name: "creates count once",
			changes: repeat(1000, func(i int) types.Change { return change(create, fmt.Sprintf("r%d.", i), 1, 5) }),
			lim:     route53Limits, sizes: []int{1000}},
		{name: "three sets of 300 values",
			changes: repeat(3, func(i int) types.Change { return change(up, fmt.Sprintf("r%d.", i), 300, 3) }),
			lim:     route53Limits, sizes: []int{1, 1, 1}},
		{name: "value characters: 16 upserts of 1000 characters fill 32000",
			changes: repeat(17, func(i int) types.Change { return change(up, fmt.Sprintf("r%d.", i), 1, 1000) }),
			lim:     route53Limits, sizes: []int{16, 1}},
		{name: "aliases count one record each",
			changes: repeat(7, func(i int) types.Change { return aliasChange(up, fmt.Sprintf("a%d.", i)) }),
			lim:     batchLimits{Records: 6, ValueChars: 100}, sizes: []int{3, 3, 1}},
		{name: "mixed packing keeps order",
			changes: []types.Change{change(up, "a.", 2, 10), change(create, "b.", 3, 10), change(up, "c.", 1, 10)},
			lim:     batchLimits{Records: 7, ValueChars: 1000}, sizes: []int{2, 1}},
		{name: "a set too large on its own",
			changes: []types.Change{change(up, "small.", 1, 1), change(up, "big.", 400, 100)},
			lim:     route53Limits, wantErr: "record set big. TXT is too large for one change batch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			batches, err := splitBatches(tc.changes, tc.lim)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var sizes []int
			var flat []types.Change
			for _, b := range batches {
				sizes = append(sizes, len(b))
				records, chars := 0, 0
				for _, c := range b {
					r, ch := changeCost(c)
					records, chars = records+r, chars+ch
				}
				if records > tc.lim.Records || chars > tc.lim.ValueChars {
					t.Errorf("batch over the limits: %d records, %d characters", records, chars)
				}
				flat = append(flat, b...)
			}
			if fmt.Sprint(sizes) != fmt.Sprint(tc.sizes) {
				t.Errorf("batch sizes = %v, want %v", sizes, tc.sizes)
			}
			if len(flat) != len(tc.changes) {
				t.Fatalf("%d changes after splitting, want %d", len(flat), len(tc.changes))
			}
			for i := range flat {
				if flat[i].ResourceRecordSet != tc.changes[i].ResourceRecordSet {
					t.Errorf("change %d out of order", i)
				}
			}
		})
	}
}

func TestChangeCost(t *testing.T) {
	tests := []struct {
		c              types.Change
		records, chars int
	}{
		{change(types.ChangeActionCreate, "a.", 3, 4), 3, 12},
		{change(types.ChangeActionDelete, "a.", 3, 4), 3, 12},
		{change(types.ChangeActionUpsert, "a.", 3, 4), 6, 24},
		{aliasChange(types.ChangeActionUpsert, "a."), 2, 0},
		{aliasChange(types.ChangeActionCreate, "a."), 1, 0},
	}
	for i, tc := range tests {
		r, c := changeCost(tc.c)
		if r != tc.records || c != tc.chars {
			t.Errorf("%d: cost = %d records %d chars, want %d %d", i, r, c, tc.records, tc.chars)
		}
	}
}
