package globalaccel

import (
	"context"
	"net/netip"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/globalaccelerator"
	"github.com/aws/aws-sdk-go-v2/service/globalaccelerator/types"

	"github.com/meridian-gtm/meridian/internal/control"
	ga "github.com/meridian-gtm/meridian/internal/globalaccel"
)

var (
	acceleratorARNShape = regexp.MustCompile(`^arn:aws:globalaccelerator::123456789012:accelerator/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	listenerARNShape    = regexp.MustCompile(`/listener/[0-9a-f]{8}$`)
	groupARNShape       = regexp.MustCompile(`/listener/[0-9a-f]{8}/endpoint-group/[0-9a-f]{12}$`)
	dnsNameShape        = regexp.MustCompile(`^a[0-9a-f]{16}\.awsglobalaccelerator\.com$`)
)

// TestLifecycle follows spec 7's smoke test through the real SDK: create an
// accelerator, a listener and endpoint groups in two regions; the early
// deletes fail; disable; delete in reverse order.
func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, control.AcceleratorConfig{})
	c := e.client

	before := time.Now().Add(-time.Second)
	created, err := c.CreateAccelerator(ctx, &globalaccelerator.CreateAcceleratorInput{
		Name: aws.String("web"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("edge")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	acc := created.Accelerator
	arn := aws.ToString(acc.AcceleratorArn)
	if !acceleratorARNShape.MatchString(arn) {
		t.Errorf("AcceleratorArn %q", arn)
	}
	if !dnsNameShape.MatchString(aws.ToString(acc.DnsName)) {
		t.Errorf("DnsName %q", aws.ToString(acc.DnsName))
	}
	if acc.Status != types.AcceleratorStatusInProgress || !aws.ToBool(acc.Enabled) || acc.IpAddressType != types.IpAddressTypeIpv4 || aws.ToString(acc.Name) != "web" {
		t.Errorf("created accelerator %+v", acc)
	}
	if acc.DualStackDnsName != nil {
		t.Errorf("DualStackDnsName %q on an IPV4 accelerator", *acc.DualStackDnsName)
	}
	if len(acc.IpSets) != 1 || len(acc.IpSets[0].IpAddresses) != 2 || acc.IpSets[0].IpAddressFamily != types.IpAddressFamilyIPv4 || aws.ToString(acc.IpSets[0].IpFamily) != "IPv4" {
		t.Fatalf("IpSets %+v", acc.IpSets)
	}
	for _, s := range acc.IpSets[0].IpAddresses {
		if a, err := netip.ParseAddr(s); err != nil || !ga.DefaultIPv4Pool.Contains(a) {
			t.Errorf("static address %q is not in %s", s, ga.DefaultIPv4Pool)
		}
	}
	if acc.CreatedTime == nil || acc.CreatedTime.Before(before) || acc.CreatedTime.After(time.Now().Add(time.Second)) || !acc.LastModifiedTime.Equal(*acc.CreatedTime) {
		t.Errorf("CreatedTime %v LastModifiedTime %v", acc.CreatedTime, acc.LastModifiedTime)
	}

	// IN_PROGRESS until the data plane serves the revision, then DEPLOYED.
	got, err := c.DescribeAccelerator(ctx, &globalaccelerator.DescribeAcceleratorInput{AcceleratorArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Accelerator.Status != types.AcceleratorStatusInProgress {
		t.Errorf("status before deployment %s", got.Accelerator.Status)
	}
	e.deployAll()
	if got, err = c.DescribeAccelerator(ctx, &globalaccelerator.DescribeAcceleratorInput{AcceleratorArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	if got.Accelerator.Status != types.AcceleratorStatusDeployed || aws.ToString(got.Accelerator.DnsName) != aws.ToString(acc.DnsName) {
		t.Errorf("described %+v", got.Accelerator)
	}

	lis, err := c.CreateListener(ctx, &globalaccelerator.CreateListenerInput{
		AcceleratorArn: aws.String(arn),
		PortRanges:     []types.PortRange{{FromPort: aws.Int32(80), ToPort: aws.Int32(80)}, {FromPort: aws.Int32(8000), ToPort: aws.Int32(8010)}},
		Protocol:       types.ProtocolTcp,
	})
	if err != nil {
		t.Fatal(err)
	}
	lisARN := aws.ToString(lis.Listener.ListenerArn)
	if !listenerARNShape.MatchString(lisARN) || lisARN[:len(arn)] != arn || lis.Listener.ClientAffinity != types.ClientAffinityNone || len(lis.Listener.PortRanges) != 2 {
		t.Errorf("listener %+v", lis.Listener)
	}

	east, err := c.CreateEndpointGroup(ctx, &globalaccelerator.CreateEndpointGroupInput{
		ListenerArn:         aws.String(lisARN),
		EndpointGroupRegion: aws.String("us-east-1"),
		EndpointConfigurations: []types.EndpointConfiguration{
			{EndpointId: aws.String("192.0.2.10"), Weight: aws.Int32(128)},
			{EndpointId: aws.String("192.0.2.11:8443"), ClientIPPreservationEnabled: aws.Bool(true)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	eg := east.EndpointGroup
	egARN := aws.ToString(eg.EndpointGroupArn)
	if !groupARNShape.MatchString(egARN) || aws.ToString(eg.EndpointGroupRegion) != "us-east-1" {
		t.Errorf("endpoint group %+v", eg)
	}
	// Defaults of spec 5.1: dial 100, TCP on the listener's first port, "/",
	// 30 s, threshold 3.
	if aws.ToFloat32(eg.TrafficDialPercentage) != 100 || aws.ToInt32(eg.HealthCheckPort) != 80 || eg.HealthCheckProtocol != types.HealthCheckProtocolTcp ||
		aws.ToString(eg.HealthCheckPath) != "/" || aws.ToInt32(eg.HealthCheckIntervalSeconds) != 30 || aws.ToInt32(eg.ThresholdCount) != 3 {
		t.Errorf("endpoint group defaults %+v", eg)
	}
	if len(eg.EndpointDescriptions) != 2 {
		t.Fatalf("endpoints %+v", eg.EndpointDescriptions)
	}
	d0, d1 := eg.EndpointDescriptions[0], eg.EndpointDescriptions[1]
	if aws.ToString(d0.EndpointId) != "192.0.2.10" || aws.ToInt32(d0.Weight) != 128 || aws.ToBool(d0.ClientIPPreservationEnabled) || d0.HealthState != types.HealthStateInitial {
		t.Errorf("endpoint 0 %+v", d0)
	}
	if aws.ToString(d1.EndpointId) != "192.0.2.11:8443" || aws.ToInt32(d1.Weight) != 128 || !aws.ToBool(d1.ClientIPPreservationEnabled) {
		t.Errorf("endpoint 1 %+v", d1)
	}

	west, err := c.CreateEndpointGroup(ctx, &globalaccelerator.CreateEndpointGroupInput{
		ListenerArn:                aws.String(lisARN),
		EndpointGroupRegion:        aws.String("eu-west-1"),
		TrafficDialPercentage:      aws.Float32(25.5),
		HealthCheckProtocol:        types.HealthCheckProtocolHttp,
		HealthCheckPath:            aws.String("/healthz?full=1"),
		HealthCheckPort:            aws.Int32(8080),
		HealthCheckIntervalSeconds: aws.Int32(10),
		ThresholdCount:             aws.Int32(5),
		PortOverrides:              []types.PortOverride{{ListenerPort: aws.Int32(80), EndpointPort: aws.Int32(9080)}},
		EndpointConfigurations:     []types.EndpointConfiguration{{EndpointId: aws.String("2001:db8::10"), Weight: aws.Int32(0)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	w := west.EndpointGroup
	if aws.ToFloat32(w.TrafficDialPercentage) != 25.5 || aws.ToInt32(w.HealthCheckPort) != 8080 || w.HealthCheckProtocol != types.HealthCheckProtocolHttp ||
		aws.ToString(w.HealthCheckPath) != "/healthz?full=1" || aws.ToInt32(w.HealthCheckIntervalSeconds) != 10 || aws.ToInt32(w.ThresholdCount) != 5 ||
		len(w.PortOverrides) != 1 || aws.ToInt32(w.PortOverrides[0].EndpointPort) != 9080 || aws.ToInt32(w.EndpointDescriptions[0].Weight) != 0 {
		t.Errorf("eu-west-1 group %+v", w)
	}

	// One group per region per listener.
	_, err = c.CreateEndpointGroup(ctx, &globalaccelerator.CreateEndpointGroupInput{ListenerArn: aws.String(lisARN), EndpointGroupRegion: aws.String("us-east-1")})
	wantCode(t, err, "EndpointGroupAlreadyExistsException")

	// Health comes from the hook, by the synthetic check ID.
	e.setHealth(ga.HealthCheckID(egARN, "192.0.2.10"), "UNHEALTHY", "Failure: connection refused")
	e.setHealth(ga.HealthCheckID(egARN, "192.0.2.11:8443"), "HEALTHY", "")
	desc, err := c.DescribeEndpointGroup(ctx, &globalaccelerator.DescribeEndpointGroupInput{EndpointGroupArn: aws.String(egARN)})
	if err != nil {
		t.Fatal(err)
	}
	h0, h1 := desc.EndpointGroup.EndpointDescriptions[0], desc.EndpointGroup.EndpointDescriptions[1]
	if h0.HealthState != types.HealthStateUnhealthy || aws.ToString(h0.HealthReason) != "Failure: connection refused" || h1.HealthState != types.HealthStateHealthy || h1.HealthReason != nil {
		t.Errorf("health %+v %+v", h0, h1)
	}

	groups, err := c.ListEndpointGroups(ctx, &globalaccelerator.ListEndpointGroupsInput{ListenerArn: aws.String(lisARN)})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups.EndpointGroups) != 2 || aws.ToString(groups.EndpointGroups[0].EndpointGroupRegion) != "us-east-1" || groups.NextToken != nil {
		t.Errorf("groups %+v", groups.EndpointGroups)
	}

	// Early deletes.
	_, err = c.DeleteAccelerator(ctx, &globalaccelerator.DeleteAcceleratorInput{AcceleratorArn: aws.String(arn)})
	wantCode(t, err, "AcceleratorNotDisabledException")
	upd, err := c.UpdateAccelerator(ctx, &globalaccelerator.UpdateAcceleratorInput{AcceleratorArn: aws.String(arn), Enabled: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToBool(upd.Accelerator.Enabled) || len(upd.Accelerator.IpSets[0].IpAddresses) != 2 || upd.Accelerator.IpSets[0].IpAddresses[0] != acc.IpSets[0].IpAddresses[0] {
		t.Errorf("disabled accelerator %+v: the addresses stay while disabled", upd.Accelerator)
	}
	_, err = c.DeleteAccelerator(ctx, &globalaccelerator.DeleteAcceleratorInput{AcceleratorArn: aws.String(arn)})
	wantCode(t, err, "AssociatedListenerFoundException")
	if msg, want := apiMessage(err), "Cannot delete accelerator "+arn+" because an associated listener was found."; msg != want {
		t.Errorf("message %q, want %q", msg, want)
	}
	_, err = c.DeleteListener(ctx, &globalaccelerator.DeleteListenerInput{ListenerArn: aws.String(lisARN)})
	wantCode(t, err, "AssociatedEndpointGroupFoundException")

	// Reverse order.
	for _, g := range []string{egARN, aws.ToString(w.EndpointGroupArn)} {
		if _, err := c.DeleteEndpointGroup(ctx, &globalaccelerator.DeleteEndpointGroupInput{EndpointGroupArn: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.DescribeEndpointGroup(ctx, &globalaccelerator.DescribeEndpointGroupInput{EndpointGroupArn: aws.String(egARN)})
	wantCode(t, err, "EndpointGroupNotFoundException")
	if _, err := c.DeleteListener(ctx, &globalaccelerator.DeleteListenerInput{ListenerArn: aws.String(lisARN)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeListener(ctx, &globalaccelerator.DescribeListenerInput{ListenerArn: aws.String(lisARN)})
	wantCode(t, err, "ListenerNotFoundException")
	if _, err := c.DeleteAccelerator(ctx, &globalaccelerator.DeleteAcceleratorInput{AcceleratorArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeAccelerator(ctx, &globalaccelerator.DescribeAcceleratorInput{AcceleratorArn: aws.String(arn)})
	wantCode(t, err, "AcceleratorNotFoundException")
	_, err = c.ListTagsForResource(ctx, &globalaccelerator.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	wantCode(t, err, "AcceleratorNotFoundException")
}
