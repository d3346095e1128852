package accel

import (
	"fmt"
	"net/netip"
)

// bindKey names one listening socket: a protocol on an accelerator address
// and port.
type bindKey struct {
	udp bool
	ap  netip.AddrPort
}

// String formats the key as "TCP 192.0.2.1:80".
func (k bindKey) String() string {
	if k.udp {
		return ProtocolUDP + " " + k.ap.String()
	}
	return ProtocolTCP + " " + k.ap.String()
}

// route is what a socket serves: its accelerator and listener in the
// current plan, and the counters of each endpoint ([group][endpoint]).
type route struct {
	acc  *Accelerator
	lis  *Listener
	ctrs [][]*endpointCounters
}

// compile validates plan and returns the route of every socket it needs and
// every listener's route (one per listener, shared by its sockets), without
// the counters. It refuses plans needing more than maxSockets sockets before
// building anything.
func compile(plan *Plan, maxSockets int) (map[bindKey]*route, []*route, error) {
	if plan == nil {
		return map[bindKey]*route{}, nil, nil
	}
	total := 0
	for ai := range plan.Accelerators {
		acc := &plan.Accelerators[ai]
		if err := checkAddresses(acc); err != nil {
			return nil, nil, err
		}
		for li := range acc.Listeners {
			l := &acc.Listeners[li]
			if err := checkListener(acc, l); err != nil {
				return nil, nil, err
			}
			for _, r := range l.PortRanges {
				total += (int(r.To) - int(r.From) + 1) * len(acc.Addresses)
			}
		}
	}
	if total > maxSockets {
		return nil, nil, fmt.Errorf("accel: plan needs %d listening sockets, over the limit of %d", total, maxSockets)
	}

	routes := make(map[bindKey]*route, total)
	var listeners []*route
	owner := make(map[bindKey]string, total)
	for ai := range plan.Accelerators {
		acc := &plan.Accelerators[ai]
		for li := range acc.Listeners {
			l := &acc.Listeners[li]
			r := &route{acc: acc, lis: l}
			listeners = append(listeners, r)
			for _, a := range acc.Addresses {
				for _, pr := range l.PortRanges {
					for port := int(pr.From); port <= int(pr.To); port++ {
						k := bindKey{udp: l.Protocol == ProtocolUDP, ap: netip.AddrPortFrom(a.Unmap(), uint16(port))}
						if prev, dup := owner[k]; dup {
							return nil, nil, fmt.Errorf("accel: %s is claimed by listener %s and listener %s", k, prev, l.ARN)
						}
						owner[k] = l.ARN
						routes[k] = r
					}
				}
			}
		}
	}
	return routes, listeners, nil
}

// checkAddresses validates an accelerator's static addresses.
func checkAddresses(acc *Accelerator) error {
	for _, a := range acc.Addresses {
		if !a.IsValid() || a.Zone() != "" {
			return fmt.Errorf("accel: accelerator %s: invalid address %q", acc.ARN, a)
		}
	}
	return nil
}

// checkListener validates what the data plane relies on in a listener.
func checkListener(acc *Accelerator, l *Listener) error {
	switch l.Protocol {
	case ProtocolTCP, ProtocolUDP:
	default:
		return fmt.Errorf("accel: listener %s: protocol %q is not TCP or UDP", l.ARN, l.Protocol)
	}
	switch l.ClientAffinity {
	case "", AffinityNone, AffinitySourceIP:
	default:
		return fmt.Errorf("accel: listener %s: client affinity %q is not NONE or SOURCE_IP", l.ARN, l.ClientAffinity)
	}
	for _, r := range l.PortRanges {
		if r.From == 0 || r.From > r.To {
			return fmt.Errorf("accel: listener %s: invalid port range %d-%d", l.ARN, r.From, r.To)
		}
	}
	if len(l.Groups) > MaxGroups {
		return fmt.Errorf("accel: listener %s of accelerator %s: %d endpoint groups, over the limit of %d",
			l.ARN, acc.ARN, len(l.Groups), MaxGroups)
	}
	return nil
}
