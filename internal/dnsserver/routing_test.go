package dnsserver

import (
	"context"
	"encoding/json"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/miekg/dns"
)

// startRoutedServer runs a server with the fixture snapshot and the test
// environment whose health checks h holds.
func startRoutedServer(t testing.TB, h *healthstate.Holder) *Server {
	t.Helper()
	s := New(Config{Addr: "127.0.0.1:0", Sockets: 1, Logger: quietLogger(), Env: routing.NewEnvHolder(testEnv(h))}, fixtureHolder(t))
	if err := s.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return s
}

// TestServerRoutingECS queries every routing policy over UDP and TCP with
// client-subnet options and checks the answer and the ECS scope returned.
func TestServerRoutingECS(t *testing.T) {
	health := healthstate.NewHolder()
	s := startRoutedServer(t, health)
	tests := []struct {
		name      string
		qname     string
		ecs       *dns.EDNS0_SUBNET // nil: no ECS option
		unhealthy []string
		answers   []string // A values (all of them); nil for NODATA
		scope     uint8
	}{
		{"latency: lowest RTT for the subnet", "lat", ecsOption(1, "203.0.113.0", 24, 0), nil, []string{"192.0.2.111"}, 24},
		{"latency: another subnet", "lat", ecsOption(1, "198.51.100.0", 24, 0), nil, []string{"192.0.2.112"}, 24},
		{"latency: IPv6 subnet", "lat", ecsOption(2, "2001:db8:abcd::", 48, 0), nil, []string{"192.0.2.112"}, 32},
		{"latency: no ECS, resolver of unknown latency", "lat", nil, nil, []string{"192.0.2.113"}, 0},
		{"geolocation: state (scope longer than the source)", "geo", ecsOption(1, "203.0.113.0", 24, 0), nil, []string{"192.0.2.121"}, 25},
		{"geolocation: state unhealthy is not checked here", "geo", ecsOption(1, "203.0.113.128", 25, 0), nil, []string{"192.0.2.124"}, 25},
		{"geolocation: continent", "geo", ecsOption(1, "198.51.100.0", 24, 0), nil, []string{"192.0.2.123"}, 24},
		{"geolocation: ECS /0 is no ECS, scope 0", "geo", ecsOption(1, "0.0.0.0", 0, 0), nil, []string{"192.0.2.124"}, 0},
		{"geolocation: no answer still has a scope", "geonodef", ecsOption(1, "203.0.113.0", 24, 0), nil, nil, 25},
		{"ip-based: /24 block", "ip", ecsOption(1, "203.0.113.0", 24, 0), nil, []string{"192.0.2.131"}, 24},
		{"ip-based: longer /25 block", "ip", ecsOption(1, "203.0.113.128", 25, 0), nil, []string{"192.0.2.132"}, 25},
		{"ip-based: sibling /25 of the longer block", "ip", ecsOption(1, "203.0.113.0", 25, 0), nil, []string{"192.0.2.131"}, 25},
		{"ip-based: IPv6 block", "ip", ecsOption(2, "2001:db8:abcd:1::", 64, 0), nil, []string{"192.0.2.131"}, 48},
		{"ip-based: default", "ip", ecsOption(1, "198.51.100.0", 24, 0), nil, []string{"192.0.2.139"}, 5},
		{"weighted: scope 0", "weighted", ecsOption(1, "203.0.113.0", 24, 0), nil, nil, 0},
		{"failover: primary unhealthy", "fo", ecsOption(1, "203.0.113.0", 24, 0), []string{"fo-primary"}, []string{"192.0.2.142"}, 0},
		{"alias tree: pool member down", "tree", ecsOption(1, "203.0.113.0", 24, 0), []string{"pool1"}, []string{"192.0.2.172"}, 0},
		{"alias tree: pool down, secondary", "tree", ecsOption(1, "203.0.113.0", 24, 0), []string{"pool1", "pool2"}, []string{"192.0.2.179"}, 0},
		{"multivalue: healthy ones", "mv", ecsOption(1, "203.0.113.0", 24, 0), []string{"mv1"}, []string{"192.0.2.152", "192.0.2.153"}, 0},
		{"geoproximity: Frankfurt to Ireland", "prox", ecsOption(1, "198.51.100.0", 24, 0), nil, []string{"192.0.2.161"}, 24},
		{"geoproximity: California to Virginia", "prox", ecsOption(1, "203.0.113.0", 24, 0), nil, []string{"192.0.2.162"}, 25},
	}
	for _, proto := range []string{"udp", "tcp"} {
		addr := s.UDPAddr().String()
		if proto == "tcp" {
			addr = s.TCPAddr().String()
		}
		for _, tc := range tests {
			t.Run(proto+"/"+tc.name, func(t *testing.T) {
				health.Store(unhealthyView(tc.unhealthy...))
				m := new(dns.Msg)
				m.SetQuestion(tc.qname+".example.com.", dns.TypeA)
				if tc.ecs != nil {
					m.SetEdns0(1232, false)
					m.IsEdns0().Option = []dns.EDNS0{tc.ecs}
				}
				r := exchange(t, proto, addr, m)
				if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
					t.Fatalf("rcode %s aa %v", dns.RcodeToString[r.Rcode], r.Authoritative)
				}
				var got []string
				for _, rr := range r.Answer {
					got = append(got, rr.(*dns.A).A.String())
				}
				slices.Sort(got)
				if tc.answers != nil && !slices.Equal(got, tc.answers) {
					t.Errorf("answers %v, want %v", got, tc.answers)
				}
				if tc.qname == "weighted" && len(got) != 1 {
					t.Errorf("weighted answers %v", got)
				}
				if tc.answers == nil && tc.qname != "weighted" && (len(got) != 0 || len(r.Ns) != 1 || r.Ns[0].Header().Rrtype != dns.TypeSOA) {
					t.Errorf("NODATA expected: answers %v authority %v", got, r.Ns)
				}
				e := responseECS(r)
				if tc.ecs == nil {
					if e != nil {
						t.Errorf("ECS %v in the reply to a query without one", e)
					}
					return
				}
				if e == nil {
					t.Fatalf("ECS not echoed")
				}
				if e.Family != tc.ecs.Family || e.SourceNetmask != tc.ecs.SourceNetmask || !e.Address.Equal(tc.ecs.Address) || e.SourceScope != tc.scope {
					t.Errorf("ECS %v, want %v with scope %d", e, tc.ecs, tc.scope)
				}
			})
		}
	}
}

func unhealthyView(ids ...string) *healthstate.View {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = false
	}
	return healthstate.NewView(m)
}

// TestServerFollowsEnv swaps the environment and the health view under a
// running server.
func TestServerFollowsEnv(t *testing.T) {
	h := healthstate.NewHolder()
	envs := routing.NewEnvHolder(nil)
	s := New(Config{Addr: "127.0.0.1:0", Sockets: 1, Logger: quietLogger(), Env: envs}, fixtureHolder(t))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	}()
	ask := func(name string) string {
		m := new(dns.Msg)
		m.SetQuestion(name, dns.TypeA)
		m.SetEdns0(1232, false)
		m.IsEdns0().Option = []dns.EDNS0{ecsOption(1, "198.51.100.0", 24, 0)}
		r := exchange(t, "udp", s.UDPAddr().String(), m)
		if len(r.Answer) != 1 {
			t.Fatalf("%s: answers %v", name, r.Answer)
		}
		return r.Answer[0].(*dns.A).A.String()
	}
	if got := ask("geo.example.com."); got != "192.0.2.124" {
		t.Errorf("nothing known: %s, want the default", got)
	}
	envs.Store(testEnv(h))
	if got := ask("geo.example.com."); got != "192.0.2.123" {
		t.Errorf("with a locator: %s, want EU", got)
	}
	if got := ask("fo.example.com."); got != "192.0.2.141" {
		t.Errorf("healthy primary: %s", got)
	}
	h.Set("fo-primary", false)
	if got := ask("fo.example.com."); got != "192.0.2.142" {
		t.Errorf("after the primary failed: %s", got)
	}
}

func TestExplain(t *testing.T) {
	snap := fixtureSnapshot(t)
	env := testEnv(testHealth("pool1", "pool2"))
	query := func(name string, ecs *dns.EDNS0_SUBNET) *dns.Msg {
		m := new(dns.Msg)
		m.SetQuestion(name, dns.TypeA)
		if ecs != nil {
			m.SetEdns0(1232, false)
			m.IsEdns0().Option = []dns.EDNS0{ecs}
		}
		return m
	}
	tests := []struct {
		name    string
		req     *dns.Msg
		outcome string
		rcode   string
		steps   []string // "name policy chosen"
		scope   uint8
		ecs     bool
	}{
		{"geolocation", query("geo.example.com.", ecsOption(1, "203.0.113.0", 24, 0)), "answer", "NOERROR",
			[]string{"geo.example.com. geolocation ca"}, 25, true},
		{"alias tree backs out", query("tree.example.com.", nil), "answer", "NOERROR",
			[]string{"tree.example.com. failover secondary"}, 0, false},
		{"no answer", query("geonodef.example.com.", ecsOption(1, "203.0.113.0", 24, 0)), "nodata", "NOERROR",
			[]string{"geonodef.example.com. geolocation "}, 25, true},
		{"nxdomain", query("nope.example.com.", nil), "nxdomain", "NXDOMAIN", nil, 0, false},
		{"unserved", query("ipx.example.com.", nil), "servfail", "SERVFAIL", []string{"ipx.example.com. ip-based "}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, ex := Explain(snap, env, tc.req, testClient, "udp")
			if resp == nil || ex == nil {
				t.Fatalf("no response or explanation")
			}
			if dns.RcodeToString[resp.Rcode] != tc.rcode || ex.Rcode != tc.rcode || ex.Outcome != tc.outcome || ex.Zone != "ZEX" || ex.Scope != tc.scope {
				t.Errorf("rcode %s, explained %q %q zone %q scope %d", dns.RcodeToString[resp.Rcode], ex.Rcode, ex.Outcome, ex.Zone, ex.Scope)
			}
			var steps []string
			for _, st := range ex.Steps {
				steps = append(steps, st.Name+" "+st.Policy+" "+strings.Join(st.Chosen, ","))
			}
			if !slices.Equal(steps, tc.steps) {
				t.Errorf("steps %q, want %q", steps, tc.steps)
			}
			if (ex.ECS != nil) != tc.ecs || (ex.ECS != nil && ex.ECS.ScopePrefix != tc.scope) {
				t.Errorf("ECS %+v", ex.ECS)
			}
			if _, err := json.Marshal(ex); err != nil {
				t.Errorf("explanation does not marshal: %v", err)
			}
		})
	}
	// The explanation of the client: its ECS subnet and location.
	_, ex := Explain(snap, env, query("geo.example.com.", ecsOption(1, "198.51.100.0", 24, 0)), testClient, "tcp")
	if ex.Client.Subnet != "198.51.100.0/24" || ex.Client.Source != "ecs" || ex.Location == nil || ex.Location.Country != "DE" || !ex.Location.Used {
		t.Errorf("client %+v location %+v", ex.Client, ex.Location)
	}
	_, ex = Explain(snap, env, query("www.example.com.", nil), netip.MustParseAddr("198.51.100.9"), "udp")
	if ex.Client.Subnet != "198.51.100.9/32" || ex.Client.Source != "resolver" || ex.Location == nil || ex.Location.Used || ex.Scope != 0 {
		t.Errorf("simple answer: client %+v location %+v scope %d", ex.Client, ex.Location, ex.Scope)
	}
	if resp, ex := Explain(snap, env, nil, testClient, "udp"); resp.Rcode != dns.RcodeFormatError || ex.Rcode != "FORMERR" {
		t.Errorf("nil request: %v %+v", resp.Rcode, ex)
	}
}

// TestResolveMatchesExplain checks that explaining does not change the
// answer.
func TestResolveMatchesExplain(t *testing.T) {
	snap := fixtureSnapshot(t)
	env := testEnv(testHealth("fo-primary"))
	for _, name := range []string{"geo.example.com.", "lat.example.com.", "ip.example.com.", "fo.example.com.", "prox.example.com.", "tree.example.com."} {
		m := new(dns.Msg)
		m.SetQuestion(name, dns.TypeA)
		m.SetEdns0(1232, false)
		m.IsEdns0().Option = []dns.EDNS0{ecsOption(1, "203.0.113.128", 25, 0)}
		a := Resolve(snap, env, m, testClient, "udp")
		b, _ := Explain(snap, env, m, testClient, "udp")
		if !slices.Equal(normalize(a.Answer), normalize(b.Answer)) || responseECS(a).SourceScope != responseECS(b).SourceScope {
			t.Errorf("%s: Resolve %v /%d, Explain %v /%d", name, a.Answer, responseECS(a).SourceScope, b.Answer, responseECS(b).SourceScope)
		}
	}
}
