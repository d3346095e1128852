package control

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/meridian-gtm/meridian/internal/globalaccel"
	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// PrefixAccelerators is the store prefix of Global Accelerator state: the
// key of each accelerator is PrefixAccelerators + its UUID, holding one JSON
// globalaccel.Accelerator with its listeners and endpoint groups. The
// accelerator data plane and the health-check feed watch it.
const PrefixAccelerators = "accelerators/"

func acceleratorKey(id string) string { return PrefixAccelerators + id }

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

// checkAndSave checks an edited accelerator against every accelerator-wide
// rule and stores it.
func checkAndSave(tx store.Tx, acc *globalaccel.Accelerator) error {
	if err := acc.Check(); err != nil {
		return err
	}
	return saveAccelerator(tx, acc)
}

// viewAccelerator runs fn, in a read-only view, on the accelerator that a
// (parsed from arn) belongs to.
func (g *AcceleratorService) viewAccelerator(ctx context.Context, a globalaccel.ARN, arn string, fn func(tx store.ReadTx, acc *globalaccel.Accelerator) error) error {
	return g.svc.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		acc, err := loadAccelerator(tx, a, arn)
		if err != nil {
			return err
		}
		return fn(tx, &acc)
	})
}

// updateAccelerator runs fn, in one store transaction, on the accelerator
// that a (parsed from arn) belongs to. fn stores what it changes.
func (g *AcceleratorService) updateAccelerator(ctx context.Context, a globalaccel.ARN, arn string, fn func(tx store.Tx, acc *globalaccel.Accelerator) error) error {
	_, err := g.svc.cfg.Store.Update(ctx, func(tx store.Tx) error {
		acc, err := loadAccelerator(tx, a, arn)
		if err != nil {
			return err
		}
		return fn(tx, &acc)
	})
	return err
}

// findListener returns an accelerator's listener, or ListenerNotFound.
func findListener(acc *globalaccel.Accelerator, arn string) (*globalaccel.Listener, error) {
	l := acc.Listener(arn)
	if l == nil {
		return nil, globalaccel.ListenerNotFound(arn)
	}
	return l, nil
}

// findGroup returns an accelerator's endpoint group and its listener, or
// EndpointGroupNotFound.
func findGroup(acc *globalaccel.Accelerator, arn string) (*globalaccel.Listener, *globalaccel.EndpointGroup, error) {
	l, eg := acc.EndpointGroup(arn)
	if eg == nil {
		return nil, nil, globalaccel.EndpointGroupNotFound(arn)
	}
	return l, eg, nil
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
	sortByKey(out, acceleratorSortKey)
	return out, err
}

// acceleratorSortKey orders accelerators by creation time, then ARN.
func acceleratorSortKey(a *globalaccel.Accelerator) string {
	return globalaccel.SortKey(a.CreatedTime, a.ARN)
}

// listenerSortKey orders listeners by creation time, then ARN.
func listenerSortKey(l *globalaccel.Listener) string {
	return globalaccel.SortKey(l.CreatedTime, l.ARN)
}

// groupSortKey orders endpoint groups by creation time, then ARN.
func groupSortKey(eg *globalaccel.EndpointGroup) string {
	return globalaccel.SortKey(eg.CreatedTime, eg.ARN)
}

// sortByKey sorts items by key, ascending.
func sortByKey[T any](items []T, key func(*T) string) {
	sort.Slice(items, func(i, j int) bool { return key(&items[i]) < key(&items[j]) })
}

// sortedPage sorts items by key and returns the page that max and token
// select, and the next page's token (see globalaccel.Paginate).
func sortedPage[T any](items []T, key func(*T) string, max int, token string) ([]T, string, error) {
	sortByKey(items, key)
	return globalaccel.Paginate(items, key, max, token)
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
