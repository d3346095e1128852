package health

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Alarm states, as CloudWatch names them.
const (
	AlarmOK               = "OK"
	AlarmAlarm            = "ALARM"
	AlarmInsufficientData = "INSUFFICIENT_DATA"
)

// InsufficientDataHealthStatus values.
const (
	InsufficientHealthy   = "Healthy"
	InsufficientUnhealthy = "Unhealthy"
	InsufficientLastKnown = "LastKnownStatus"
)

// maxPromResponse bounds the Prometheus response read.
const maxPromResponse = 4 << 20

func newPromClient(timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 4
	return &http.Client{Timeout: timeout, Transport: tr}
}

// AlarmState evaluates an alarm now: ALARM when a sample of the query
// breaches the threshold, OK when samples exist and none does, and
// INSUFFICIENT_DATA when the query returns no finite sample; detail says
// why (value, or the error). src is the local address used.
func (p *Prober) AlarmState(ctx context.Context, a *Alarm) (state, detail string, src netip.Addr) {
	u := strings.TrimSuffix(a.Prometheus, "/") + "/api/v1/query?query=" + url.QueryEscape(a.Query)
	trace := &httptrace.ClientTrace{GotConn: func(ci httptrace.GotConnInfo) { src = localAddr(ci.Conn) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, u, nil)
	if err != nil {
		return AlarmInsufficientData, err.Error(), src
	}
	client := p.promClient
	if client == nil {
		client = newPromClient(p.timeouts().Alarm)
	}
	resp, err := client.Do(req)
	if err != nil {
		return AlarmInsufficientData, "Prometheus query failed: " + err.Error(), src
	}
	defer resp.Body.Close()
	var body promResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxPromResponse)).Decode(&body); err != nil {
		return AlarmInsufficientData, fmt.Sprintf("Prometheus answered HTTP %d with an unreadable body: %v", resp.StatusCode, err), src
	}
	if body.Status != "success" {
		return AlarmInsufficientData, fmt.Sprintf("Prometheus query failed: %s: %s", body.ErrorType, body.Error), src
	}
	values, err := body.Data.samples()
	if err != nil {
		return AlarmInsufficientData, "Prometheus answer: " + err.Error(), src
	}
	if len(values) == 0 {
		return AlarmInsufficientData, "the query returned no samples", src
	}
	for _, v := range values {
		if a.breaches(v) {
			return AlarmAlarm, fmt.Sprintf("value %s %s %s", fmtFloat(v), a.Comparison, fmtFloat(a.Threshold)), src
		}
	}
	return AlarmOK, fmt.Sprintf("value %s, not %s %s", fmtFloat(values[0]), a.Comparison, fmtFloat(a.Threshold)), src
}

// probeAlarm evaluates a CLOUDWATCH_METRIC check's alarm. OK is healthy,
// ALARM unhealthy, INSUFFICIENT_DATA follows InsufficientDataHealthStatus
// (default LastKnownStatus). The status texts are Meridian's wording.
func (p *Prober) probeAlarm(ctx context.Context, e *endpoint) Result {
	name := fmt.Sprintf("CloudWatch alarm %s (%s)", e.alarmName, e.alarmRegion)
	a := p.alarms[alarmKey(e.alarmRegion, e.alarmName)]
	var state, detail string
	var src netip.Addr
	if a == nil {
		state, detail = AlarmInsufficientData, "no such alarm is configured (cloudwatch_alarms)"
	} else {
		ctx, cancel := context.WithTimeout(ctx, p.timeouts().Alarm)
		state, detail, src = p.AlarmState(ctx, a)
		cancel()
	}
	switch state {
	case AlarmOK:
		return Result{Healthy: true, Status: "Success: " + name + " is OK: " + detail + ".", Source: src}
	case AlarmAlarm:
		return failure("Failure: "+name+" is in ALARM: "+detail+".", src)
	}
	mode := e.insufficient
	if mode == "" {
		mode = InsufficientLastKnown
	}
	text := name + " has INSUFFICIENT_DATA (" + detail + "); InsufficientDataHealthStatus is " + mode + "."
	switch mode {
	case InsufficientHealthy:
		return Result{Healthy: true, Status: "Success: " + text, Source: src}
	case InsufficientUnhealthy:
		return failure("Failure: "+text, src)
	}
	// LastKnownStatus: the checker keeps its state and prefixes the text.
	return Result{Healthy: true, Keep: true, Status: text, Source: src}
}

// promResponse is the Prometheus HTTP API's answer to /api/v1/query.
type promResponse struct {
	Status    string   `json:"status"`
	ErrorType string   `json:"errorType"`
	Error     string   `json:"error"`
	Data      promData `json:"data"`
}

type promData struct {
	ResultType string          `json:"resultType"`
	Result     json.RawMessage `json:"result"`
}

// promSample is one [unix time, "value"] pair.
type promSample [2]json.RawMessage

// value parses the sample's value; NaN and infinities are no data.
func (s promSample) value() (float64, bool) {
	var str string
	if err := json.Unmarshal(s[1], &str); err != nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(str, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// samples returns the finite values of the result: a scalar, every series
// of a vector, or the last sample of every series of a matrix.
func (d *promData) samples() ([]float64, error) {
	var out []float64
	add := func(s promSample) {
		if v, ok := s.value(); ok {
			out = append(out, v)
		}
	}
	switch d.ResultType {
	case "scalar":
		var s promSample
		if err := json.Unmarshal(d.Result, &s); err != nil {
			return nil, fmt.Errorf("scalar result: %w", err)
		}
		add(s)
	case "vector":
		var series []struct {
			Value promSample `json:"value"`
		}
		if err := json.Unmarshal(d.Result, &series); err != nil {
			return nil, fmt.Errorf("vector result: %w", err)
		}
		for _, s := range series {
			add(s.Value)
		}
	case "matrix":
		var series []struct {
			Values []promSample `json:"values"`
		}
		if err := json.Unmarshal(d.Result, &series); err != nil {
			return nil, fmt.Errorf("matrix result: %w", err)
		}
		for _, s := range series {
			if n := len(s.Values); n > 0 {
				add(s.Values[n-1])
			}
		}
	default:
		return nil, fmt.Errorf("result type %q is not a number", d.ResultType)
	}
	return out, nil
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
