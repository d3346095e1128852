package control

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/store"
)

// gaEnv is the Global Accelerator service over a fresh store.
type gaEnv struct {
	*testEnv
	ga     *AcceleratorService
	tokens int
}

func newGAEnv(t *testing.T, cfg Config, gcfg AcceleratorConfig) *gaEnv {
	t.Helper()
	e := newEnv(t, cfg)
	return &gaEnv{testEnv: e, ga: e.svc.Accelerators(gcfg)}
}

func (e *gaEnv) token() string {
	e.tokens++
	return fmt.Sprintf("token-%d", e.tokens)
}

func (e *gaEnv) createAcc(t *testing.T, name string) globalaccel.Accelerator {
	t.Helper()
	a, err := e.ga.CreateAccelerator(context.Background(), CreateAcceleratorInput{Name: name, IdempotencyToken: e.token()})
	if err != nil {
		t.Fatalf("create accelerator %s: %v", name, err)
	}
	return a
}

func (e *gaEnv) createListener(t *testing.T, acc, protocol string, ranges ...globalaccel.PortRange) globalaccel.Listener {
	t.Helper()
	l, err := e.ga.CreateListener(context.Background(), CreateListenerInput{AcceleratorARN: acc, Protocol: protocol, PortRanges: ranges, IdempotencyToken: e.token()})
	if err != nil {
		t.Fatalf("create listener: %v", err)
	}
	return l
}

func (e *gaEnv) createGroup(t *testing.T, listener, region string, s globalaccel.GroupSettings) globalaccel.EndpointGroup {
	t.Helper()
	g, err := e.ga.CreateEndpointGroup(context.Background(), CreateEndpointGroupInput{ListenerARN: listener, Region: region, Settings: s, IdempotencyToken: e.token()})
	if err != nil {
		t.Fatalf("create endpoint group %s: %v", region, err)
	}
	return g
}

// disableAndDelete deletes an accelerator without listeners.
func (e *gaEnv) disableAndDelete(t *testing.T, arn string) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.ga.UpdateAccelerator(ctx, UpdateAcceleratorInput{ARN: arn, Enabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if err := e.ga.DeleteAccelerator(ctx, arn); err != nil {
		t.Fatal(err)
	}
}

func (e *gaEnv) loadAll(t *testing.T) []globalaccel.Accelerator {
	t.Helper()
	var accs []globalaccel.Accelerator
	err := e.st.View(context.Background(), func(tx store.ReadTx) (err error) {
		accs, err = LoadAccelerators(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return accs
}

func pr(from, to int) globalaccel.PortRange { return globalaccel.PortRange{FromPort: from, ToPort: to} }

func TestAcceleratorQuotaAndAddresses(t *testing.T) {
	e := newGAEnv(t, Config{}, AcceleratorConfig{})
	seen := map[netip.Addr]string{}
	var accs []globalaccel.Accelerator
	for i := range globalaccel.MaxAccelerators {
		a := e.createAcc(t, fmt.Sprintf("a%d", i))
		if len(a.IPv4) != 2 || len(a.IPv6) != 0 || a.Status != globalaccel.StatusInProgress || !a.Enabled || a.IPAddressType != "IPV4" {
			t.Fatalf("accelerator %+v", a)
		}
		for _, ip := range a.IPv4 {
			if !globalaccel.Usable(globalaccel.DefaultIPv4Pool, ip) || seen[ip] != "" {
				t.Fatalf("address %s: in pool %v, already used by %q", ip, globalaccel.Usable(globalaccel.DefaultIPv4Pool, ip), seen[ip])
			}
			seen[ip] = a.ARN
		}
		accs = append(accs, a)
	}
	_, err := e.ga.CreateAccelerator(context.Background(), CreateAcceleratorInput{Name: "over", IdempotencyToken: e.token()})
	wantCode(t, err, globalaccel.CodeLimitExceeded)

	// Deleting releases the addresses: the next accelerator gets them.
	freed := accs[3].IPv4
	e.disableAndDelete(t, accs[3].ARN)
	a := e.createAcc(t, "reuse")
	if !slices.Equal(a.IPv4, freed) {
		t.Errorf("new accelerator got %v, want the released %v", a.IPv4, freed)
	}
	if got := e.loadAll(t); len(got) != globalaccel.MaxAccelerators || got[len(got)-1].ARN != a.ARN || got[0].ARN != accs[0].ARN {
		t.Errorf("LoadAccelerators: %d, not in creation order", len(got))
	}
}

func TestAcceleratorAddressPool(t *testing.T) {
	ctx := context.Background()
	e := newGAEnv(t, Config{}, AcceleratorConfig{IPv4Pool: netip.MustParsePrefix("192.0.2.0/29"), MaxAccelerators: 5})
	first := e.createAcc(t, "first")
	if fmt.Sprint(first.IPv4) != "[192.0.2.1 192.0.2.2]" {
		t.Errorf("first addresses %v", first.IPv4)
	}
	byoip, err := e.ga.CreateAccelerator(ctx, CreateAcceleratorInput{Name: "byoip", IdempotencyToken: e.token(), IPAddresses: []string{"192.0.2.6"}})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(byoip.IPv4) != "[192.0.2.6 192.0.2.3]" {
		t.Errorf("BYOIP addresses %v, want the requested one first, then the lowest free", byoip.IPv4)
	}
	tests := []struct {
		name string
		ips  []string
		typ  string
	}{
		{"in use", []string{"192.0.2.1"}, ""},
		{"outside the pool", []string{"198.51.100.1"}, ""},
		{"network address", []string{"192.0.2.0"}, ""},
		{"broadcast address", []string{"192.0.2.7"}, ""},
		{"twice", []string{"192.0.2.4", "192.0.2.4"}, ""},
		{"three", []string{"192.0.2.4", "192.0.2.5", "192.0.2.6"}, ""},
		{"not an address", []string{"example.com"}, ""},
		{"IPv6 on IPV4", []string{"fd00::1"}, ""},
		{"dual stack without a pool", nil, "DUAL_STACK"},
	}
	for _, tc := range tests {
		_, err := e.ga.CreateAccelerator(ctx, CreateAcceleratorInput{Name: "x", IdempotencyToken: e.token(), IPAddresses: tc.ips, IPAddressType: tc.typ})
		if errCode(err) != globalaccel.CodeInvalidArgument {
			t.Errorf("%s: %v, want InvalidArgumentException", tc.name, err)
		}
	}
	// .4 and .5 are left: one more accelerator fits, then the pool is empty.
	e.createAcc(t, "last")
	_, err = e.ga.CreateAccelerator(ctx, CreateAcceleratorInput{Name: "none", IdempotencyToken: e.token()})
	wantCode(t, err, globalaccel.CodeLimitExceeded)
}

func TestAcceleratorDualStack(t *testing.T) {
	ctx := context.Background()
	e := newGAEnv(t, Config{}, AcceleratorConfig{IPv6Pool: netip.MustParsePrefix("fd00:ac::/120")})
	a := e.createAcc(t, "v4")
	up, err := e.ga.UpdateAccelerator(ctx, UpdateAcceleratorInput{ARN: a.ARN, IPAddressType: ptr("DUAL_STACK")})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(up.IPv6) != "[fd00:ac::1 fd00:ac::2]" || len(up.Addresses()) != 4 || !slices.Equal(up.IPv4, a.IPv4) {
		t.Fatalf("dual stack %+v", up)
	}
	back, err := e.ga.UpdateAccelerator(ctx, UpdateAcceleratorInput{ARN: a.ARN, IPAddressType: ptr("IPV4")})
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Addresses()) != 2 || !slices.Equal(back.IPv6, up.IPv6) {
		t.Errorf("back to IPV4: serves %v, reserves %v", back.Addresses(), back.IPv6)
	}
	// Reserved IPv6 addresses are not handed out again.
	other, err := e.ga.CreateAccelerator(ctx, CreateAcceleratorInput{Name: "ds", IdempotencyToken: e.token(), IPAddressType: "DUAL_STACK"})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(other.IPv6) != "[fd00:ac::3 fd00:ac::4]" {
		t.Errorf("second dual-stack accelerator got %v", other.IPv6)
	}
	again, err := e.ga.UpdateAccelerator(ctx, UpdateAcceleratorInput{ARN: a.ARN, IPAddressType: ptr("DUAL_STACK")})
	if err != nil || !slices.Equal(again.IPv6, up.IPv6) {
		t.Errorf("back to dual stack: %v %v, want the reserved %v", again.IPv6, err, up.IPv6)
	}
	// The accelerator's own addresses may be repeated, others not.
	if _, err := e.ga.UpdateAccelerator(ctx, UpdateAcceleratorInput{ARN: a.ARN, IPAddresses: []string{a.IPv4[1].String(), up.IPv6[0].String()}}); err != nil {
		t.Errorf("repeating own addresses: %v", err)
	}
	_, err = e.ga.UpdateAccelerator(ctx, UpdateAcceleratorInput{ARN: a.ARN, IPAddresses: []string{other.IPv4[0].String()}})
	wantCode(t, err, globalaccel.CodeInvalidArgument)
}

func TestAcceleratorStatus(t *testing.T) {
	ctx := context.Background()
	var deployed int64
	e := newGAEnv(t, Config{}, AcceleratorConfig{Deployed: func(rev int64) bool { return rev <= deployed }})
	a := e.createAcc(t, "st")
	status := func() string {
		t.Helper()
		got, err := e.ga.DescribeAccelerator(ctx, a.ARN)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	if a.Status != "IN_PROGRESS" || status() != "IN_PROGRESS" {
		t.Fatalf("new accelerator: %s / %s", a.Status, status())
	}
	deployed = e.revision(t)
	if status() != "DEPLOYED" {
		t.Fatalf("after deployment: %s", status())
	}
	// Changes that do not touch the data plane keep DEPLOYED.
	if _, err := e.ga.UpdateAcceleratorAttributes(ctx, a.ARN, AttributesInput{FlowLogsS3Prefix: ptr("p/")}); err != nil {
		t.Fatal(err)
	}
	if err := e.ga.TagResource(ctx, a.ARN, []Tag{{Key: "k", Value: "v"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ga.UpdateAccelerator(ctx, UpdateAcceleratorInput{ARN: a.ARN, Name: ptr("st"), Enabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if status() != "DEPLOYED" {
		t.Errorf("after attribute, tag and no-op changes: %s", status())
	}
	// A listener is a data-plane change.
	e.createListener(t, a.ARN, "TCP", pr(80, 80))
	if status() != "IN_PROGRESS" {
		t.Errorf("after CreateListener: %s", status())
	}
	deployed = e.revision(t)
	if status() != "DEPLOYED" {
		t.Errorf("after deploying the listener: %s", status())
	}

	// Without a hook every committed change is deployed.
	plain := newGAEnv(t, Config{}, AcceleratorConfig{})
	b := plain.createAcc(t, "plain")
	got, err := plain.ga.DescribeAccelerator(ctx, b.ARN)
	if err != nil || b.Status != "IN_PROGRESS" || got.Status != "DEPLOYED" {
		t.Errorf("no hook: create %s, describe %s, %v", b.Status, got.Status, err)
	}
}

func TestAcceleratorIdempotency(t *testing.T) {
	ctx := context.Background()
	e := newGAEnv(t, Config{}, AcceleratorConfig{})
	in := CreateAcceleratorInput{Name: "idem", IdempotencyToken: "same", Tags: []Tag{{Key: "a", Value: "1"}}}
	a1, err := e.ga.CreateAccelerator(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := e.ga.CreateAccelerator(ctx, in)
	if err != nil || a2.ARN != a1.ARN || len(e.loadAll(t)) != 1 {
		t.Fatalf("replay: %v %v, %d accelerators", a2.ARN, err, len(e.loadAll(t)))
	}
	for _, changed := range []CreateAcceleratorInput{
		{Name: "other", IdempotencyToken: "same", Tags: in.Tags},
		{Name: "idem", IdempotencyToken: "same"},
		{Name: "idem", IdempotencyToken: "same", Tags: in.Tags, Enabled: ptr(false)},
	} {
		_, err := e.ga.CreateAccelerator(ctx, changed)
		wantCode(t, err, globalaccel.CodeInvalidArgument)
	}
	// Enabled nil and true are the same request.
	if a3, err := e.ga.CreateAccelerator(ctx, CreateAcceleratorInput{Name: "idem", IdempotencyToken: "same", Tags: in.Tags, Enabled: ptr(true)}); err != nil || a3.ARN != a1.ARN {
		t.Errorf("Enabled true vs default: %v %v", a3.ARN, err)
	}
	_, err = e.ga.CreateAccelerator(ctx, CreateAcceleratorInput{Name: "idem"})
	wantCode(t, err, globalaccel.CodeInvalidArgument)

	lin := CreateListenerInput{AcceleratorARN: a1.ARN, Protocol: "TCP", PortRanges: []globalaccel.PortRange{pr(80, 80)}, IdempotencyToken: "l"}
	l1, err := e.ga.CreateListener(ctx, lin)
	if err != nil {
		t.Fatal(err)
	}
	if l2, err := e.ga.CreateListener(ctx, lin); err != nil || l2.ARN != l1.ARN {
		t.Fatalf("listener replay: %v %v", l2.ARN, err)
	}
	lin.ClientAffinity = "SOURCE_IP"
	_, err = e.ga.CreateListener(ctx, lin)
	wantCode(t, err, globalaccel.CodeInvalidArgument)

	gin := CreateEndpointGroupInput{ListenerARN: l1.ARN, Region: "us-east-1", IdempotencyToken: "g",
		Settings: globalaccel.GroupSettings{Endpoints: []globalaccel.EndpointConfiguration{{EndpointID: "192.0.2.1"}}}}
	g1, err := e.ga.CreateEndpointGroup(ctx, gin)
	if err != nil {
		t.Fatal(err)
	}
	if g2, err := e.ga.CreateEndpointGroup(ctx, gin); err != nil || g2.ARN != g1.ARN {
		t.Fatalf("group replay: %v %v", g2.ARN, err)
	}

	// Deleting a resource frees its token.
	if err := e.ga.DeleteEndpointGroup(ctx, g1.ARN); err != nil {
		t.Fatal(err)
	}
	if err := e.ga.DeleteListener(ctx, l1.ARN); err != nil {
		t.Fatal(err)
	}
	e.disableAndDelete(t, a1.ARN)
	if keys := e.keysUnder(t, prefixAccelTokens); len(keys) != 0 {
		t.Errorf("token keys left after deleting everything: %v", keys)
	}
	if keys := e.keysUnder(t, tagsKey(ResourceAccelerator, "")); len(keys) != 0 {
		t.Errorf("tag keys left: %v", keys)
	}
	a4, err := e.ga.CreateAccelerator(ctx, in)
	if err != nil || a4.ARN == a1.ARN {
		t.Errorf("token reuse after deletion: %v %v", a4.ARN, err)
	}
}

func TestListenerRules(t *testing.T) {
	ctx := context.Background()
	e := newGAEnv(t, Config{}, AcceleratorConfig{})
	a := e.createAcc(t, "lis")
	tcp := e.createListener(t, a.ARN, "TCP", pr(80, 80), pr(443, 443))
	udp := e.createListener(t, a.ARN, "UDP", pr(53, 53), pr(443, 443)) // per-protocol overlap only
	if udp.ClientAffinity != "NONE" || tcp.Protocol != "TCP" {
		t.Errorf("listeners %+v %+v", tcp, udp)
	}
	create := func(protocol string, ranges ...globalaccel.PortRange) error {
		_, err := e.ga.CreateListener(ctx, CreateListenerInput{AcceleratorARN: a.ARN, Protocol: protocol, PortRanges: ranges, IdempotencyToken: e.token()})
		return err
	}
	wantCode(t, create("TCP", pr(400, 500)), globalaccel.CodeInvalidPortRange)
	wantCode(t, create("UDP", pr(50, 60)), globalaccel.CodeInvalidPortRange)
	wantCode(t, create("SCTP", pr(1, 1)), globalaccel.CodeInvalidArgument)
	wantCode(t, create("TCP"), globalaccel.CodeInvalidArgument)
	for i := range 8 {
		if err := create("TCP", pr(1000+i, 1000+i)); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, create("TCP", pr(2000, 2000)), globalaccel.CodeLimitExceeded)

	// UpdateListener keeps the accelerator-wide rules.
	_, err := e.ga.UpdateListener(ctx, UpdateListenerInput{ListenerARN: udp.ARN, Protocol: ptr("TCP")})
	wantCode(t, err, globalaccel.CodeInvalidPortRange)
	_, err = e.ga.UpdateListener(ctx, UpdateListenerInput{ListenerARN: tcp.ARN, PortRanges: []globalaccel.PortRange{pr(1000, 1000)}})
	wantCode(t, err, globalaccel.CodeInvalidPortRange)
	e.createGroup(t, tcp.ARN, "us-east-1", globalaccel.GroupSettings{PortOverrides: []globalaccel.PortOverride{{ListenerPort: 80, EndpointPort: 8080}}})
	_, err = e.ga.UpdateListener(ctx, UpdateListenerInput{ListenerARN: udp.ARN, PortRanges: []globalaccel.PortRange{pr(8000, 8100)}})
	wantCode(t, err, globalaccel.CodeInvalidArgument) // would swallow the override's endpoint port
	_, err = e.ga.UpdateListener(ctx, UpdateListenerInput{ListenerARN: tcp.ARN, PortRanges: []globalaccel.PortRange{pr(443, 443)}})
	wantCode(t, err, globalaccel.CodeInvalidArgument) // would drop the override's listener port
	up, err := e.ga.UpdateListener(ctx, UpdateListenerInput{ListenerARN: tcp.ARN, PortRanges: []globalaccel.PortRange{pr(79, 81)}, ClientAffinity: ptr("SOURCE_IP")})
	if err != nil || up.ClientAffinity != "SOURCE_IP" || len(up.PortRanges) != 1 || len(up.EndpointGroups) != 1 {
		t.Errorf("update: %+v %v", up, err)
	}
	// The group's default health-check port follows the listener.
	g, err := e.ga.DescribeEndpointGroup(ctx, up.EndpointGroups[0].ARN)
	if err != nil || g.HealthCheckPort != 79 {
		t.Errorf("health check port after the update: %d %v", g.HealthCheckPort, err)
	}
	_, err = e.ga.UpdateListener(ctx, UpdateListenerInput{ListenerARN: a.ARN + "/listener/00000000", Protocol: ptr("UDP")})
	wantCode(t, err, globalaccel.CodeListenerNotFound)
}

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

func TestAcceleratorDeleteRules(t *testing.T) {
	ctx := context.Background()
	e := newGAEnv(t, Config{}, AcceleratorConfig{})
	a := e.createAcc(t, "del")
	l := e.createListener(t, a.ARN, "TCP", pr(80, 80))
	g := e.createGroup(t, l.ARN, "us-east-1", globalaccel.GroupSettings{})
	if err := e.ga.TagResource(ctx, a.ARN, []Tag{{Key: "k", Value: "v"}}); err != nil {
		t.Fatal(err)
	}

	err := e.ga.DeleteAccelerator(ctx, a.ARN)
	wantCode(t, err, globalaccel.CodeAcceleratorNotDisabled)
	if _, err := e.ga.UpdateAccelerator(ctx, UpdateAcceleratorInput{ARN: a.ARN, Enabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	err = e.ga.DeleteAccelerator(ctx, a.ARN)
	wantCode(t, err, globalaccel.CodeAssociatedListenerFound)
	if !strings.HasSuffix(err.Error(), "Cannot delete accelerator "+a.ARN+" because an associated listener was found.") {
		t.Errorf("message %v", err)
	}
	wantCode(t, e.ga.DeleteListener(ctx, l.ARN), globalaccel.CodeAssociatedEndpointGroupFound)
	if err := e.ga.DeleteEndpointGroup(ctx, g.ARN); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.ga.DeleteEndpointGroup(ctx, g.ARN), globalaccel.CodeEndpointGroupNotFound)
	if err := e.ga.DeleteListener(ctx, l.ARN); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.ga.DeleteListener(ctx, l.ARN), globalaccel.CodeListenerNotFound)
	if err := e.ga.DeleteAccelerator(ctx, a.ARN); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.ga.DeleteAccelerator(ctx, a.ARN), globalaccel.CodeAcceleratorNotFound)
	if e.hasKey(t, acceleratorKey(a.ID)) || e.hasKey(t, tagsKey(ResourceAccelerator, a.ID)) {
		t.Error("keys left after delete")
	}

	// ARNs of another account name nothing here.
	other := strings.Replace(e.createAcc(t, "x").ARN, globalaccel.DefaultAccount, "999999999999", 1)
	_, err = e.ga.DescribeAccelerator(ctx, other)
	wantCode(t, err, globalaccel.CodeAcceleratorNotFound)
	_, err = e.ga.DescribeAccelerator(ctx, "arn:aws:globalaccelerator::123456789012:accelerator/bogus")
	wantCode(t, err, globalaccel.CodeInvalidArgument)
}

func TestAcceleratorTagsAndAttributes(t *testing.T) {
	ctx := context.Background()
	e := newGAEnv(t, Config{}, AcceleratorConfig{})
	a, err := e.ga.CreateAccelerator(ctx, CreateAcceleratorInput{Name: "tags", IdempotencyToken: "t", Tags: []Tag{{Key: "b", Value: "1"}, {Key: "a", Value: "0"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.ga.TagResource(ctx, a.ARN, []Tag{{Key: "b", Value: "2"}, {Key: "c", Value: ""}}); err != nil {
		t.Fatal(err)
	}
	if err := e.ga.UntagResource(ctx, a.ARN, []string{"a", "nope"}); err != nil {
		t.Fatal(err)
	}
	tags, err := e.ga.ListTagsForResource(ctx, a.ARN)
	if err != nil || fmt.Sprint(tags) != "[{b 2} {c }]" {
		t.Errorf("tags %v %v", tags, err)
	}
	var many []Tag
	for i := range 49 {
		many = append(many, Tag{Key: fmt.Sprintf("k%02d", i), Value: "v"})
	}
	err = e.ga.TagResource(ctx, a.ARN, many)
	wantCode(t, err, globalaccel.CodeInvalidArgument) // 51 in all
	wantCode(t, e.ga.TagResource(ctx, a.ARN, []Tag{{Key: "", Value: "v"}}), globalaccel.CodeInvalidArgument)
	wantCode(t, e.ga.UntagResource(ctx, a.ARN, make([]string, 201)), globalaccel.CodeInvalidArgument)
	l := e.createListener(t, a.ARN, "TCP", pr(80, 80))
	_, err = e.ga.ListTagsForResource(ctx, l.ARN)
	wantCode(t, err, globalaccel.CodeInvalidArgument)

	attrs, err := e.ga.UpdateAcceleratorAttributes(ctx, a.ARN, AttributesInput{FlowLogsEnabled: ptr(true), FlowLogsS3Bucket: ptr("bucket")})
	if err != nil || !attrs.FlowLogsEnabled || attrs.FlowLogsS3Bucket != "bucket" {
		t.Fatalf("attributes %+v %v", attrs, err)
	}
	_, err = e.ga.UpdateAcceleratorAttributes(ctx, a.ARN, AttributesInput{FlowLogsS3Bucket: ptr("")})
	wantCode(t, err, globalaccel.CodeInvalidArgument)
	_, err = e.ga.UpdateAcceleratorAttributes(ctx, a.ARN, AttributesInput{FlowLogsS3Prefix: ptr(strings.Repeat("p", 256))})
	wantCode(t, err, globalaccel.CodeInvalidArgument)
	got, err := e.ga.DescribeAcceleratorAttributes(ctx, a.ARN)
	if err != nil || got != attrs {
		t.Errorf("described %+v %v", got, err)
	}
}

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

func TestListAcceleratorsAndListeners(t *testing.T) {
	ctx := context.Background()
	e := newGAEnv(t, Config{}, AcceleratorConfig{})
	var arns []string
	for i := range 3 {
		arns = append(arns, e.createAcc(t, fmt.Sprintf("l%d", i)).ARN)
	}
	page, err := e.ga.ListAccelerators(ctx, 2, "")
	if err != nil || len(page.Accelerators) != 2 || page.Accelerators[0].ARN != arns[0] || page.NextToken == "" || page.Accelerators[0].Status == "" {
		t.Fatalf("first page %+v %v", page, err)
	}
	page, err = e.ga.ListAccelerators(ctx, 2, page.NextToken)
	if err != nil || len(page.Accelerators) != 1 || page.Accelerators[0].ARN != arns[2] || page.NextToken != "" {
		t.Errorf("second page %+v %v", page, err)
	}
	_, err = e.ga.ListAccelerators(ctx, 2, "garbage")
	wantCode(t, err, globalaccel.CodeInvalidNextToken)
	_, err = e.ga.ListListeners(ctx, globalaccel.AcceleratorARN(globalaccel.DefaultAccount, "00000000-0000-4000-8000-000000000000"), 10, "")
	wantCode(t, err, globalaccel.CodeAcceleratorNotFound)
	ls, err := e.ga.ListListeners(ctx, arns[1], 10, "")
	if err != nil || len(ls.Listeners) != 0 || ls.NextToken != "" {
		t.Errorf("no listeners: %+v %v", ls, err)
	}
}

func TestAcceleratorConfigValidate(t *testing.T) {
	p := netip.MustParsePrefix
	tests := []struct {
		name string
		cfg  AcceleratorConfig
		ok   bool
	}{
		{"zero", AcceleratorConfig{}, true},
		{"full", AcceleratorConfig{Account: "000011112222", IPv4Pool: p("10.9.0.0/24"), IPv6Pool: p("fd00:ac::/64"), Regions: []string{"lab-1"}, MaxAccelerators: 5, MinInterval: 2}, true},
		{"/30 pool", AcceleratorConfig{IPv4Pool: p("10.9.0.0/30")}, true},
		{"/31 pool", AcceleratorConfig{IPv4Pool: p("10.9.0.0/31")}, true},
		{"/32 pool", AcceleratorConfig{IPv4Pool: p("10.9.0.1/32")}, false},
		{"IPv6 as IPv4 pool", AcceleratorConfig{IPv4Pool: p("fd00::/64")}, false},
		{"IPv4 as IPv6 pool", AcceleratorConfig{IPv6Pool: p("10.0.0.0/8")}, false},
		{"short account", AcceleratorConfig{Account: "1234"}, false},
		{"letters in account", AcceleratorConfig{Account: "12345678901x"}, false},
		{"empty region", AcceleratorConfig{Regions: []string{""}}, false},
		{"region with space", AcceleratorConfig{Regions: []string{"my lab"}}, false},
		{"negative quota", AcceleratorConfig{MaxAccelerators: -1}, false},
	}
	for _, tc := range tests {
		if err := tc.cfg.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
