package main

import (
	"math"
	"slices"
	"time"
)

// quantiles returns the nearest-rank percentiles ps (0 < p ≤ 100) of ds,
// zero for each when ds is empty. It sorts ds in place.
func quantiles(ds []time.Duration, ps ...float64) []time.Duration {
	out := make([]time.Duration, len(ps))
	if len(ds) == 0 {
		return out
	}
	slices.Sort(ds)
	for i, p := range ps {
		rank := int(math.Ceil(p / 100 * float64(len(ds))))
		out[i] = ds[min(max(rank, 1), len(ds))-1]
	}
	return out
}

// mean returns the average of ds, zero when ds is empty.
func mean(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var sum float64
	for _, d := range ds {
		sum += float64(d)
	}
	return time.Duration(sum / float64(len(ds)))
}
