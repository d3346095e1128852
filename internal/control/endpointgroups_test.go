package control

import (
	"context"
	"testing"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
)

func TestEndpointGroupRules(t *testing.T) {
	ctx := context.Background()
	e := newGAEnv(t, Config{HealthOptions: healthcheck.Options{MinInterval: 5}}, AcceleratorConfig{Regions: []string{"lab-1"}})
	a := e.createAcc(t, "eg")
	l := e.createListener(t, a.ARN, "TCP", pr(80, 80), pr(443, 443))
	l2 := e.createListener(t, a.ARN, "UDP", pr(53, 53))
	g := e.createGroup(t, l.ARN, "lab-1", globalaccel.GroupSettings{HealthCheckIntervalSeconds: ptr(5)})
	if g.HealthCheckIntervalSeconds != 5 || g.HealthCheckPort != 80 {
		t.Errorf("group %+v", g)
	}
	create := func(listener, region string, s globalaccel.GroupSettings) error {
		_, err := e.ga.CreateEndpointGroup(ctx, CreateEndpointGroupInput{ListenerARN: listener, Region: region, Settings: s, IdempotencyToken: e.token()})
		return err
	}
	wantCode(t, create(l.ARN, "lab-1", globalaccel.GroupSettings{}), globalaccel.CodeEndpointGroupAlreadyExists)
	wantCode(t, create(l.ARN, "lab-2", globalaccel.GroupSettings{}), globalaccel.CodeInvalidArgument)
	wantCode(t, create(l.ARN, "us-east-1", globalaccel.GroupSettings{HealthCheckIntervalSeconds: ptr(4)}), globalaccel.CodeInvalidArgument)
	wantCode(t, create(l.ARN+"x", "us-east-1", globalaccel.GroupSettings{}), globalaccel.CodeInvalidArgument)
	wantCode(t, create(a.ARN+"/listener/00000000", "us-east-1", globalaccel.GroupSettings{}), globalaccel.CodeListenerNotFound)
	// The same region under another listener is fine.
	e.createGroup(t, l2.ARN, "lab-1", globalaccel.GroupSettings{})

	// Port overrides are checked across the accelerator.
	ov := func(lp, ep int) []globalaccel.PortOverride {
		return []globalaccel.PortOverride{{ListenerPort: lp, EndpointPort: ep}}
	}
	if _, err := e.ga.UpdateEndpointGroup(ctx, g.ARN, globalaccel.GroupSettings{PortOverrides: ov(80, 8080)}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, create(l.ARN, "us-east-1", globalaccel.GroupSettings{PortOverrides: ov(443, 8080)}), globalaccel.CodeInvalidArgument)
	wantCode(t, create(l.ARN, "us-east-1", globalaccel.GroupSettings{PortOverrides: ov(443, 53)}), globalaccel.CodeInvalidArgument)
	wantCode(t, create(l.ARN, "us-east-1", globalaccel.GroupSettings{PortOverrides: ov(8080, 9090)}), globalaccel.CodeInvalidArgument)
	e.createGroup(t, l.ARN, "us-east-1", globalaccel.GroupSettings{PortOverrides: ov(80, 8080)})

	// UpdateEndpointGroup: a failed update changes nothing.
	before, _ := e.ga.DescribeEndpointGroup(ctx, g.ARN)
	rev := e.revision(t)
	_, err := e.ga.UpdateEndpointGroup(ctx, g.ARN, globalaccel.GroupSettings{TrafficDialPercentage: ptr(10.0), ThresholdCount: ptr(11)})
	wantCode(t, err, globalaccel.CodeInvalidArgument)
	after, _ := e.ga.DescribeEndpointGroup(ctx, g.ARN)
	if after.TrafficDialPercentage != before.TrafficDialPercentage || e.revision(t) != rev {
		t.Errorf("failed update changed the group: dial %v", after.TrafficDialPercentage)
	}
	up, err := e.ga.UpdateEndpointGroup(ctx, g.ARN, globalaccel.GroupSettings{HealthCheckPort: ptr(8443), HealthCheckProtocol: ptr("HTTPS"), HealthCheckPath: ptr("/ready")})
	if err != nil || up.HealthCheckPort != 8443 || up.HealthCheckProtocol != "HTTPS" || up.HealthCheckPath != "/ready" || len(up.PortOverrides) != 1 || up.Region != "lab-1" {
		t.Errorf("update: %+v %v", up, err)
	}
	// A no-op update commits nothing.
	rev = e.revision(t)
	if _, err := e.ga.UpdateEndpointGroup(ctx, g.ARN, globalaccel.GroupSettings{HealthCheckPort: ptr(8443)}); err != nil || e.revision(t) != rev {
		t.Errorf("no-op update: %v, revision %d → %d", err, rev, e.revision(t))
	}

	// Endpoints.
	if _, err := e.ga.AddEndpoints(ctx, g.ARN, []globalaccel.EndpointConfiguration{{EndpointID: "192.0.2.1"}, {EndpointID: "192.0.2.2:8080", Weight: ptr(0)}}); err != nil {
		t.Fatal(err)
	}
	touched, err := e.ga.AddEndpoints(ctx, g.ARN, []globalaccel.EndpointConfiguration{{EndpointID: "192.0.2.1", ClientIPPreservationEnabled: ptr(true)}})
	if err != nil || len(touched) != 1 || touched[0] != (globalaccel.Endpoint{EndpointID: "192.0.2.1", Weight: 128, ClientIPPreservationEnabled: true}) {
		t.Errorf("update via AddEndpoints: %+v %v", touched, err)
	}
	wantCode(t, e.ga.RemoveEndpoints(ctx, g.ARN, []string{"192.0.2.9"}), globalaccel.CodeEndpointNotFound)
	wantCode(t, e.ga.RemoveEndpoints(ctx, g.ARN, nil), globalaccel.CodeInvalidArgument)
	wantCode(t, e.ga.RemoveEndpoints(ctx, g.ARN, []string{"i-123"}), globalaccel.CodeInvalidArgument)
	if err := e.ga.RemoveEndpoints(ctx, g.ARN, []string{"192.0.2.2:8080"}); err != nil {
		t.Fatal(err)
	}
	got, _ := e.ga.DescribeEndpointGroup(ctx, g.ARN)
	if len(got.Endpoints) != 1 || got.Endpoints[0].EndpointID != "192.0.2.1" {
		t.Errorf("endpoints %+v", got.Endpoints)
	}
	_, err = e.ga.AddEndpoints(ctx, l.ARN+"/endpoint-group/000000000000", []globalaccel.EndpointConfiguration{{EndpointID: "192.0.2.1"}})
	wantCode(t, err, globalaccel.CodeEndpointGroupNotFound)

	page, err := e.ga.ListEndpointGroups(ctx, l.ARN, 1, "")
	if err != nil || len(page.EndpointGroups) != 1 || page.EndpointGroups[0].Region != "lab-1" || page.NextToken == "" {
		t.Fatalf("first page: %+v %v", page, err)
	}
	page, err = e.ga.ListEndpointGroups(ctx, l.ARN, 1, page.NextToken)
	if err != nil || len(page.EndpointGroups) != 1 || page.EndpointGroups[0].Region != "us-east-1" || page.NextToken != "" {
		t.Errorf("second page: %+v %v", page, err)
	}
}
