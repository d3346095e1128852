package zone

import (
	"slices"
	"strings"
)

// CompareKeys orders record sets as ListResourceRecordSets does: by
// ReversedSortKey(Name) as ASCII, then Type as ASCII, then SetIdentifier.
// It returns a negative number, zero or a positive number.
func CompareKeys(a, b Key) int {
	if a.Name != b.Name {
		if c := strings.Compare(ReversedSortKey(a.Name), ReversedSortKey(b.Name)); c != 0 {
			return c
		}
	}
	if c := strings.Compare(a.Type, b.Type); c != 0 {
		return c
	}
	return strings.Compare(a.SetIdentifier, b.SetIdentifier)
}

// SortRRSets sorts rs in ListResourceRecordSets order (see CompareKeys).
func SortRRSets(rs []RRSet) {
	type item struct {
		rev string
		r   RRSet
	}
	items := make([]item, len(rs))
	for i := range rs {
		items[i] = item{rev: ReversedSortKey(rs[i].Name), r: rs[i]}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		if c := strings.Compare(a.rev, b.rev); c != 0 {
			return c
		}
		if c := strings.Compare(a.r.Type, b.r.Type); c != 0 {
			return c
		}
		return strings.Compare(a.r.SetIdentifier, b.r.SetIdentifier)
	})
	for i := range items {
		rs[i] = items[i].r
	}
}
