package globalaccel

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/globalaccelerator"
	"github.com/aws/aws-sdk-go-v2/service/globalaccelerator/types"

	"github.com/meridian-gtm/meridian/internal/control"
)

// fixture is an accelerator with one TCP listener on 80 and 443 and one
// endpoint group in us-east-1.
type fixture struct {
	acc, listener, group string
}

func (e *testEnv) fixture(t *testing.T, name string) fixture {
	t.Helper()
	ctx := context.Background()
	acc, err := e.client.CreateAccelerator(ctx, &globalaccelerator.CreateAcceleratorInput{Name: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{acc: aws.ToString(acc.Accelerator.AcceleratorArn)}
	l, err := e.client.CreateListener(ctx, &globalaccelerator.CreateListenerInput{
		AcceleratorArn: aws.String(f.acc), Protocol: types.ProtocolTcp,
		PortRanges: []types.PortRange{{FromPort: aws.Int32(80), ToPort: aws.Int32(80)}, {FromPort: aws.Int32(443), ToPort: aws.Int32(443)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.listener = aws.ToString(l.Listener.ListenerArn)
	g, err := e.client.CreateEndpointGroup(ctx, &globalaccelerator.CreateEndpointGroupInput{
		ListenerArn: aws.String(f.listener), EndpointGroupRegion: aws.String("us-east-1"),
		EndpointConfigurations: []types.EndpointConfiguration{{EndpointId: aws.String("192.0.2.1")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.group = aws.ToString(g.EndpointGroup.EndpointGroupArn)
	return f
}

// TestPagination walks every List operation a page at a time.
func TestPagination(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, control.AcceleratorConfig{})
	var want []string
	for i := range 5 {
		out, err := e.client.CreateAccelerator(ctx, &globalaccelerator.CreateAcceleratorInput{Name: aws.String(fmt.Sprintf("p%d", i))})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, aws.ToString(out.Accelerator.AcceleratorArn))
	}
	var got []string
	pages := 0
	p := globalaccelerator.NewListAcceleratorsPaginator(e.client, &globalaccelerator.ListAcceleratorsInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, a := range out.Accelerators {
			got = append(got, aws.ToString(a.AcceleratorArn))
		}
	}
	if pages != 3 || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%d pages: %v, want %v in creation order", pages, got, want)
	}

	// A token stays valid when the item it points after is deleted.
	first, err := e.client.ListAccelerators(ctx, &globalaccelerator.ListAcceleratorsInput{MaxResults: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.UpdateAccelerator(ctx, &globalaccelerator.UpdateAcceleratorInput{AcceleratorArn: aws.String(want[1]), Enabled: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.DeleteAccelerator(ctx, &globalaccelerator.DeleteAcceleratorInput{AcceleratorArn: aws.String(want[1])}); err != nil {
		t.Fatal(err)
	}
	rest, err := e.client.ListAccelerators(ctx, &globalaccelerator.ListAcceleratorsInput{NextToken: first.NextToken})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest.Accelerators) != 3 || aws.ToString(rest.Accelerators[0].AcceleratorArn) != want[2] || rest.NextToken != nil {
		t.Errorf("after deleting the token's item: %d accelerators, next %v", len(rest.Accelerators), rest.NextToken)
	}

	// Listeners and endpoint groups paginate too.
	acc := want[0]
	for i := range 3 {
		if _, err := e.client.CreateListener(ctx, &globalaccelerator.CreateListenerInput{AcceleratorArn: aws.String(acc), Protocol: types.ProtocolUdp,
			PortRanges: []types.PortRange{{FromPort: aws.Int32(int32(1000 + i)), ToPort: aws.Int32(int32(1000 + i))}}}); err != nil {
			t.Fatal(err)
		}
	}
	lp := globalaccelerator.NewListListenersPaginator(e.client, &globalaccelerator.ListListenersInput{AcceleratorArn: aws.String(acc), MaxResults: aws.Int32(1)})
	var ports []int32
	for lp.HasMorePages() {
		out, err := lp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range out.Listeners {
			ports = append(ports, aws.ToInt32(l.PortRanges[0].FromPort))
		}
	}
	if fmt.Sprint(ports) != "[1000 1001 1002]" {
		t.Errorf("listener pages: %v", ports)
	}
	l, err := e.client.ListListeners(ctx, &globalaccelerator.ListListenersInput{AcceleratorArn: aws.String(acc)})
	if err != nil {
		t.Fatal(err)
	}
	lis := aws.ToString(l.Listeners[0].ListenerArn)
	for _, r := range []string{"us-east-1", "eu-west-1", "ap-southeast-2"} {
		if _, err := e.client.CreateEndpointGroup(ctx, &globalaccelerator.CreateEndpointGroupInput{ListenerArn: aws.String(lis), EndpointGroupRegion: aws.String(r)}); err != nil {
			t.Fatal(err)
		}
	}
	gp := globalaccelerator.NewListEndpointGroupsPaginator(e.client, &globalaccelerator.ListEndpointGroupsInput{ListenerArn: aws.String(lis), MaxResults: aws.Int32(2)})
	var regions []string
	for gp.HasMorePages() {
		out, err := gp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.EndpointGroups {
			regions = append(regions, aws.ToString(g.EndpointGroupRegion))
		}
	}
	if fmt.Sprint(regions) != "[us-east-1 eu-west-1 ap-southeast-2]" {
		t.Errorf("group pages: %v", regions)
	}
}

// TestIdempotency: the SDK fills IdempotencyToken; the same token and
// parameters return the original resource, different parameters fail.
func TestIdempotency(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, control.AcceleratorConfig{})
	in := &globalaccelerator.CreateAcceleratorInput{Name: aws.String("idem"), IdempotencyToken: aws.String("tok-1")}
	a1, err := e.client.CreateAccelerator(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := e.client.CreateAccelerator(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(a1.Accelerator.AcceleratorArn) != aws.ToString(a2.Accelerator.AcceleratorArn) {
		t.Errorf("same token gave two accelerators")
	}
	_, err = e.client.CreateAccelerator(ctx, &globalaccelerator.CreateAcceleratorInput{Name: aws.String("other"), IdempotencyToken: aws.String("tok-1")})
	wantCode(t, err, "InvalidArgumentException")
	// Without a token the SDK generates a fresh one per call.
	b1, err := e.client.CreateAccelerator(ctx, &globalaccelerator.CreateAcceleratorInput{Name: aws.String("idem")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(b1.Accelerator.AcceleratorArn) == aws.ToString(a1.Accelerator.AcceleratorArn) {
		t.Errorf("a generated token replayed tok-1")
	}

	accARN := aws.ToString(a1.Accelerator.AcceleratorArn)
	lin := &globalaccelerator.CreateListenerInput{AcceleratorArn: aws.String(accARN), Protocol: types.ProtocolTcp, IdempotencyToken: aws.String("l-1"),
		PortRanges: []types.PortRange{{FromPort: aws.Int32(80), ToPort: aws.Int32(80)}}}
	l1, err := e.client.CreateListener(ctx, lin)
	if err != nil {
		t.Fatal(err)
	}
	l2, err := e.client.CreateListener(ctx, lin)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(l1.Listener.ListenerArn) != aws.ToString(l2.Listener.ListenerArn) {
		t.Errorf("listener replay created a second listener")
	}
	gin := &globalaccelerator.CreateEndpointGroupInput{ListenerArn: l1.Listener.ListenerArn, EndpointGroupRegion: aws.String("us-east-1"), IdempotencyToken: aws.String("g-1")}
	g1, err := e.client.CreateEndpointGroup(ctx, gin)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := e.client.CreateEndpointGroup(ctx, gin)
	if err != nil {
		t.Fatalf("group replay: %v", err)
	}
	if aws.ToString(g1.EndpointGroup.EndpointGroupArn) != aws.ToString(g2.EndpointGroup.EndpointGroupArn) {
		t.Errorf("group replay created a second group")
	}
	gin.TrafficDialPercentage = aws.Float32(50)
	_, err = e.client.CreateEndpointGroup(ctx, gin)
	wantCode(t, err, "InvalidArgumentException")
}

// TestUpdates covers UpdateAccelerator, UpdateListener, UpdateEndpointGroup,
// AddEndpoints, RemoveEndpoints and the attributes and tags operations.
func TestUpdates(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, control.AcceleratorConfig{})
	e.deployAll()
	f := e.fixture(t, "upd")
	c := e.client

	ua, err := c.UpdateAccelerator(ctx, &globalaccelerator.UpdateAcceleratorInput{AcceleratorArn: aws.String(f.acc), Name: aws.String("renamed")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(ua.Accelerator.Name) != "renamed" || ua.Accelerator.LastModifiedTime.Before(*ua.Accelerator.CreatedTime) {
		t.Errorf("renamed %+v", ua.Accelerator)
	}
	_, err = c.UpdateAccelerator(ctx, &globalaccelerator.UpdateAcceleratorInput{AcceleratorArn: aws.String(f.acc), IpAddresses: []string{"127.0.100.200"}})
	wantCode(t, err, "InvalidArgumentException")
	_, err = c.UpdateAccelerator(ctx, &globalaccelerator.UpdateAcceleratorInput{AcceleratorArn: aws.String(f.acc), IpAddressType: types.IpAddressTypeDualStack})
	wantCode(t, err, "InvalidArgumentException")

	ul, err := c.UpdateListener(ctx, &globalaccelerator.UpdateListenerInput{ListenerArn: aws.String(f.listener), ClientAffinity: types.ClientAffinitySourceIp})
	if err != nil {
		t.Fatal(err)
	}
	if ul.Listener.ClientAffinity != types.ClientAffinitySourceIp || len(ul.Listener.PortRanges) != 2 || ul.Listener.Protocol != types.ProtocolTcp {
		t.Errorf("updated listener %+v", ul.Listener)
	}
	_, err = c.UpdateListener(ctx, &globalaccelerator.UpdateListenerInput{ListenerArn: aws.String(f.listener),
		PortRanges: []types.PortRange{{FromPort: aws.Int32(90), ToPort: aws.Int32(80)}}})
	wantCode(t, err, "InvalidPortRangeException")

	ug, err := c.UpdateEndpointGroup(ctx, &globalaccelerator.UpdateEndpointGroupInput{EndpointGroupArn: aws.String(f.group), TrafficDialPercentage: aws.Float32(0)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToFloat32(ug.EndpointGroup.TrafficDialPercentage) != 0 || len(ug.EndpointGroup.EndpointDescriptions) != 1 {
		t.Errorf("dial 0 %+v: endpoints must stay when EndpointConfigurations is absent", ug.EndpointGroup)
	}
	ug, err = c.UpdateEndpointGroup(ctx, &globalaccelerator.UpdateEndpointGroupInput{EndpointGroupArn: aws.String(f.group),
		EndpointConfigurations: []types.EndpointConfiguration{{EndpointId: aws.String("192.0.2.7"), Weight: aws.Int32(7)}, {EndpointId: aws.String("192.0.2.8")}}})
	if err != nil {
		t.Fatal(err)
	}
	if ids := endpointIDs(ug.EndpointGroup.EndpointDescriptions); ids != "192.0.2.7/7 192.0.2.8/128" {
		t.Errorf("replaced endpoints: %s", ids)
	}

	add, err := c.AddEndpoints(ctx, &globalaccelerator.AddEndpointsInput{EndpointGroupArn: aws.String(f.group),
		EndpointConfigurations: []types.EndpointConfiguration{{EndpointId: aws.String("192.0.2.7"), Weight: aws.Int32(70)}, {EndpointId: aws.String("[2001:db8::9]:443")}}})
	if err != nil {
		t.Fatal(err)
	}
	if ids := endpointIDs(add.EndpointDescriptions); ids != "192.0.2.7/70 [2001:db8::9]:443/128" || aws.ToString(add.EndpointGroupArn) != f.group {
		t.Errorf("AddEndpoints returned %s for %s", ids, aws.ToString(add.EndpointGroupArn))
	}
	if _, err := c.RemoveEndpoints(ctx, &globalaccelerator.RemoveEndpointsInput{EndpointGroupArn: aws.String(f.group),
		EndpointIdentifiers: []types.EndpointIdentifier{{EndpointId: aws.String("192.0.2.8")}}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.RemoveEndpoints(ctx, &globalaccelerator.RemoveEndpointsInput{EndpointGroupArn: aws.String(f.group),
		EndpointIdentifiers: []types.EndpointIdentifier{{EndpointId: aws.String("192.0.2.8")}}})
	wantCode(t, err, "EndpointNotFoundException")
	d, err := c.DescribeEndpointGroup(ctx, &globalaccelerator.DescribeEndpointGroupInput{EndpointGroupArn: aws.String(f.group)})
	if err != nil {
		t.Fatal(err)
	}
	if ids := endpointIDs(d.EndpointGroup.EndpointDescriptions); ids != "192.0.2.7/70 [2001:db8::9]:443/128" {
		t.Errorf("after add and remove: %s", ids)
	}

	attrs, err := c.DescribeAcceleratorAttributes(ctx, &globalaccelerator.DescribeAcceleratorAttributesInput{AcceleratorArn: aws.String(f.acc)})
	if err != nil {
		t.Fatal(err)
	}
	if a := attrs.AcceleratorAttributes; aws.ToBool(a.FlowLogsEnabled) || a.FlowLogsS3Bucket != nil {
		t.Errorf("default attributes %+v", a)
	}
	_, err = c.UpdateAcceleratorAttributes(ctx, &globalaccelerator.UpdateAcceleratorAttributesInput{AcceleratorArn: aws.String(f.acc), FlowLogsEnabled: aws.Bool(true)})
	wantCode(t, err, "InvalidArgumentException")
	ua2, err := c.UpdateAcceleratorAttributes(ctx, &globalaccelerator.UpdateAcceleratorAttributesInput{AcceleratorArn: aws.String(f.acc),
		FlowLogsEnabled: aws.Bool(true), FlowLogsS3Bucket: aws.String("logs"), FlowLogsS3Prefix: aws.String("ga/")})
	if err != nil {
		t.Fatal(err)
	}
	if a := ua2.AcceleratorAttributes; !aws.ToBool(a.FlowLogsEnabled) || aws.ToString(a.FlowLogsS3Bucket) != "logs" || aws.ToString(a.FlowLogsS3Prefix) != "ga/" {
		t.Errorf("updated attributes %+v", a)
	}

	if _, err := c.TagResource(ctx, &globalaccelerator.TagResourceInput{ResourceArn: aws.String(f.acc),
		Tags: []types.Tag{{Key: aws.String("b"), Value: aws.String("2")}, {Key: aws.String("a"), Value: aws.String("1")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(ctx, &globalaccelerator.UntagResourceInput{ResourceArn: aws.String(f.acc), TagKeys: []string{"b", "missing"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTagsForResource(ctx, &globalaccelerator.ListTagsForResourceInput{ResourceArn: aws.String(f.acc)})
	if err != nil {
		t.Fatal(err)
	}
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "a" || aws.ToString(tags.Tags[0].Value) != "1" {
		t.Errorf("tags %+v", tags.Tags)
	}
	_, err = c.TagResource(ctx, &globalaccelerator.TagResourceInput{ResourceArn: aws.String(f.listener), Tags: []types.Tag{{Key: aws.String("x"), Value: aws.String("y")}}})
	wantCode(t, err, "InvalidArgumentException")
	_, err = c.TagResource(ctx, &globalaccelerator.TagResourceInput{ResourceArn: aws.String(f.acc), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}})
	wantCode(t, err, "InvalidArgumentException")
}

func endpointIDs(ds []types.EndpointDescription) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s/%d", aws.ToString(d.EndpointId), aws.ToInt32(d.Weight)))
	}
	return strings.Join(parts, " ")
}

// TestDualStack: with an IPv6 pool, DUAL_STACK accelerators get two IPv6
// addresses and a dual-stack DNS name.
func TestDualStack(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, control.AcceleratorConfig{IPv6Pool: netip.MustParsePrefix("fd00:ac::/64")})
	out, err := e.client.CreateAccelerator(ctx, &globalaccelerator.CreateAcceleratorInput{Name: aws.String("ds"), IpAddressType: types.IpAddressTypeDualStack})
	if err != nil {
		t.Fatal(err)
	}
	a := out.Accelerator
	if len(a.IpSets) != 2 || a.IpSets[1].IpAddressFamily != types.IpAddressFamilyIPv6 || fmt.Sprint(a.IpSets[1].IpAddresses) != "[fd00:ac::1 fd00:ac::2]" {
		t.Errorf("IpSets %+v", a.IpSets)
	}
	label, _, _ := strings.Cut(aws.ToString(a.DnsName), ".")
	if aws.ToString(a.DualStackDnsName) != label+".dualstack.awsglobalaccelerator.com" {
		t.Errorf("DualStackDnsName %q for %q", aws.ToString(a.DualStackDnsName), aws.ToString(a.DnsName))
	}
}

// TestValidationErrors runs invalid requests through the SDK and checks
// the codes; the rules themselves are table-tested in package globalaccel
// and package control.
func TestValidationErrors(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, control.AcceleratorConfig{})
	f := e.fixture(t, "val")
	c := e.client
	pr := func(from, to int32) []types.PortRange {
		return []types.PortRange{{FromPort: aws.Int32(from), ToPort: aws.Int32(to)}}
	}
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"name with underscore", func() error {
			_, err := c.CreateAccelerator(ctx, &globalaccelerator.CreateAcceleratorInput{Name: aws.String("a_b")})
			return err
		}, "InvalidArgumentException"},
		{"name ends with hyphen", func() error {
			_, err := c.CreateAccelerator(ctx, &globalaccelerator.CreateAcceleratorInput{Name: aws.String("ab-")})
			return err
		}, "InvalidArgumentException"},
		{"BYOIP outside the pool", func() error {
			_, err := c.CreateAccelerator(ctx, &globalaccelerator.CreateAcceleratorInput{Name: aws.String("b"), IpAddresses: []string{"198.51.100.1"}})
			return err
		}, "InvalidArgumentException"},
		{"overlapping listener", func() error {
			_, err := c.CreateListener(ctx, &globalaccelerator.CreateListenerInput{AcceleratorArn: aws.String(f.acc), Protocol: types.ProtocolTcp, PortRanges: pr(440, 450)})
			return err
		}, "InvalidPortRangeException"},
		{"port 0", func() error {
			_, err := c.CreateListener(ctx, &globalaccelerator.CreateListenerInput{AcceleratorArn: aws.String(f.acc), Protocol: types.ProtocolTcp, PortRanges: pr(0, 10)})
			return err
		}, "InvalidPortRangeException"},
		{"listener on unknown accelerator", func() error {
			_, err := c.CreateListener(ctx, &globalaccelerator.CreateListenerInput{AcceleratorArn: aws.String(f.acc[:len(f.acc)-4] + "0000"), Protocol: types.ProtocolTcp, PortRanges: pr(1, 2)})
			return err
		}, "AcceleratorNotFoundException"},
		{"group on unknown listener", func() error {
			_, err := c.CreateEndpointGroup(ctx, &globalaccelerator.CreateEndpointGroupInput{ListenerArn: aws.String(f.acc + "/listener/00000000"), EndpointGroupRegion: aws.String("us-east-1")})
			return err
		}, "ListenerNotFoundException"},
		{"unknown region", func() error {
			_, err := c.CreateEndpointGroup(ctx, &globalaccelerator.CreateEndpointGroupInput{ListenerArn: aws.String(f.listener), EndpointGroupRegion: aws.String("us-moon-1")})
			return err
		}, "InvalidArgumentException"},
		{"instance ID endpoint", func() error {
			_, err := c.AddEndpoints(ctx, &globalaccelerator.AddEndpointsInput{EndpointGroupArn: aws.String(f.group),
				EndpointConfigurations: []types.EndpointConfiguration{{EndpointId: aws.String("i-0123456789abcdef0")}}})
			return err
		}, "InvalidArgumentException"},
		{"weight 256", func() error {
			_, err := c.AddEndpoints(ctx, &globalaccelerator.AddEndpointsInput{EndpointGroupArn: aws.String(f.group),
				EndpointConfigurations: []types.EndpointConfiguration{{EndpointId: aws.String("192.0.2.9"), Weight: aws.Int32(256)}}})
			return err
		}, "InvalidArgumentException"},
		{"interval 20", func() error {
			_, err := c.UpdateEndpointGroup(ctx, &globalaccelerator.UpdateEndpointGroupInput{EndpointGroupArn: aws.String(f.group), HealthCheckIntervalSeconds: aws.Int32(20)})
			return err
		}, "InvalidArgumentException"},
		{"override into a listener range", func() error {
			_, err := c.UpdateEndpointGroup(ctx, &globalaccelerator.UpdateEndpointGroupInput{EndpointGroupArn: aws.String(f.group),
				PortOverrides: []types.PortOverride{{ListenerPort: aws.Int32(80), EndpointPort: aws.Int32(443)}}})
			return err
		}, "InvalidArgumentException"},
		{"group on unknown endpoint group", func() error {
			_, err := c.DescribeEndpointGroup(ctx, &globalaccelerator.DescribeEndpointGroupInput{EndpointGroupArn: aws.String(f.listener + "/endpoint-group/000000000000")})
			return err
		}, "EndpointGroupNotFoundException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.call(), tc.code) })
	}
}
