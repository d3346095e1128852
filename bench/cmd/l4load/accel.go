package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ga "github.com/aws/aws-sdk-go-v2/service/globalaccelerator"
	gatypes "github.com/aws/aws-sdk-go-v2/service/globalaccelerator/types"
)

// listenerSpec is one -listener flag: a TCP listener port, its single
// endpoint and the port its health checks probe.
type listenerSpec struct {
	front    int32
	endpoint netip.AddrPort
	hcPort   int32
}

// parseListener parses FRONT=IP:PORT[@HCPORT].
func parseListener(s string) (listenerSpec, error) {
	front, rest, ok := strings.Cut(s, "=")
	if !ok {
		return listenerSpec{}, fmt.Errorf("-listener %q: want FRONT=IP:PORT[@HCPORT]", s)
	}
	var l listenerSpec
	p, err := port(front)
	if err != nil {
		return listenerSpec{}, fmt.Errorf("-listener %q: front port: %w", s, err)
	}
	l.front = p
	ep, hc, hasHC := strings.Cut(rest, "@")
	if l.endpoint, err = netip.ParseAddrPort(ep); err != nil || l.endpoint.Port() == 0 {
		return listenerSpec{}, fmt.Errorf("-listener %q: endpoint %q is not IP:PORT", s, ep)
	}
	l.hcPort = int32(l.endpoint.Port())
	if hasHC {
		if l.hcPort, err = port(hc); err != nil {
			return listenerSpec{}, fmt.Errorf("-listener %q: health-check port: %w", s, err)
		}
	}
	return l, nil
}

// port parses a TCP port number, 1..65535.
func port(s string) (int32, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("%q is not a port (1..65535)", s)
	}
	return int32(n), nil
}

// listenerFlags collects repeated -listener flags.
type listenerFlags []listenerSpec

func (f *listenerFlags) String() string { return fmt.Sprint(len(*f), " listeners") }

func (f *listenerFlags) Set(s string) error {
	l, err := parseListener(s)
	if err != nil {
		return err
	}
	*f = append(*f, l)
	return nil
}

// accelCmd creates the benchmark accelerator and prints its addresses and
// listeners.
func accelCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("accel", flag.ContinueOnError)
	api := fs.String("api", "", "base URL of Meridian's API, e.g. http://127.0.0.1:8080")
	name := fs.String("name", "l4bench", "accelerator name")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	var ls listenerFlags
	fs.Var(&ls, "listener", "FRONT=IP:PORT[@HCPORT]: a TCP listener on port FRONT to the endpoint IP:PORT (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	key, secret := os.Getenv("MERIDIAN_ACCESS_KEY_ID"), os.Getenv("MERIDIAN_SECRET_ACCESS_KEY")
	switch {
	case *api == "":
		return errors.New("accel: -api is required")
	case len(ls) == 0:
		return errors.New("accel: at least one -listener is required")
	case key == "" || secret == "":
		return errors.New("accel: MERIDIAN_ACCESS_KEY_ID and MERIDIAN_SECRET_ACCESS_KEY must be set")
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	c := ga.New(ga.Options{
		Region:       "us-west-2",
		BaseEndpoint: aws.String(*api),
		Credentials:  credentials.NewStaticCredentialsProvider(key, secret, ""),
	})
	addrs, arns, err := createAccelerator(ctx, c, *name, ls)
	if err != nil {
		return fmt.Errorf("accel: %w", err)
	}
	for _, a := range addrs {
		fmt.Printf("address=%s\n", a)
	}
	for i, l := range ls {
		fmt.Printf("listener=%d arn=%s\n", l.front, arns[i])
	}
	return nil
}

// createAccelerator makes an enabled accelerator named name with one TCP
// listener and one us-east-1 endpoint group per spec. It returns the
// accelerator's static addresses and the listeners' ARNs, in spec order.
func createAccelerator(ctx context.Context, c *ga.Client, name string, ls []listenerSpec) ([]string, []string, error) {
	acc, err := c.CreateAccelerator(ctx, &ga.CreateAcceleratorInput{
		Name: aws.String(name), Enabled: aws.Bool(true), IdempotencyToken: aws.String(name + "-acc"),
	})
	if err != nil {
		return nil, nil, fmt.Errorf("CreateAccelerator: %w", err)
	}
	var addrs []string
	for _, set := range acc.Accelerator.IpSets {
		addrs = append(addrs, set.IpAddresses...)
	}
	if len(addrs) == 0 {
		return nil, nil, errors.New("CreateAccelerator: the accelerator has no static address")
	}
	arn := acc.Accelerator.AcceleratorArn
	arns := make([]string, len(ls))
	for i, l := range ls {
		tok := fmt.Sprintf("%s-l%d", name, l.front)
		lis, err := c.CreateListener(ctx, &ga.CreateListenerInput{
			AcceleratorArn: arn, Protocol: gatypes.ProtocolTcp, IdempotencyToken: aws.String(tok),
			PortRanges: []gatypes.PortRange{{FromPort: aws.Int32(l.front), ToPort: aws.Int32(l.front)}},
		})
		if err != nil {
			return nil, nil, fmt.Errorf("CreateListener port %d: %w", l.front, err)
		}
		arns[i] = aws.ToString(lis.Listener.ListenerArn)
		if _, err := c.CreateEndpointGroup(ctx, &ga.CreateEndpointGroupInput{
			ListenerArn: lis.Listener.ListenerArn, EndpointGroupRegion: aws.String("us-east-1"),
			IdempotencyToken:    aws.String(tok + "-eg"),
			HealthCheckProtocol: gatypes.HealthCheckProtocolTcp, HealthCheckPort: aws.Int32(l.hcPort),
			HealthCheckIntervalSeconds: aws.Int32(30), ThresholdCount: aws.Int32(3),
			EndpointConfigurations: []gatypes.EndpointConfiguration{{EndpointId: aws.String(l.endpoint.String())}},
		}); err != nil {
			return nil, nil, fmt.Errorf("CreateEndpointGroup for port %d (endpoint %s): %w", l.front, l.endpoint, err)
		}
	}
	return addrs, arns, nil
}
