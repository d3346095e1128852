// Package flat compiles layered IP prefix tables into flattened, disjoint
// address ranges. A lookup returns the value of the winning prefix and the
// exact ECS scope of that answer: the length of the largest prefix around the
// address over which the lookup gives the same value.
//
// Values are small integers chosen by the caller (an index into its own slice
// of results); 0 means "no entry". Within a Layer the longest prefix wins;
// across layers, an earlier layer wins over a later one whatever the prefix
// lengths (a declared table over a GeoIP database, for instance).
//
// Build sorts each layer, flattens nested prefixes into disjoint ranges (the
// 10.0.0.0/8 entry minus its 10.1.0.0/16 child becomes 10.0.0.0-10.0.255.255
// and 10.2.0.0-10.255.255.255), overlays the layers, and merges neighbouring
// ranges with the same value. The Table keeps only the sorted range starts and
// their values, separately for IPv4 and IPv6, so a lookup is a binary search
// plus a few bit operations and never allocates.
package flat

import (
	"errors"
	"fmt"
	"net/netip"
)

// Layer is one set of prefixes with values. Add prefixes, then pass the layer
// to Build. Prefixes inside a layer may nest; the longest one wins.
type Layer struct {
	v4 []span[u32]
	v6 []span[u128]
}

// span is the inclusive address range of one prefix and its value.
type span[K key[K]] struct {
	first, last K
	value       uint32
}

// Add puts prefix p with value v in the layer. IPv4-mapped IPv6 prefixes
// (::ffff:0:0/96 and longer) are stored as IPv4; host bits are ignored.
func (l *Layer) Add(p netip.Prefix, v uint32) error {
	if !p.IsValid() {
		return errors.New("invalid prefix")
	}
	if v == 0 {
		return fmt.Errorf("prefix %s: value 0 is reserved for no entry", p)
	}
	p = Normalize(p)
	if p.Addr().Is4() {
		first := u32From4(p.Addr().As4())
		l.v4 = append(l.v4, span[u32]{first: first, last: first | u32HostMask(p.Bits()), value: v})
		return nil
	}
	first := u128From16(p.Addr().As16())
	l.v6 = append(l.v6, span[u128]{first: first, last: first.or(u128HostMask(p.Bits())), value: v})
	return nil
}

// Len returns how many prefixes the layer holds.
func (l *Layer) Len() int { return len(l.v4) + len(l.v6) }

// Normalize returns p masked to its prefix length, with an IPv4-mapped IPv6
// prefix of length 96 or more turned into the IPv4 prefix it stands for.
func Normalize(p netip.Prefix) netip.Prefix {
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked()
}

// Table is a compiled, immutable set of layers. The zero Table (and a nil
// *Table) answers 0 with scope 0 for every address.
type Table struct {
	v4Start []uint32
	v4Value []uint32
	v6Start []u128
	v6Value []uint32
}

// Build compiles layers, earliest first in precedence, into a Table. Nil
// layers are skipped. The same prefix twice in one layer is an error. Build
// sorts each layer's entries in place; the layers are not needed afterwards.
func Build(layers ...*Layer) (*Table, error) {
	var (
		v4 = []point[u32]{{}}
		v6 = []point[u128]{{}}
	)
	// Overlay from the lowest-precedence layer up so each step puts a layer
	// over everything below it.
	for i := len(layers) - 1; i >= 0; i-- {
		l := layers[i]
		if l == nil {
			continue
		}
		p4, err := flatten(l.v4)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		p6, err := flatten(l.v6)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		v4 = overlay(p4, v4)
		v6 = overlay(p6, v6)
	}
	t := &Table{
		v4Start: make([]uint32, len(v4)),
		v4Value: make([]uint32, len(v4)),
		v6Start: make([]u128, len(v6)),
		v6Value: make([]uint32, len(v6)),
	}
	for i, p := range v4 {
		t.v4Start[i], t.v4Value[i] = uint32(p.start), p.value
	}
	for i, p := range v6 {
		t.v6Start[i], t.v6Value[i] = p.start, p.value
	}
	return t, nil
}

// Ranges returns how many disjoint ranges the table holds for each family
// (ranges with no entry included), for logs and tests.
func (t *Table) Ranges() (v4, v6 int) {
	if t == nil {
		return 0, 0
	}
	return len(t.v4Start), len(t.v6Start)
}
