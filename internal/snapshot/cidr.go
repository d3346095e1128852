package snapshot

import (
	"net/netip"
)

// CidrTable is the compiled prefix table of one IP-based plan: the CIDR
// blocks of the locations its record sets name, each mapped to the member
// that answers for it, in one binary trie per address family. The default
// location "*" is not in the trie (see Default).
type CidrTable struct {
	v4, v6 []cidrNode // node 0 is the root (the /0 prefix)
	def    int
	blocks int
}

// cidrNode is one prefix of the trie. Children have larger indexes than
// their parents; 0 means no child (the root is nobody's child).
type cidrNode struct {
	child  [2]int32
	member int16 // the member whose location holds this exact block, -1 none
	depth  uint8 // prefix length
	// minBelow is the shortest block strictly below this node, 255 none.
	minBelow uint8
}

const noBlock = 255

// newCidrTable returns an empty table whose default member is def.
func newCidrTable(def int) *CidrTable {
	root := cidrNode{member: -1, minBelow: noBlock}
	return &CidrTable{v4: []cidrNode{root}, v6: []cidrNode{root}, def: def}
}

// Default returns the member for location "*", or -1.
func (t *CidrTable) Default() int {
	if t == nil {
		return -1
	}
	return t.def
}

// Blocks returns the number of distinct blocks in the table.
func (t *CidrTable) Blocks() int {
	if t == nil {
		return 0
	}
	return t.blocks
}

// insert adds a block for member; it reports false when the block is
// already in the table (the first location keeps it).
func (t *CidrTable) insert(pfx netip.Prefix, member int) bool {
	pfx = pfx.Masked()
	nodes := &t.v4
	if !pfx.Addr().Is4() {
		nodes = &t.v6
	}
	a := pfx.Addr().As16()
	off := 0
	if pfx.Addr().Is4() {
		off = 96
	}
	i := int32(0)
	for d := 0; d < pfx.Bits(); d++ {
		b := bitAt(&a, off+d)
		c := (*nodes)[i].child[b]
		if c == 0 {
			c = int32(len(*nodes))
			*nodes = append(*nodes, cidrNode{member: -1, depth: uint8(d + 1), minBelow: noBlock})
			(*nodes)[i].child[b] = c
		}
		i = c
	}
	if (*nodes)[i].member >= 0 {
		return false
	}
	(*nodes)[i].member = int16(member)
	t.blocks++
	return true
}

// finish computes every node's minBelow; call once after the last insert.
func (t *CidrTable) finish() {
	for _, nodes := range [][]cidrNode{t.v4, t.v6} {
		for i := len(nodes) - 1; i >= 0; i-- {
			n := &nodes[i]
			for _, c := range n.child {
				if c == 0 {
					continue
				}
				k := &nodes[c]
				if k.member >= 0 && k.depth < n.minBelow {
					n.minBelow = k.depth
				}
				if k.minBelow < n.minBelow {
					n.minBelow = k.minBelow
				}
			}
		}
	}
}

// Lookup matches a client subnet (spec 2.6, IP-based): a block matches when
// it contains the subnet and is no longer than the subnet's prefix; the
// longest match wins. It returns the matched member (-1 when no block
// matches: the default location applies), the matched block's length (0
// without a match), and scope: the prefix length around the client over
// which the outcome holds for clients sending the same prefix length. scope
// is at least the matched length and long enough to exclude every longer
// block that a neighbouring client's subnet would match. It does not
// allocate.
func (t *CidrTable) Lookup(client netip.Prefix) (member int, matched, scope uint8) {
	if t == nil || !client.IsValid() {
		return -1, 0, 0
	}
	addr := client.Addr()
	src := client.Bits()
	nodes := t.v6
	off := 0
	if addr.Is4() {
		nodes, off = t.v4, 96
	}
	a := addr.As16()
	member = -1
	i, mi := int32(0), int32(0)
	for d := 0; ; d++ {
		n := &nodes[i]
		if n.member >= 0 {
			member, matched, mi = int(n.member), uint8(d), i
		}
		if d == src {
			break
		}
		c := n.child[bitAt(&a, off+d)]
		if c == 0 {
			break
		}
		i = c
	}
	// Walk down from the match until the client's branch holds no block a
	// subnet of the same length could match.
	d := int(matched)
	i = mi
	for {
		n := &nodes[i]
		if int(n.minBelow) > src {
			break
		}
		c := n.child[bitAt(&a, off+d)]
		d++
		if c == 0 {
			break
		}
		i = c
	}
	return member, matched, uint8(d)
}

// bitAt returns bit i (0 = most significant) of a 16-byte address.
func bitAt(a *[16]byte, i int) int {
	return int(a[i>>3]>>(7-uint(i&7))) & 1
}
