package route53

import (
	"context"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/store/boltstore"
)

// fakeObserver reports fixed observations per health check ID.
type fakeObserver struct {
	current  map[string][]healthcheck.Observation
	failures map[string][]healthcheck.Observation
}

func (f *fakeObserver) Observations(id string) []healthcheck.Observation { return f.current[id] }
func (f *fakeObserver) LastFailures(id string) []healthcheck.Observation { return f.failures[id] }

// newHealthEnv is newTestEnv with control options and an Observer.
func newHealthEnv(t *testing.T, cfg control.Config, obs healthcheck.Observer) *testEnv {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "meridian.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	e := &testEnv{store: st}
	cfg.Store = st
	cfg.Synced = e.synced.Load
	e.svc = control.New(cfg)
	e.srv = httptest.NewServer(NewHandler(e.svc, auth.Credentials{testKeyID: testSecret}, slog.New(slog.DiscardHandler), nil, obs))
	t.Cleanup(e.srv.Close)
	e.client = e.newClient(testKeyID, testSecret, nil)
	return e
}

func httpCheckConfig(ip string) *types.HealthCheckConfig {
	return &types.HealthCheckConfig{
		Type: types.HealthCheckTypeHttp, IPAddress: aws.String(ip), ResourcePath: aws.String("health"),
		FullyQualifiedDomainName: aws.String("www.example.com"),
	}
}

func (e *testEnv) createHealthCheck(t *testing.T, ref string, cfg *types.HealthCheckConfig) *types.HealthCheck {
	t.Helper()
	out, err := e.client.CreateHealthCheck(context.Background(), &r53.CreateHealthCheckInput{CallerReference: aws.String(ref), HealthCheckConfig: cfg})
	if err != nil {
		t.Fatalf("create health check %s: %v", ref, err)
	}
	return out.HealthCheck
}

func TestHealthCheckLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	out, err := e.client.CreateHealthCheck(ctx, &r53.CreateHealthCheckInput{CallerReference: aws.String("ref-1"), HealthCheckConfig: httpCheckConfig("93.184.216.34")})
	if err != nil {
		t.Fatal(err)
	}
	hc := out.HealthCheck
	id := aws.ToString(hc.Id)
	if aws.ToString(out.Location) != e.srv.URL+"/2013-04-01/healthcheck/"+id {
		t.Errorf("Location = %q", aws.ToString(out.Location))
	}
	c := hc.HealthCheckConfig
	if aws.ToString(hc.CallerReference) != "ref-1" || aws.ToInt64(hc.HealthCheckVersion) != 1 ||
		aws.ToInt32(c.Port) != 80 || aws.ToInt32(c.RequestInterval) != 30 || aws.ToInt32(c.FailureThreshold) != 3 ||
		c.MeasureLatency == nil || *c.MeasureLatency || c.Inverted == nil || *c.Inverted || c.Disabled == nil || *c.Disabled ||
		c.EnableSNI == nil || *c.EnableSNI || aws.ToString(c.ResourcePath) != "/health" || c.Regions != nil {
		t.Errorf("created check without Route 53's defaults: %+v / %+v", hc, c)
	}

	// The same reference and settings answer 201 with the same check.
	body := `<CreateHealthCheckRequest xmlns="` + Namespace + `"><CallerReference>ref-1</CallerReference><HealthCheckConfig>` +
		`<IPAddress>93.184.216.34</IPAddress><Type>HTTP</Type><ResourcePath>/health</ResourcePath>` +
		`<FullyQualifiedDomainName>www.example.com</FullyQualifiedDomainName><RequestInterval>30</RequestInterval></HealthCheckConfig></CreateHealthCheckRequest>`
	resp, raw := e.do(t, "POST", "/2013-04-01/healthcheck", []byte(body))
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(raw), "<Id>"+id+"</Id>") {
		t.Fatalf("idempotent retry: %d %s", resp.StatusCode, raw)
	}
	if resp.Header.Get("Location") != e.srv.URL+"/2013-04-01/healthcheck/"+id {
		t.Errorf("retry Location = %q", resp.Header.Get("Location"))
	}

	var exists *types.HealthCheckAlreadyExists
	_, err = e.client.CreateHealthCheck(ctx, &r53.CreateHealthCheckInput{CallerReference: aws.String("ref-1"), HealthCheckConfig: httpCheckConfig("93.184.216.35")})
	expectAPIError(t, err, "HealthCheckAlreadyExists", 409, "A health check has already been created with the specified caller reference.", &exists)

	got, err := e.client.GetHealthCheck(ctx, &r53.GetHealthCheckInput{HealthCheckId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.HealthCheck.HealthCheckConfig.IPAddress) != "93.184.216.34" || aws.ToInt64(got.HealthCheck.HealthCheckVersion) != 1 {
		t.Errorf("GetHealthCheck = %+v", got.HealthCheck)
	}

	up, err := e.client.UpdateHealthCheck(ctx, &r53.UpdateHealthCheckInput{HealthCheckId: aws.String(id), HealthCheckVersion: aws.Int64(1),
		Inverted: aws.Bool(true), FailureThreshold: aws.Int32(1), Regions: []types.HealthCheckRegion{"us-east-1", "eu-west-1", "sa-east-1"}})
	if err != nil {
		t.Fatal(err)
	}
	uc := up.HealthCheck.HealthCheckConfig
	if aws.ToInt64(up.HealthCheck.HealthCheckVersion) != 2 || !aws.ToBool(uc.Inverted) || aws.ToInt32(uc.FailureThreshold) != 1 ||
		!slices.Equal(uc.Regions, []types.HealthCheckRegion{"us-east-1", "eu-west-1", "sa-east-1"}) {
		t.Errorf("updated = %+v / %+v", up.HealthCheck, uc)
	}

	var mismatch *types.HealthCheckVersionMismatch
	_, err = e.client.UpdateHealthCheck(ctx, &r53.UpdateHealthCheckInput{HealthCheckId: aws.String(id), HealthCheckVersion: aws.Int64(1), Disabled: aws.Bool(true)})
	expectAPIError(t, err, "HealthCheckVersionMismatch", 409,
		"The value of HealthCheckVersion in the request doesn't match the value of HealthCheckVersion in the health check.", &mismatch)

	up, err = e.client.UpdateHealthCheck(ctx, &r53.UpdateHealthCheckInput{HealthCheckId: aws.String(id),
		ResetElements: []types.ResettableElementName{types.ResettableElementNameFullyQualifiedDomainName, types.ResettableElementNameResourcePath, types.ResettableElementNameRegions}})
	if err != nil {
		t.Fatal(err)
	}
	uc = up.HealthCheck.HealthCheckConfig
	if uc.FullyQualifiedDomainName != nil || uc.ResourcePath != nil || uc.Regions != nil || aws.ToInt64(up.HealthCheck.HealthCheckVersion) != 3 {
		t.Errorf("after reset: %+v", uc)
	}

	var invalid *types.InvalidInput
	_, err = e.client.UpdateHealthCheck(ctx, &r53.UpdateHealthCheckInput{HealthCheckId: aws.String(id), SearchString: aws.String("ok")})
	expectAPIError(t, err, "InvalidInput", 400, "Invalid parameter : HTTP health checks must not have a search string specified.", &invalid)

	count, err := e.client.GetHealthCheckCount(ctx, &r53.GetHealthCheckCountInput{})
	if err != nil || aws.ToInt64(count.HealthCheckCount) != 1 {
		t.Fatalf("count = %v, %v", count, err)
	}

	if _, err := e.client.ChangeTagsForResource(ctx, &r53.ChangeTagsForResourceInput{ResourceType: types.TagResourceTypeHealthcheck, ResourceId: aws.String(id),
		AddTags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}); err != nil {
		t.Fatal(err)
	}

	if _, err := e.client.DeleteHealthCheck(ctx, &r53.DeleteHealthCheckInput{HealthCheckId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	var noCheck *types.NoSuchHealthCheck
	_, err = e.client.GetHealthCheck(ctx, &r53.GetHealthCheckInput{HealthCheckId: aws.String(id)})
	expectAPIError(t, err, "NoSuchHealthCheck", 404, "A health check with id "+id+" does not exist.", &noCheck)
	_, err = e.client.DeleteHealthCheck(ctx, &r53.DeleteHealthCheckInput{HealthCheckId: aws.String(id)})
	expectAPIError(t, err, "NoSuchHealthCheck", 404, "", &noCheck)
	_, err = e.client.UpdateHealthCheck(ctx, &r53.UpdateHealthCheckInput{HealthCheckId: aws.String(id), Inverted: aws.Bool(false)})
	expectAPIError(t, err, "NoSuchHealthCheck", 404, "", &noCheck)
	_, err = e.client.ListTagsForResource(ctx, &r53.ListTagsForResourceInput{ResourceType: types.TagResourceTypeHealthcheck, ResourceId: aws.String(id)})
	expectAPIError(t, err, "NoSuchHealthCheck", 404, "", &noCheck)

	_, err = e.client.CreateHealthCheck(ctx, &r53.CreateHealthCheckInput{CallerReference: aws.String("ref-1"), HealthCheckConfig: httpCheckConfig("93.184.216.34")})
	expectAPIError(t, err, "HealthCheckAlreadyExists", 409, "", &exists)
}

func TestHealthCheckDeleteWire(t *testing.T) {
	e := newTestEnv(t)
	hc := e.createHealthCheck(t, "r", httpCheckConfig("93.184.216.34"))
	resp, body := e.do(t, "DELETE", "/2013-04-01/healthcheck/"+aws.ToString(hc.Id), nil)
	want := `<?xml version="1.0"?>` + "\n" + `<DeleteHealthCheckResponse xmlns="` + Namespace + `"/>`
	if resp.StatusCode != 200 || strings.TrimSpace(string(body)) != want {
		t.Fatalf("delete: %d %q\nwant %q", resp.StatusCode, body, want)
	}
}

func TestCreateHealthCheckKinds(t *testing.T) {
	ctx := context.Background()
	e := newHealthEnv(t, control.Config{HealthOptions: healthcheck.Options{
		AlarmKnown: func(region, name string) bool { return region == "us-east-1" && name == "cpu-high" },
	}}, nil)
	a := e.createHealthCheck(t, "a", &types.HealthCheckConfig{Type: types.HealthCheckTypeHttpsStrMatch, FullyQualifiedDomainName: aws.String("api.example.com"),
		SearchString: aws.String("ok"), RequestInterval: aws.Int32(10), MeasureLatency: aws.Bool(true),
		Regions: []types.HealthCheckRegion{"ap-northeast-1", "us-west-2", "eu-west-1"}})
	ac := a.HealthCheckConfig
	if aws.ToInt32(ac.Port) != 443 || !aws.ToBool(ac.EnableSNI) || aws.ToInt32(ac.RequestInterval) != 10 || !aws.ToBool(ac.MeasureLatency) ||
		aws.ToString(ac.SearchString) != "ok" || len(ac.Regions) != 3 || ac.Regions[0] != "ap-northeast-1" {
		t.Errorf("HTTPS_STR_MATCH = %+v", ac)
	}
	b := e.createHealthCheck(t, "b", &types.HealthCheckConfig{Type: types.HealthCheckTypeTcp, IPAddress: aws.String("2606:2800:220:1:248:1893:25c8:1946"), Port: aws.Int32(22)})
	calc := e.createHealthCheck(t, "c", &types.HealthCheckConfig{Type: types.HealthCheckTypeCalculated, HealthThreshold: aws.Int32(1),
		ChildHealthChecks: []string{aws.ToString(a.Id), aws.ToString(b.Id)}, Inverted: aws.Bool(true)})
	cc := calc.HealthCheckConfig
	if !slices.Equal(cc.ChildHealthChecks, []string{aws.ToString(a.Id), aws.ToString(b.Id)}) || aws.ToInt32(cc.HealthThreshold) != 1 ||
		cc.Port != nil || cc.RequestInterval != nil || !aws.ToBool(cc.Inverted) {
		t.Errorf("CALCULATED = %+v", cc)
	}
	m := e.createHealthCheck(t, "m", &types.HealthCheckConfig{Type: types.HealthCheckTypeCloudwatchMetric,
		AlarmIdentifier: &types.AlarmIdentifier{Region: types.CloudWatchRegionUsEast1, Name: aws.String("cpu-high")}})
	if mc := m.HealthCheckConfig; mc.AlarmIdentifier == nil || aws.ToString(mc.AlarmIdentifier.Name) != "cpu-high" ||
		mc.InsufficientDataHealthStatus != types.InsufficientDataHealthStatusLastKnownStatus {
		t.Errorf("CLOUDWATCH_METRIC = %+v", mc)
	}

	var invalid *types.InvalidInput
	tests := []struct {
		name string
		cfg  *types.HealthCheckConfig
		msg  string
	}{
		{"TCP with IP and FQDN", &types.HealthCheckConfig{Type: types.HealthCheckTypeTcp, IPAddress: aws.String("93.184.216.34"), Port: aws.Int32(22),
			FullyQualifiedDomainName: aws.String("x.example.com")},
			"TCP health checks that have IP address must not have a fully qualified domain name specified."},
		{"private address", httpCheckConfig("192.168.1.1"), ""},
		{"interval", &types.HealthCheckConfig{Type: types.HealthCheckTypeHttp, IPAddress: aws.String("93.184.216.34"), RequestInterval: aws.Int32(20)},
			"Invalid parameter : Request interval must be either 10 or 30 seconds."},
		{"unmapped alarm", &types.HealthCheckConfig{Type: types.HealthCheckTypeCloudwatchMetric,
			AlarmIdentifier: &types.AlarmIdentifier{Region: types.CloudWatchRegionUsEast1, Name: aws.String("other")}}, ""},
		{"calculated child", &types.HealthCheckConfig{Type: types.HealthCheckTypeCalculated, HealthThreshold: aws.Int32(1), ChildHealthChecks: []string{aws.ToString(calc.Id)}},
			"Invalid parameter : A calculated health check can't have a calculated health check (" + aws.ToString(calc.Id) + ") as a child."},
		{"recovery control", &types.HealthCheckConfig{Type: types.HealthCheckTypeRecoveryControl, RoutingControlArn: aws.String("arn:aws:route53-recovery-control::1:x")}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.client.CreateHealthCheck(ctx, &r53.CreateHealthCheckInput{CallerReference: aws.String("bad-" + tc.name), HealthCheckConfig: tc.cfg})
			expectAPIError(t, err, "InvalidInput", 400, tc.msg, &invalid)
		})
	}

	// Deleting a calculated check's child is refused; deleting the parent
	// first works.
	_, err := e.client.DeleteHealthCheck(ctx, &r53.DeleteHealthCheckInput{HealthCheckId: a.Id})
	expectAPIError(t, err, "InvalidInput", 400, "Health check "+aws.ToString(a.Id)+" is still referenced from parent health check(s): "+aws.ToString(calc.Id), &invalid)
	for _, id := range []*string{calc.Id, a.Id} {
		if _, err := e.client.DeleteHealthCheck(ctx, &r53.DeleteHealthCheckInput{HealthCheckId: id}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestHealthCheckQuotaAPI(t *testing.T) {
	e := newHealthEnv(t, control.Config{MaxHealthChecks: 1}, nil)
	e.createHealthCheck(t, "1", httpCheckConfig("93.184.216.34"))
	var tooMany *types.TooManyHealthChecks
	_, err := e.client.CreateHealthCheck(context.Background(), &r53.CreateHealthCheckInput{CallerReference: aws.String("2"), HealthCheckConfig: httpCheckConfig("93.184.216.34")})
	expectAPIError(t, err, "TooManyHealthChecks", 400, "", &tooMany)
}

func TestListHealthChecksAPI(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	var ids []string
	for _, ref := range []string{"a", "b", "c", "d", "e"} {
		ids = append(ids, aws.ToString(e.createHealthCheck(t, ref, httpCheckConfig("93.184.216.34")).Id))
	}
	slices.Sort(ids)

	var got []string
	in := &r53.ListHealthChecksInput{MaxItems: aws.Int32(2)}
	for pages := 1; ; pages++ {
		out, err := e.client.ListHealthChecks(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToInt32(out.MaxItems) != 2 || aws.ToString(out.Marker) != aws.ToString(in.Marker) {
			t.Errorf("page %d echoes MaxItems %v Marker %v", pages, aws.ToInt32(out.MaxItems), aws.ToString(out.Marker))
		}
		for _, hc := range out.HealthChecks {
			got = append(got, aws.ToString(hc.Id))
		}
		if !out.IsTruncated {
			if out.NextMarker != nil || pages != 3 {
				t.Errorf("last page %d has NextMarker %v", pages, aws.ToString(out.NextMarker))
			}
			break
		}
		if pages > 3 {
			t.Fatal("too many pages")
		}
		in.Marker = out.NextMarker
	}
	if !slices.Equal(got, ids) {
		t.Fatalf("listed %v, want %v", got, ids)
	}

	out, err := e.client.ListHealthChecks(ctx, &r53.ListHealthChecksInput{})
	if err != nil || len(out.HealthChecks) != 5 || aws.ToInt32(out.MaxItems) != 100 || out.IsTruncated {
		t.Fatalf("default page: %+v, %v", out, err)
	}
	resp, body := e.do(t, "GET", "/2013-04-01/healthcheck?maxitems=5000", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<MaxItems>5000</MaxItems>") || strings.Count(string(body), "<HealthCheck>") != 5 {
		t.Fatalf("maxitems=5000: %d %s", resp.StatusCode, body)
	}
	var invalid *types.InvalidInput
	_, err = e.client.ListHealthChecks(ctx, &r53.ListHealthChecksInput{MaxItems: aws.Int32(0)})
	expectAPIError(t, err, "InvalidInput", 400, "", &invalid)

	empty := newTestEnv(t)
	resp, body = empty.do(t, "GET", "/2013-04-01/healthcheck", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<HealthChecks></HealthChecks><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems>") {
		t.Fatalf("empty list: %d %s", resp.StatusCode, body)
	}
}

func TestHealthCheckStatusAPI(t *testing.T) {
	ctx := context.Background()
	obs := &fakeObserver{current: map[string][]healthcheck.Observation{}, failures: map[string][]healthcheck.Observation{}}
	e := newHealthEnv(t, control.Config{}, obs)
	hc := e.createHealthCheck(t, "a", httpCheckConfig("93.184.216.34"))
	id := aws.ToString(hc.Id)
	obs.current[id] = []healthcheck.Observation{
		{Region: "us-west-1", IPAddress: "15.177.2.9", Status: "Failure: HTTP Status Code 503, Service Unavailable", CheckedTime: "2024-05-01T10:00:01.250Z"},
		{Region: "eu-west-1", IPAddress: "15.177.10.5", Status: "Success: HTTP Status Code 200, OK", CheckedTime: "2024-05-01T10:00:02.000Z"},
	}
	obs.failures[id] = []healthcheck.Observation{
		{Region: "us-west-1", IPAddress: "15.177.2.9", Status: "Failure: HTTP Status Code 503, Service Unavailable", CheckedTime: "2024-05-01T10:00:01.250Z"},
	}

	st, err := e.client.GetHealthCheckStatus(ctx, &r53.GetHealthCheckStatusInput{HealthCheckId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.HealthCheckObservations) != 2 {
		t.Fatalf("observations = %+v", st.HealthCheckObservations)
	}
	first := st.HealthCheckObservations[0]
	if first.Region != "eu-west-1" || aws.ToString(first.IPAddress) != "15.177.10.5" ||
		aws.ToString(first.StatusReport.Status) != "Success: HTTP Status Code 200, OK" ||
		!first.StatusReport.CheckedTime.Equal(time.Date(2024, 5, 1, 10, 0, 2, 0, time.UTC)) {
		t.Errorf("first observation = %+v %+v", first, first.StatusReport)
	}
	if st.HealthCheckObservations[1].Region != "us-west-1" {
		t.Errorf("observations not in region order: %+v", st.HealthCheckObservations)
	}

	lf, err := e.client.GetHealthCheckLastFailureReason(ctx, &r53.GetHealthCheckLastFailureReasonInput{HealthCheckId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if len(lf.HealthCheckObservations) != 1 || !lf.HealthCheckObservations[0].StatusReport.CheckedTime.Equal(time.Date(2024, 5, 1, 10, 0, 1, 250e6, time.UTC)) {
		t.Errorf("last failures = %+v", lf.HealthCheckObservations)
	}

	resp, body := e.do(t, "GET", "/2013-04-01/healthcheck/"+id+"/status", nil)
	want := `<GetHealthCheckStatusResponse xmlns="` + Namespace + `"><HealthCheckObservations><HealthCheckObservation><Region>eu-west-1</Region>` +
		`<IPAddress>15.177.10.5</IPAddress><StatusReport><Status>Success: HTTP Status Code 200, OK</Status><CheckedTime>2024-05-01T10:00:02.000Z</CheckedTime>` +
		`</StatusReport></HealthCheckObservation>`
	if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
		t.Errorf("wire: %d %s", resp.StatusCode, body)
	}

	// A check nobody observed yet has an empty list.
	other := e.createHealthCheck(t, "b", httpCheckConfig("93.184.216.35"))
	resp, body = e.do(t, "GET", "/2013-04-01/healthcheck/"+aws.ToString(other.Id)+"/lastfailurereason", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<GetHealthCheckLastFailureReasonResponse xmlns="`+Namespace+`"><HealthCheckObservations></HealthCheckObservations>`) {
		t.Errorf("empty: %d %s", resp.StatusCode, body)
	}

	calc := e.createHealthCheck(t, "c", &types.HealthCheckConfig{Type: types.HealthCheckTypeCalculated, HealthThreshold: aws.Int32(1), ChildHealthChecks: []string{id}})
	var invalid *types.InvalidInput
	_, err = e.client.GetHealthCheckStatus(ctx, &r53.GetHealthCheckStatusInput{HealthCheckId: calc.Id})
	expectAPIError(t, err, "InvalidInput", 400, "Invalid parameter : GetHealthCheckStatus is not supported for calculated health checks. "+
		"A calculated health check has no health checkers of its own: get the status of its child health checks instead.", &invalid)
	_, err = e.client.GetHealthCheckLastFailureReason(ctx, &r53.GetHealthCheckLastFailureReasonInput{HealthCheckId: calc.Id})
	expectAPIError(t, err, "InvalidInput", 400, "", &invalid)

	var noCheck *types.NoSuchHealthCheck
	_, err = e.client.GetHealthCheckStatus(ctx, &r53.GetHealthCheckStatusInput{HealthCheckId: aws.String("9f3c5a4e-0000-4000-8000-000000000000")})
	expectAPIError(t, err, "NoSuchHealthCheck", 404, "A health check with id 9f3c5a4e-0000-4000-8000-000000000000 does not exist.", &noCheck)

	// Without an observer the lists are empty.
	plain := newTestEnv(t)
	p := plain.createHealthCheck(t, "a", httpCheckConfig("93.184.216.34"))
	st, err = plain.client.GetHealthCheckStatus(ctx, &r53.GetHealthCheckStatusInput{HealthCheckId: p.Id})
	if err != nil || len(st.HealthCheckObservations) != 0 {
		t.Fatalf("status without observer = %+v, %v", st, err)
	}
}

func TestCheckerIPRangesAPI(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t)
	out, err := e.client.GetCheckerIpRanges(ctx, &r53.GetCheckerIpRangesInput{})
	if err != nil || !slices.Equal(out.CheckerIpRanges, []string{"127.0.0.0/8"}) {
		t.Fatalf("default ranges = %v, %v", out, err)
	}
	ranges := []string{"198.51.100.0/26", "203.0.113.64/26", "2001:db8:1::/48"}
	c := newHealthEnv(t, control.Config{HealthOptions: healthcheck.Options{CheckerIPRanges: ranges}}, nil)
	out, err = c.client.GetCheckerIpRanges(ctx, &r53.GetCheckerIpRangesInput{})
	if err != nil || !slices.Equal(out.CheckerIpRanges, ranges) {
		t.Fatalf("configured ranges = %v, %v", out, err)
	}
	resp, body := c.do(t, "GET", "/2013-04-01/checkeripranges", nil)
	want := `<GetCheckerIpRangesResponse xmlns="` + Namespace + `"><CheckerIpRanges><member>198.51.100.0/26</member><member>203.0.113.64/26</member>` +
		`<member>2001:db8:1::/48</member></CheckerIpRanges></GetCheckerIpRangesResponse>`
	if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
		t.Fatalf("wire: %d %s", resp.StatusCode, body)
	}
	// Meridian signs every operation, this one included.
	unsigned, err := http.Get(c.srv.URL + "/2013-04-01/checkeripranges")
	if err != nil {
		t.Fatal(err)
	}
	unsigned.Body.Close()
	if unsigned.StatusCode == 200 {
		t.Fatal("an unsigned GetCheckerIpRanges was served")
	}
}

// TestHealthCheckWire checks the XML of a full health check and the request
// parser's answers to malformed bodies.
func TestHealthCheckWire(t *testing.T) {
	e := newTestEnv(t)
	body := `<?xml version="1.0" encoding="UTF-8"?><CreateHealthCheckRequest xmlns="` + Namespace + `"><CallerReference>w</CallerReference>` +
		`<HealthCheckConfig><Type>HTTPS_STR_MATCH</Type><IPAddress>93.184.216.34</IPAddress><Port>8443</Port><ResourcePath>/s</ResourcePath>` +
		`<FullyQualifiedDomainName>www.example.com</FullyQualifiedDomainName><SearchString>a &amp; b</SearchString>` +
		`<Regions><Region>us-east-1</Region><Region>us-west-1</Region><Region>us-west-2</Region></Regions><EnableSNI>false</EnableSNI>` +
		`</HealthCheckConfig></CreateHealthCheckRequest>`
	resp, raw := e.do(t, "POST", "/2013-04-01/healthcheck", []byte(body))
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, raw)
	}
	var doc struct {
		HealthCheck struct {
			ID string `xml:"Id"`
		}
	}
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	want := `<HealthCheck><Id>` + doc.HealthCheck.ID + `</Id><CallerReference>w</CallerReference><HealthCheckConfig>` +
		`<IPAddress>93.184.216.34</IPAddress><Port>8443</Port><Type>HTTPS_STR_MATCH</Type><ResourcePath>/s</ResourcePath>` +
		`<FullyQualifiedDomainName>www.example.com</FullyQualifiedDomainName><SearchString>a &amp; b</SearchString>` +
		`<RequestInterval>30</RequestInterval><FailureThreshold>3</FailureThreshold><MeasureLatency>false</MeasureLatency>` +
		`<Inverted>false</Inverted><Disabled>false</Disabled><EnableSNI>false</EnableSNI>` +
		`<Regions><Region>us-east-1</Region><Region>us-west-1</Region><Region>us-west-2</Region></Regions>` +
		`</HealthCheckConfig><HealthCheckVersion>1</HealthCheckVersion></HealthCheck>`
	resp, raw = e.do(t, "GET", "/2013-04-01/healthcheck/"+doc.HealthCheck.ID, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(raw), `<GetHealthCheckResponse xmlns="`+Namespace+`">`+want+`</GetHealthCheckResponse>`) {
		t.Fatalf("get:\n%s\nwant\n%s", raw, want)
	}
	resp, raw = e.do(t, "GET", "/2013-04-01/healthcheckcount", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(raw), `<GetHealthCheckCountResponse xmlns="`+Namespace+`"><HealthCheckCount>1</HealthCheckCount></GetHealthCheckCountResponse>`) {
		t.Fatalf("count: %d %s", resp.StatusCode, raw)
	}

	// An empty update body is an update without members.
	resp, raw = e.do(t, "POST", "/2013-04-01/healthcheck/"+doc.HealthCheck.ID, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(raw), "<HealthCheckVersion>2</HealthCheckVersion>") {
		t.Fatalf("empty update: %d %s", resp.StatusCode, raw)
	}

	cfgWrap := func(inner string) string {
		return `<CreateHealthCheckRequest xmlns="` + Namespace + `"><CallerReference>x</CallerReference><HealthCheckConfig>` + inner + `</HealthCheckConfig></CreateHealthCheckRequest>`
	}
	bad := []struct {
		name, path, body, msg string
	}{
		{"no type", "/2013-04-01/healthcheck", cfgWrap(`<IPAddress>93.184.216.34</IPAddress>`),
			"Invalid XML ; cvc-complex-type.2.4.b: The content of element 'HealthCheckConfig' is not complete. One of '{\"" + Namespace + "\":Type}' is expected."},
		{"unknown member", "/2013-04-01/healthcheck", cfgWrap(`<Type>HTTP</Type><Timeout>3</Timeout>`), "Invalid XML ; cvc-complex-type.2.4.a: Invalid content was found starting with element 'Timeout'."},
		{"bad port", "/2013-04-01/healthcheck", cfgWrap(`<Type>HTTP</Type><IPAddress>93.184.216.34</IPAddress><Port>http</Port>`),
			"Invalid XML ; cvc-datatype-valid.1.2.1: 'http' is not a valid value for 'integer'."},
		{"bad boolean", "/2013-04-01/healthcheck", cfgWrap(`<Type>HTTP</Type><IPAddress>93.184.216.34</IPAddress><Inverted>yes</Inverted>`),
			"Invalid XML ; cvc-datatype-valid.1.2.1: 'yes' is not a valid value for 'boolean'."},
		{"bad region item", "/2013-04-01/healthcheck", cfgWrap(`<Type>HTTP</Type><IPAddress>93.184.216.34</IPAddress><Regions><member>us-east-1</member></Regions>`),
			"Invalid XML ; cvc-complex-type.2.4.a: Invalid content was found starting with element 'member'."},
		{"alarm without name", "/2013-04-01/healthcheck", cfgWrap(`<Type>CLOUDWATCH_METRIC</Type><AlarmIdentifier><Region>us-east-1</Region></AlarmIdentifier>`),
			"Invalid XML ; cvc-complex-type.2.4.b: The content of element 'AlarmIdentifier' is not complete."},
		{"no caller reference", "/2013-04-01/healthcheck", `<CreateHealthCheckRequest xmlns="` + Namespace + `"><HealthCheckConfig><Type>HTTP</Type></HealthCheckConfig></CreateHealthCheckRequest>`,
			"Invalid XML ; cvc-complex-type.2.4.b: The content of element 'CreateHealthCheckRequest' is not complete."},
		{"type in update", "/2013-04-01/healthcheck/" + doc.HealthCheck.ID, `<UpdateHealthCheckRequest xmlns="` + Namespace + `"><Type>TCP</Type></UpdateHealthCheckRequest>`,
			"Invalid XML ; cvc-complex-type.2.4.a: Invalid content was found starting with element 'Type'."},
		{"request interval in update", "/2013-04-01/healthcheck/" + doc.HealthCheck.ID, `<UpdateHealthCheckRequest xmlns="` + Namespace + `"><RequestInterval>10</RequestInterval></UpdateHealthCheckRequest>`,
			"Invalid XML ; cvc-complex-type.2.4.a: Invalid content was found starting with element 'RequestInterval'."},
		{"bad reset element", "/2013-04-01/healthcheck/" + doc.HealthCheck.ID, `<UpdateHealthCheckRequest xmlns="` + Namespace + `"><ResetElements><ResettableElementName>Port</ResettableElementName></ResetElements></UpdateHealthCheckRequest>`,
			"1 validation error detected: Value 'Port' at 'resetElements.member' failed to satisfy constraint: Member must satisfy enum value set: [FullyQualifiedDomainName, Regions, ResourcePath, ChildHealthChecks]"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			resp, raw := e.do(t, "POST", tc.path, []byte(tc.body))
			if resp.StatusCode != 400 || !strings.Contains(string(raw), "<Code>InvalidInput</Code>") || !strings.Contains(string(raw), xmlEscape(tc.msg)) {
				t.Fatalf("%d %s\nwant message containing %q", resp.StatusCode, raw, tc.msg)
			}
		})
	}
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
