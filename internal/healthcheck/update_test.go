package healthcheck

import "testing"

func sptr(s string) *string { return &s }

// stored returns a stored, defaulted check at version 3.
func stored(c Config) HealthCheck {
	Defaults(&c)
	return HealthCheck{ID: "self", CallerReference: "ref", Config: c, Version: 3}
}

func TestApplyUpdate(t *testing.T) {
	httpFull := Config{Type: TypeHTTP, IPAddress: "93.184.216.34", FullyQualifiedDomainName: "www.example.com", ResourcePath: "/health",
		Regions: []string{"us-east-1", "us-west-1", "eu-west-1"}}
	byName := Config{Type: TypeHTTPS, FullyQualifiedDomainName: "www.example.com"}
	calc := Config{Type: TypeCalculated, HealthThreshold: i64(1), ChildHealthChecks: []string{"child-http"}}
	opts := Options{Lookup: lookupOf(childHTTP, childCalc, HealthCheck{ID: "other-http", Config: httpCheck()},
		HealthCheck{ID: "self", Config: calc})}
	tests := []struct {
		name   string
		base   Config
		update Update
		opts   *Options
		check  func(t *testing.T, c Config)
		code   string
		want   string
	}{
		{name: "no version, no changes", base: httpFull, check: func(t *testing.T, c Config) {
			if !Equal(c, stored(httpFull).Config) {
				t.Errorf("config changed: %s", js(c))
			}
		}},
		{name: "matching version", base: httpFull, update: Update{HealthCheckVersion: i64(3), Inverted: bptr(true)},
			check: func(t *testing.T, c Config) {
				if !*c.Inverted {
					t.Error("Inverted not set")
				}
			}},
		{name: "stale version", base: httpFull, update: Update{HealthCheckVersion: i64(2), Inverted: bptr(true)},
			code: "HealthCheckVersionMismatch", want: "The value of HealthCheckVersion in the request doesn't match the value of HealthCheckVersion in the health check."},
		{name: "future version", base: httpFull, update: Update{HealthCheckVersion: i64(4)},
			code: "HealthCheckVersionMismatch", want: "doesn't match"},
		{name: "version 0", base: httpFull, update: Update{HealthCheckVersion: i64(0)},
			want: "Value '0' at 'healthCheckVersion' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{name: "change every updatable endpoint member", base: httpFull,
			update: Update{IPAddress: sptr("93.184.216.35"), Port: i64(8080), ResourcePath: sptr("status"), FullyQualifiedDomainName: sptr("api.example.com"),
				FailureThreshold: i64(5), Inverted: bptr(true), Disabled: bptr(true), EnableSNI: bptr(true), Regions: []string{"sa-east-1", "us-west-2", "ap-northeast-1"}},
			check: func(t *testing.T, c Config) {
				want := Config{Type: TypeHTTP, IPAddress: "93.184.216.35", Port: i64(8080), ResourcePath: "/status", FullyQualifiedDomainName: "api.example.com",
					RequestInterval: i64(30), FailureThreshold: i64(5), MeasureLatency: bptr(false), Inverted: bptr(true), Disabled: bptr(true),
					EnableSNI: bptr(true), Regions: []string{"sa-east-1", "us-west-2", "ap-northeast-1"}}
				if !Equal(c, want) {
					t.Errorf("config = %s\nwant %s", js(c), js(want))
				}
			}},
		{name: "IP cannot be added", base: byName, update: Update{IPAddress: sptr("93.184.216.34")},
			want: "Invalid parameter : An IP address can't be added to a health check that was created without one."},
		{name: "IP cannot be removed", base: httpFull, update: Update{IPAddress: sptr("")},
			want: "Invalid parameter : The IP address of a health check can be changed but not removed."},
		{name: "empty IP on a check without one is no change", base: byName, update: Update{IPAddress: sptr("")}},
		{name: "changed IP is validated", base: httpFull, update: Update{IPAddress: sptr("10.0.0.1")}, want: "is in a local, private"},
		{name: "reset elements", base: httpFull, update: Update{ResetElements: []string{ResetFQDN, ResetRegions, ResetResourcePath}},
			check: func(t *testing.T, c Config) {
				if c.FullyQualifiedDomainName != "" || c.Regions != nil || c.ResourcePath != "" {
					t.Errorf("not reset: %s", js(c))
				}
				if c.IPAddress != "93.184.216.34" {
					t.Errorf("IP changed: %s", js(c))
				}
			}},
		{name: "reset FQDN of a check without IP", base: byName, update: Update{ResetElements: []string{ResetFQDN}},
			want: "Basic health checks must have an IP address or a fully qualified domain name specified."},
		{name: "unknown reset element", base: httpFull, update: Update{ResetElements: []string{"Port"}},
			want: "Value 'Port' at 'resetElements.member' failed to satisfy constraint: Member must satisfy enum value set: [FullyQualifiedDomainName, Regions, ResourcePath, ChildHealthChecks]"},
		{name: "set and reset", base: httpFull, update: Update{ResourcePath: sptr("/x"), ResetElements: []string{ResetResourcePath}},
			want: "Invalid parameter : ResourcePath can't be both set and reset in the same request."},
		{name: "update rules use request member names", base: httpFull, update: Update{FailureThreshold: i64(11)},
			want: "1 validation error detected: Value '11' at 'failureThreshold' failed to satisfy constraint: Member must have value less than or equal to 10"},
		{name: "two regions", base: httpFull, update: Update{Regions: []string{"us-east-1", "us-west-1"}},
			want: "at 'regions' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{name: "empty region list", base: httpFull, update: Update{Regions: []string{}}, want: "Member must have length greater than or equal to 3"},
		{name: "search string on HTTP", base: httpFull, update: Update{SearchString: sptr("x")},
			want: "HTTP health checks must not have a search string specified."},
		{name: "port on calculated", base: calc, update: Update{Port: i64(80)}, opts: &opts,
			want: "Calculated health checks must not have a port specified."},
		{name: "calculated children and threshold", base: calc, update: Update{ChildHealthChecks: []string{"child-http", "other-http"}, HealthThreshold: i64(2)}, opts: &opts,
			check: func(t *testing.T, c Config) {
				if js(c.ChildHealthChecks) != `["child-http","other-http"]` || *c.HealthThreshold != 2 {
					t.Errorf("config = %s", js(c))
				}
			}},
		{name: "calculated child calculated", base: calc, update: Update{ChildHealthChecks: []string{"child-calc"}}, opts: &opts,
			want: "A calculated health check can't have a calculated health check (child-calc) as a child."},
		{name: "calculated child itself", base: calc, update: Update{ChildHealthChecks: []string{"self"}}, opts: &opts,
			want: "A calculated health check can't have a calculated health check (self) as a child."},
		{name: "calculated child missing", base: calc, update: Update{ChildHealthChecks: []string{"gone"}}, opts: &opts,
			want: "The child health check gone does not exist."},
		{name: "reset children", base: calc, update: Update{ResetElements: []string{ResetChildHealthChecks}}, opts: &opts,
			check: func(t *testing.T, c Config) {
				if c.ChildHealthChecks != nil {
					t.Errorf("children = %v", c.ChildHealthChecks)
				}
			}},
		{name: "empty children list clears", base: calc, update: Update{ChildHealthChecks: []string{}}, opts: &opts,
			check: func(t *testing.T, c Config) {
				if c.ChildHealthChecks != nil {
					t.Errorf("children = %#v, want nil", c.ChildHealthChecks)
				}
			}},
		{name: "alarm changes", base: Config{Type: TypeCloudWatchMetric, AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "a"}},
			update: Update{AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "b"}, InsufficientDataHealthStatus: sptr(InsufficientUnhealthy)},
			opts:   &Options{AlarmKnown: func(_, name string) bool { return name == "a" || name == "b" }},
			check: func(t *testing.T, c Config) {
				if c.AlarmIdentifier.Name != "b" || c.InsufficientDataHealthStatus != InsufficientUnhealthy {
					t.Errorf("config = %s", js(c))
				}
			}},
		{name: "alarm not mapped", base: Config{Type: TypeCloudWatchMetric, AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "a"}},
			update: Update{AlarmIdentifier: &AlarmIdentifier{Region: "us-east-1", Name: "c"}},
			opts:   &Options{AlarmKnown: func(_, name string) bool { return name == "a" }},
			want:   "cannot watch the alarm \"c\" in us-east-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hc := stored(tc.base)
			before := js(hc)
			o := Options{}
			if tc.opts != nil {
				o = *tc.opts
			}
			err := ApplyUpdate(&hc, tc.update, o)
			if tc.want != "" {
				code := tc.code
				if code == "" {
					code = "InvalidInput"
				}
				checkErr(t, err, code, tc.want)
				if js(hc) != before {
					t.Fatalf("check changed by a failed update:\n%s\nwas\n%s", js(hc), before)
				}
				return
			}
			if err != nil {
				t.Fatalf("ApplyUpdate: %v", err)
			}
			if hc.Version != 4 {
				t.Errorf("version = %d, want 4", hc.Version)
			}
			if hc.Config.Type != tc.base.Type || hc.ID != "self" || hc.CallerReference != "ref" {
				t.Errorf("identity changed: %s", js(hc))
			}
			if tc.check != nil {
				tc.check(t, hc.Config)
			}
		})
	}
}

func TestApplyUpdateDoesNotAlias(t *testing.T) {
	hc := stored(Config{Type: TypeHTTP, IPAddress: "93.184.216.34", Regions: []string{"us-east-1", "us-west-1", "eu-west-1"}})
	old := hc.Config
	regions := []string{"sa-east-1", "us-west-2", "ap-northeast-1"}
	if err := ApplyUpdate(&hc, Update{Regions: regions, FailureThreshold: i64(2)}, Options{}); err != nil {
		t.Fatal(err)
	}
	regions[0] = "changed"
	if hc.Config.Regions[0] != "sa-east-1" {
		t.Errorf("stored regions alias the request: %v", hc.Config.Regions)
	}
	if old.Regions[0] != "us-east-1" || *old.FailureThreshold != 3 {
		t.Errorf("previous config modified: %s", js(old))
	}
}
