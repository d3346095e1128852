package health

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

// promServer answers /api/v1/query with the body registered for the query.
func promServer(t *testing.T, answers map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		body, ok := answers[r.URL.Query().Get("query")]
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"status":"error","errorType":"bad_data","error":"unknown query"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func vector(values ...string) string {
	var parts []string
	for _, v := range values {
		parts = append(parts, `{"metric":{"job":"api"},"value":[1700000000.5,"`+v+`"]}`)
	}
	return `{"status":"success","data":{"resultType":"vector","result":[` + strings.Join(parts, ",") + `]}}`
}

func TestAlarmProbe(t *testing.T) {
	srv := promServer(t, map[string]string{
		"low":     vector("1.5"),
		"high":    vector("1", "7"),
		"equal":   vector("5"),
		"empty":   vector(),
		"nan":     vector("NaN"),
		"scalar":  `{"status":"success","data":{"resultType":"scalar","result":[1700000000,"9"]}}`,
		"matrix":  `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"9"],[2,"2"]]}]}}`,
		"garbage": `not json`,
	})
	tests := []struct {
		query, comparison, insufficient string
		healthy, keep                   bool
		status                          string
	}{
		{"low", GreaterThanThreshold, "", true, false, "Success: CloudWatch alarm a (us-east-1) is OK: value 1.5, not GreaterThanThreshold 5."},
		{"high", GreaterThanThreshold, "", false, false, "Failure: CloudWatch alarm a (us-east-1) is in ALARM: value 7 GreaterThanThreshold 5."},
		{"equal", GreaterThanThreshold, "", true, false, "Success: CloudWatch alarm a (us-east-1) is OK"},
		{"equal", GreaterThanOrEqualToThreshold, "", false, false, "Failure: CloudWatch alarm a (us-east-1) is in ALARM"},
		{"low", LessThanThreshold, "", false, false, "Failure: CloudWatch alarm a (us-east-1) is in ALARM: value 1.5 LessThanThreshold 5."},
		{"equal", LessThanOrEqualToThreshold, "", false, false, "Failure:"},
		{"scalar", GreaterThanThreshold, "", false, false, "Failure: CloudWatch alarm a (us-east-1) is in ALARM: value 9"},
		{"matrix", GreaterThanThreshold, "", true, false, "Success: CloudWatch alarm a (us-east-1) is OK: value 2,"},
		{"empty", GreaterThanThreshold, InsufficientHealthy, true, false, "Success: CloudWatch alarm a (us-east-1) has INSUFFICIENT_DATA (the query returned no samples); InsufficientDataHealthStatus is Healthy."},
		{"nan", GreaterThanThreshold, InsufficientUnhealthy, false, false, "Failure: CloudWatch alarm a (us-east-1) has INSUFFICIENT_DATA (the query returned no samples); InsufficientDataHealthStatus is Unhealthy."},
		{"empty", GreaterThanThreshold, InsufficientLastKnown, true, true, "CloudWatch alarm a (us-east-1) has INSUFFICIENT_DATA"},
		{"empty", GreaterThanThreshold, "", true, true, "CloudWatch alarm a (us-east-1) has INSUFFICIENT_DATA (the query returned no samples); InsufficientDataHealthStatus is LastKnownStatus."},
		{"unknown", GreaterThanThreshold, InsufficientUnhealthy, false, false, "Failure: CloudWatch alarm a (us-east-1) has INSUFFICIENT_DATA (Prometheus query failed: bad_data: unknown query)"},
		{"garbage", GreaterThanThreshold, InsufficientUnhealthy, false, false, "Failure: CloudWatch alarm a (us-east-1) has INSUFFICIENT_DATA (Prometheus answered HTTP 200 with an unreadable body"},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+tt.comparison+"/"+tt.insufficient, func(t *testing.T) {
			cfg := Config{Timeouts: fastTimeouts, Alarms: []Alarm{{
				Region: "us-east-1", Name: "a", Prometheus: srv.URL + "/", Query: tt.query,
				Comparison: tt.comparison, Threshold: 5,
			}}}
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			p := NewProber(cfg, nil)
			r := p.Probe(context.Background(), healthcheck.Config{
				Type:                         healthcheck.TypeCloudWatchMetric,
				AlarmIdentifier:              &healthcheck.AlarmIdentifier{Region: "us-east-1", Name: "a"},
				InsufficientDataHealthStatus: tt.insufficient,
			})
			if r.Healthy != tt.healthy || r.Keep != tt.keep || !strings.HasPrefix(r.Status, tt.status) {
				t.Errorf("got %v keep=%v %q, want %v keep=%v %q…", r.Healthy, r.Keep, r.Status, tt.healthy, tt.keep, tt.status)
			}
			if !r.Source.IsLoopback() {
				t.Errorf("source %v", r.Source)
			}
		})
	}
	t.Run("alarm not configured", func(t *testing.T) {
		r := NewProber(Config{}, nil).Probe(context.Background(), healthcheck.Config{
			Type:                         healthcheck.TypeCloudWatchMetric,
			AlarmIdentifier:              &healthcheck.AlarmIdentifier{Region: "eu-west-1", Name: "nope"},
			InsufficientDataHealthStatus: InsufficientUnhealthy,
		})
		if r.Healthy || !strings.Contains(r.Status, "no such alarm is configured") {
			t.Errorf("got %+v", r)
		}
	})
}

func TestConfigValidate(t *testing.T) {
	good := Alarm{Region: "us-east-1", Name: "a", Prometheus: "http://127.0.0.1:9090", Query: "up", Comparison: LessThanThreshold, Threshold: 1}
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"zero", Config{}, ""},
		{"full", Config{Regions: []string{"us-east-1", "eu-west-1"}, CheckersPerRegion: 2, MaxConcurrency: 8,
			DefaultPolicy: PolicyMajority, Policies: map[string]Policy{"web": PolicyAll}, Alarms: []Alarm{good}}, ""},
		{"negative checkers", Config{CheckersPerRegion: -1}, "checkers_per_region"},
		{"duplicate region", Config{Regions: []string{"a", "a"}}, "twice"},
		{"bad default policy", Config{DefaultPolicy: "most"}, "default_policy"},
		{"bad policy", Config{Policies: map[string]Policy{"x": "half"}}, "policies[x]"},
		{"duplicate alarm", Config{Alarms: []Alarm{good, good}}, "defined twice"},
		{"bad url", Config{Alarms: []Alarm{{Region: "r", Name: "n", Prometheus: "127.0.0.1:9090", Query: "up", Comparison: LessThanThreshold}}}, "not an http(s) URL"},
		{"no query", Config{Alarms: []Alarm{{Region: "r", Name: "n", Prometheus: "http://p", Comparison: LessThanThreshold}}}, "query is required"},
		{"bad comparison", Config{Alarms: []Alarm{{Region: "r", Name: "n", Prometheus: "http://p", Query: "up", Comparison: "Above"}}}, "comparison"},
		{"no name", Config{Alarms: []Alarm{{Region: "r", Prometheus: "http://p", Query: "up", Comparison: LessThanThreshold}}}, "region and name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want containing %q", err, tt.want)
			}
		})
	}
}
