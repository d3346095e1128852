package accel

import (
	"math"
	"net/netip"
	"testing"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/latency"
)

var (
	accelAddr = netip.MustParseAddr("198.51.100.1")
	eastIP    = netip.MustParseAddr("10.1.0.7")
	westIP    = netip.MustParseAddr("10.2.0.7")
)

// ep is an endpoint for unit tests.
func ep(id string, weight int) Endpoint {
	return Endpoint{ID: id, Addr: netip.MustParseAddr("192.0.2.1"), Weight: weight, HealthCheckID: "hc-" + id}
}

// view builds a health view from endpoint IDs: healthy ones, then
// unhealthy ones; every other check is unknown (INITIAL).
func view(healthy []string, unhealthy ...string) *healthstate.View {
	m := map[string]bool{}
	for _, id := range healthy {
		m["hc-"+id] = true
	}
	for _, id := range unhealthy {
		m["hc-"+id] = false
	}
	return healthstate.NewView(m)
}

// flowFrom is a TCP flow from src:port to the accelerator on port 80.
func flowFrom(src netip.Addr, port uint16) Flow {
	return Flow{Protocol: ProtocolTCP, Src: netip.AddrPortFrom(src, port), Dst: netip.AddrPortFrom(accelAddr, 80)}
}

// chooseFor runs Choose with the coast locator and latency table.
func chooseFor(l *Listener, f Flow, v *healthstate.View) Choice {
	return Choose(l, f, coastLocator.Locate(f.Src.Addr()), coastRTT, v)
}

func TestChoose(t *testing.T) {
	all := []string{"e1", "e2", "w1", "w2", "eu1", "ap1"}
	east := func(dial float64) EndpointGroup { return group("us-east-1", dial, ep("e1", 128), ep("e2", 128)) }
	west := func(dial float64) EndpointGroup { return group("us-west-2", dial, ep("w1", 128), ep("w2", 128)) }
	eu := func(dial float64) EndpointGroup { return group("eu-west-1", dial, ep("eu1", 128)) }
	ap := func(dial float64) EndpointGroup { return group("ap-south-1", dial, ep("ap1", 128)) }
	withOverride := func(g EndpointGroup, from, to uint16) EndpointGroup {
		g.PortOverrides = map[uint16]uint16{from: to}
		return g
	}
	withPort := func(g EndpointGroup, port uint16) EndpointGroup {
		eps := append([]Endpoint(nil), g.Endpoints...)
		for i := range eps {
			eps[i].Port = port
		}
		g.Endpoints = eps
		return g
	}

	tests := []struct {
		name      string
		groups    []EndpointGroup
		client    netip.Addr
		view      *healthstate.View
		rule      Rule
		region    string // the chosen endpoint's group
		dialed    string // the group proximity and the dial chose
		spilled   bool
		endpoints []string // the chosen endpoint is one of these
		port      uint16
	}{
		{name: "closest group serves", groups: []EndpointGroup{west(100), east(100)}, client: eastIP, view: view(all),
			rule: RuleDial, region: "us-east-1", dialed: "us-east-1", endpoints: []string{"e1", "e2"}, port: 80},
		{name: "west client goes west", groups: []EndpointGroup{west(100), east(100)}, client: westIP, view: view(all),
			rule: RuleDial, region: "us-west-2", dialed: "us-west-2", endpoints: []string{"w1", "w2"}, port: 80},
		{name: "unknown latency ranks by region name", groups: []EndpointGroup{west(100), eu(100), east(100)},
			client: netip.MustParseAddr("10.9.0.1"), view: view(all),
			rule: RuleDial, region: "eu-west-1", dialed: "eu-west-1", endpoints: []string{"eu1"}, port: 80},
		{name: "dial 0 spills to next closest with a dial", groups: []EndpointGroup{east(0), west(0), eu(30)}, client: eastIP,
			view: view(all), rule: RuleDial, region: "eu-west-1", dialed: "eu-west-1", spilled: true, endpoints: []string{"eu1"}, port: 80},
		{name: "all dials 0 stay on the closest", groups: []EndpointGroup{east(0), west(0)}, client: westIP, view: view(all),
			rule: RuleDial, region: "us-west-2", dialed: "us-west-2", endpoints: []string{"w1", "w2"}, port: 80},
		{name: "failover to next closest", groups: []EndpointGroup{east(100), west(100), eu(100)}, client: eastIP,
			view: view([]string{"w1", "w2", "eu1"}, "e1", "e2"),
			rule: RuleFailover, region: "us-west-2", dialed: "us-east-1", endpoints: []string{"w1", "w2"}, port: 80},
		{name: "failover ignores dials", groups: []EndpointGroup{east(100), west(0), eu(100)}, client: eastIP,
			view: view([]string{"w1", "w2", "eu1"}, "e1", "e2"),
			rule: RuleFailover, region: "us-west-2", dialed: "us-east-1", endpoints: []string{"w1", "w2"}, port: 80},
		{name: "failover from a spilled group returns to the closest", groups: []EndpointGroup{east(0), west(100)}, client: eastIP,
			view: view([]string{"e1", "e2"}, "w1", "w2"),
			rule: RuleFailover, region: "us-east-1", dialed: "us-west-2", spilled: true, endpoints: []string{"e1", "e2"}, port: 80},
		{name: "failover searches only the three closest", groups: []EndpointGroup{east(100), west(100), eu(100), ap(100)},
			client: eastIP, view: view([]string{"ap1"}, "e1", "e2", "w1", "w2", "eu1"),
			rule: RuleFailOpen, region: "us-east-1", dialed: "us-east-1", endpoints: []string{"e1", "e2"}, port: 80},
		{name: "fail open to the closest group, not the dialed one", groups: []EndpointGroup{east(0), west(100)}, client: eastIP,
			view: view(nil, all...),
			rule: RuleFailOpen, region: "us-east-1", dialed: "us-west-2", spilled: true, endpoints: []string{"e1", "e2"}, port: 80},
		{name: "INITIAL endpoints get no traffic", groups: []EndpointGroup{east(100), west(100)}, client: eastIP,
			view: view([]string{"e2", "w1", "w2"}), rule: RuleDial, region: "us-east-1", dialed: "us-east-1", endpoints: []string{"e2"}, port: 80},
		{name: "a cold-start healthy status is still INITIAL", groups: []EndpointGroup{east(100), west(100)}, client: eastIP,
			view: healthstate.NewViewPending(map[string]bool{"hc-e1": true, "hc-e2": true, "hc-w1": true, "hc-w2": true},
				map[string]struct{}{"hc-e1": {}, "hc-w1": {}}),
			rule: RuleDial, region: "us-east-1", dialed: "us-east-1", endpoints: []string{"e2"}, port: 80},
		{name: "only INITIAL endpoints: fail over", groups: []EndpointGroup{east(100), west(100)}, client: eastIP,
			view: view([]string{"w2"}), rule: RuleFailover, region: "us-west-2", dialed: "us-east-1", endpoints: []string{"w2"}, port: 80},
		{name: "everything INITIAL fails open", groups: []EndpointGroup{east(100), west(100)}, client: westIP,
			view: view(nil), rule: RuleFailOpen, region: "us-west-2", dialed: "us-west-2", endpoints: []string{"w1", "w2"}, port: 80},
		{name: "nil view: all healthy", groups: []EndpointGroup{east(100)}, client: eastIP,
			rule: RuleDial, region: "us-east-1", dialed: "us-east-1", endpoints: []string{"e1", "e2"}, port: 80},
		{name: "weight 0 gets no traffic", groups: []EndpointGroup{group("us-east-1", 100, ep("e1", 0), ep("e2", 1))},
			client: eastIP, view: view(all), rule: RuleDial, region: "us-east-1", dialed: "us-east-1", endpoints: []string{"e2"}, port: 80},
		{name: "fail open skips a group without weight", groups: []EndpointGroup{group("us-east-1", 100, ep("e1", 0)), west(100)},
			client: eastIP, view: view(nil, all...), rule: RuleFailOpen, region: "us-west-2", dialed: "us-east-1", endpoints: []string{"w1", "w2"}, port: 80},
		{name: "no weight anywhere: none", groups: []EndpointGroup{group("us-east-1", 100, ep("e1", 0))},
			client: eastIP, view: view(all), rule: RuleNone, dialed: "us-east-1"},
		{name: "no groups: none", client: eastIP, view: view(all), rule: RuleNone},
		{name: "port override", groups: []EndpointGroup{withOverride(east(100), 80, 8080)}, client: eastIP, view: view(all),
			rule: RuleDial, region: "us-east-1", dialed: "us-east-1", endpoints: []string{"e1", "e2"}, port: 8080},
		{name: "override for another port does not apply", groups: []EndpointGroup{withOverride(east(100), 81, 8081)},
			client: eastIP, view: view(all), rule: RuleDial, region: "us-east-1", dialed: "us-east-1", endpoints: []string{"e1", "e2"}, port: 80},
		{name: "endpoint port beats the override", groups: []EndpointGroup{withPort(withOverride(east(100), 80, 8080), 9000)},
			client: eastIP, view: view(all), rule: RuleDial, region: "us-east-1", dialed: "us-east-1", endpoints: []string{"e1", "e2"}, port: 9000},
		{name: "override of the failover group", groups: []EndpointGroup{east(100), withOverride(west(100), 80, 8443)},
			client: eastIP, view: view([]string{"w1", "w2"}, "e1", "e2"),
			rule: RuleFailover, region: "us-west-2", dialed: "us-east-1", endpoints: []string{"w1", "w2"}, port: 8443},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := &Listener{ARN: "l", Protocol: ProtocolTCP, ClientAffinity: AffinityNone, Groups: tc.groups}
			// The rules above must hold for every flow, whatever its hash.
			for port := uint16(1000); port < 1064; port++ {
				c := chooseFor(l, flowFrom(tc.client, port), tc.view)
				if c.Rule != tc.rule {
					t.Fatalf("rule %s, want %s (%s)", c.Rule, tc.rule, c.Explain(l))
				}
				if c.Spilled != tc.spilled {
					t.Fatalf("spilled %v, want %v (%s)", c.Spilled, tc.spilled, c.Explain(l))
				}
				if got := regionOf(l, c.Dialed); got != tc.dialed {
					t.Fatalf("dialed %q, want %q (%s)", got, tc.dialed, c.Explain(l))
				}
				e, addr, ok := c.Target(l)
				if tc.rule == RuleNone {
					if ok {
						t.Fatalf("got endpoint %s, want none", e.ID)
					}
					continue
				}
				if got := regionOf(l, c.Group); got != tc.region {
					t.Fatalf("region %q, want %q (%s)", got, tc.region, c.Explain(l))
				}
				if !contains(tc.endpoints, e.ID) {
					t.Fatalf("endpoint %s, want one of %v (%s)", e.ID, tc.endpoints, c.Explain(l))
				}
				if c.Port != tc.port || addr.Port() != tc.port {
					t.Fatalf("port %d (%s), want %d", c.Port, addr, tc.port)
				}
			}
		})
	}
}

func regionOf(l *Listener, g int) string {
	if g < 0 {
		return ""
	}
	return l.Groups[g].Region
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// TestChooseRanking checks the proximity order and its explanation.
func TestChooseRanking(t *testing.T) {
	l := &Listener{Groups: []EndpointGroup{
		group("ap-south-1", 100, ep("a", 1)), group("zz-custom-1", 100, ep("z", 1)),
		group("us-west-2", 100, ep("w", 1)), group("us-east-1", 100, ep("e", 1)),
	}}
	c := Choose(l, flowFrom(westIP, 1), coastLocator.Locate(westIP), coastRTT, nil)
	var got []string
	for _, r := range c.Ranking() {
		got = append(got, l.Groups[r.Group].Region)
	}
	want := []string{"us-west-2", "us-east-1", "ap-south-1", "zz-custom-1"}
	if len(got) != len(want) {
		t.Fatalf("ranking %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ranking %v, want %v", got, want)
		}
	}
	if r := c.Ranking()[0]; !r.Known || r.RTTMillis != 10 || r.Source != latency.SourceDeclared {
		t.Errorf("closest rank %+v, want a declared 10 ms", r)
	}
	if r := c.Ranking()[3]; r.Known || !math.IsInf(r.RTTMillis, 1) {
		t.Errorf("unknown region rank %+v, want +Inf and not known", r)
	}
	if s := c.Explain(l); s == "" {
		t.Error("empty explanation")
	}
}

// TestChooseDialWorkedExample is spec 5.4's example: us-east-1 and us-west-2
// both at dial 50, equal East and West traffic. Half of each coast's flows
// stay at its closest group and half spill to the other, so each group gets
// half the traffic.
func TestChooseDialWorkedExample(t *testing.T) {
	l := &Listener{ClientAffinity: AffinityNone, Groups: []EndpointGroup{
		group("us-east-1", 50, ep("e1", 128)),
		group("us-west-2", 50, ep("w1", 128)),
	}}
	v := view([]string{"e1", "w1"})
	const perCoast = 20000
	// Tolerance: 4 standard deviations of a fair coin over perCoast flows
	// is about 1.4%; allow 2%.
	const tol = 0.02
	for _, coast := range []struct {
		name   string
		prefix [2]byte
	}{{"East", [2]byte{10, 1}}, {"West", [2]byte{10, 2}}} {
		counts := map[string]int{}
		for i := range perCoast {
			src := netip.AddrFrom4([4]byte{coast.prefix[0], coast.prefix[1], byte(i >> 8), byte(i)})
			c := chooseFor(l, flowFrom(src, uint16(20000+i%30000)), v)
			if c.Rule != RuleDial {
				t.Fatalf("rule %s, want dial", c.Rule)
			}
			counts[l.Groups[c.Group].Region]++
		}
		for _, region := range []string{"us-east-1", "us-west-2"} {
			share := float64(counts[region]) / perCoast
			if !within(share, 0.5, tol) {
				t.Errorf("%s clients: %s got %.3f of flows, want 0.5 ± %.2f", coast.name, region, share, tol)
			}
		}
	}
}

// TestChooseWeights checks weight-proportional shares within a group.
func TestChooseWeights(t *testing.T) {
	tests := []struct {
		weights []int
	}{
		{[]int{1, 3}},
		{[]int{64, 192}},
		{[]int{128, 128, 128}},
		{[]int{10, 0, 30, 60}},
		{[]int{255, 1}},
	}
	const flows = 40000
	for _, tc := range tests {
		var eps []Endpoint
		sum := 0
		for i, w := range tc.weights {
			eps = append(eps, ep(string(rune('a'+i)), w))
			sum += w
		}
		l := &Listener{Groups: []EndpointGroup{group("us-east-1", 100, eps...)}}
		counts := make([]int, len(eps))
		for i := range flows {
			src := netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)})
			counts[Choose(l, flowFrom(src, uint16(1024+i%7)), geo.Location{}, nil, nil).Endpoint]++
		}
		for i, w := range tc.weights {
			want := float64(w) / float64(sum)
			got := float64(counts[i]) / flows
			// 4 standard deviations is under 1% here.
			if !within(got, want, 0.01) {
				t.Errorf("weights %v: endpoint %d got %.4f of flows, want %.4f ± 0.01", tc.weights, i, got, want)
			}
		}
	}
}

// TestChooseSourceIPAffinity: with SOURCE_IP every flow of a client reaches
// the same group and endpoint, even with a dial that splits the group's
// clients; with NONE the source port changes the choice.
func TestChooseSourceIPAffinity(t *testing.T) {
	groups := []EndpointGroup{
		group("us-east-1", 50, ep("e1", 128), ep("e2", 128), ep("e3", 128)),
		group("us-west-2", 50, ep("w1", 128), ep("w2", 128)),
	}
	v := view([]string{"e1", "e2", "e3", "w1", "w2"})
	sticky := &Listener{ClientAffinity: AffinitySourceIP, Groups: groups}
	loose := &Listener{ClientAffinity: AffinityNone, Groups: groups}
	seen := map[string]bool{}
	for i := range 200 {
		src := netip.AddrFrom4([4]byte{10, 1, 3, byte(i)})
		c0 := chooseFor(sticky, flowFrom(src, 40000), v)
		first, _, _ := c0.Target(sticky)
		seen[first.ID] = true
		for port := uint16(40001); port < 40050; port++ {
			c := chooseFor(sticky, flowFrom(src, port), v)
			if e, _, _ := c.Target(sticky); e.ID != first.ID {
				t.Fatalf("client %s: port %d reached %s, port 40000 reached %s", src, port, e.ID, first.ID)
			}
		}
		// UDP flows of the client follow too: the 2-tuple has no protocol.
		f := flowFrom(src, 53)
		f.Protocol = ProtocolUDP
		cu := chooseFor(sticky, f, v)
		if e, _, _ := cu.Target(sticky); e.ID != first.ID {
			t.Fatalf("client %s: UDP reached %s, TCP %s", src, e.ID, first.ID)
		}
		spread := map[string]bool{}
		for port := uint16(40000); port < 40050; port++ {
			c := chooseFor(loose, flowFrom(src, port), v)
			e, _, _ := c.Target(loose)
			spread[e.ID] = true
		}
		if len(spread) < 3 {
			t.Fatalf("client %s with NONE affinity reached only %v over 50 ports", src, spread)
		}
	}
	if len(seen) != 5 {
		t.Errorf("200 SOURCE_IP clients reached %v, want all 5 endpoints", seen)
	}
}

// TestChooseMinimalDisruption: removing an endpoint moves only the flows
// that were on it (the point of rendezvous hashing).
func TestChooseMinimalDisruption(t *testing.T) {
	full := &Listener{Groups: []EndpointGroup{group("us-east-1", 100, ep("a", 100), ep("b", 50), ep("c", 200), ep("d", 1))}}
	less := &Listener{Groups: []EndpointGroup{group("us-east-1", 100, ep("a", 100), ep("c", 200), ep("d", 1))}}
	moved := 0
	for i := range 5000 {
		f := flowFrom(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}), 5000)
		cb, ca := chooseFor(full, f, nil), chooseFor(less, f, nil)
		before, _, _ := cb.Target(full)
		after, _, _ := ca.Target(less)
		if before.ID != "b" && before.ID != after.ID {
			t.Fatalf("flow %d moved from %s to %s though %s stayed", i, before.ID, after.ID, before.ID)
		}
		if before.ID == "b" {
			moved++
		}
	}
	if moved == 0 {
		t.Error("no flow was on b")
	}
}

func TestFlowKey(t *testing.T) {
	a := flowFrom(eastIP, 1000)
	mapped := a
	mapped.Src = netip.AddrPortFrom(netip.AddrFrom16(eastIP.As16()), 1000)
	otherPort := flowFrom(eastIP, 1001)
	udp := a
	udp.Protocol = ProtocolUDP
	tests := []struct {
		name     string
		affinity string
		x, y     Flow
		equal    bool
	}{
		{"same flow", AffinityNone, a, a, true},
		{"IPv4-mapped hashes as IPv4", AffinityNone, a, mapped, true},
		{"5-tuple sees the port", AffinityNone, a, otherPort, false},
		{"5-tuple sees the protocol", AffinityNone, a, udp, false},
		{"2-tuple ignores the port", AffinitySourceIP, a, otherPort, true},
		{"2-tuple ignores the protocol", AffinitySourceIP, a, udp, true},
		{"2-tuple sees the source", AffinitySourceIP, a, flowFrom(westIP, 1000), false},
	}
	for _, tc := range tests {
		if got := FlowKey(tc.affinity, tc.x) == FlowKey(tc.affinity, tc.y); got != tc.equal {
			t.Errorf("%s: keys equal = %v, want %v", tc.name, got, tc.equal)
		}
	}
	// u must be uniform: mean 1/2, and in (0,1).
	sum := 0.0
	for i := range 100000 {
		u := unit(uint64(i), saltDial)
		if u <= 0 || u >= 1 {
			t.Fatalf("u = %v outside (0,1)", u)
		}
		sum += u
	}
	if mean := sum / 100000; !within(mean, 0.5, 0.005) {
		t.Errorf("mean u = %.4f, want 0.5", mean)
	}
}

func TestEndpointState(t *testing.T) {
	v := view([]string{"up"}, "down")
	tests := []struct {
		view *healthstate.View
		ep   Endpoint
		want string
	}{
		{v, ep("up", 1), "HEALTHY"},
		{v, ep("down", 1), "UNHEALTHY"},
		{v, ep("new", 1), "INITIAL"},
		{healthstate.NewViewPending(map[string]bool{"hc-cold": true}, map[string]struct{}{"hc-cold": {}}), ep("cold", 1), "INITIAL"},
		{v, Endpoint{ID: "unchecked"}, "HEALTHY"},
		{nil, ep("new", 1), "HEALTHY"},
	}
	for _, tc := range tests {
		if got := EndpointState(tc.view, &tc.ep); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.ep.ID, got, tc.want)
		}
	}
}

func TestChooseAllocs(t *testing.T) {
	l := &Listener{ClientAffinity: AffinityNone, Groups: []EndpointGroup{
		group("us-east-1", 50, ep("e1", 128), ep("e2", 128)),
		group("us-west-2", 100, ep("w1", 128), ep("w2", 128)),
		group("eu-west-1", 100, ep("eu1", 128)),
	}}
	l.Groups[0].PortOverrides = map[uint16]uint16{80: 8080}
	v := view([]string{"e1", "w1", "w2", "eu1"}, "e2")
	f := flowFrom(eastIP, 1234)
	loc := coastLocator.Locate(eastIP)
	var sink Choice
	if n := testing.AllocsPerRun(200, func() { sink = Choose(l, f, loc, coastRTT, v) }); n != 0 {
		t.Errorf("Choose allocates %v times per call", n)
	}
	_ = sink
}
