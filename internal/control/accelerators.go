package control

import (
	"context"
	"fmt"
	"net/netip"
	"reflect"
	"slices"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/store"
)

// CreateAcceleratorInput is the input of CreateAccelerator.
type CreateAcceleratorInput struct {
	Name             string
	IPAddressType    string   // "": IPV4
	IPAddresses      []string // 0–2 addresses from the pools (AWS's BYOIP)
	Enabled          *bool    // nil: true
	IdempotencyToken string
	Tags             []Tag
}

// CreateAccelerator creates an accelerator with two static addresses from
// the pool (two more for DUAL_STACK) and a new DNS name. A token repeated
// with the same parameters returns the accelerator it created.
func (g *AcceleratorService) CreateAccelerator(ctx context.Context, in CreateAcceleratorInput) (globalaccel.Accelerator, error) {
	if err := globalaccel.ValidateName(in.Name); err != nil {
		return globalaccel.Accelerator{}, err
	}
	if err := globalaccel.ValidateToken(in.IdempotencyToken); err != nil {
		return globalaccel.Accelerator{}, err
	}
	ipType, err := globalaccel.ParseIPAddressType(in.IPAddressType, g.dualStack())
	if err != nil {
		return globalaccel.Accelerator{}, err
	}
	requested, err := g.parseRequestedAddresses(in.IPAddresses, ipType)
	if err != nil {
		return globalaccel.Accelerator{}, err
	}
	if err := validateTags(in.Tags); err != nil {
		return globalaccel.Accelerator{}, err
	}
	enabled := in.Enabled == nil || *in.Enabled
	fp, err := fingerprint(struct {
		Name, Type string
		IPs        []netip.Addr
		Enabled    bool
		Tags       []Tag
	}{in.Name, ipType, requested, enabled, in.Tags})
	if err != nil {
		return globalaccel.Accelerator{}, err
	}
	now := g.svc.now()
	id := globalaccel.NewUUID()
	base := globalaccel.Accelerator{
		ID:               id,
		ARN:              globalaccel.AcceleratorARN(g.cfg.Account, id),
		Name:             in.Name,
		IPAddressType:    ipType,
		Enabled:          enabled,
		CreatedTime:      now,
		LastModifiedTime: now,
		IdempotencyToken: in.IdempotencyToken,
	}
	var acc globalaccel.Accelerator
	replay := false
	_, err = g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		acc, replay = base, false // fn may run more than once
		prev, err := checkToken(tx, opCreateAccelerator, in.IdempotencyToken, fp)
		if err != nil {
			return err
		}
		if prev != "" {
			a, err := globalaccel.ParseARN("AcceleratorArn", prev)
			if err != nil {
				return fmt.Errorf("idempotency token record: %w", err)
			}
			if acc, err = loadAccelerator(tx, a, prev); err != nil {
				return err
			}
			replay = true
			return nil
		}
		all, err := LoadAccelerators(tx)
		if err != nil {
			return err
		}
		if len(all) >= g.cfg.MaxAccelerators {
			return globalaccel.LimitExceeded("You have reached the limit of %d accelerators for this account.", g.cfg.MaxAccelerators)
		}
		if err := g.assignAddresses(&acc, all, requested); err != nil {
			return err
		}
		acc.DNSName = uniqueDNSName(all)
		if err := saveAccelerator(tx, &acc); err != nil {
			return err
		}
		if err := putToken(tx, opCreateAccelerator, in.IdempotencyToken, acc.ARN, fp); err != nil {
			return err
		}
		if tags := mergeTags(nil, in.Tags, nil); len(tags) > 0 {
			return putJSON(tx, tagsKey(ResourceAccelerator, id), tags)
		}
		return nil
	})
	if err != nil {
		return globalaccel.Accelerator{}, err
	}
	if replay {
		return g.withStatus(acc), nil
	}
	acc.Status = globalaccel.StatusInProgress
	return acc, nil
}

// DescribeAccelerator returns one accelerator with its status.
func (g *AcceleratorService) DescribeAccelerator(ctx context.Context, arn string) (globalaccel.Accelerator, error) {
	a, err := g.parseARN("AcceleratorArn", arn, globalaccel.KindAccelerator)
	if err != nil {
		return globalaccel.Accelerator{}, err
	}
	var acc globalaccel.Accelerator
	err = g.viewAccelerator(ctx, a, arn, func(_ store.ReadTx, cur *globalaccel.Accelerator) error {
		acc = *cur
		return nil
	})
	if err != nil {
		return globalaccel.Accelerator{}, err
	}
	return g.withStatus(acc), nil
}

// AcceleratorPage is one page of ListAccelerators.
type AcceleratorPage struct {
	Accelerators []globalaccel.Accelerator
	NextToken    string // "" on the last page
}

// ListAccelerators returns a page of accelerators by creation time; max ≤ 0
// is the default page size.
func (g *AcceleratorService) ListAccelerators(ctx context.Context, max int, token string) (AcceleratorPage, error) {
	var all []globalaccel.Accelerator
	err := g.svc.cfg.Store.View(ctx, func(tx store.ReadTx) (err error) {
		all, err = LoadAccelerators(tx)
		return err
	})
	if err != nil {
		return AcceleratorPage{}, err
	}
	page, next, err := globalaccel.Paginate(all, acceleratorSortKey, max, token)
	if err != nil {
		return AcceleratorPage{}, err
	}
	for i := range page {
		page[i] = g.withStatus(page[i])
	}
	return AcceleratorPage{Accelerators: page, NextToken: next}, nil
}

// UpdateAcceleratorInput is the input of UpdateAccelerator; nil members are
// left as they are.
type UpdateAcceleratorInput struct {
	ARN           string
	Name          *string
	IPAddressType *string
	// IPAddresses may only repeat the accelerator's own addresses: the
	// static addresses of an accelerator cannot be changed.
	IPAddresses []string
	Enabled     *bool
}

// UpdateAccelerator changes an accelerator's name, address type or enabled
// flag. Switching to DUAL_STACK allocates (or takes back from reserve) two
// IPv6 addresses; switching to IPV4 keeps them in reserve.
func (g *AcceleratorService) UpdateAccelerator(ctx context.Context, in UpdateAcceleratorInput) (globalaccel.Accelerator, error) {
	a, err := g.parseARN("AcceleratorArn", in.ARN, globalaccel.KindAccelerator)
	if err != nil {
		return globalaccel.Accelerator{}, err
	}
	if in.Name != nil {
		if err := globalaccel.ValidateName(*in.Name); err != nil {
			return globalaccel.Accelerator{}, err
		}
	}
	ipType := ""
	if in.IPAddressType != nil {
		if ipType, err = globalaccel.ParseIPAddressType(*in.IPAddressType, g.dualStack()); err != nil {
			return globalaccel.Accelerator{}, err
		}
	}
	var acc globalaccel.Accelerator
	err = g.updateAccelerator(ctx, a, in.ARN, func(tx store.Tx, cur *globalaccel.Accelerator) error {
		acc = *cur
		acc.IPv4 = slices.Clone(cur.IPv4)
		acc.IPv6 = slices.Clone(cur.IPv6)
		if in.Name != nil {
			acc.Name = *in.Name
		}
		if in.Enabled != nil {
			acc.Enabled = *in.Enabled
		}
		if ipType != "" {
			acc.IPAddressType = ipType
		}
		if err := checkOwnAddresses(&acc, in.IPAddresses); err != nil {
			return err
		}
		if acc.IPAddressType == globalaccel.IPAddressTypeDualStack && len(acc.IPv6) < globalaccel.StaticAddresses {
			all, err := LoadAccelerators(tx)
			if err != nil {
				return err
			}
			if err := g.assignIPv6(&acc, usedAddresses(all)); err != nil {
				return err
			}
		}
		if reflect.DeepEqual(acc, *cur) {
			return nil
		}
		acc.LastModifiedTime = g.svc.now()
		return saveAccelerator(tx, &acc)
	})
	if err != nil {
		return globalaccel.Accelerator{}, err
	}
	return g.withStatus(acc), nil
}

// DeleteAccelerator deletes a disabled accelerator without listeners and
// releases its addresses, idempotency token and tags.
func (g *AcceleratorService) DeleteAccelerator(ctx context.Context, arn string) error {
	a, err := g.parseARN("AcceleratorArn", arn, globalaccel.KindAccelerator)
	if err != nil {
		return err
	}
	return g.updateAccelerator(ctx, a, arn, func(tx store.Tx, acc *globalaccel.Accelerator) error {
		if acc.Enabled {
			return globalaccel.AcceleratorNotDisabled(acc.ARN)
		}
		if len(acc.Listeners) > 0 {
			return globalaccel.AssociatedListenerFound(acc.ARN)
		}
		if err := tx.Delete(acceleratorKey(acc.ID)); err != nil {
			return err
		}
		if err := deleteToken(tx, opCreateAccelerator, acc.IdempotencyToken, acc.ARN); err != nil {
			return err
		}
		return tx.Delete(tagsKey(ResourceAccelerator, acc.ID))
	})
}

// DescribeAcceleratorAttributes returns an accelerator's flow-log settings.
func (g *AcceleratorService) DescribeAcceleratorAttributes(ctx context.Context, arn string) (globalaccel.Attributes, error) {
	acc, err := g.DescribeAccelerator(ctx, arn)
	return acc.Attributes, err
}

// AttributesInput is the input of UpdateAcceleratorAttributes; nil members
// are left as they are.
type AttributesInput struct {
	FlowLogsEnabled  *bool
	FlowLogsS3Bucket *string
	FlowLogsS3Prefix *string
}

// UpdateAcceleratorAttributes changes the flow-log settings, which are
// stored and returned: enabling flow logs needs a bucket name.
func (g *AcceleratorService) UpdateAcceleratorAttributes(ctx context.Context, arn string, in AttributesInput) (globalaccel.Attributes, error) {
	a, err := g.parseARN("AcceleratorArn", arn, globalaccel.KindAccelerator)
	if err != nil {
		return globalaccel.Attributes{}, err
	}
	for _, p := range []*string{in.FlowLogsS3Bucket, in.FlowLogsS3Prefix} {
		if p != nil && len(*p) > 255 {
			return globalaccel.Attributes{}, globalaccel.InvalidArgument("FlowLogsS3Bucket and FlowLogsS3Prefix can be at most 255 characters long.")
		}
	}
	var attrs globalaccel.Attributes
	err = g.updateAccelerator(ctx, a, arn, func(tx store.Tx, acc *globalaccel.Accelerator) error {
		attrs = acc.Attributes
		if in.FlowLogsEnabled != nil {
			attrs.FlowLogsEnabled = *in.FlowLogsEnabled
		}
		if in.FlowLogsS3Bucket != nil {
			attrs.FlowLogsS3Bucket = *in.FlowLogsS3Bucket
		}
		if in.FlowLogsS3Prefix != nil {
			attrs.FlowLogsS3Prefix = *in.FlowLogsS3Prefix
		}
		if attrs.FlowLogsEnabled && attrs.FlowLogsS3Bucket == "" {
			return globalaccel.InvalidArgument("FlowLogsS3Bucket is required when FlowLogsEnabled is true.")
		}
		if attrs == acc.Attributes {
			return nil
		}
		// Flow-log settings do not change what the data plane serves, so the
		// accelerator's revision (and status) stay.
		acc.Attributes = attrs
		return putJSON(tx, acceleratorKey(acc.ID), acc)
	})
	if err != nil {
		return globalaccel.Attributes{}, err
	}
	return attrs, nil
}
