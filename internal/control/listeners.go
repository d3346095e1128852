package control

import (
	"context"
	"reflect"
	"slices"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/store"
)

// CreateListenerInput is the input of CreateListener.
type CreateListenerInput struct {
	AcceleratorARN   string
	PortRanges       []globalaccel.PortRange
	Protocol         string
	ClientAffinity   string // "": NONE
	IdempotencyToken string
}

// CreateListener adds a listener to an accelerator.
func (g *AcceleratorService) CreateListener(ctx context.Context, in CreateListenerInput) (globalaccel.Listener, error) {
	a, err := g.parseARN("AcceleratorArn", in.AcceleratorARN, globalaccel.KindAccelerator)
	if err != nil {
		return globalaccel.Listener{}, err
	}
	protocol, err := globalaccel.ParseProtocol(in.Protocol)
	if err != nil {
		return globalaccel.Listener{}, err
	}
	affinity, err := globalaccel.ParseClientAffinity(in.ClientAffinity)
	if err != nil {
		return globalaccel.Listener{}, err
	}
	if err := globalaccel.ValidatePortRanges(in.PortRanges); err != nil {
		return globalaccel.Listener{}, err
	}
	if err := globalaccel.ValidateToken(in.IdempotencyToken); err != nil {
		return globalaccel.Listener{}, err
	}
	fp, err := fingerprint(struct {
		Accelerator, Protocol, Affinity string
		Ranges                          []globalaccel.PortRange
	}{in.AcceleratorARN, protocol, affinity, in.PortRanges})
	if err != nil {
		return globalaccel.Listener{}, err
	}
	var out globalaccel.Listener
	err = g.updateAccelerator(ctx, a, in.AcceleratorARN, func(tx store.Tx, acc *globalaccel.Accelerator) error {
		prev, err := checkToken(tx, opCreateListener, in.IdempotencyToken, fp)
		if err != nil {
			return err
		}
		if l := acc.Listener(prev); prev != "" && l != nil {
			out = *l
			return nil
		}
		if len(acc.Listeners) >= globalaccel.MaxListeners {
			return globalaccel.LimitExceeded("Accelerator %s already has %d listeners, the maximum.", acc.ARN, globalaccel.MaxListeners)
		}
		arn := newChildARN(func(id string) string { return globalaccel.ListenerARN(acc.ARN, id) }, 8,
			func(arn string) bool { return acc.Listener(arn) != nil })
		l := globalaccel.Listener{
			ARN:              arn,
			Protocol:         protocol,
			PortRanges:       slices.Clone(in.PortRanges),
			ClientAffinity:   affinity,
			CreatedTime:      g.svc.now(),
			IdempotencyToken: in.IdempotencyToken,
		}
		acc.Listeners = append(acc.Listeners, l)
		if err := checkAndSave(tx, acc); err != nil {
			return err
		}
		out = l
		return putToken(tx, opCreateListener, in.IdempotencyToken, arn, fp)
	})
	if err != nil {
		return globalaccel.Listener{}, err
	}
	return out, nil
}

// DescribeListener returns one listener (with its endpoint groups).
func (g *AcceleratorService) DescribeListener(ctx context.Context, arn string) (globalaccel.Listener, error) {
	a, err := g.parseARN("ListenerArn", arn, globalaccel.KindListener)
	if err != nil {
		return globalaccel.Listener{}, err
	}
	var out globalaccel.Listener
	err = g.viewAccelerator(ctx, a, arn, func(_ store.ReadTx, acc *globalaccel.Accelerator) error {
		l, err := findListener(acc, arn)
		if err != nil {
			return err
		}
		out = *l
		return nil
	})
	return out, err
}

// ListenerPage is one page of ListListeners.
type ListenerPage struct {
	Listeners []globalaccel.Listener
	NextToken string
}

// ListListeners returns a page of an accelerator's listeners by creation
// time.
func (g *AcceleratorService) ListListeners(ctx context.Context, acceleratorARN string, max int, token string) (ListenerPage, error) {
	acc, err := g.DescribeAccelerator(ctx, acceleratorARN)
	if err != nil {
		return ListenerPage{}, err
	}
	page, next, err := sortedPage(slices.Clone(acc.Listeners), listenerSortKey, max, token)
	if err != nil {
		return ListenerPage{}, err
	}
	return ListenerPage{Listeners: page, NextToken: next}, nil
}

// UpdateListenerInput is the input of UpdateListener; nil members are left
// as they are.
type UpdateListenerInput struct {
	ListenerARN    string
	PortRanges     []globalaccel.PortRange
	Protocol       *string
	ClientAffinity *string
}

// UpdateListener changes a listener's ports, protocol or client affinity;
// the result must still satisfy every accelerator-wide rule (no overlapping
// ports per protocol, port overrides outside every listener range).
func (g *AcceleratorService) UpdateListener(ctx context.Context, in UpdateListenerInput) (globalaccel.Listener, error) {
	a, err := g.parseARN("ListenerArn", in.ListenerARN, globalaccel.KindListener)
	if err != nil {
		return globalaccel.Listener{}, err
	}
	var protocol, affinity string
	if in.Protocol != nil {
		if protocol, err = globalaccel.ParseProtocol(*in.Protocol); err != nil {
			return globalaccel.Listener{}, err
		}
	}
	if in.ClientAffinity != nil {
		if affinity, err = globalaccel.ParseClientAffinity(*in.ClientAffinity); err != nil {
			return globalaccel.Listener{}, err
		}
	}
	if in.PortRanges != nil {
		if err := globalaccel.ValidatePortRanges(in.PortRanges); err != nil {
			return globalaccel.Listener{}, err
		}
	}
	var out globalaccel.Listener
	err = g.updateAccelerator(ctx, a, in.ListenerARN, func(tx store.Tx, acc *globalaccel.Accelerator) error {
		l, err := findListener(acc, in.ListenerARN)
		if err != nil {
			return err
		}
		before := *l
		if protocol != "" {
			l.Protocol = protocol
		}
		if affinity != "" {
			l.ClientAffinity = affinity
		}
		if in.PortRanges != nil {
			l.PortRanges = slices.Clone(in.PortRanges)
		}
		out = *l
		if reflect.DeepEqual(before, *l) {
			return nil
		}
		return checkAndSave(tx, acc)
	})
	if err != nil {
		return globalaccel.Listener{}, err
	}
	return out, nil
}

// DeleteListener deletes a listener that has no endpoint groups.
func (g *AcceleratorService) DeleteListener(ctx context.Context, arn string) error {
	a, err := g.parseARN("ListenerArn", arn, globalaccel.KindListener)
	if err != nil {
		return err
	}
	return g.updateAccelerator(ctx, a, arn, func(tx store.Tx, acc *globalaccel.Accelerator) error {
		l, err := findListener(acc, arn)
		if err != nil {
			return err
		}
		if len(l.EndpointGroups) > 0 {
			return globalaccel.AssociatedEndpointGroupFound(arn)
		}
		token := l.IdempotencyToken
		acc.Listeners = slices.DeleteFunc(acc.Listeners, func(x globalaccel.Listener) bool { return x.ARN == arn })
		if err := saveAccelerator(tx, acc); err != nil {
			return err
		}
		return deleteToken(tx, opCreateListener, token, arn)
	})
}
