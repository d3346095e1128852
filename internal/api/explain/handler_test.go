package explain

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/miekg/dns"

	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/dnsserver"
	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/zone"
)

const (
	testKeyID  = "AKIAMERIDIANTEST0001"
	testSecret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXg="
	// unhealthyCheck is the health check of the us-east-1 record of
	// down.example.com, reported unhealthy.
	unhealthyCheck = "11111111-2222-3333-4444-555555555555"
)

func rrset(name, typ string, values ...string) zone.RRSet {
	ttl := int64(60)
	return zone.RRSet{Name: name, Type: typ, TTL: &ttl, Values: values}
}

func latencyRR(name, id, region, value string) zone.RRSet {
	r := rrset(name, "A", value)
	r.SetIdentifier, r.Region = id, region
	return r
}

// testEngine serves example.com (latency record sets, one with an unhealthy
// member) with clients located and regions ranked from declared tables.
func testEngine(t *testing.T) *Engine {
	t.Helper()
	hz := zone.HostedZone{ID: "ZEXAMPLE", Name: "example.com.", NameServers: []string{"ns-1.awsdns-00.com", "ns-600.awsdns-11.net"}, CreatedAt: "2024-01-01T00:00:00.000Z"}
	down := latencyRR("down.example.com.", "use1", "us-east-1", "192.0.2.211")
	down.HealthCheckID = unhealthyCheck
	rrsets := append(zone.DefaultRecordSets(&hz, "hostmaster.example.com"),
		latencyRR("lat.example.com.", "use1", "us-east-1", "192.0.2.111"),
		latencyRR("lat.example.com.", "euw1", "eu-west-1", "192.0.2.112"),
		down,
		latencyRR("down.example.com.", "euw1", "eu-west-1", "192.0.2.212"),
		rrset("www.example.com.", "A", "192.0.2.1"),
	)
	snap, err := snapshot.Build(1, []snapshot.ZoneData{{Zone: hz, RRSets: rrsets}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	holder := snapshot.NewHolder()
	holder.Store(snap)

	f := func(v float64) *float64 { return &v }
	p := netip.MustParsePrefix
	locs, err := geo.Compile([]geo.DeclaredLocation{
		{Prefix: p("203.0.113.0/24"), Country: "US", Subdivision: "CA", Latitude: f(37.4), Longitude: f(-122)},
		{Prefix: p("198.51.100.0/24"), Country: "DE", Latitude: f(50.1), Longitude: f(8.7)},
		{Prefix: p("3.80.0.0/12"), Country: "US", Latitude: f(39), Longitude: f(-77.5)},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	d := func(prefix, region string, ms float64) latency.Declared {
		return latency.Declared{Prefix: p(prefix), Region: region, Millis: ms}
	}
	lat, err := latency.Compile(latency.Config{
		Declared: []latency.Declared{
			d("203.0.113.0/24", "us-east-1", 60), d("203.0.113.0/24", "eu-west-1", 140),
			d("198.51.100.0/24", "us-east-1", 90), d("198.51.100.0/24", "eu-west-1", 20),
			d("3.80.0.0/12", "us-east-1", 2), d("3.80.0.0/12", "eu-west-1", 75),
		},
		DefaultOrder: []string{"us-east-1", "eu-west-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	health := healthstate.NewHolder()
	health.Store(healthstate.NewView(map[string]bool{unhealthyCheck: false}))
	env := routing.NewEnvHolder(&routing.Env{Locator: locs, Latency: lat, Regions: lat, Health: health})
	return &Engine{Snapshots: holder, Env: env}
}

func newTestServer(t *testing.T, e *Engine) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(NewHandler(e, auth.Credentials{testKeyID: testSecret}, slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	return srv
}

// get sends a GET signed with secret (none when empty) and returns the
// status and body.
func get(t *testing.T, srv *httptest.Server, method, path, secret string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: secret}
		const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, emptySHA256, "route53", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func query(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return Path + "?" + v.Encode()
}

func TestExplainEndpoint(t *testing.T) {
	e := testEngine(t)
	srv := newTestServer(t, e)
	tests := []struct {
		name       string
		path       string
		rcode      string
		answer     []string
		scope      *uint8 // the reply's ECS scope; nil: no option
		client     string
		subnet     string
		source     string // client source in the explanation
		chosen     string
		rule       string
		candidates int
		unhealthy  string // the candidate reported unhealthy
	}{
		{name: "ecs subnet", path: query("name", "lat.example.com", "type", "A", "subnet", "203.0.113.0/24"),
			rcode: "NOERROR", answer: []string{"192.0.2.111"}, scope: ptr(uint8(24)), client: DefaultResolverIP, subnet: "203.0.113.0/24",
			source: "ecs", chosen: "use1", rule: "latency: lowest-latency healthy region", candidates: 2},
		{name: "subnet as address", path: query("name", "lat.example.com.", "subnet", "198.51.100.9"),
			rcode: "NOERROR", answer: []string{"192.0.2.112"}, scope: ptr(uint8(24)), client: DefaultResolverIP, subnet: "198.51.100.0/24",
			source: "ecs", chosen: "euw1", rule: "latency: lowest-latency healthy region", candidates: 2},
		{name: "resolver address", path: query("name", "lat.example.com", "type", "a", "client", "198.51.100.53"),
			rcode: "NOERROR", answer: []string{"192.0.2.112"}, client: "198.51.100.53",
			source: "resolver", chosen: "euw1", rule: "latency: lowest-latency healthy region", candidates: 2},
		{name: "default resolver", path: query("name", "lat.example.com", "type", "A"),
			rcode: "NOERROR", answer: []string{"192.0.2.111"}, client: DefaultResolverIP,
			source: "resolver", chosen: "use1", rule: "latency: lowest-latency healthy region", candidates: 2},
		{name: "unhealthy nearest", path: query("name", "down.example.com", "type", "A", "subnet", "203.0.113.0/24"),
			rcode: "NOERROR", answer: []string{"192.0.2.212"}, scope: ptr(uint8(0)), client: DefaultResolverIP, subnet: "203.0.113.0/24",
			source: "ecs", chosen: "euw1", rule: "latency: the only healthy record set", candidates: 2, unhealthy: "use1"},
		{name: "nxdomain", path: query("name", "nope.example.com", "type", "A", "subnet", "203.0.113.0/24"),
			rcode: "NXDOMAIN", scope: ptr(uint8(0)), client: DefaultResolverIP, subnet: "203.0.113.0/24", source: "ecs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := get(t, srv, http.MethodGet, tc.path, testSecret)
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			var r Response
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatalf("%v in %s", err, body)
			}
			var answer []string
			for _, rec := range r.Reply.Answer {
				answer = append(answer, rec.Data)
			}
			if r.Reply.Rcode != tc.rcode || !slices.Equal(answer, tc.answer) {
				t.Errorf("reply %s %q, want %s %q", r.Reply.Rcode, answer, tc.rcode, tc.answer)
			}
			if (r.Reply.ECSScope == nil) != (tc.scope == nil) || r.Reply.ECSScope != nil && *r.Reply.ECSScope != *tc.scope {
				t.Errorf("ecs_scope %v, want %v", deref(r.Reply.ECSScope), deref(tc.scope))
			}
			if r.Query.Client != tc.client || r.Query.Subnet != tc.subnet || r.Query.Protocol != "UDP" {
				t.Errorf("query %+v, want client %s subnet %q over UDP", r.Query, tc.client, tc.subnet)
			}
			ex := r.Explanation
			if ex == nil || ex.Client.Source != tc.source || ex.Rcode != tc.rcode || ex.Zone != "ZEXAMPLE" {
				t.Fatalf("explanation %+v, want client source %s, rcode %s, zone ZEXAMPLE", ex, tc.source, tc.rcode)
			}
			if tc.chosen == "" {
				if len(ex.Steps) != 0 {
					t.Errorf("steps %+v, want none", ex.Steps)
				}
				return
			}
			if len(ex.Steps) != 1 {
				t.Fatalf("steps %+v, want one", ex.Steps)
			}
			st := ex.Steps[0]
			if st.Policy != "latency" || !slices.Equal(st.Chosen, []string{tc.chosen}) || st.Rule != tc.rule || len(st.Candidates) != tc.candidates {
				t.Errorf("step %+v, want latency choosing %s by %q among %d", st, tc.chosen, tc.rule, tc.candidates)
			}
			for _, c := range st.Candidates {
				if c.LatencySource != "declared" || c.RTTMillis == nil || c.Rank == 0 {
					t.Errorf("candidate %+v: want a declared RTT and a rank", c)
				}
				down := c.SetIdentifier == tc.unhealthy
				if c.Healthy == down || down && c.Health != "health check "+unhealthyCheck+" unhealthy" {
					t.Errorf("candidate %s: healthy %v (%s)", c.SetIdentifier, c.Healthy, c.Health)
				}
			}
		})
	}
}

// TestExplainMatchesResolve checks that the endpoint answers what the DNS
// server answers for the same query.
func TestExplainMatchesResolve(t *testing.T) {
	e := testEngine(t)
	srv := newTestServer(t, e)
	for _, subnet := range []string{"203.0.113.0/24", "198.51.100.0/24", "3.80.0.0/12", "192.0.2.0/24"} {
		for _, name := range []string{"lat.example.com.", "down.example.com.", "www.example.com."} {
			status, body := get(t, srv, http.MethodGet, query("name", name, "type", "A", "subnet", subnet), testSecret)
			var r Response
			if err := json.Unmarshal(body, &r); err != nil || status != http.StatusOK {
				t.Fatalf("%s %s: %d %v %s", name, subnet, status, err, body)
			}
			m := dnsserver.Resolve(e.Snapshots.Load(), e.Env.Load(), NewQuery(name, dns.TypeA, netip.MustParsePrefix(subnet)), e.DefaultResolver(), "udp")
			var want, got []string
			for _, rr := range m.Answer {
				want = append(want, RData(rr))
			}
			for _, rec := range r.Reply.Answer {
				got = append(got, rec.Data)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s from %s: endpoint %q, Resolve %q", name, subnet, got, want)
			}
		}
	}
}

func TestExplainErrors(t *testing.T) {
	srv := newTestServer(t, testEngine(t))
	tests := []struct {
		name    string
		method  string
		path    string
		secret  string
		status  int
		code    string
		message string
	}{
		{"no name", http.MethodGet, query("type", "A"), testSecret, http.StatusBadRequest, "InvalidInput", "the query name (parameter name) is required"},
		{"bad name", http.MethodGet, query("name", "a..example.com"), testSecret, http.StatusBadRequest, "InvalidInput", `"a..example.com" is not a valid domain name`},
		{"bad type", http.MethodGet, query("name", "a.example.com", "type", "BOGUS"), testSecret, http.StatusBadRequest, "InvalidInput", `"BOGUS" is not a DNS record type`},
		{"bad client", http.MethodGet, query("name", "a.example.com", "client", "1.2.3"), testSecret, http.StatusBadRequest, "InvalidInput", `client "1.2.3" is not an IPv4 or IPv6 address`},
		{"bad subnet", http.MethodGet, query("name", "a.example.com", "subnet", "10.0.0.0/33"), testSecret, http.StatusBadRequest, "InvalidInput", `subnet: "10.0.0.0/33" is not an address or a CIDR subnet`},
		{"unsigned", http.MethodGet, query("name", "a.example.com"), "", http.StatusForbidden, "MissingAuthenticationToken", ""},
		{"wrong secret", http.MethodGet, query("name", "a.example.com"), "not-the-secret", http.StatusForbidden, "SignatureDoesNotMatch", ""},
		{"post", http.MethodPost, query("name", "a.example.com"), testSecret, http.StatusMethodNotAllowed, "MethodNotAllowed", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := get(t, srv, tc.method, tc.path, tc.secret)
			var r ErrorResponse
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatalf("%v in %s", err, body)
			}
			if status != tc.status || r.Error.Code != tc.code || tc.message != "" && r.Error.Message != tc.message {
				t.Errorf("%d %+v, want %d %s %q", status, r.Error, tc.status, tc.code, tc.message)
			}
		})
	}
}

func TestParseSubnet(t *testing.T) {
	tests := []struct{ in, want string }{
		{"203.0.113.7", "203.0.113.0/24"},
		{"203.0.113.7/32", "203.0.113.7/32"},
		{"203.0.113.7/0", "0.0.0.0/0"},
		{"2001:db8:1:2:3::1", "2001:db8:1:2::/64"},
		{"2001:db8::/32", "2001:db8::/32"},
		{"::ffff:192.0.2.9", "192.0.2.0/24"},
		{"::ffff:192.0.2.9/120", "192.0.2.0/24"},
		{"::ffff:192.0.2.9/64", ""},
		{"192.0.2.0/33", ""},
		{"fe80::1%eth0", ""},
		{"nonsense", ""},
	}
	for _, tc := range tests {
		got, err := ParseSubnet(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("ParseSubnet(%q) = %v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("ParseSubnet(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestParseType(t *testing.T) {
	tests := []struct {
		in   string
		want uint16
		ok   bool
	}{
		{"A", dns.TypeA, true}, {"aaaa", dns.TypeAAAA, true}, {"ANY", dns.TypeANY, true},
		{"TYPE65", 65, true}, {"type99", 99, true}, {"TYPE0", 0, false}, {"TYPE70000", 0, false},
		{"OPT", 0, false}, {"BOGUS", 0, false}, {"", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseType(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseType(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestZoneView checks that ExplainZone answers from the named zone alone.
func TestZoneView(t *testing.T) {
	mk := func(id, name, created, value string) snapshot.ZoneData {
		hz := zone.HostedZone{ID: id, Name: name, NameServers: []string{"ns-1.awsdns-00.com"}, CreatedAt: created}
		return snapshot.ZoneData{Zone: hz, RRSets: append(zone.DefaultRecordSets(&hz, "h.example.com"), rrset("a."+name, "A", value))}
	}
	snap, err := snapshot.Build(7, []snapshot.ZoneData{
		mk("ZFIRST", "example.com.", "2024-01-01T00:00:00.000Z", "192.0.2.1"),
		mk("ZSECOND", "example.com.", "2024-02-01T00:00:00.000Z", "192.0.2.2"),
		mk("ZCHILD", "sub.example.com.", "2024-01-01T00:00:00.000Z", "192.0.2.3"),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	holder := snapshot.NewHolder()
	holder.Store(snap)
	e := &Engine{Snapshots: holder, Env: routing.NewEnvHolder(nil)}
	tests := []struct {
		zone, name string
		want       string // answer data, or the rcode when there is none
	}{
		{"ZFIRST", "a.example.com.", "192.0.2.1"},
		{"ZSECOND", "a.example.com.", "192.0.2.2"},
		{"ZCHILD", "a.sub.example.com.", "192.0.2.3"},
		{"ZFIRST", "a.sub.example.com.", "NXDOMAIN"},
		{"ZCHILD", "a.example.com.", "REFUSED"},
		{"ZGONE", "a.example.com.", "REFUSED"},
	}
	for _, tc := range tests {
		resp, ex, proto, err := e.ExplainZone(tc.zone, NewQuery(tc.name, dns.TypeA, netip.Prefix{}), e.DefaultResolver())
		if err != nil {
			t.Fatal(err)
		}
		got := dns.RcodeToString[resp.Rcode]
		if len(resp.Answer) == 1 {
			got = RData(resp.Answer[0])
		}
		if got != tc.want || proto != "UDP" || ex == nil {
			t.Errorf("%s %s: %s over %s, want %s over UDP", tc.zone, tc.name, got, proto, tc.want)
		}
	}
	// The shared view still serves the first zone, and is unchanged.
	resp, _, _ := e.Explain(NewQuery("a.example.com.", dns.TypeA, netip.Prefix{}), e.DefaultResolver())
	if len(resp.Answer) != 1 || RData(resp.Answer[0]) != "192.0.2.1" || len(holder.Load().Zones()) != 3 {
		t.Errorf("shared answer %v with %d zones, want 192.0.2.1 with 3", resp.Answer, len(holder.Load().Zones()))
	}
}

func ptr[T any](v T) *T { return &v }

func deref(p *uint8) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprint(*p)
}
