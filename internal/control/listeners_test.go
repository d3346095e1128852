package control

import (
	"context"
	"testing"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
)

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
