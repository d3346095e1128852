package control

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// httpConfig returns an HTTP check config on a public address.
func httpConfig(ip string) healthcheck.Config {
	return healthcheck.Config{Type: healthcheck.TypeHTTP, IPAddress: ip, ResourcePath: "health"}
}

func calcConfig(threshold int64, children ...string) healthcheck.Config {
	return healthcheck.Config{Type: healthcheck.TypeCalculated, HealthThreshold: ptr(threshold), ChildHealthChecks: children}
}

// createCheck creates a check that must succeed.
func (e *testEnv) createCheck(t *testing.T, ref string, cfg healthcheck.Config) healthcheck.HealthCheck {
	t.Helper()
	hc, err := e.svc.CreateHealthCheck(context.Background(), ref, cfg)
	if err != nil {
		t.Fatalf("create health check %s: %v", ref, err)
	}
	return hc
}

// wantMessage fails unless err is a *zone.Error with code and message.
func wantMessage(t *testing.T, err error, code, message string) {
	t.Helper()
	wantCode(t, err, code)
	if e, _ := zone.AsError(err); e.Message != message {
		t.Fatalf("message = %q\nwant      %q", e.Message, message)
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestCreateHealthCheckDefaults(t *testing.T) {
	e := newEnv(t, Config{})
	hc := e.createCheck(t, "r1", httpConfig("93.184.216.34"))
	if !uuidPattern.MatchString(hc.ID) {
		t.Errorf("ID %q is not a lowercase UUID", hc.ID)
	}
	if hc.Version != 1 || hc.CallerReference != "r1" {
		t.Errorf("check = %s", jsonOf(hc))
	}
	want := `{"type":"HTTP","ipAddress":"93.184.216.34","port":80,"resourcePath":"/health","requestInterval":30,"failureThreshold":3,` +
		`"measureLatency":false,"inverted":false,"disabled":false,"enableSNI":false}`
	if got := jsonOf(hc.Config); got != want {
		t.Errorf("config =\n%s\nwant\n%s", got, want)
	}
	got, err := e.svc.GetHealthCheck(context.Background(), hc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if jsonOf(got) != jsonOf(hc) {
		t.Errorf("GetHealthCheck = %s, want %s", jsonOf(got), jsonOf(hc))
	}
	if got, err := e.svc.GetHealthCheck(context.Background(), "/healthcheck/"+hc.ID); err != nil || got.ID != hc.ID {
		t.Errorf("GetHealthCheck with a prefixed ID = %v, %v", got.ID, err)
	}
}

func TestCreateHealthCheckIdempotency(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, Config{})
	first := e.createCheck(t, "ref-a", httpConfig("93.184.216.34"))

	// The same reference and settings (defaults spelled out or not) return
	// the existing check.
	same := httpConfig("93.184.216.34")
	same.ResourcePath = "/health"
	same.RequestInterval = ptr(int64(30))
	same.Port = ptr(int64(80))
	again := e.createCheck(t, "ref-a", same)
	if jsonOf(again) != jsonOf(first) {
		t.Fatalf("retry = %s, want the existing %s", jsonOf(again), jsonOf(first))
	}

	const exists = "A health check has already been created with the specified caller reference."
	_, err := e.svc.CreateHealthCheck(ctx, "ref-a", httpConfig("93.184.216.35"))
	wantMessage(t, err, "HealthCheckAlreadyExists", exists)

	// A new reference with the same settings makes a new check.
	other := e.createCheck(t, "ref-b", httpConfig("93.184.216.34"))
	if other.ID == first.ID {
		t.Fatal("a new caller reference returned the existing check")
	}

	// Settings compare with the check as it stands: after an update the
	// original request no longer matches.
	if _, err := e.svc.UpdateHealthCheck(ctx, other.ID, healthcheck.Update{Inverted: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.CreateHealthCheck(ctx, "ref-b", httpConfig("93.184.216.34"))
	wantCode(t, err, "HealthCheckAlreadyExists")

	// A deleted check's reference stays taken, whatever the settings.
	if err := e.svc.DeleteHealthCheck(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.CreateHealthCheck(ctx, "ref-a", httpConfig("93.184.216.34"))
	wantMessage(t, err, "HealthCheckAlreadyExists", exists)
	if n, _ := e.svc.HealthCheckCount(ctx); n != 1 {
		t.Errorf("count = %d, want 1", n)
	}
}

func TestCreateHealthCheckErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		cfg  Config
		ref  string
		hc   healthcheck.Config
		code string
		msg  string
	}{
		{name: "empty reference", ref: "", hc: httpConfig("93.184.216.34"), code: "InvalidInput",
			msg: "1 validation error detected: Value '' at 'callerReference' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "long reference", ref: strings.Repeat("r", 65), hc: httpConfig("93.184.216.34"), code: "InvalidInput",
			msg: "1 validation error detected: Value '" + strings.Repeat("r", 65) + "' at 'callerReference' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{name: "loopback refused by default", ref: "r", hc: httpConfig("127.0.0.1"), code: "InvalidInput"},
		{name: "loopback allowed by the deployment", cfg: Config{HealthOptions: healthcheck.Options{AllowLoopback: true}}, ref: "r", hc: httpConfig("127.0.0.1")},
		{name: "fast interval refused by default", ref: "r", hc: func() healthcheck.Config {
			c := httpConfig("93.184.216.34")
			c.RequestInterval = ptr(int64(1))
			return c
		}(), code: "InvalidInput"},
		{name: "fast interval allowed by the deployment", cfg: Config{HealthOptions: healthcheck.Options{MinInterval: 1}}, ref: "r", hc: func() healthcheck.Config {
			c := httpConfig("93.184.216.34")
			c.RequestInterval = ptr(int64(1))
			return c
		}()},
		{name: "unknown child", ref: "r", hc: calcConfig(1, "9f3c5a4e-0000-4000-8000-000000000000"), code: "InvalidInput",
			msg: "Invalid parameter : The child health check 9f3c5a4e-0000-4000-8000-000000000000 does not exist."},
		{name: "recovery control", ref: "r", hc: healthcheck.Config{Type: healthcheck.TypeRecoveryControl, RoutingControlArn: "arn:x"}, code: "InvalidInput"},
		{name: "unmapped alarm", ref: "r", hc: healthcheck.Config{Type: healthcheck.TypeCloudWatchMetric, AlarmIdentifier: &healthcheck.AlarmIdentifier{Region: "us-east-1", Name: "a"}},
			code: "InvalidInput"},
		{name: "mapped alarm", cfg: Config{HealthOptions: healthcheck.Options{AlarmKnown: func(r, n string) bool { return r == "us-east-1" && n == "a" }}}, ref: "r",
			hc: healthcheck.Config{Type: healthcheck.TypeCloudWatchMetric, AlarmIdentifier: &healthcheck.AlarmIdentifier{Region: "us-east-1", Name: "a"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.cfg)
			_, err := e.svc.CreateHealthCheck(ctx, tc.ref, tc.hc)
			if tc.msg != "" {
				wantMessage(t, err, tc.code, tc.msg)
			} else {
				wantCode(t, err, tc.code)
			}
			n, _ := e.svc.HealthCheckCount(ctx)
			if wantN := map[bool]int{true: 0, false: 1}[tc.code != ""]; n != wantN {
				t.Errorf("count = %d, want %d", n, wantN)
			}
		})
	}
}

func TestCreateHealthCheckChildren(t *testing.T) {
	e := newEnv(t, Config{})
	a := e.createCheck(t, "a", httpConfig("93.184.216.34"))
	b := e.createCheck(t, "b", httpConfig("93.184.216.35"))
	parent := e.createCheck(t, "p", calcConfig(2, a.ID, b.ID))
	if parent.Config.Port != nil || parent.Config.RequestInterval != nil || *parent.Config.Inverted {
		t.Errorf("calculated config = %s", jsonOf(parent.Config))
	}
	_, err := e.svc.CreateHealthCheck(context.Background(), "pp", calcConfig(1, a.ID, parent.ID))
	wantMessage(t, err, "InvalidInput", "Invalid parameter : A calculated health check can't have a calculated health check ("+parent.ID+") as a child.")
}

func TestHealthCheckQuota(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, Config{MaxHealthChecks: 2})
	if e.svc.MaxHealthChecks() != 2 || New(Config{}).MaxHealthChecks() != DefaultMaxHealthChecks {
		t.Fatalf("MaxHealthChecks = %d / %d", e.svc.MaxHealthChecks(), New(Config{}).MaxHealthChecks())
	}
	first := e.createCheck(t, "1", httpConfig("93.184.216.34"))
	e.createCheck(t, "2", httpConfig("93.184.216.34"))
	_, err := e.svc.CreateHealthCheck(ctx, "3", httpConfig("93.184.216.34"))
	wantCode(t, err, "TooManyHealthChecks")
	// An idempotent retry still answers at the quota.
	if again := e.createCheck(t, "1", httpConfig("93.184.216.34")); again.ID != first.ID {
		t.Errorf("retry at quota = %s", again.ID)
	}
	if err := e.svc.DeleteHealthCheck(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	e.createCheck(t, "3", httpConfig("93.184.216.34"))
}

func TestListHealthChecks(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, Config{})
	var ids []string
	for i := range 5 {
		ids = append(ids, e.createCheck(t, "ref-"+string(rune('a'+i)), httpConfig("93.184.216.34")).ID)
	}
	slices.Sort(ids)

	var got []string
	marker := ""
	pages := 0
	for {
		page, err := e.svc.ListHealthChecks(ctx, marker, 2)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(page.HealthChecks) > 2 {
			t.Fatalf("page of %d", len(page.HealthChecks))
		}
		for _, hc := range page.HealthChecks {
			got = append(got, hc.ID)
		}
		if page.NextMarker == "" {
			break
		}
		marker = page.NextMarker
	}
	if !slices.Equal(got, ids) || pages != 3 {
		t.Fatalf("listed %v in %d pages, want %v in 3", got, pages, ids)
	}

	tests := []struct {
		marker   string
		max      int
		want     []string
		wantNext string
	}{
		{marker: "", max: 0, want: ids},
		{marker: "", max: 5000, want: ids},
		{marker: ids[2], max: 2, want: ids[2:4], wantNext: ids[4]},
		{marker: ids[4], max: 1, want: ids[4:]},
		{marker: ids[1] + "0", max: 10, want: ids[2:]}, // a marker that is no ID starts after it
		{marker: "zzzz", max: 10, want: nil},
	}
	for _, tc := range tests {
		page, err := e.svc.ListHealthChecks(ctx, tc.marker, tc.max)
		if err != nil {
			t.Fatal(err)
		}
		var gotIDs []string
		for _, hc := range page.HealthChecks {
			gotIDs = append(gotIDs, hc.ID)
		}
		if !slices.Equal(gotIDs, tc.want) || page.NextMarker != tc.wantNext {
			t.Errorf("List(%q, %d) = %v next %q, want %v next %q", tc.marker, tc.max, gotIDs, page.NextMarker, tc.want, tc.wantNext)
		}
	}
}

func TestUpdateHealthCheck(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, Config{})
	hc := e.createCheck(t, "r", httpConfig("93.184.216.34"))

	up, err := e.svc.UpdateHealthCheck(ctx, hc.ID, healthcheck.Update{HealthCheckVersion: ptr(int64(1)), Inverted: ptr(true), FailureThreshold: ptr(int64(1))})
	if err != nil {
		t.Fatal(err)
	}
	if up.Version != 2 || !*up.Config.Inverted || *up.Config.FailureThreshold != 1 {
		t.Fatalf("updated = %s", jsonOf(up))
	}
	got, _ := e.svc.GetHealthCheck(ctx, hc.ID)
	if jsonOf(got) != jsonOf(up) {
		t.Fatalf("stored = %s, want %s", jsonOf(got), jsonOf(up))
	}

	_, err = e.svc.UpdateHealthCheck(ctx, hc.ID, healthcheck.Update{HealthCheckVersion: ptr(int64(1)), Disabled: ptr(true)})
	wantCode(t, err, "HealthCheckVersionMismatch")
	_, err = e.svc.UpdateHealthCheck(ctx, hc.ID, healthcheck.Update{IPAddress: ptr("")})
	wantCode(t, err, "InvalidInput")
	_, err = e.svc.UpdateHealthCheck(ctx, "9f3c5a4e-0000-4000-8000-000000000000", healthcheck.Update{})
	wantMessage(t, err, "NoSuchHealthCheck", "A health check with id 9f3c5a4e-0000-4000-8000-000000000000 does not exist.")
	if got, _ := e.svc.GetHealthCheck(ctx, hc.ID); got.Version != 2 || *got.Config.Disabled {
		t.Fatalf("failed updates changed the check: %s", jsonOf(got))
	}

	// A calculated check's new children are looked up in the store,
	// including itself.
	parent := e.createCheck(t, "p", calcConfig(1, hc.ID))
	_, err = e.svc.UpdateHealthCheck(ctx, parent.ID, healthcheck.Update{ChildHealthChecks: []string{hc.ID, parent.ID}})
	wantCode(t, err, "InvalidInput")
	other := e.createCheck(t, "o", httpConfig("93.184.216.35"))
	up, err = e.svc.UpdateHealthCheck(ctx, parent.ID, healthcheck.Update{ChildHealthChecks: []string{hc.ID, other.ID}, HealthThreshold: ptr(int64(2))})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(up.Config.ChildHealthChecks, []string{hc.ID, other.ID}) || up.Version != 2 {
		t.Fatalf("updated parent = %s", jsonOf(up))
	}
}

func TestDeleteHealthCheck(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, Config{})
	child := e.createCheck(t, "c", httpConfig("93.184.216.34"))
	p1 := e.createCheck(t, "p1", calcConfig(1, child.ID))
	p2 := e.createCheck(t, "p2", calcConfig(1, child.ID))
	if err := e.svc.ChangeTags(ctx, ResourceHealthCheck, child.ID, []Tag{{Key: "Name", Value: "web"}}, nil); err != nil {
		t.Fatal(err)
	}

	parents := []string{p1.ID, p2.ID}
	slices.Sort(parents)
	err := e.svc.DeleteHealthCheck(ctx, child.ID)
	wantMessage(t, err, "InvalidInput", "Health check "+child.ID+" is still referenced from parent health check(s): "+strings.Join(parents, ", "))

	for _, id := range []string{p1.ID, p2.ID, child.ID} {
		if err := e.svc.DeleteHealthCheck(ctx, id); err != nil {
			t.Fatalf("delete %s: %v", id, err)
		}
	}
	if e.hasKey(t, tagsKey(ResourceHealthCheck, child.ID)) {
		t.Error("the deleted check's tags remain")
	}
	if !e.hasKey(t, healthCheckRefKey("c")) {
		t.Error("the deleted check's caller reference was forgotten")
	}
	_, err = e.svc.GetHealthCheck(ctx, child.ID)
	wantCode(t, err, "NoSuchHealthCheck")
	err = e.svc.DeleteHealthCheck(ctx, child.ID)
	wantMessage(t, err, "NoSuchHealthCheck", "A health check with id "+child.ID+" does not exist.")
	err = e.svc.DeleteHealthCheck(ctx, strings.Repeat("x", 65))
	wantCode(t, err, "InvalidInput")
	if n, _ := e.svc.HealthCheckCount(ctx); n != 0 {
		t.Errorf("count = %d", n)
	}
}

func TestLoadHealthChecks(t *testing.T) {
	e := newEnv(t, Config{HealthOptions: healthcheck.Options{CheckerIPRanges: []string{"192.0.2.0/24"}}})
	if got := e.svc.CheckerIPRanges(); !slices.Equal(got, []string{"192.0.2.0/24"}) {
		t.Errorf("CheckerIPRanges = %v", got)
	}
	if got := New(Config{}).CheckerIPRanges(); !slices.Equal(got, []string{"127.0.0.0/8"}) {
		t.Errorf("default CheckerIPRanges = %v", got)
	}
	var want []string
	for _, ref := range []string{"x", "y", "z"} {
		want = append(want, e.createCheck(t, ref, httpConfig("93.184.216.34")).ID)
	}
	slices.Sort(want)
	var got []healthcheck.HealthCheck
	err := e.st.View(context.Background(), func(tx store.ReadTx) error {
		var err error
		got, err = LoadHealthChecks(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, hc := range got {
		ids = append(ids, hc.ID)
		if *hc.Config.Port != 80 {
			t.Errorf("loaded config = %s", jsonOf(hc.Config))
		}
	}
	if !slices.Equal(ids, want) {
		t.Fatalf("loaded %v, want %v", ids, want)
	}
}
