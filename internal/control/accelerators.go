package control

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/healthcheck"
	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// PrefixAccelerators is the store prefix of Global Accelerator state: the
// key of each accelerator is PrefixAccelerators + its UUID, holding one JSON
// globalaccel.Accelerator with its listeners and endpoint groups. The
// accelerator data plane and the health-check feed watch it.
const PrefixAccelerators = "accelerators/"

// prefixAccelTokens indexes idempotency tokens per operation:
// prefixAccelTokens + "<operation>/" + escaped token → accelTokenRecord.
const prefixAccelTokens = "idempotency/globalaccelerator/"

// ResourceAccelerator is the tags resource type of accelerators: their tags
// live at "tags/accelerator/<uuid>", outside the accelerator document, so
// tagging does not touch what the data plane serves.
const ResourceAccelerator = "accelerator"

// Idempotent operations, as token keys and error messages name them.
const (
	opCreateAccelerator   = "CreateAccelerator"
	opCreateListener      = "CreateListener"
	opCreateEndpointGroup = "CreateEndpointGroup"
)

func acceleratorKey(id string) string { return PrefixAccelerators + id }
func accelTokenKey(op, token string) string {
	return prefixAccelTokens + op + "/" + url.PathEscape(token)
}

// accelTokenRecord remembers which resource a token created and a
// fingerprint of the request's parameters.
type accelTokenRecord struct {
	ARN         string `json:"arn"`
	Fingerprint string `json:"fingerprint"`
}

// AcceleratorConfig configures the Global Accelerator operations.
type AcceleratorConfig struct {
	// Account is the account ID in ARNs (default globalaccel.DefaultAccount).
	Account string
	// IPv4Pool is where static IPv4 addresses come from (default
	// globalaccel.DefaultIPv4Pool, 127.0.100.0/24).
	IPv4Pool netip.Prefix
	// IPv6Pool is where dual-stack accelerators' IPv6 addresses come from.
	// Unset: DUAL_STACK is refused with InvalidArgumentException.
	IPv6Pool netip.Prefix
	// Regions are custom endpoint group regions besides the AWS codes.
	Regions []string
	// MinInterval, when 1–9, relaxes HealthCheckIntervalSeconds as
	// globalaccel.Options describes. 0: the service's
	// HealthOptions.MinInterval, so one setting relaxes Route 53 and Global
	// Accelerator health checks alike.
	MinInterval int
	// MaxAccelerators is the accelerator quota (default 20).
	MaxAccelerators int
	// Deployed reports whether the accelerator data plane serves the given
	// store revision (every node's applied plan is at least that revision),
	// as Config.Synced does for INSYNC. An accelerator is DEPLOYED once its
	// last change's revision is deployed and IN_PROGRESS before; a create
	// response always says IN_PROGRESS, as AWS's does. Nil: every committed
	// change counts as deployed.
	Deployed func(rev int64) bool
}

// Validate checks a configuration before use: an IPv4 pool with room for
// at least one accelerator, an IPv6 pool (when set) with room for one too, a
// 12-digit account, and custom regions that are non-empty and not AWS
// codes.
func (c AcceleratorConfig) Validate() error {
	if c.Account != "" && (len(c.Account) != 12 || strings.Trim(c.Account, "0123456789") != "") {
		return fmt.Errorf("global accelerator account %q: want 12 digits", c.Account)
	}
	if c.IPv4Pool.IsValid() {
		if !c.IPv4Pool.Addr().Is4() {
			return fmt.Errorf("global accelerator IPv4 pool %s: not an IPv4 prefix", c.IPv4Pool)
		}
		if _, err := globalaccel.Allocate(c.IPv4Pool, nil, globalaccel.StaticAddresses); err != nil {
			return fmt.Errorf("global accelerator IPv4 pool %s: fewer than %d usable addresses", c.IPv4Pool, globalaccel.StaticAddresses)
		}
	}
	if c.IPv6Pool.IsValid() {
		if !c.IPv6Pool.Addr().Is6() || c.IPv6Pool.Addr().Is4In6() {
			return fmt.Errorf("global accelerator IPv6 pool %s: not an IPv6 prefix", c.IPv6Pool)
		}
		if _, err := globalaccel.Allocate(c.IPv6Pool, nil, globalaccel.StaticAddresses); err != nil {
			return fmt.Errorf("global accelerator IPv6 pool %s: fewer than %d usable addresses", c.IPv6Pool, globalaccel.StaticAddresses)
		}
	}
	for i, r := range c.Regions {
		if r == "" || strings.ContainsAny(r, " \t/") {
			return fmt.Errorf("global accelerator regions[%d] %q: not a region code", i, r)
		}
	}
	if c.MaxAccelerators < 0 || c.MinInterval < 0 {
		return errors.New("global accelerator quota and minimum interval must not be negative")
	}
	return nil
}

// AcceleratorService performs the Global Accelerator operations over the
// Service's store and clock. Each operation is one store transaction.
type AcceleratorService struct {
	svc  *Service
	cfg  AcceleratorConfig
	opts globalaccel.Options
}

// Accelerators returns the Global Accelerator operations of s, configured by
// cfg.
func (s *Service) Accelerators(cfg AcceleratorConfig) *AcceleratorService {
	if cfg.Account == "" {
		cfg.Account = globalaccel.DefaultAccount
	}
	if !cfg.IPv4Pool.IsValid() {
		cfg.IPv4Pool = globalaccel.DefaultIPv4Pool
	}
	cfg.IPv4Pool = cfg.IPv4Pool.Masked()
	cfg.IPv6Pool = cfg.IPv6Pool.Masked()
	if cfg.MaxAccelerators == 0 {
		cfg.MaxAccelerators = globalaccel.MaxAccelerators
	}
	if cfg.MinInterval == 0 {
		cfg.MinInterval = int(s.cfg.HealthOptions.MinInterval)
	}
	return &AcceleratorService{
		svc:  s,
		cfg:  cfg,
		opts: globalaccel.Options{Regions: append([]string(nil), cfg.Regions...), MinInterval: cfg.MinInterval},
	}
}

// Config returns the service's configuration with defaults filled in.
func (g *AcceleratorService) Config() AcceleratorConfig { return g.cfg }

func (g *AcceleratorService) dualStack() bool {
	return g.cfg.IPv6Pool.IsValid() && g.cfg.IPv6Pool.Addr().Is6()
}

// withStatus sets the accelerator's computed Status.
func (g *AcceleratorService) withStatus(a globalaccel.Accelerator) globalaccel.Accelerator {
	a.Status = globalaccel.StatusDeployed
	if g.cfg.Deployed != nil && !g.cfg.Deployed(a.Revision) {
		a.Status = globalaccel.StatusInProgress
	}
	return a
}

// fingerprint is a digest of an idempotent request's parameters.
func fingerprint(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("fingerprint request: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// checkToken looks a token up: it returns the ARN of the resource the same
// request created before, "" when the token is new, or TokenReused.
func checkToken(tx store.ReadTx, op, token, fp string) (string, error) {
	var rec accelTokenRecord
	found, err := getJSON(tx, accelTokenKey(op, token), &rec)
	if err != nil || !found {
		return "", err
	}
	if rec.Fingerprint != fp {
		return "", globalaccel.TokenReused(token, op)
	}
	return rec.ARN, nil
}

// parseARN parses an ARN of the given kind; an ARN of another account names
// nothing here, which is the kind's not-found error.
func (g *AcceleratorService) parseARN(member, s, kind string) (globalaccel.ARN, error) {
	a, err := globalaccel.ParseKind(member, s, kind)
	if err != nil {
		return globalaccel.ARN{}, err
	}
	if a.Account != g.cfg.Account {
		return globalaccel.ARN{}, notFound(kind, s)
	}
	return a, nil
}

func notFound(kind, arn string) *zone.Error {
	switch kind {
	case globalaccel.KindListener:
		return globalaccel.ListenerNotFound(arn)
	case globalaccel.KindEndpointGroup:
		return globalaccel.EndpointGroupNotFound(arn)
	default:
		return globalaccel.AcceleratorNotFound(arn)
	}
}

// loadAccelerator reads the accelerator an ARN belongs to; a missing one is
// the not-found error of the ARN's kind.
func loadAccelerator(tx store.ReadTx, a globalaccel.ARN, arn string) (globalaccel.Accelerator, error) {
	var acc globalaccel.Accelerator
	found, err := getJSON(tx, acceleratorKey(a.AcceleratorID), &acc)
	if err != nil {
		return globalaccel.Accelerator{}, err
	}
	if !found || acc.ARN != a.AcceleratorARN() {
		return globalaccel.Accelerator{}, notFound(a.Kind(), arn)
	}
	return acc, nil
}

// saveAccelerator stores a changed accelerator, recording the revision the
// transaction commits so that Status follows the data plane.
func saveAccelerator(tx store.Tx, acc *globalaccel.Accelerator) error {
	acc.Revision = tx.Revision() + 1
	return putJSON(tx, acceleratorKey(acc.ID), acc)
}

// LoadAccelerators returns every accelerator, by creation time.
func LoadAccelerators(tx store.ReadTx) ([]globalaccel.Accelerator, error) {
	var out []globalaccel.Accelerator
	err := tx.List(PrefixAccelerators, func(key string, v []byte) error {
		var a globalaccel.Accelerator
		if err := jsonDecode(key, v, &a); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		return globalaccel.SortKey(out[i].CreatedTime, out[i].ARN) < globalaccel.SortKey(out[j].CreatedTime, out[j].ARN)
	})
	return out, err
}

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
		if err := putJSON(tx, accelTokenKey(opCreateAccelerator, in.IdempotencyToken), accelTokenRecord{ARN: acc.ARN, Fingerprint: fp}); err != nil {
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

// parseRequestedAddresses reads CreateAccelerator's IpAddresses: at most
// two, distinct, each in the pool of its family; IPv6 ones only for
// DUAL_STACK.
func (g *AcceleratorService) parseRequestedAddresses(ips []string, ipType string) ([]netip.Addr, error) {
	if len(ips) > globalaccel.StaticAddresses {
		return nil, globalaccel.InvalidArgument("IpAddresses can hold at most %d addresses; it holds %d.", globalaccel.StaticAddresses, len(ips))
	}
	var out []netip.Addr
	for _, s := range ips {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return nil, globalaccel.InvalidArgument("IpAddresses: %q is not an IP address.", s)
		}
		a = a.Unmap()
		pool := g.cfg.IPv4Pool
		if a.Is6() {
			if ipType != globalaccel.IPAddressTypeDualStack {
				return nil, globalaccel.InvalidArgument("IpAddresses: %s is an IPv6 address, but the accelerator's IpAddressType is IPV4.", a)
			}
			pool = g.cfg.IPv6Pool
		}
		if !globalaccel.Usable(pool, a) {
			return nil, globalaccel.InvalidArgument("IpAddresses: %s is not a usable address of this deployment's accelerator address pool %s.", a, pool)
		}
		if slices.Contains(out, a) {
			return nil, globalaccel.InvalidArgument("IpAddresses: %s is listed twice.", a)
		}
		out = append(out, a)
	}
	return out, nil
}

// usedAddresses returns every address an accelerator holds, reserved IPv6
// addresses included.
func usedAddresses(all []globalaccel.Accelerator) map[netip.Addr]bool {
	used := map[netip.Addr]bool{}
	for _, a := range all {
		for _, ip := range a.IPv4 {
			used[ip] = true
		}
		for _, ip := range a.IPv6 {
			used[ip] = true
		}
	}
	return used
}

// assignAddresses gives acc its requested addresses and fills both families
// up to two from the pools.
func (g *AcceleratorService) assignAddresses(acc *globalaccel.Accelerator, all []globalaccel.Accelerator, requested []netip.Addr) error {
	used := usedAddresses(all)
	for _, a := range requested {
		if used[a] {
			return globalaccel.InvalidArgument("IpAddresses: %s is already a static address of another accelerator.", a)
		}
		if a.Is4() {
			acc.IPv4 = append(acc.IPv4, a)
		} else {
			acc.IPv6 = append(acc.IPv6, a)
		}
		used[a] = true
	}
	more, err := globalaccel.Allocate(g.cfg.IPv4Pool, used, globalaccel.StaticAddresses-len(acc.IPv4))
	if err != nil {
		return err
	}
	acc.IPv4 = append(acc.IPv4, more...)
	if acc.IPAddressType == globalaccel.IPAddressTypeDualStack {
		return g.assignIPv6(acc, used)
	}
	return nil
}

func (g *AcceleratorService) assignIPv6(acc *globalaccel.Accelerator, used map[netip.Addr]bool) error {
	more, err := globalaccel.Allocate(g.cfg.IPv6Pool, used, globalaccel.StaticAddresses-len(acc.IPv6))
	if err != nil {
		return err
	}
	acc.IPv6 = append(acc.IPv6, more...)
	return nil
}

// uniqueDNSName returns a DNS name no accelerator has.
func uniqueDNSName(all []globalaccel.Accelerator) string {
	for {
		name := globalaccel.NewDNSName()
		if !slices.ContainsFunc(all, func(a globalaccel.Accelerator) bool { return a.DNSName == name }) {
			return name
		}
	}
}

// DescribeAccelerator returns one accelerator with its status.
func (g *AcceleratorService) DescribeAccelerator(ctx context.Context, arn string) (globalaccel.Accelerator, error) {
	a, err := g.parseARN("AcceleratorArn", arn, globalaccel.KindAccelerator)
	if err != nil {
		return globalaccel.Accelerator{}, err
	}
	var acc globalaccel.Accelerator
	err = g.svc.cfg.Store.View(ctx, func(tx store.ReadTx) (err error) {
		acc, err = loadAccelerator(tx, a, arn)
		return err
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
	page, next, err := globalaccel.Paginate(all, func(a *globalaccel.Accelerator) string {
		return globalaccel.SortKey(a.CreatedTime, a.ARN)
	}, max, token)
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
	_, err = g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		cur, err := loadAccelerator(tx, a, in.ARN)
		if err != nil {
			return err
		}
		acc = cur
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
		if reflect.DeepEqual(acc, cur) {
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

// checkOwnAddresses accepts an UpdateAccelerator IpAddresses list only when
// it names addresses the accelerator already has.
func checkOwnAddresses(acc *globalaccel.Accelerator, ips []string) error {
	if len(ips) > globalaccel.StaticAddresses {
		return globalaccel.InvalidArgument("IpAddresses can hold at most %d addresses.", globalaccel.StaticAddresses)
	}
	for _, s := range ips {
		ip, err := netip.ParseAddr(s)
		if err != nil {
			return globalaccel.InvalidArgument("IpAddresses: %q is not an IP address.", s)
		}
		if !slices.Contains(acc.IPv4, ip.Unmap()) && !slices.Contains(acc.IPv6, ip) {
			return globalaccel.InvalidArgument("IpAddresses: %s is not a static address of accelerator %s, and an accelerator's static addresses cannot be changed.", ip, acc.ARN)
		}
	}
	return nil
}

// DeleteAccelerator deletes a disabled accelerator without listeners and
// releases its addresses, idempotency token and tags.
func (g *AcceleratorService) DeleteAccelerator(ctx context.Context, arn string) error {
	a, err := g.parseARN("AcceleratorArn", arn, globalaccel.KindAccelerator)
	if err != nil {
		return err
	}
	_, err = g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		acc, err := loadAccelerator(tx, a, arn)
		if err != nil {
			return err
		}
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
	return err
}

// deleteToken removes a token's record when it still names arn.
func deleteToken(tx store.Tx, op, token, arn string) error {
	if token == "" {
		return nil
	}
	var rec accelTokenRecord
	found, err := getJSON(tx, accelTokenKey(op, token), &rec)
	if err != nil || !found || rec.ARN != arn {
		return err
	}
	return tx.Delete(accelTokenKey(op, token))
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
	_, err = g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		acc, err := loadAccelerator(tx, a, arn)
		if err != nil {
			return err
		}
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
	_, err = g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		acc, err := loadAccelerator(tx, a, in.AcceleratorARN)
		if err != nil {
			return err
		}
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
		if err := acc.Check(); err != nil {
			return err
		}
		if err := saveAccelerator(tx, &acc); err != nil {
			return err
		}
		out = l
		return putJSON(tx, accelTokenKey(opCreateListener, in.IdempotencyToken), accelTokenRecord{ARN: arn, Fingerprint: fp})
	})
	if err != nil {
		return globalaccel.Listener{}, err
	}
	return out, nil
}

// newChildARN returns a fresh child ARN with n random hex digits that exists
// does not report.
func newChildARN(format func(id string) string, n int, exists func(arn string) bool) string {
	for {
		if arn := format(globalaccel.NewHex(n)); !exists(arn) {
			return arn
		}
	}
}

// DescribeListener returns one listener (with its endpoint groups).
func (g *AcceleratorService) DescribeListener(ctx context.Context, arn string) (globalaccel.Listener, error) {
	a, err := g.parseARN("ListenerArn", arn, globalaccel.KindListener)
	if err != nil {
		return globalaccel.Listener{}, err
	}
	var out globalaccel.Listener
	err = g.svc.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		acc, err := loadAccelerator(tx, a, arn)
		if err != nil {
			return err
		}
		l := acc.Listener(arn)
		if l == nil {
			return globalaccel.ListenerNotFound(arn)
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
	ls := slices.Clone(acc.Listeners)
	key := func(l *globalaccel.Listener) string { return globalaccel.SortKey(l.CreatedTime, l.ARN) }
	sort.Slice(ls, func(i, j int) bool { return key(&ls[i]) < key(&ls[j]) })
	page, next, err := globalaccel.Paginate(ls, key, max, token)
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
	_, err = g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		acc, err := loadAccelerator(tx, a, in.ListenerARN)
		if err != nil {
			return err
		}
		l := acc.Listener(in.ListenerARN)
		if l == nil {
			return globalaccel.ListenerNotFound(in.ListenerARN)
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
		if err := acc.Check(); err != nil {
			return err
		}
		return saveAccelerator(tx, &acc)
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
	_, err = g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		acc, err := loadAccelerator(tx, a, arn)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(acc.Listeners, func(l globalaccel.Listener) bool { return l.ARN == arn })
		if i < 0 {
			return globalaccel.ListenerNotFound(arn)
		}
		l := acc.Listeners[i]
		if len(l.EndpointGroups) > 0 {
			return globalaccel.AssociatedEndpointGroupFound(arn)
		}
		acc.Listeners = slices.Delete(acc.Listeners, i, i+1)
		if err := saveAccelerator(tx, &acc); err != nil {
			return err
		}
		return deleteToken(tx, opCreateListener, l.IdempotencyToken, arn)
	})
	return err
}

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
	_, err = g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		acc, err := loadAccelerator(tx, a, in.ListenerARN)
		if err != nil {
			return err
		}
		l := acc.Listener(in.ListenerARN)
		if l == nil {
			return globalaccel.ListenerNotFound(in.ListenerARN)
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
		if err := acc.Check(); err != nil {
			return err
		}
		if err := saveAccelerator(tx, &acc); err != nil {
			return err
		}
		out = resolved(l, &eg)
		return putJSON(tx, accelTokenKey(opCreateEndpointGroup, in.IdempotencyToken), accelTokenRecord{ARN: arn, Fingerprint: fp})
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
	err = g.svc.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		acc, err := loadAccelerator(tx, a, arn)
		if err != nil {
			return err
		}
		l, eg := acc.EndpointGroup(arn)
		if eg == nil {
			return globalaccel.EndpointGroupNotFound(arn)
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
	key := func(eg *globalaccel.EndpointGroup) string { return globalaccel.SortKey(eg.CreatedTime, eg.ARN) }
	sort.Slice(groups, func(i, j int) bool { return key(&groups[i]) < key(&groups[j]) })
	page, next, err := globalaccel.Paginate(groups, key, max, token)
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
	_, err = g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		acc, err := loadAccelerator(tx, a, arn)
		if err != nil {
			return err
		}
		l, eg := acc.EndpointGroup(arn)
		if eg == nil {
			return globalaccel.EndpointGroupNotFound(arn)
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
		if err := acc.Check(); err != nil {
			return err
		}
		return saveAccelerator(tx, &acc)
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

// AddEndpoints adds endpoints to a group, or updates the weight and client
// IP preservation of ones it has, and returns those endpoints.
func (g *AcceleratorService) AddEndpoints(ctx context.Context, arn string, cfgs []globalaccel.EndpointConfiguration) ([]globalaccel.Endpoint, error) {
	var touched []globalaccel.Endpoint
	_, err := g.editGroup(ctx, arn, func(eg *globalaccel.EndpointGroup) error {
		all, t, err := globalaccel.MergeEndpoints(eg.Endpoints, cfgs)
		if err != nil {
			return err
		}
		eg.Endpoints, touched = all, t
		return nil
	})
	return touched, err
}

// RemoveEndpoints removes 1–10 endpoints from a group; new flows stop going
// to them as soon as the data plane applies the change.
func (g *AcceleratorService) RemoveEndpoints(ctx context.Context, arn string, ids []string) error {
	if len(ids) == 0 || len(ids) > globalaccel.MaxEndpoints {
		return globalaccel.InvalidArgument("EndpointIdentifiers must hold 1 to %d endpoints; it holds %d.", globalaccel.MaxEndpoints, len(ids))
	}
	_, err := g.editGroup(ctx, arn, func(eg *globalaccel.EndpointGroup) error {
		for _, raw := range ids {
			id, err := globalaccel.CanonicalEndpointID(raw)
			if err != nil {
				return err
			}
			i := slices.IndexFunc(eg.Endpoints, func(e globalaccel.Endpoint) bool { return e.EndpointID == id })
			if i < 0 {
				return globalaccel.EndpointNotFound(raw, arn)
			}
			eg.Endpoints = slices.Delete(eg.Endpoints, i, i+1)
		}
		return nil
	})
	return err
}

// DeleteEndpointGroup deletes an endpoint group.
func (g *AcceleratorService) DeleteEndpointGroup(ctx context.Context, arn string) error {
	a, err := g.parseARN("EndpointGroupArn", arn, globalaccel.KindEndpointGroup)
	if err != nil {
		return err
	}
	_, err = g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		acc, err := loadAccelerator(tx, a, arn)
		if err != nil {
			return err
		}
		l, eg := acc.EndpointGroup(arn)
		if eg == nil {
			return globalaccel.EndpointGroupNotFound(arn)
		}
		token := eg.IdempotencyToken
		l.EndpointGroups = slices.DeleteFunc(l.EndpointGroups, func(x globalaccel.EndpointGroup) bool { return x.ARN == arn })
		if err := saveAccelerator(tx, &acc); err != nil {
			return err
		}
		return deleteToken(tx, opCreateEndpointGroup, token, arn)
	})
	return err
}

// validateTags checks request tags one by one and their number.
func validateTags(tags []Tag) error {
	if len(tags) > globalaccel.MaxTags {
		return globalaccel.InvalidArgument("A resource can have at most %d tags; the request has %d.", globalaccel.MaxTags, len(tags))
	}
	for _, t := range tags {
		if err := globalaccel.ValidateTag(t.Key, t.Value); err != nil {
			return err
		}
	}
	return nil
}

// mergeTags applies additions (a later duplicate key wins) and removals to
// current tags, sorted by key.
func mergeTags(current, add []Tag, remove []string) []Tag {
	m := map[string]string{}
	for _, t := range current {
		m[t.Key] = t.Value
	}
	for _, t := range add {
		m[t.Key] = t.Value
	}
	for _, k := range remove {
		delete(m, k)
	}
	return sortedTags(m)
}

// taggable parses a ResourceArn: tags belong to accelerators.
func (g *AcceleratorService) taggable(arn string) (globalaccel.ARN, error) {
	a, err := globalaccel.ParseARN("ResourceArn", arn)
	if err != nil {
		return globalaccel.ARN{}, err
	}
	if a.Kind() != globalaccel.KindAccelerator {
		return globalaccel.ARN{}, globalaccel.InvalidArgument("ResourceArn %q names a %s: only accelerators have tags.", arn, strings.ReplaceAll(a.Kind(), "-", " "))
	}
	if a.Account != g.cfg.Account {
		return globalaccel.ARN{}, globalaccel.AcceleratorNotFound(arn)
	}
	return a, nil
}

// changeTags adds and removes an accelerator's tags.
func (g *AcceleratorService) changeTags(ctx context.Context, arn string, add []Tag, remove []string) error {
	a, err := g.taggable(arn)
	if err != nil {
		return err
	}
	_, err = g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		acc, err := loadAccelerator(tx, a, arn)
		if err != nil {
			return err
		}
		var cur []Tag
		if _, err := getJSON(tx, tagsKey(ResourceAccelerator, acc.ID), &cur); err != nil {
			return err
		}
		tags := mergeTags(cur, add, remove)
		if len(tags) > globalaccel.MaxTags {
			return globalaccel.InvalidArgument("A resource can have at most %d tags; this request would make %d.", globalaccel.MaxTags, len(tags))
		}
		if reflect.DeepEqual(tags, mergeTags(cur, nil, nil)) {
			return nil
		}
		if len(tags) == 0 {
			return tx.Delete(tagsKey(ResourceAccelerator, acc.ID))
		}
		return putJSON(tx, tagsKey(ResourceAccelerator, acc.ID), tags)
	})
	return err
}

// TagResource adds tags to an accelerator, replacing the values of keys it
// has.
func (g *AcceleratorService) TagResource(ctx context.Context, arn string, tags []Tag) error {
	if err := validateTags(tags); err != nil {
		return err
	}
	return g.changeTags(ctx, arn, tags, nil)
}

// UntagResource removes tags from an accelerator; keys it lacks are
// ignored.
func (g *AcceleratorService) UntagResource(ctx context.Context, arn string, keys []string) error {
	if len(keys) > 200 {
		return globalaccel.InvalidArgument("TagKeys can hold at most 200 keys; it holds %d.", len(keys))
	}
	return g.changeTags(ctx, arn, nil, keys)
}

// ListTagsForResource returns an accelerator's tags, sorted by key.
func (g *AcceleratorService) ListTagsForResource(ctx context.Context, arn string) ([]Tag, error) {
	a, err := g.taggable(arn)
	if err != nil {
		return nil, err
	}
	var tags []Tag
	err = g.svc.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		acc, err := loadAccelerator(tx, a, arn)
		if err != nil {
			return err
		}
		_, err = getJSON(tx, tagsKey(ResourceAccelerator, acc.ID), &tags)
		return err
	})
	return tags, err
}

// CompilePlan compiles accelerators into the data plane's plan: every
// accelerator (a disabled one with Enabled false, so the data plane refuses
// its traffic but keeps its addresses), its serving addresses, listeners,
// endpoint groups with resolved health-check ports and port overrides, and
// endpoints with their addresses, ports and synthetic health check IDs
// (globalaccel.HealthCheckID).
func CompilePlan(accs []globalaccel.Accelerator) *accel.Plan {
	plan := &accel.Plan{Accelerators: make([]accel.Accelerator, 0, len(accs))}
	for i := range accs {
		a := &accs[i]
		pa := accel.Accelerator{ARN: a.ARN, Name: a.Name, Enabled: a.Enabled, Addresses: a.Addresses()}
		for j := range a.Listeners {
			l := &a.Listeners[j]
			pl := accel.Listener{ARN: l.ARN, Protocol: l.Protocol, ClientAffinity: l.ClientAffinity}
			for _, r := range l.PortRanges {
				pl.PortRanges = append(pl.PortRanges, accel.PortRange{From: uint16(r.FromPort), To: uint16(r.ToPort)})
			}
			for k := range l.EndpointGroups {
				pl.Groups = append(pl.Groups, compileGroup(l, &l.EndpointGroups[k]))
			}
			pa.Listeners = append(pa.Listeners, pl)
		}
		plan.Accelerators = append(plan.Accelerators, pa)
	}
	return plan
}

func compileGroup(l *globalaccel.Listener, eg *globalaccel.EndpointGroup) accel.EndpointGroup {
	pg := accel.EndpointGroup{
		ARN:                eg.ARN,
		Region:             eg.Region,
		TrafficDial:        eg.TrafficDialPercentage,
		HealthCheckPort:    uint16(eg.EffectiveHealthCheckPort(l)),
		HealthCheckProto:   eg.HealthCheckProtocol,
		HealthCheckPath:    eg.HealthCheckPath,
		HealthCheckSeconds: eg.HealthCheckIntervalSeconds,
		ThresholdCount:     eg.ThresholdCount,
	}
	if len(eg.PortOverrides) > 0 {
		pg.PortOverrides = make(map[uint16]uint16, len(eg.PortOverrides))
		for _, o := range eg.PortOverrides {
			pg.PortOverrides[uint16(o.ListenerPort)] = uint16(o.EndpointPort)
		}
	}
	for _, e := range eg.Endpoints {
		addr, port, err := globalaccel.ParseEndpointID(e.EndpointID)
		if err != nil {
			continue // stored IDs are canonical; an unreadable one serves nothing
		}
		pg.Endpoints = append(pg.Endpoints, accel.Endpoint{
			ID:                   e.EndpointID,
			Addr:                 addr,
			Port:                 port,
			Weight:               e.Weight,
			ClientIPPreservation: e.ClientIPPreservationEnabled,
			HealthCheckID:        globalaccel.HealthCheckID(eg.ARN, e.EndpointID),
		})
	}
	return pg
}

// HealthChecksFor returns the synthetic health checks that watch every
// endpoint of every endpoint group, for the health-check engine (they are
// not Route 53 health checks and the Route 53 API does not list them). Each
// has the ID globalaccel.HealthCheckID(group ARN, endpoint ID), probes the
// endpoint's address with the group's protocol (TCP, HTTP or HTTPS; TCP for
// every endpoint behind a UDP listener, spec 5.4), path, interval and
// threshold, on the group's health-check port: the configured
// HealthCheckPort, else the endpoint's own port for an IP:port endpoint,
// else the listener's first port — never a port override's target (spec
// 5.3). Checks run for disabled accelerators too, so their endpoints' health
// is known when they are enabled again.
func HealthChecksFor(accs []globalaccel.Accelerator) []healthcheck.HealthCheck {
	var out []healthcheck.HealthCheck
	for i := range accs {
		for j := range accs[i].Listeners {
			l := &accs[i].Listeners[j]
			for k := range l.EndpointGroups {
				eg := &l.EndpointGroups[k]
				for _, e := range eg.Endpoints {
					if hc, ok := endpointCheck(l, eg, e); ok {
						out = append(out, hc)
					}
				}
			}
		}
	}
	return out
}

func endpointCheck(l *globalaccel.Listener, eg *globalaccel.EndpointGroup, e globalaccel.Endpoint) (healthcheck.HealthCheck, bool) {
	addr, epPort, err := globalaccel.ParseEndpointID(e.EndpointID)
	if err != nil {
		return healthcheck.HealthCheck{}, false
	}
	port := int64(eg.EffectiveHealthCheckPort(l))
	if eg.HealthCheckPort == 0 && epPort != 0 {
		port = int64(epPort)
	}
	typ := eg.HealthCheckProtocol
	if l.Protocol == globalaccel.ProtocolUDP {
		typ = healthcheck.TypeTCP
	}
	interval := int64(eg.HealthCheckIntervalSeconds)
	threshold := int64(eg.ThresholdCount)
	sni := false
	cfg := healthcheck.Config{
		Type:             typ,
		IPAddress:        addr.String(),
		Port:             &port,
		RequestInterval:  &interval,
		FailureThreshold: &threshold,
		EnableSNI:        &sni,
	}
	if typ != healthcheck.TypeTCP {
		cfg.ResourcePath = eg.HealthCheckPath
	}
	healthcheck.Defaults(&cfg)
	return healthcheck.HealthCheck{
		ID:              globalaccel.HealthCheckID(eg.ARN, e.EndpointID),
		CallerReference: eg.ARN,
		Config:          cfg,
		Version:         1,
	}, true
}
