package control

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
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

// tickingClock returns a clock that advances a millisecond (the resolution
// of stored times) on every reading, so resources created back to back have
// distinct creation times.
func tickingClock() func() time.Time {
	var ticks atomic.Int64
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * time.Millisecond) }
}

func TestAcceleratorQuotaAndAddresses(t *testing.T) {
	// Creation order is checked below: every create needs its own
	// millisecond, or ties fall back to the (random) ARN.
	e := newGAEnv(t, Config{Now: tickingClock()}, AcceleratorConfig{})
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

func TestListAcceleratorsAndListeners(t *testing.T) {
	ctx := context.Background()
	e := newGAEnv(t, Config{Now: tickingClock()}, AcceleratorConfig{}) // pages follow creation order
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
