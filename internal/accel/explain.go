package accel

import (
	"fmt"
	"strings"
)

// Explain describes c in one line for logs and debugging: the proximity
// order with each group's RTT and its source, the dial decision and the
// rule that picked the endpoint. l must be the listener c was chosen on.
func (c *Choice) Explain(l *Listener) string {
	var b strings.Builder
	fmt.Fprintf(&b, "key %016x; groups", c.Key)
	if c.NumRanked == 0 {
		b.WriteString(" none; no endpoint")
		return b.String()
	}
	for i, r := range c.Ranking() {
		sep := ","
		if i == 0 {
			sep = ""
		}
		g := &l.Groups[r.Group]
		if r.Known {
			fmt.Fprintf(&b, "%s %s (%.1f ms %s, dial %g)", sep, g.Region, r.RTTMillis, r.Source, dialPercent(g.TrafficDial))
		} else {
			fmt.Fprintf(&b, "%s %s (no latency, dial %g)", sep, g.Region, dialPercent(g.TrafficDial))
		}
	}
	g0 := &l.Groups[c.Ranked[0].Group]
	d := dialPercent(g0.TrafficDial)
	switch {
	case c.Spilled:
		fmt.Fprintf(&b, "; dial draw %.3f >= %.2f: spilled to %s", c.DialDraw, d/100, l.Groups[c.Dialed].Region)
	case d < 100 && c.DialDraw >= d/100:
		fmt.Fprintf(&b, "; dial draw %.3f >= %.2f but no other group has a dial: stays on %s", c.DialDraw, d/100, g0.Region)
	default:
		fmt.Fprintf(&b, "; dial keeps the flow on %s", g0.Region)
	}
	ep, addr, ok := c.Target(l)
	if !ok {
		b.WriteString("; no endpoint with weight > 0: drop")
		return b.String()
	}
	fmt.Fprintf(&b, "; rule %s: endpoint %s in %s -> %s", c.Rule, ep.ID, l.Groups[c.Group].Region, addr)
	return b.String()
}
