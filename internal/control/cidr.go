package control

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"

	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// CIDR collection quotas and request limits (spec 4.5 "CIDR collections",
// 6.1).
const (
	// MaxCidrCollections is the number of CIDR collections an account may hold.
	MaxCidrCollections = 5
	// MaxCidrBlocksPerCollection is the number of CIDR blocks one collection
	// may hold, over all its locations.
	MaxCidrBlocksPerCollection = 1000
	// MaxCidrBlocksPerRequest bounds the CIDR blocks one ChangeCidrCollection
	// names, over all its changes; it also bounds the number of changes.
	MaxCidrBlocksPerRequest = 1000
	// DefaultCidrPageSize is the page size of the CIDR list operations when
	// the caller gives none.
	DefaultCidrPageSize = 100
)

// CidrAction is what a CidrChange does to its location's blocks.
type CidrAction string

// The two CIDR change actions.
const (
	CidrPut            CidrAction = "PUT"              // add the blocks (present ones are kept)
	CidrDeleteIfExists CidrAction = "DELETE_IF_EXISTS" // remove the blocks that are present
)

// CidrChange is one element of a ChangeCidrCollection request.
type CidrChange struct {
	LocationName string
	Action       CidrAction
	CidrList     []string
}

// CidrCollection describes a CIDR collection as the API lists it.
type CidrCollection struct {
	ARN     string
	ID      string
	Name    string
	Version int64
}

// CidrBlock is one CIDR block of a collection with its location.
type CidrBlock struct {
	CidrBlock    string
	LocationName string
}

// CidrCollectionPage is one page of ListCidrCollections; NextToken is empty
// on the last page.
type CidrCollectionPage struct {
	Collections []CidrCollection
	NextToken   string
}

// CidrLocationPage is one page of ListCidrLocations.
type CidrLocationPage struct {
	Locations []string
	NextToken string
}

// CidrBlockPage is one page of ListCidrBlocks.
type CidrBlockPage struct {
	Blocks    []CidrBlock
	NextToken string
}

var (
	// cidrNamePattern is the model's pattern for collection names and for
	// location names other than the default "*".
	cidrNamePattern = regexp.MustCompile(`^[0-9A-Za-z_\-]+$`)
	uuidPattern     = regexp.MustCompile(`^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$`)
)

// CidrCollectionARN returns the ARN of the CIDR collection with the given ID.
func CidrCollectionARN(id string) string { return "arn:aws:route53:::cidrcollection/" + id }

func cidrSummary(c zone.CidrCollection) CidrCollection {
	return CidrCollection{ARN: CidrCollectionARN(c.ID), ID: c.ID, Name: c.Name, Version: c.Version}
}

// newUUID returns a random (version 4) UUID in its lowercase text form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func validationError(value, member, constraint string) error {
	return zone.InvalidInput(fmt.Sprintf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint))
}

func checkCidrCollectionID(id string) error {
	if !uuidPattern.MatchString(id) {
		return validationError(id, "id", "Member must satisfy regular expression pattern: [0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}")
	}
	return nil
}

// checkLocationName validates a location name outside the default: 1–16
// characters of [0-9A-Za-z_\-].
func checkLocationName(name, member string) error {
	switch {
	case name == "" || len(name) > 16:
		return validationError(name, member, "Member must have length between 1 and 16")
	case !cidrNamePattern.MatchString(name):
		return validationError(name, member, `Member must satisfy regular expression pattern: [0-9A-Za-z_\-]+`)
	}
	return nil
}

func noSuchCidrCollection(id string) error {
	return zone.NewError("NoSuchCidrCollectionException", "No CIDR collection found with ID: "+id)
}

func noSuchCidrLocation(id, location string) error {
	return zone.NewError("NoSuchCidrLocationException", "No CIDR location found with name "+location+" in CIDR collection: "+id)
}

// CanonicalCidr parses a CIDR block as ChangeCidrCollection accepts it and
// returns its canonical text (lowercase, shortest IPv6 form). Route 53 allows
// IPv4 prefixes /1–/24 and IPv6 /1–/48; /0 is the default location "*",
// never a block. A block with bits set beyond its prefix length is rejected
// rather than silently widened, so that what a later DELETE_IF_EXISTS or
// ListCidrBlocks shows is exactly what was meant.
func CanonicalCidr(s string) (string, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return "", zone.InvalidInput(fmt.Sprintf("The CIDR block '%s' is not a valid IPv4 or IPv6 CIDR block.", s))
	}
	maxBits := 48
	if p.Addr().Is4() {
		maxBits = 24
	}
	if p.Bits() < 1 || p.Bits() > maxBits {
		family := "IPv6"
		if p.Addr().Is4() {
			family = "IPv4"
		}
		return "", zone.InvalidInput(fmt.Sprintf("The CIDR block %s is not allowed: %s CIDR blocks must have a prefix length between 1 and %d; use the default location \"*\" for a zero-bit block.", s, family, maxBits))
	}
	if m := p.Masked(); m.Addr() != p.Addr() {
		return "", zone.InvalidInput(fmt.Sprintf("The CIDR block %s has bits set beyond its prefix length; did you mean %s?", s, m))
	}
	return p.String(), nil
}

// comparePrefixes orders canonical CIDR blocks: IPv4 first, then by address,
// then by prefix length.
func comparePrefixes(a, b string) int {
	pa, errA := netip.ParsePrefix(a)
	pb, errB := netip.ParsePrefix(b)
	if errA != nil || errB != nil {
		return strings.Compare(a, b)
	}
	return pa.Compare(pb)
}

// loadCidrCollection reads one collection; it returns NoSuchCidrCollection
// when it does not exist.
func loadCidrCollection(tx store.ReadTx, id string) (zone.CidrCollection, error) {
	var c zone.CidrCollection
	found, err := getJSON(tx, cidrCollectionKey(id), &c)
	if err != nil {
		return c, err
	}
	if !found {
		return c, noSuchCidrCollection(id)
	}
	if c.Locations == nil {
		c.Locations = map[string][]string{}
	}
	return c, nil
}

// LoadCidrCollections reads every CIDR collection in tx, ordered by ID; the
// snapshot publisher calls it in the same view as the zones.
func LoadCidrCollections(tx store.ReadTx) ([]zone.CidrCollection, error) {
	var out []zone.CidrCollection
	err := tx.List(PrefixCidrCollections, func(key string, v []byte) error {
		var c zone.CidrCollection
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("decode %s: %w", key, err)
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// CidrCollections returns every CIDR collection with its locations and
// blocks, ordered by ID.
func (s *Service) CidrCollections(ctx context.Context) ([]zone.CidrCollection, error) {
	var out []zone.CidrCollection
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		var err error
		out, err = LoadCidrCollections(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load CIDR collections: %w", err)
	}
	return out, nil
}

// cidrLocationExists returns the zone.Env hook ChangeResourceRecordSets
// passes to zone.ApplyChanges: it reads collections from tx, once each.
func cidrLocationExists(tx store.ReadTx) func(collectionID, location string) bool {
	cache := map[string]*zone.CidrCollection{}
	return func(collectionID, location string) bool {
		c, seen := cache[collectionID]
		if !seen {
			if loaded, err := loadCidrCollection(tx, collectionID); err == nil {
				c = &loaded
			}
			cache[collectionID] = c
		}
		if c == nil {
			return false
		}
		return location == "*" || len(c.Locations[location]) > 0
	}
}

// CreateCidrCollection creates an empty CIDR collection at version 1. A
// retry with the same caller reference and name returns the collection the
// first call created; the same caller reference with another name, or the
// same name with another caller reference, is
// CidrCollectionAlreadyExistsException.
func (s *Service) CreateCidrCollection(ctx context.Context, name, callerRef string) (CidrCollection, error) {
	switch {
	case name == "" || len(name) > 64:
		return CidrCollection{}, validationError(name, "name", "Member must have length between 1 and 64")
	case !cidrNamePattern.MatchString(name):
		return CidrCollection{}, validationError(name, "name", `Member must satisfy regular expression pattern: [0-9A-Za-z_\-]+`)
	case callerRef == "" || len(callerRef) > 64:
		return CidrCollection{}, validationError(callerRef, "callerReference", "Member must have length between 1 and 64")
	}
	for i := 0; i < len(callerRef); i++ {
		if callerRef[i] >= 0x80 {
			return CidrCollection{}, validationError(callerRef, "callerReference", `Member must satisfy regular expression pattern: \p{ASCII}+`)
		}
	}
	var out CidrCollection
	_, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		if b, exists, err := tx.Get(cidrRefKey(callerRef)); err != nil {
			return err
		} else if exists {
			prev, err := loadCidrCollection(tx, string(b))
			if err != nil {
				return err
			}
			if prev.Name != name {
				return zone.NewError("CidrCollectionAlreadyExistsException", "A CIDR collection has already been created with the specified caller reference.")
			}
			out = cidrSummary(prev)
			return nil
		}
		all, err := LoadCidrCollections(tx)
		if err != nil {
			return err
		}
		for _, c := range all {
			if c.Name == name {
				return zone.NewError("CidrCollectionAlreadyExistsException", "A CIDR collection with the name "+name+" already exists with a different caller reference.")
			}
		}
		if len(all) >= MaxCidrCollections {
			return zone.NewError("LimitsExceeded", fmt.Sprintf("Limits Exceeded: MAX_CIDR_COLLECTIONS_BY_OWNER - Cannot create more than %d CIDR collections.", MaxCidrCollections))
		}
		c := zone.CidrCollection{ID: newUUID(), Name: name, CallerReference: callerRef, Version: 1, Locations: map[string][]string{}}
		if err := putJSON(tx, cidrCollectionKey(c.ID), c); err != nil {
			return err
		}
		if err := tx.Put(cidrRefKey(callerRef), []byte(c.ID)); err != nil {
			return err
		}
		out = cidrSummary(c)
		return nil
	})
	if err != nil {
		return CidrCollection{}, err
	}
	return out, nil
}

// normalizeCidrChanges validates a ChangeCidrCollection request's changes
// and returns them with canonical CIDR blocks.
func normalizeCidrChanges(changes []CidrChange) ([]CidrChange, error) {
	if len(changes) == 0 || len(changes) > MaxCidrBlocksPerRequest {
		return nil, zone.InvalidInput(fmt.Sprintf("1 validation error detected: Value at 'changes' failed to satisfy constraint: Member must have length between 1 and %d", MaxCidrBlocksPerRequest))
	}
	out := make([]CidrChange, len(changes))
	total := 0
	for i, c := range changes {
		base := fmt.Sprintf("changes.%d.member", i+1)
		if err := checkLocationName(c.LocationName, base+".locationName"); err != nil {
			return nil, err
		}
		if c.Action != CidrPut && c.Action != CidrDeleteIfExists {
			return nil, validationError(string(c.Action), base+".action", "Member must satisfy enum value set: [PUT, DELETE_IF_EXISTS]")
		}
		if len(c.CidrList) == 0 || len(c.CidrList) > MaxCidrBlocksPerRequest {
			return nil, zone.InvalidInput(fmt.Sprintf("1 validation error detected: Value at '%s.cidrList' failed to satisfy constraint: Member must have length between 1 and %d", base, MaxCidrBlocksPerRequest))
		}
		total += len(c.CidrList)
		if total > MaxCidrBlocksPerRequest {
			return nil, zone.InvalidInput(fmt.Sprintf("A ChangeCidrCollection request can name at most %d CIDR blocks.", MaxCidrBlocksPerRequest))
		}
		n := CidrChange{LocationName: c.LocationName, Action: c.Action, CidrList: make([]string, len(c.CidrList))}
		for j, block := range c.CidrList {
			canon, err := CanonicalCidr(block)
			if err != nil {
				return nil, err
			}
			n.CidrList[j] = canon
		}
		out[i] = n
	}
	return out, nil
}

// ChangeCidrCollection applies changes to a collection atomically, in order,
// and increments its version. With expectedVersion set, the collection must
// be at that version (CidrCollectionVersionMismatchException otherwise).
// A location exists while it has blocks; a change that would leave a location
// that record sets route with empty is CidrBlockInUseException, as is a block
// that would end up in two locations. The returned change can be followed
// with GetChange.
func (s *Service) ChangeCidrCollection(ctx context.Context, id string, expectedVersion *int64, changes []CidrChange) (ChangeInfo, error) {
	if err := checkCidrCollectionID(id); err != nil {
		return ChangeInfo{}, err
	}
	if expectedVersion != nil && *expectedVersion < 1 {
		return ChangeInfo{}, validationError(fmt.Sprint(*expectedVersion), "collectionVersion", "Member must have value greater than or equal to 1")
	}
	changes, err := normalizeCidrChanges(changes)
	if err != nil {
		return ChangeInfo{}, err
	}
	ci := ChangeInfo{ID: newID("C", 20), SubmittedAt: s.now()}
	rev, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		c, err := loadCidrCollection(tx, id)
		if err != nil {
			return err
		}
		if expectedVersion != nil && *expectedVersion != c.Version {
			return zone.NewError("CidrCollectionVersionMismatchException", fmt.Sprintf(
				"The CIDR collection version you provided, %d, doesn't match the collection's current version, %d.", *expectedVersion, c.Version))
		}
		next, err := applyCidrChanges(c.Locations, changes)
		if err != nil {
			return err
		}
		var emptied []string
		for loc := range c.Locations {
			if _, ok := next[loc]; !ok {
				emptied = append(emptied, loc)
			}
		}
		if len(emptied) > 0 {
			users, err := cidrUsers(tx, id)
			if err != nil {
				return err
			}
			sort.Strings(emptied)
			for _, loc := range emptied {
				if u, ok := users[loc]; ok {
					return zone.NewError("CidrBlockInUseException", fmt.Sprintf(
						"The change would remove every CIDR block of location %s, which %s uses.", loc, u))
				}
			}
		}
		c.Locations = next
		c.Version++
		if err := putJSON(tx, cidrCollectionKey(id), c); err != nil {
			return err
		}
		ci.Revision = tx.Revision() + 1
		return putJSON(tx, changeKey(ci.ID), ci)
	})
	if err != nil {
		return ChangeInfo{}, err
	}
	ci.Revision = rev
	return s.withStatus(ci), nil
}

// applyCidrChanges returns the locations after changes (canonical blocks),
// each location's blocks sorted and without duplicates, and no empty
// location. A block may belong to one location only.
func applyCidrChanges(current map[string][]string, changes []CidrChange) (map[string][]string, error) {
	sets := make(map[string]map[string]bool, len(current))
	for loc, blocks := range current {
		sets[loc] = make(map[string]bool, len(blocks))
		for _, b := range blocks {
			sets[loc][b] = true
		}
	}
	for _, c := range changes {
		set := sets[c.LocationName]
		if set == nil {
			set = map[string]bool{}
			sets[c.LocationName] = set
		}
		for _, b := range c.CidrList {
			if c.Action == CidrPut {
				set[b] = true
			} else {
				delete(set, b)
			}
		}
	}
	owner := map[string]string{}
	next := make(map[string][]string, len(sets))
	total := 0
	locs := make([]string, 0, len(sets))
	for loc := range sets {
		locs = append(locs, loc)
	}
	sort.Strings(locs)
	for _, loc := range locs {
		set := sets[loc]
		if len(set) == 0 {
			continue
		}
		blocks := make([]string, 0, len(set))
		for b := range set {
			if other, dup := owner[b]; dup {
				return nil, zone.NewError("CidrBlockInUseException", fmt.Sprintf(
					"The CIDR block %s cannot be in location %s: it is already in use by location %s.", b, loc, other))
			}
			owner[b] = loc
			blocks = append(blocks, b)
		}
		sort.Slice(blocks, func(i, j int) bool { return comparePrefixes(blocks[i], blocks[j]) < 0 })
		next[loc] = blocks
		total += len(blocks)
	}
	if total > MaxCidrBlocksPerCollection {
		return nil, zone.NewError("LimitsExceeded", fmt.Sprintf(
			"Limits Exceeded: MAX_CIDR_BLOCKS_BY_COLLECTION - A CIDR collection can hold at most %d CIDR blocks; this change would leave %d.", MaxCidrBlocksPerCollection, total))
	}
	return next, nil
}

// cidrUsers finds the record sets that route with collection id: for each
// location name ("*" included), a description of the first one in store
// order.
func cidrUsers(tx store.ReadTx, id string) (map[string]string, error) {
	users := map[string]string{}
	needle := []byte(id)
	err := tx.List(prefixRRSets, func(key string, v []byte) error {
		if !bytes.Contains(v, needle) {
			return nil
		}
		var rs zone.RRSet
		if err := json.Unmarshal(v, &rs); err != nil {
			return fmt.Errorf("decode %s: %w", key, err)
		}
		cfg := rs.CidrRoutingConfig
		if cfg == nil || cfg.CollectionID != id {
			return nil
		}
		if _, seen := users[cfg.LocationName]; !seen {
			zoneID, _ := ZoneIDOfKey(key)
			users[cfg.LocationName] = describeRRSet(zoneID, rs.Key())
		}
		return nil
	})
	return users, err
}

func describeRRSet(zoneID string, k zone.Key) string {
	d := fmt.Sprintf("resource record set [name='%s', type='%s'", k.Name, k.Type)
	if k.SetIdentifier != "" {
		d += fmt.Sprintf(", set-identifier='%s'", k.SetIdentifier)
	}
	return d + "] in hosted zone " + zoneID
}

// DeleteCidrCollection deletes a collection that has no locations left and
// that no record set routes with (CidrCollectionInUseException otherwise).
func (s *Service) DeleteCidrCollection(ctx context.Context, id string) error {
	if err := checkCidrCollectionID(id); err != nil {
		return err
	}
	_, err := s.cfg.Store.Update(ctx, func(tx store.Tx) error {
		c, err := loadCidrCollection(tx, id)
		if err != nil {
			return err
		}
		if n := len(c.Locations); n > 0 {
			return zone.NewError("CidrCollectionInUseException", fmt.Sprintf(
				"The CIDR collection %s still has %d location(s); delete their CIDR blocks first.", id, n))
		}
		users, err := cidrUsers(tx, id)
		if err != nil {
			return err
		}
		if len(users) > 0 {
			locs := make([]string, 0, len(users))
			for loc := range users {
				locs = append(locs, loc)
			}
			sort.Strings(locs)
			return zone.NewError("CidrCollectionInUseException", fmt.Sprintf(
				"The CIDR collection %s is in use by %s.", id, users[locs[0]]))
		}
		if err := tx.Delete(cidrRefKey(c.CallerReference)); err != nil {
			return err
		}
		return tx.Delete(cidrCollectionKey(id))
	})
	return err
}

// Page tokens are opaque to clients: base64url of a kind letter and the sort
// key of the first item of the next page. A page starts at the first item at
// or after that key, so items deleted between calls do not break paging.
const (
	tokenCollections = "c"
	tokenLocations   = "l"
	tokenBlocks      = "b"
)

func encodeToken(kind, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + key))
}

func decodeToken(kind, token string) (string, error) {
	if token == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err == nil {
		if key, ok := strings.CutPrefix(string(b), kind+":"); ok && key != "" {
			return key, nil
		}
	}
	return "", zone.InvalidInput("The pagination token '" + token + "' is not valid for this request.")
}

func pageSize(max int) int {
	if max <= 0 {
		return DefaultCidrPageSize
	}
	return max
}

// ListCidrCollections returns a page of collections ordered by name.
func (s *Service) ListCidrCollections(ctx context.Context, token string, max int) (CidrCollectionPage, error) {
	start, err := decodeToken(tokenCollections, token)
	if err != nil {
		return CidrCollectionPage{}, err
	}
	all, err := s.CidrCollections(ctx)
	if err != nil {
		return CidrCollectionPage{}, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	i := sort.Search(len(all), func(i int) bool { return all[i].Name >= start })
	end := min(i+pageSize(max), len(all))
	var page CidrCollectionPage
	for _, c := range all[i:end] {
		page.Collections = append(page.Collections, cidrSummary(c))
	}
	if end < len(all) {
		page.NextToken = encodeToken(tokenCollections, all[end].Name)
	}
	return page, nil
}

func (s *Service) getCidrCollection(ctx context.Context, id string) (zone.CidrCollection, error) {
	if err := checkCidrCollectionID(id); err != nil {
		return zone.CidrCollection{}, err
	}
	var c zone.CidrCollection
	err := s.cfg.Store.View(ctx, func(tx store.ReadTx) error {
		var err error
		c, err = loadCidrCollection(tx, id)
		return err
	})
	return c, err
}

// ListCidrLocations returns a page of a collection's location names in
// order.
func (s *Service) ListCidrLocations(ctx context.Context, id, token string, max int) (CidrLocationPage, error) {
	c, err := s.getCidrCollection(ctx, id)
	if err != nil {
		return CidrLocationPage{}, err
	}
	start, err := decodeToken(tokenLocations, token)
	if err != nil {
		return CidrLocationPage{}, err
	}
	locs := make([]string, 0, len(c.Locations))
	for loc := range c.Locations {
		locs = append(locs, loc)
	}
	sort.Strings(locs)
	i := sort.SearchStrings(locs, start)
	end := min(i+pageSize(max), len(locs))
	page := CidrLocationPage{Locations: locs[i:end]}
	if end < len(locs) {
		page.NextToken = encodeToken(tokenLocations, locs[end])
	}
	return page, nil
}

// ListCidrBlocks returns a page of a collection's blocks, ordered by location
// and then by block (IPv4 first); location, when not empty, selects one
// location, which must exist (NoSuchCidrLocationException).
func (s *Service) ListCidrBlocks(ctx context.Context, id, location, token string, max int) (CidrBlockPage, error) {
	if location != "" {
		if err := checkLocationName(location, "locationName"); err != nil {
			return CidrBlockPage{}, err
		}
	}
	c, err := s.getCidrCollection(ctx, id)
	if err != nil {
		return CidrBlockPage{}, err
	}
	if location != "" && len(c.Locations[location]) == 0 {
		return CidrBlockPage{}, noSuchCidrLocation(id, location)
	}
	startKey, err := decodeToken(tokenBlocks, token)
	if err != nil {
		return CidrBlockPage{}, err
	}
	var startLoc, startBlock string
	if startKey != "" {
		var ok bool
		startLoc, startBlock, ok = strings.Cut(startKey, " ")
		if !ok {
			return CidrBlockPage{}, zone.InvalidInput("The pagination token '" + token + "' is not valid for this request.")
		}
	}
	locs := make([]string, 0, len(c.Locations))
	for loc := range c.Locations {
		if location == "" || loc == location {
			locs = append(locs, loc)
		}
	}
	sort.Strings(locs)
	var all []CidrBlock
	for _, loc := range locs {
		for _, b := range c.Locations[loc] {
			all = append(all, CidrBlock{CidrBlock: b, LocationName: loc})
		}
	}
	i := sort.Search(len(all), func(i int) bool {
		if all[i].LocationName != startLoc {
			return all[i].LocationName > startLoc
		}
		return comparePrefixes(all[i].CidrBlock, startBlock) >= 0
	})
	end := min(i+pageSize(max), len(all))
	page := CidrBlockPage{Blocks: all[i:end]}
	if end < len(all) {
		page.NextToken = encodeToken(tokenBlocks, all[end].LocationName+" "+all[end].CidrBlock)
	}
	return page, nil
}
