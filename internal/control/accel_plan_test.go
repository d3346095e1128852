package control

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

func TestCompilePlanAndHealthChecks(t *testing.T) {
	ctx := context.Background()
	e := newGAEnv(t, Config{}, AcceleratorConfig{})
	a := e.createAcc(t, "plan")
	tcp := e.createListener(t, a.ARN, "TCP", pr(443, 443), pr(80, 80))
	udp, err := e.ga.CreateListener(ctx, CreateListenerInput{AcceleratorARN: a.ARN, Protocol: "UDP", ClientAffinity: "SOURCE_IP", PortRanges: []globalaccel.PortRange{pr(5000, 5010)}, IdempotencyToken: "u"})
	if err != nil {
		t.Fatal(err)
	}
	east := e.createGroup(t, tcp.ARN, "us-east-1", globalaccel.GroupSettings{
		Endpoints: []globalaccel.EndpointConfiguration{
			{EndpointID: "192.0.2.1"},
			{EndpointID: "[2001:db8::2]:8443", Weight: ptr(7), ClientIPPreservationEnabled: ptr(true)},
		},
		PortOverrides:       []globalaccel.PortOverride{{ListenerPort: 443, EndpointPort: 1443}},
		HealthCheckProtocol: ptr("HTTP"), HealthCheckPath: ptr("/hc"), HealthCheckIntervalSeconds: ptr(10), ThresholdCount: ptr(2),
		TrafficDialPercentage: ptr(40.0),
	})
	west := e.createGroup(t, tcp.ARN, "eu-west-1", globalaccel.GroupSettings{
		Endpoints:       []globalaccel.EndpointConfiguration{{EndpointID: "192.0.2.3:9000"}},
		HealthCheckPort: ptr(9999),
	})
	udpGroup := e.createGroup(t, udp.ARN, "us-east-1", globalaccel.GroupSettings{
		Endpoints:           []globalaccel.EndpointConfiguration{{EndpointID: "192.0.2.4"}},
		HealthCheckProtocol: ptr("HTTP"),
	})
	if _, err := e.ga.UpdateAccelerator(ctx, UpdateAcceleratorInput{ARN: a.ARN, Enabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}

	accs := e.loadAll(t)
	plan := CompilePlan(accs)
	if len(plan.Accelerators) != 1 {
		t.Fatalf("plan %+v", plan)
	}
	pa := plan.Accelerators[0]
	if pa.ARN != a.ARN || pa.Name != "plan" || pa.Enabled || !slices.Equal(pa.Addresses, a.IPv4) || len(pa.Listeners) != 2 {
		t.Errorf("plan accelerator %+v", pa)
	}
	pl := pa.Listeners[0]
	if pl.ARN != tcp.ARN || pl.Protocol != "TCP" || pl.ClientAffinity != "NONE" || fmt.Sprint(pl.PortRanges) != "[{443 443} {80 80}]" || len(pl.Groups) != 2 {
		t.Errorf("plan listener %+v", pl)
	}
	pg := pl.Groups[0]
	if pg.ARN != east.ARN || pg.Region != "us-east-1" || pg.TrafficDial != 40 || pg.HealthCheckPort != 443 || pg.HealthCheckProto != "HTTP" ||
		pg.HealthCheckPath != "/hc" || pg.HealthCheckSeconds != 10 || pg.ThresholdCount != 2 || pg.PortOverrides[443] != 1443 || len(pg.PortOverrides) != 1 {
		t.Errorf("plan group %+v", pg)
	}
	wantEndpoints := []accel.Endpoint{
		{ID: "192.0.2.1", Addr: netip.MustParseAddr("192.0.2.1"), Weight: 128, HealthCheckID: globalaccel.HealthCheckID(east.ARN, "192.0.2.1")},
		{ID: "[2001:db8::2]:8443", Addr: netip.MustParseAddr("2001:db8::2"), Port: 8443, Weight: 7, ClientIPPreservation: true,
			HealthCheckID: globalaccel.HealthCheckID(east.ARN, "[2001:db8::2]:8443")},
	}
	if !slices.Equal(pg.Endpoints, wantEndpoints) {
		t.Errorf("plan endpoints %+v, want %+v", pg.Endpoints, wantEndpoints)
	}
	if pa.Listeners[1].ClientAffinity != "SOURCE_IP" || pa.Listeners[1].Protocol != "UDP" {
		t.Errorf("UDP listener %+v", pa.Listeners[1])
	}
	if empty := CompilePlan(nil); empty == nil || len(empty.Accelerators) != 0 {
		t.Errorf("empty plan %+v", empty)
	}

	checks := HealthChecksFor(accs)
	byID := map[string]healthcheck.HealthCheck{}
	for _, hc := range checks {
		byID[hc.ID] = hc
	}
	type want struct {
		typ, ip, path string
		port          int64
		interval      int64
		threshold     int64
	}
	wants := map[string]want{
		// HTTP on the listener's first port (the override does not apply).
		globalaccel.HealthCheckID(east.ARN, "192.0.2.1"): {"HTTP", "192.0.2.1", "/hc", 443, 10, 2},
		// An endpoint with its own port is checked there.
		globalaccel.HealthCheckID(east.ARN, "[2001:db8::2]:8443"): {"HTTP", "2001:db8::2", "/hc", 8443, 10, 2},
		// A configured HealthCheckPort wins over the endpoint's port.
		globalaccel.HealthCheckID(west.ARN, "192.0.2.3:9000"): {"TCP", "192.0.2.3", "", 9999, 30, 3},
		// Endpoints behind a UDP listener are checked with TCP.
		globalaccel.HealthCheckID(udpGroup.ARN, "192.0.2.4"): {"TCP", "192.0.2.4", "", 5000, 30, 3},
	}
	if len(checks) != len(wants) {
		t.Fatalf("%d checks, want %d: %+v", len(checks), len(wants), checks)
	}
	for id, w := range wants {
		hc, ok := byID[id]
		if !ok {
			t.Errorf("no check %s", id)
			continue
		}
		c := hc.Config
		if c.Type != w.typ || c.IPAddress != w.ip || c.ResourcePath != w.path || *c.Port != w.port || *c.RequestInterval != w.interval ||
			*c.FailureThreshold != w.threshold || *c.Inverted || *c.Disabled || hc.CallerReference == "" {
			t.Errorf("check %s: %+v (port %d interval %d threshold %d), want %+v", id, c, *c.Port, *c.RequestInterval, *c.FailureThreshold, w)
		}
	}
}
