package flat

import (
	"fmt"
	"slices"
)

// point starts a range: every address from start up to the next point's
// start (or the end of the address space) has value.
type point[K key[K]] struct {
	start K
	value uint32
}

// appendPoint adds a range start to a partition built in address order. A
// start equal to the last one replaces it (a more specific owner begins at the
// same address); a value equal to the previous range's extends that range.
func appendPoint[K key[K]](ps []point[K], start K, v uint32) []point[K] {
	if n := len(ps); n > 0 && ps[n-1].start == start {
		ps = ps[:n-1]
	}
	if n := len(ps); n > 0 && ps[n-1].value == v {
		return ps
	}
	return append(ps, point[K]{start: start, value: v})
}

// flatten turns a layer's prefixes into a partition of the whole address
// space, 0 where no prefix covers. Prefixes either nest or are disjoint, so a
// sweep in address order with a stack of enclosing prefixes finds, for every
// address, the innermost (longest) prefix covering it.
func flatten[K key[K]](spans []span[K]) ([]point[K], error) {
	slices.SortFunc(spans, func(a, b span[K]) int {
		switch {
		case a.first != b.first:
			if a.first.less(b.first) {
				return -1
			}
			return 1
		case a.last == b.last:
			return 0
		case b.last.less(a.last): // wider (enclosing) prefix first
			return -1
		}
		return 1
	})
	var zero K
	ps := []point[K]{{start: zero}}
	var stack []span[K]
	owner := func() uint32 {
		if len(stack) == 0 {
			return 0
		}
		return stack[len(stack)-1].value
	}
	// closeUntil pops the enclosing prefixes that end before addr (all of
	// them when all is set), handing each range back to the next one out.
	closeUntil := func(addr K, all bool) {
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			if !all && !top.last.less(addr) {
				return
			}
			stack = stack[:len(stack)-1]
			if after, ok := top.last.next(); ok {
				ps = appendPoint(ps, after, owner())
			}
		}
	}
	for i, s := range spans {
		if i > 0 && s.first == spans[i-1].first && s.last == spans[i-1].last {
			return nil, fmt.Errorf("duplicate prefix (values %d and %d)", spans[i-1].value, s.value)
		}
		closeUntil(s.first, false)
		ps = appendPoint(ps, s.first, s.value)
		stack = append(stack, s)
	}
	closeUntil(zero, true)
	return ps, nil
}

// overlay puts partition top over partition below: where top has 0 the value
// of below shows through. Both start at address zero.
func overlay[K key[K]](top, below []point[K]) []point[K] {
	out := make([]point[K], 0, len(top)+len(below))
	var pos K
	i, j := 0, 0
	for {
		v := top[i].value
		if v == 0 {
			v = below[j].value
		}
		out = appendPoint(out, pos, v)
		moreTop, moreBelow := i+1 < len(top), j+1 < len(below)
		switch {
		case moreTop && moreBelow:
			a, b := top[i+1].start, below[j+1].start
			switch {
			case a == b:
				pos = a
				i++
				j++
			case a.less(b):
				pos = a
				i++
			default:
				pos = b
				j++
			}
		case moreTop:
			pos = top[i+1].start
			i++
		case moreBelow:
			pos = below[j+1].start
			j++
		default:
			return slices.Clip(out)
		}
	}
}
