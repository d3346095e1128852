package control

import (
	"context"
	"reflect"
	"slices"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/store"
)

// CreateEndpointGroupInput is the input of CreateEndpointGroup.
type CreateEndpointGroupInput struct {
	ListenerARN      string
	Region           string
	Settings         globalaccel.GroupSettings
	IdempotencyToken string
}

// CreateEndpointGroup adds a listener's endpoint group for one region. The
// group is returned as the API shows it (HealthCheckPort resolved).
func (g *AcceleratorService) CreateEndpointGroup(ctx context.Context, in CreateEndpointGroupInput) (globalaccel.EndpointGroup, error) {
	a, err := g.parseARN("ListenerArn", in.ListenerARN, globalaccel.KindListener)
	if err != nil {
		return globalaccel.EndpointGroup{}, err
	}
	if err := globalaccel.ValidateToken(in.IdempotencyToken); err != nil {
		return globalaccel.EndpointGroup{}, err
	}
	// Validate the settings before the transaction; the ARN is set inside.
	if _, err := globalaccel.NewEndpointGroup("", in.Region, in.Settings, g.opts); err != nil {
		return globalaccel.EndpointGroup{}, err
	}
	fp, err := fingerprint(struct {
		Listener, Region string
		Settings         globalaccel.GroupSettings
	}{in.ListenerARN, in.Region, in.Settings})
	if err != nil {
		return globalaccel.EndpointGroup{}, err
	}
	var out globalaccel.EndpointGroup
	err = g.updateAccelerator(ctx, a, in.ListenerARN, func(tx store.Tx, acc *globalaccel.Accelerator) error {
		l, err := findListener(acc, in.ListenerARN)
		if err != nil {
			return err
		}
		prev, err := checkToken(tx, opCreateEndpointGroup, in.IdempotencyToken, fp)
		if err != nil {
			return err
		}
		if pl, pg := acc.EndpointGroup(prev); prev != "" && pg != nil {
			out = resolved(pl, pg)
			return nil
		}
		if l.Group(in.Region) != nil {
			return globalaccel.EndpointGroupAlreadyExists(in.Region, l.ARN)
		}
		arn := newChildARN(func(id string) string { return globalaccel.EndpointGroupARN(l.ARN, id) }, 12,
			func(arn string) bool { _, eg := acc.EndpointGroup(arn); return eg != nil })
		eg, err := globalaccel.NewEndpointGroup(arn, in.Region, in.Settings, g.opts)
		if err != nil {
			return err
		}
		eg.CreatedTime = g.svc.now()
		eg.IdempotencyToken = in.IdempotencyToken
		l.EndpointGroups = append(l.EndpointGroups, eg)
		if err := checkAndSave(tx, acc); err != nil {
			return err
		}
		out = resolved(l, &eg)
		return putToken(tx, opCreateEndpointGroup, in.IdempotencyToken, arn, fp)
	})
	if err != nil {
		return globalaccel.EndpointGroup{}, err
	}
	return out, nil
}

// cloneGroup returns a copy of an endpoint group that shares no slices
// with it.
func cloneGroup(eg *globalaccel.EndpointGroup) globalaccel.EndpointGroup {
	out := *eg
	out.Endpoints = slices.Clone(eg.Endpoints)
	out.PortOverrides = slices.Clone(eg.PortOverrides)
	return out
}

// resolved returns a copy of an endpoint group as the API shows it: its
// HealthCheckPort resolved to the listener's first port when unset.
func resolved(l *globalaccel.Listener, eg *globalaccel.EndpointGroup) globalaccel.EndpointGroup {
	out := cloneGroup(eg)
	out.HealthCheckPort = eg.EffectiveHealthCheckPort(l)
	return out
}

// DescribeEndpointGroup returns one endpoint group as the API shows it.
func (g *AcceleratorService) DescribeEndpointGroup(ctx context.Context, arn string) (globalaccel.EndpointGroup, error) {
	a, err := g.parseARN("EndpointGroupArn", arn, globalaccel.KindEndpointGroup)
	if err != nil {
		return globalaccel.EndpointGroup{}, err
	}
	var out globalaccel.EndpointGroup
	err = g.viewAccelerator(ctx, a, arn, func(_ store.ReadTx, acc *globalaccel.Accelerator) error {
		l, eg, err := findGroup(acc, arn)
		if err != nil {
			return err
		}
		out = resolved(l, eg)
		return nil
	})
	return out, err
}

// EndpointGroupPage is one page of ListEndpointGroups.
type EndpointGroupPage struct {
	EndpointGroups []globalaccel.EndpointGroup
	NextToken      string
}

// ListEndpointGroups returns a page of a listener's endpoint groups by
// creation time.
func (g *AcceleratorService) ListEndpointGroups(ctx context.Context, listenerARN string, max int, token string) (EndpointGroupPage, error) {
	l, err := g.DescribeListener(ctx, listenerARN)
	if err != nil {
		return EndpointGroupPage{}, err
	}
	groups := make([]globalaccel.EndpointGroup, len(l.EndpointGroups))
	for i := range l.EndpointGroups {
		groups[i] = resolved(&l, &l.EndpointGroups[i])
	}
	page, next, err := sortedPage(groups, groupSortKey, max, token)
	if err != nil {
		return EndpointGroupPage{}, err
	}
	return EndpointGroupPage{EndpointGroups: page, NextToken: next}, nil
}

// editGroup runs edit on a copy of an endpoint group inside one
// transaction, checks the accelerator's rules and stores the result when it
// changed; it returns the group as the API shows it.
func (g *AcceleratorService) editGroup(ctx context.Context, arn string, edit func(eg *globalaccel.EndpointGroup) error) (globalaccel.EndpointGroup, error) {
	a, err := g.parseARN("EndpointGroupArn", arn, globalaccel.KindEndpointGroup)
	if err != nil {
		return globalaccel.EndpointGroup{}, err
	}
	var out globalaccel.EndpointGroup
	err = g.updateAccelerator(ctx, a, arn, func(tx store.Tx, acc *globalaccel.Accelerator) error {
		l, eg, err := findGroup(acc, arn)
		if err != nil {
			return err
		}
		work := cloneGroup(eg)
		if err := edit(&work); err != nil {
			return err
		}
		changed := !reflect.DeepEqual(cloneGroup(eg), work)
		*eg = work
		out = resolved(l, eg)
		if !changed {
			return nil
		}
		return checkAndSave(tx, acc)
	})
	if err != nil {
		return globalaccel.EndpointGroup{}, err
	}
	return out, nil
}

// UpdateEndpointGroup changes an endpoint group's settings. Endpoints, when
// given, replace the whole list; the region cannot change.
func (g *AcceleratorService) UpdateEndpointGroup(ctx context.Context, arn string, s globalaccel.GroupSettings) (globalaccel.EndpointGroup, error) {
	return g.editGroup(ctx, arn, func(eg *globalaccel.EndpointGroup) error { return s.Apply(eg, g.opts) })
}

// DeleteEndpointGroup deletes an endpoint group.
func (g *AcceleratorService) DeleteEndpointGroup(ctx context.Context, arn string) error {
	a, err := g.parseARN("EndpointGroupArn", arn, globalaccel.KindEndpointGroup)
	if err != nil {
		return err
	}
	return g.updateAccelerator(ctx, a, arn, func(tx store.Tx, acc *globalaccel.Accelerator) error {
		l, eg, err := findGroup(acc, arn)
		if err != nil {
			return err
		}
		token := eg.IdempotencyToken
		l.EndpointGroups = slices.DeleteFunc(l.EndpointGroups, func(x globalaccel.EndpointGroup) bool { return x.ARN == arn })
		if err := saveAccelerator(tx, acc); err != nil {
			return err
		}
		return deleteToken(tx, opCreateEndpointGroup, token, arn)
	})
}
