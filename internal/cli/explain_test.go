package cli

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/meridian-gtm/meridian/internal/api/explain"
	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/healthstate"
	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/zone"
)

const (
	explainKeyID  = "AKIAEXPLAINTEST00001"
	explainSecret = "explain-secret"
	downCheck     = "11111111-2222-3333-4444-555555555555"
)

// explainServer is the real explain endpoint over a real answer engine:
// example.com with latency record sets (one member of down.example.com
// failing its health check) and a simple one, clients located and regions
// ranked from declared tables.
func explainServer(t *testing.T) *httptest.Server {
	t.Helper()
	ttl := int64(60)
	rr := func(name, id, region, value string) zone.RRSet {
		return zone.RRSet{Name: name, Type: "A", TTL: &ttl, SetIdentifier: id, Region: region, Values: []string{value}}
	}
	hz := zone.HostedZone{ID: "ZEXPLAIN", Name: "example.com.", NameServers: []string{"ns-1.awsdns-00.com"}, CreatedAt: "2024-01-01T00:00:00.000Z"}
	down := rr("down.example.com.", "use1", "us-east-1", "192.0.2.211")
	down.HealthCheckID = downCheck
	rrsets := append(zone.DefaultRecordSets(&hz, "hostmaster.example.com"),
		rr("lat.example.com.", "use1", "us-east-1", "192.0.2.111"),
		rr("lat.example.com.", "euw1", "eu-west-1", "192.0.2.112"),
		down,
		rr("down.example.com.", "euw1", "eu-west-1", "192.0.2.212"),
		rr("www.example.com.", "", "", "192.0.2.1"),
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
		},
		DefaultOrder: []string{"us-east-1", "eu-west-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	health := healthstate.NewHolder()
	health.Store(healthstate.NewView(map[string]bool{downCheck: false}))
	engine := &explain.Engine{Snapshots: holder, Env: routing.NewEnvHolder(&routing.Env{Locator: locs, Latency: lat, Regions: lat, Health: health})}
	mux := http.NewServeMux()
	mux.Handle(explain.Path, explain.NewHandler(engine, auth.Credentials{explainKeyID: explainSecret}, slog.New(slog.DiscardHandler)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// runExplain runs the CLI with a client for srv signing with secret.
func runExplain(srv *httptest.Server, secret string, args ...string) (int, string, string) {
	client := route53.New(route53.Options{
		Region:           "eu-central-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(explainKeyID, secret, ""),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	})
	var out, errOut bytes.Buffer
	code := NewRunner(client, strings.NewReader(""), &out, &errOut).Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

// lineWith returns the first output line containing every fragment.
func lineWith(out string, frags ...string) (string, bool) {
	for _, line := range strings.Split(out, "\n") {
		ok := true
		for _, f := range frags {
			if !strings.Contains(line, f) {
				ok = false
				break
			}
		}
		if ok {
			return line, true
		}
	}
	return "", false
}

func TestExplainCommand(t *testing.T) {
	srv := explainServer(t)
	tests := []struct {
		name  string
		args  []string
		lines [][]string // each: fragments one line must contain
	}{
		{
			name: "latency from an ECS subnet",
			args: []string{"explain", "lat.example.com", "A", "--subnet", "203.0.113.0/24"},
			lines: [][]string{
				{"query", "lat.example.com. A", "from resolver " + explain.DefaultResolverIP, "over UDP"},
				{"ecs", "203.0.113.0/24 sent in the query"},
				{"client", "203.0.113.0/24", "EDNS client-subnet option"},
				{"location", "country US, subdivision CA", "at 37.40,-122.00", "holds for /24", "location source declared"},
				{"zone", "ZEXPLAIN (answer)"},
				{"step 1", "lat.example.com. A, latency routing"},
				{"* use1", "us-east-1", "healthy (no health check)", "latency 60 ms (latency source declared, holds for /24)", "rank 1"},
				{"  euw1", "eu-west-1", "latency 140 ms (latency source declared", "rank 2"},
				{"rule: latency: lowest-latency healthy region"},
				{"chose: use1 (status ok)"},
				{"lat.example.com.", "60", "A", "192.0.2.111"},
				{"rcode", "NOERROR"},
				{"scope", "/24: the answer holds for every client in 203.0.113.0/24", "returned as ECS scope /24 in the reply"},
			},
		},
		{
			name: "resolver address, nearest region unhealthy",
			args: []string{"explain", "down.example.com", "a", "--client", "203.0.113.9"},
			lines: [][]string{
				{"query", "down.example.com. A", "from resolver 203.0.113.9"},
				{"client", "203.0.113.9/32", "the resolver's address"},
				{"  use1", "UNHEALTHY (health check " + downCheck + " unhealthy)", "rank 1"},
				{"* euw1", "healthy (no health check)", "rank 2"},
				{"rule: latency: the only healthy record set"},
				{"down.example.com.", "192.0.2.212"},
				{"scope", "/0: the answer does not depend on the client's address", "no ECS option in the reply"},
			},
		},
		{
			name: "simple record set with both client and subnet",
			args: []string{"explain", "www.example.com.", "A", "--client", "198.51.100.53", "--subnet", "198.51.100.77"},
			lines: [][]string{
				{"query", "from resolver 198.51.100.53"},
				{"client", "198.51.100.0/24", "EDNS client-subnet option"},
				{"location", "country DE", "(not used by the decision)"},
				{"step 1", "www.example.com. A, simple routing"},
				{"* (simple)", "no health check"},
				{"chose: (simple)"},
				{"www.example.com.", "192.0.2.1"},
				{"scope", "/0", "returned as ECS scope /0 in the reply"},
			},
		},
		{
			name: "no such name",
			args: []string{"explain", "nope.example.com", "AAAA"},
			lines: [][]string{
				{"zone", "ZEXPLAIN (nxdomain)"},
				{"(none)"},
				{"example.com.", "SOA", "ns-1.awsdns-00.com."},
				{"rcode", "NXDOMAIN"},
				{"scope", "/0"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runExplain(srv, explainSecret, tc.args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.TrimRight(line, " \t") != line {
					t.Errorf("trailing blanks in %q", line)
				}
			}
			for _, frags := range tc.lines {
				if _, ok := lineWith(out, frags...); !ok {
					t.Errorf("no line with %q in:\n%s", frags, out)
				}
			}
		})
	}
}

func TestExplainCommandErrors(t *testing.T) {
	srv := explainServer(t)
	tests := []struct {
		name   string
		secret string
		args   []string
		code   int
		want   string
	}{
		{"missing type", explainSecret, []string{"explain", "lat.example.com"}, 2, "meridian: explain: missing TYPE (usage: meridian explain NAME TYPE [--client IP] [--subnet CIDR])"},
		{"bad type", explainSecret, []string{"explain", "lat.example.com", "BOGUS"}, 2, `"BOGUS" is not a DNS record type`},
		{"bad name", explainSecret, []string{"explain", "a..example.com", "A"}, 2, `"a..example.com" is not a domain name`},
		{"bad client", explainSecret, []string{"explain", "lat.example.com", "A", "--client", "10.1"}, 2, `--client "10.1" is not an IPv4 or IPv6 address`},
		{"bad subnet", explainSecret, []string{"explain", "lat.example.com", "A", "--subnet", "10.0.0.0/40"}, 2, `--subnet: "10.0.0.0/40" is not an address or a CIDR subnet`},
		{"unknown flag", explainSecret, []string{"explain", "lat.example.com", "A", "--zone", "x"}, 2, "flag --zone is not accepted here"},
		{"wrong secret", "wrong", []string{"explain", "lat.example.com", "A"}, 1, "meridian: explain: SignatureDoesNotMatch: The request signature we calculated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runExplain(srv, tc.secret, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and one line with %q", code, out, errOut, tc.code, tc.want)
			}
		})
	}
}

// TestExplainCommandServerWithoutEndpoint checks the error from a server
// that has no explain endpoint.
func TestExplainCommandServerWithoutEndpoint(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	code, _, errOut := runExplain(srv, explainSecret, "explain", "lat.example.com", "A")
	want := "HTTP status 404 (not a Meridian explain answer"
	if code != 1 || !strings.Contains(errOut, want) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want 1 and one line with %q", code, errOut, want)
	}
}

// TestExplainCommandUnreachable checks the hint when nothing listens at
// the endpoint, with credentials from the environment as other commands.
func TestExplainCommandUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	var out, errOut bytes.Buffer
	r := &Runner{Stdout: &out, Stderr: &errOut}
	env := map[string]string{"MERIDIAN_ACCESS_KEY_ID": "AKID", "MERIDIAN_SECRET_ACCESS_KEY": "s"}
	code := r.run(context.Background(), []string{"explain", "a.example.com", "A", "--endpoint", url, "--data-dir", filepath.Join(t.TempDir(), "none")}, mapEnv(env))
	line := errOut.String()
	if code != 1 || strings.Count(line, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q", code, line)
	}
	for _, frag := range []string{"meridian: explain: GET /meridian/v1/explain: dial tcp", "is a Meridian server listening at " + url} {
		if !strings.Contains(line, frag) {
			t.Errorf("stderr %q lacks %q", line, frag)
		}
	}
}
