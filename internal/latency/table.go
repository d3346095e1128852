package latency

import (
	"fmt"
	"net/netip"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/geo/flat"
)

// Default-order values: a region at position i of the default order (0 is
// first) gets DefaultBaseMillis + DefaultStepMillis × i. Regions the order
// leaves out come after the listed ones, in Regions() order (built-ins in the
// API model's order, then custom regions in configuration order). The base
// is far above the largest distance estimate (about 302 ms), so a region
// ranked by the default order never beats one with any real estimate.
const (
	DefaultBaseMillis = 1000.0
	DefaultStepMillis = 10.0
)

// Table is a compiled, immutable latency Map. Each region has its own
// flattened prefix tables for the measured and the declared layers, so a
// lookup is one map access and at most two binary searches, without
// allocating. A nil *Table knows no regions.
type Table struct {
	regions  []Region
	index    map[string]int
	rank     []float64 // default-order value per region
	declared layer
	measured layer
}

// layer is one source of per-prefix RTTs: a flattened table per region
// (nil when the region has no entry) whose values index millis.
type layer struct {
	tables []*flat.Table
	millis []float64 // index 0 unused: flat's "no entry"
}

// Compile validates cfg and builds a Table over the built-in regions and the
// custom ones.
func Compile(cfg Config) (*Table, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	t := &Table{regions: append(BuiltinRegions(), cfg.Regions...)}
	t.index = make(map[string]int, len(t.regions))
	for i, r := range t.regions {
		t.index[r.Code] = i
	}
	t.rank = make([]float64, len(t.regions))
	pos := make([]int, len(t.regions))
	for i := range pos {
		pos[i] = -1
	}
	for i, code := range cfg.DefaultOrder {
		pos[t.index[code]] = i
	}
	next := len(cfg.DefaultOrder)
	for i := range pos {
		if pos[i] < 0 {
			pos[i] = next
			next++
		}
		t.rank[i] = DefaultBaseMillis + DefaultStepMillis*float64(pos[i])
	}
	var err error
	if t.declared, err = t.buildLayer(cfg.Declared); err != nil {
		return nil, fmt.Errorf("compile latency table: %w", err)
	}
	return t, nil
}

// WithMeasured returns a Table like t whose measured layer is m (replacing
// any earlier one; nil removes it). Entries Compile would reject are skipped
// (an unknown region, an invalid or non-network prefix, an RTT below zero or
// not finite); for a prefix and region given more than once the last entry
// wins, so a feed can append newer samples.
func (t *Table) WithMeasured(m []Declared) *Table {
	if t == nil {
		return nil
	}
	type key struct {
		p      netip.Prefix
		region string
	}
	isKnown := func(code string) bool { _, ok := t.index[code]; return ok }
	last := make(map[key]int, len(m))
	for i, d := range m {
		if d.validate(isKnown) == nil {
			last[key{flat.Normalize(d.Prefix), d.Region}] = i
		}
	}
	kept := make([]Declared, 0, len(last))
	for i, d := range m {
		if j, ok := last[key{flat.Normalize(d.Prefix), d.Region}]; ok && j == i {
			kept = append(kept, d)
		}
	}
	nt := *t
	// kept has no duplicates and only valid entries, so this cannot fail.
	if l, err := t.buildLayer(kept); err == nil {
		nt.measured = l
	}
	return &nt
}

// buildLayer compiles valid entries into per-region tables. Equal RTTs share
// a value so neighbouring equal ranges merge (exact Bits).
func (t *Table) buildLayer(entries []Declared) (layer, error) {
	if len(entries) == 0 {
		return layer{}, nil
	}
	l := layer{tables: make([]*flat.Table, len(t.regions)), millis: []float64{0}}
	ids := map[float64]uint32{}
	per := make([]*flat.Layer, len(t.regions))
	for _, d := range entries {
		ri := t.index[d.Region]
		id, ok := ids[d.Millis]
		if !ok {
			id = uint32(len(l.millis))
			ids[d.Millis] = id
			l.millis = append(l.millis, d.Millis)
		}
		if per[ri] == nil {
			per[ri] = new(flat.Layer)
		}
		if err := per[ri].Add(d.Prefix, id); err != nil {
			return layer{}, fmt.Errorf("%s %s: %w", d.Prefix, d.Region, err)
		}
	}
	for ri, fl := range per {
		if fl == nil {
			continue
		}
		tab, err := flat.Build(fl)
		if err != nil {
			return layer{}, fmt.Errorf("region %s: %w", t.regions[ri].Code, err)
		}
		l.tables[ri] = tab
	}
	return l, nil
}

// lookup returns the layer's RTT for a region (ok false for no entry) and the
// scope: the entry's flattened prefix length, or the width of the gap around
// addr when there is no entry.
func (l *layer) lookup(ri int, addr netip.Addr) (millis float64, scope uint8, ok bool) {
	if l.tables == nil || l.tables[ri] == nil {
		return 0, 0, false
	}
	v, scope := l.tables[ri].Lookup(addr)
	if v == 0 {
		return 0, scope, false
	}
	return l.millis[v], scope, true
}

// RTT returns the round-trip time from the client at addr (located at loc)
// to region, from the first source that knows it:
//
//  1. measured: the longest measured prefix holding addr for that region;
//  2. declared: the longest declared prefix for that region;
//  3. estimate: EstimateMillis(loc, region), when loc.HasCoords;
//  4. default order: DefaultBaseMillis + DefaultStepMillis × rank.
//
// Bits is never shorter than the prefix over which the same answer holds.
// For measured and declared values it is exact: the entry's prefix with any
// more specific entries of the same region cut out (and, for a declared
// value, also the measured entries). Estimates and default-order values
// depend on the location too, so their Bits is the widest of loc.Bits and
// the gaps around addr in the measured and declared tables of that region:
// a declared entry next door changes the answer there, so the scope must not
// cover it. ok is false for an unknown region. RTT does not allocate.
func (t *Table) RTT(addr netip.Addr, loc geo.Location, region string) (RTT, bool) {
	if t == nil {
		return RTT{}, false
	}
	ri, ok := t.index[region]
	if !ok {
		return RTT{}, false
	}
	ms, mScope, hit := t.measured.lookup(ri, addr)
	if hit {
		return RTT{Millis: ms, Source: SourceMeasured, Bits: mScope}, true
	}
	ms, dScope, hit := t.declared.lookup(ri, addr)
	scope := max(mScope, dScope)
	if hit {
		return RTT{Millis: ms, Source: SourceDeclared, Bits: scope}, true
	}
	scope = max(scope, loc.Bits)
	if loc.HasCoords {
		return RTT{Millis: EstimateMillis(loc, t.regions[ri]), Source: SourceEstimate, Bits: scope}, true
	}
	return RTT{Millis: t.rank[ri], Source: SourceDefault, Bits: scope}, true
}

// Region returns a region by code, built-in or custom.
func (t *Table) Region(code string) (Region, bool) {
	if t == nil {
		return Region{}, false
	}
	i, ok := t.index[code]
	if !ok {
		return Region{}, false
	}
	return t.regions[i], true
}

// Regions returns every region: the built-ins in the API model's order, then
// the custom ones in configuration order.
func (t *Table) Regions() []Region {
	if t == nil {
		return nil
	}
	return append([]Region(nil), t.regions...)
}
