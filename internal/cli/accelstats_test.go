package cli

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/api/accelstats"
	"github.com/meridian-gtm/meridian/internal/auth"
)

const (
	statsAccA = "arn:aws:globalaccelerator::123456789012:accelerator/0f1e2d3c-4b5a-4697-8877-665544332211"
	statsAccB = "arn:aws:globalaccelerator::123456789012:accelerator/11111111-2222-4333-8444-555555555555"
)

// statsSource is an accelstats.Source with fixed counters.
type statsSource struct {
	stats []accel.EndpointStats
	drops accel.Drops
}

func (s statsSource) Stats() []accel.EndpointStats { return s.stats }
func (s statsSource) Drops() accel.Drops           { return s.drops }

// statsServer is the real statistics endpoint over fixed counters: two
// endpoints of a TCP listener of accelerator A (one removed and draining)
// and one of a UDP listener of accelerator B. It accepts the explain
// tests' credentials, so runExplain drives the CLI against it.
func statsServer(t *testing.T) *httptest.Server {
	t.Helper()
	lisA, lisB := statsAccA+"/listener/0a0b0c0d", statsAccB+"/listener/01020304"
	src := statsSource{
		stats: []accel.EndpointStats{
			{AcceleratorARN: statsAccB, ListenerARN: lisB, Protocol: "UDP", EndpointGroupARN: lisB + "/endpoint-group/cccccccccccc",
				Region: "ap-south-1", EndpointID: "198.51.100.7", TotalFlows: 123456, BytesIn: 5 << 30, BytesOut: 1<<20 - 1},
			{AcceleratorARN: statsAccA, ListenerARN: lisA, Protocol: "TCP", EndpointGroupARN: lisA + "/endpoint-group/aaaaaaaaaaaa",
				Region: "us-east-1", EndpointID: "192.0.2.10", ActiveFlows: 2, TotalFlows: 17, DialErrors: 1, BytesIn: 1000, BytesOut: 5000},
			{AcceleratorARN: statsAccA, ListenerARN: lisA, Protocol: "TCP", EndpointGroupARN: lisA + "/endpoint-group/bbbbbbbbbbbb",
				Region: "eu-west-1", EndpointID: "192.0.2.20:8080", ActiveFlows: 1, TotalFlows: 3, BytesIn: 1536, BytesOut: 0, Removed: true},
		},
		drops: accel.Drops{Disabled: 4, NoEndpoint: 3, DialFailed: 2, UDPTableFull: 1},
	}
	mux := http.NewServeMux()
	mux.Handle(accelstats.Path, accelstats.NewHandler(src, auth.Credentials{explainKeyID: explainSecret}, slog.New(slog.DiscardHandler)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestAccelStatsCommand(t *testing.T) {
	srv := statsServer(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{
			name: "every accelerator",
			args: []string{"accel", "stats"},
			want: `accelerator ` + statsAccA + `
  LISTENER      REGION      ENDPOINT         ACTIVE   FLOWS  DIAL ERRORS  BYTES IN  BYTES OUT
  TCP 0a0b0c0d  us-east-1   192.0.2.10            2      17            1    1000 B    4.9 KiB
  TCP 0a0b0c0d  eu-west-1   192.0.2.20:8080       1       3            0   1.5 KiB        0 B  removed, draining

accelerator ` + statsAccB + `
  LISTENER      REGION      ENDPOINT         ACTIVE   FLOWS  DIAL ERRORS  BYTES IN  BYTES OUT
  UDP 01020304  ap-south-1  198.51.100.7          0  123456            0   5.0 GiB    1.0 MiB

drops: 4 disabled, 3 no endpoint, 2 dial failed, 1 UDP table full
`,
		},
		{
			name: "one accelerator",
			args: []string{"accel", "stats", statsAccB},
			want: `accelerator ` + statsAccB + `
  LISTENER      REGION      ENDPOINT      ACTIVE   FLOWS  DIAL ERRORS  BYTES IN  BYTES OUT
  UDP 01020304  ap-south-1  198.51.100.7       0  123456            0   5.0 GiB    1.0 MiB

drops (all accelerators): 4 disabled, 3 no endpoint, 2 dial failed, 1 UDP table full
`,
		},
		{
			name: "an accelerator without endpoints",
			args: []string{"accel", "stats", "arn:aws:globalaccelerator::123456789012:accelerator/99999999-2222-4333-8444-555555555555"},
			want: `accelerator arn:aws:globalaccelerator::123456789012:accelerator/99999999-2222-4333-8444-555555555555 has no endpoints in the data plane

drops (all accelerators): 4 disabled, 3 no endpoint, 2 dial failed, 1 UDP table full
`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runExplain(srv, explainSecret, tc.args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if out != tc.want {
				t.Errorf("output:\n%s\nwant:\n%s", out, tc.want)
			}
		})
	}
}

func TestAccelStatsCommandErrors(t *testing.T) {
	srv := statsServer(t)
	bare := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(bare.Close)
	tests := []struct {
		name   string
		srv    *httptest.Server
		secret string
		args   []string
		code   int
		want   string
	}{
		{"not an ARN", srv, explainSecret, []string{"accel", "stats", "web"}, 1,
			`meridian: accel stats: InvalidArgumentException: accelerator "web" is not a valid Global Accelerator ARN`},
		{"wrong secret", srv, "wrong", []string{"accel", "stats"}, 1, "meridian: accel stats: SignatureDoesNotMatch: "},
		{"server without the endpoint", bare, explainSecret, []string{"accel", "stats"}, 1,
			"meridian: accel stats: GET /meridian/v1/accelerator-stats: HTTP status 404 (not a Meridian accelerator stats answer; does the server at " + bare.URL + " have the accelerator stats endpoint?)"},
		{"two ARNs", srv, explainSecret, []string{"accel", "stats", statsAccA, statsAccB}, 2,
			`meridian: accel stats: unexpected argument "` + statsAccB + `" (usage: meridian accel stats [ARN])`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runExplain(tc.srv, tc.secret, tc.args...)
			if code != tc.code || !strings.HasPrefix(errOut, tc.want) || strings.Count(errOut, "\n") != 1 || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and one line starting %q", code, out, errOut, tc.code, tc.want)
			}
		})
	}
}

func TestHumanBytes(t *testing.T) {
	tests := []struct {
		n    uint64
		want string
	}{
		{0, "0 B"},
		{1023, "1023 B"},
		{1024, "1.0 KiB"},
		{1536, "1.5 KiB"},
		{1<<20 - 1, "1.0 MiB"},
		{1<<20 - 52, "1023.9 KiB"},
		{3<<30 + 1<<29, "3.5 GiB"},
		{1 << 40, "1.0 TiB"},
		{1<<64 - 1, "16.0 EiB"},
	}
	for _, tc := range tests {
		if got := humanBytes(tc.n); got != tc.want {
			t.Errorf("humanBytes(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// TestAccelStatsUsage: the command with an optional argument is listed once.
func TestAccelStatsUsage(t *testing.T) {
	var b bytes.Buffer
	printUsage(&b)
	if n := strings.Count(b.String(), "accel stats"); n != 1 || !strings.Contains(b.String(), "  accel stats [ARN]\n") {
		t.Errorf("usage lists accel stats %d times:\n%s", n, b.String())
	}
}
