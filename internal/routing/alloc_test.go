package routing

import (
	"testing"

	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// allocWorld has one group of every policy, with health checks.
func allocWorld(t testing.TB) (*Env, map[string]string, func(string) *Query) {
	lat := fakeLatency{
		"us-east-1": {{pfx("198.51.100.0/24"), latency.RTT{Millis: 10, Source: latency.SourceMeasured, Bits: 24}}},
		"eu-west-1": {{pfx("198.51.100.0/24"), latency.RTT{Millis: 90, Source: latency.SourceEstimate, Bits: 20}}},
	}
	cols := []zone.CidrCollection{{ID: "c1", Locations: map[string][]string{"a": {"198.51.0.0/16"}}}}
	_, tree := aliasWorld(nil)
	sets := append(tree,
		rec("l.example.com.", "a", "192.0.2.1", region("us-east-1"), hc("x")),
		rec("l.example.com.", "b", "192.0.2.2", region("eu-west-1")),
		rec("l.example.com.", "c", "192.0.2.3", region("cn-north-1")),
		rec("g.example.com.", "ca", "192.0.2.1", geoloc("", "US", "CA"), hc("x")),
		rec("g.example.com.", "def", "192.0.2.3", geoloc("", "*", "")),
		rec("w.example.com.", "a", "192.0.2.1", weight(1), hc("x")),
		rec("w.example.com.", "b", "192.0.2.2", weight(3)),
		rec("m.example.com.", "a", "192.0.2.1", multi(), hc("x")),
		rec("m.example.com.", "b", "192.0.2.2", multi()),
		rec("p.example.com.", "eu", "192.0.2.1", prox(zone.GeoProximityLocation{AWSRegion: "eu-west-1"})),
		rec("p.example.com.", "us", "192.0.2.2", prox(zone.GeoProximityLocation{AWSRegion: "us-east-1"})),
		rec("ip.example.com.", "a", "192.0.2.1", cidr("c1", "a"), hc("x")),
		rec("ip.example.com.", "z", "192.0.2.9", cidr("c1", "*")),
	)
	s := build(t, cols, sets...)
	env := &Env{Locator: locTable(), Latency: lat, Regions: regions, Health: view("x", "ua")}
	names := map[string]string{}
	for _, n := range []string{"l", "g", "w", "m", "p", "ip", "www", "fo"} {
		names[n] = n + ".example.com."
	}
	mk := func(client string) *Query { return query(env, client) }
	plans = map[string]*snapshot.Plan{}
	for k, n := range names {
		plans[k] = plan(t, s, n)
	}
	return env, names, mk
}

var plans map[string]*snapshot.Plan

func TestPickDoesNotAllocate(t *testing.T) {
	env, names, _ := allocWorld(t)
	client := pfx("198.51.100.0/24")
	for k := range names {
		p := plans[k]
		allocs := testing.AllocsPerRun(200, func() {
			q := NewQuery(env, client, true, nil)
			var out Picked
			if Pick(&q, p, &out) != OK {
				t.Fatalf("%s: no answer", k)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per pick, want 0", k, allocs)
		}
	}
}

func benchmarkPick(b *testing.B, name string) {
	env, _, _ := allocWorld(b)
	p := plans[name]
	client := pfx("198.51.100.0/24")
	b.ReportAllocs()
	for b.Loop() {
		q := NewQuery(env, client, true, nil)
		var out Picked
		if Pick(&q, p, &out) != OK {
			b.Fatal("no answer")
		}
	}
}

func BenchmarkPickLatency(b *testing.B)     { benchmarkPick(b, "l") }
func BenchmarkPickGeolocation(b *testing.B) { benchmarkPick(b, "g") }
func BenchmarkPickWeighted(b *testing.B)    { benchmarkPick(b, "w") }
func BenchmarkPickIPBased(b *testing.B)     { benchmarkPick(b, "ip") }
func BenchmarkPickAliasTree(b *testing.B)   { benchmarkPick(b, "www") }
