package cli

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// batchLimits are the per-request limits of ChangeResourceRecordSets.
type batchLimits struct {
	Records    int // ResourceRecord elements (an alias counts as one)
	ValueChars int // characters of Value text
}

// route53Limits are Route 53's documented limits: 1,000 records and 32,000
// value characters per request, UPSERTs counting twice.
var route53Limits = batchLimits{Records: 1000, ValueChars: 32000}

// changeCost returns how much one change counts against the limits.
func changeCost(c types.Change) (records, chars int) {
	if s := c.ResourceRecordSet; s != nil {
		if s.AliasTarget != nil {
			records++
		}
		for _, rr := range s.ResourceRecords {
			records++
			chars += len(aws.ToString(rr.Value))
		}
	}
	if c.Action == types.ChangeActionUpsert {
		records, chars = 2*records, 2*chars
	}
	return records, chars
}

// splitBatches packs changes, in order, into as few requests as the limits
// allow. A record set is never split; one that exceeds a limit on its own
// cannot be submitted and is an error.
func splitBatches(changes []types.Change, lim batchLimits) ([][]types.Change, error) {
	var batches [][]types.Change
	var cur []types.Change
	curRecords, curChars := 0, 0
	for _, c := range changes {
		records, chars := changeCost(c)
		if records > lim.Records || chars > lim.ValueChars {
			s := c.ResourceRecordSet
			return nil, fmt.Errorf("record set %s %s is too large for one change batch (%d records and %d value characters counted, limits %d and %d)",
				aws.ToString(s.Name), s.Type, records, chars, lim.Records, lim.ValueChars)
		}
		if len(cur) > 0 && (curRecords+records > lim.Records || curChars+chars > lim.ValueChars) {
			batches = append(batches, cur)
			cur, curRecords, curChars = nil, 0, 0
		}
		cur = append(cur, c)
		curRecords += records
		curChars += chars
	}
	if len(cur) > 0 {
		batches = append(batches, cur)
	}
	return batches, nil
}
