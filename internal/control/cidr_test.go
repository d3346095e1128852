package control

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"

	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/store/boltstore"
	"github.com/meridian-gtm/meridian/internal/zone"
)

var (
	cidrUUIDShape     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	cidrChangeIDShape = regexp.MustCompile(`^C[A-Z0-9]{20}$`)
)

// newCidrService returns a Service over a fresh bbolt store.
func newCidrService(t *testing.T) (*Service, store.Store) {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return New(Config{Store: st}), st
}

func cidrErrCode(err error) string {
	if e, ok := zone.AsError(err); ok {
		return e.Code
	}
	if err != nil {
		return "non-API error: " + err.Error()
	}
	return ""
}

func wantCidrError(t *testing.T, err error, code, message string) {
	t.Helper()
	if got := cidrErrCode(err); got != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	if e, _ := zone.AsError(err); message != "" && e.Message != message {
		t.Fatalf("message:\n got %q\nwant %q", e.Message, message)
	}
}

func mustCreateCidr(t *testing.T, s *Service, name string) CidrCollection {
	t.Helper()
	c, err := s.CreateCidrCollection(context.Background(), name, "ref-"+name)
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return c
}

func mustChangeCidr(t *testing.T, s *Service, id string, changes ...CidrChange) ChangeInfo {
	t.Helper()
	ci, err := s.ChangeCidrCollection(context.Background(), id, nil, changes)
	if err != nil {
		t.Fatalf("change %s: %v", id, err)
	}
	return ci
}

func putBlocks(loc string, blocks ...string) CidrChange {
	return CidrChange{LocationName: loc, Action: CidrPut, CidrList: blocks}
}

func deleteBlocks(loc string, blocks ...string) CidrChange {
	return CidrChange{LocationName: loc, Action: CidrDeleteIfExists, CidrList: blocks}
}

func cidrLocations(t *testing.T, s *Service, id string) map[string][]string {
	t.Helper()
	all, err := s.CidrCollections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if c.ID == id {
			return c.Locations
		}
	}
	t.Fatalf("collection %s not found", id)
	return nil
}

func TestCreateCidrCollection(t *testing.T) {
	s, _ := newCidrService(t)
	ctx := context.Background()
	c, err := s.CreateCidrCollection(ctx, "offices", "ref-1")
	if err != nil {
		t.Fatal(err)
	}
	if !cidrUUIDShape.MatchString(c.ID) || c.Name != "offices" || c.Version != 1 ||
		c.ARN != "arn:aws:route53:::cidrcollection/"+c.ID {
		t.Fatalf("created %+v", c)
	}

	// A retry with the same caller reference and name returns the same
	// collection, even after it changed.
	mustChangeCidr(t, s, c.ID, putBlocks("hq", "192.0.2.0/24"))
	again, err := s.CreateCidrCollection(ctx, "offices", "ref-1")
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != c.ID || again.Version != 2 {
		t.Fatalf("retry returned %+v, want %s at version 2", again, c.ID)
	}
	all, err := s.CidrCollections(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("collections = %+v, %v", all, err)
	}

	_, err = s.CreateCidrCollection(ctx, "other", "ref-1")
	wantCidrError(t, err, "CidrCollectionAlreadyExistsException", "A CIDR collection has already been created with the specified caller reference.")
	_, err = s.CreateCidrCollection(ctx, "offices", "ref-2")
	wantCidrError(t, err, "CidrCollectionAlreadyExistsException", "A CIDR collection with the name offices already exists with a different caller reference.")
}

func TestCreateCidrCollectionValidation(t *testing.T) {
	s, _ := newCidrService(t)
	long := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a'
		}
		return string(b)
	}
	tests := []struct {
		name, ref, msg string
	}{
		{"", "r", "1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member must have length between 1 and 64"},
		{long(65), "r", "1 validation error detected: Value '" + long(65) + "' at 'name' failed to satisfy constraint: Member must have length between 1 and 64"},
		{"has space", "r", `1 validation error detected: Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9A-Za-z_\-]+`},
		{"a*", "r", `1 validation error detected: Value 'a*' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9A-Za-z_\-]+`},
		{"ok", "", "1 validation error detected: Value '' at 'callerReference' failed to satisfy constraint: Member must have length between 1 and 64"},
		{"ok", long(65), "1 validation error detected: Value '" + long(65) + "' at 'callerReference' failed to satisfy constraint: Member must have length between 1 and 64"},
		{"ok", "réf", `1 validation error detected: Value 'réf' at 'callerReference' failed to satisfy constraint: Member must satisfy regular expression pattern: \p{ASCII}+`},
	}
	for _, tc := range tests {
		_, err := s.CreateCidrCollection(context.Background(), tc.name, tc.ref)
		wantCidrError(t, err, "InvalidInput", tc.msg)
	}
	if _, err := s.CreateCidrCollection(context.Background(), long(64), "x y~"); err != nil {
		t.Fatalf("64-character name, ASCII reference: %v", err)
	}
}

func TestCidrCollectionQuota(t *testing.T) {
	s, _ := newCidrService(t)
	var ids []string
	for i := range MaxCidrCollections {
		ids = append(ids, mustCreateCidr(t, s, fmt.Sprintf("c%d", i)).ID)
	}
	_, err := s.CreateCidrCollection(context.Background(), "one-more", "ref-more")
	wantCidrError(t, err, "LimitsExceeded", "Limits Exceeded: MAX_CIDR_COLLECTIONS_BY_OWNER - Cannot create more than 5 CIDR collections.")
	if err := s.DeleteCidrCollection(context.Background(), ids[0]); err != nil {
		t.Fatal(err)
	}
	mustCreateCidr(t, s, "one-more")
}

func TestCanonicalCidr(t *testing.T) {
	tests := []struct {
		in, want, errMsg string
	}{
		{in: "192.0.2.0/24", want: "192.0.2.0/24"},
		{in: "10.0.0.0/8", want: "10.0.0.0/8"},
		{in: "128.0.0.0/1", want: "128.0.0.0/1"},
		{in: "2001:0DB8::/32", want: "2001:db8::/32"},
		{in: "2001:DB8:1200::/48", want: "2001:db8:1200::/48"},
		{in: "8000::/1", want: "8000::/1"},
		{in: "192.0.2.0/25", errMsg: `The CIDR block 192.0.2.0/25 is not allowed: IPv4 CIDR blocks must have a prefix length between 1 and 24; use the default location "*" for a zero-bit block.`},
		{in: "0.0.0.0/0", errMsg: `The CIDR block 0.0.0.0/0 is not allowed: IPv4 CIDR blocks must have a prefix length between 1 and 24; use the default location "*" for a zero-bit block.`},
		{in: "2001:db8::/56", errMsg: `The CIDR block 2001:db8::/56 is not allowed: IPv6 CIDR blocks must have a prefix length between 1 and 48; use the default location "*" for a zero-bit block.`},
		{in: "::/0", errMsg: `The CIDR block ::/0 is not allowed: IPv6 CIDR blocks must have a prefix length between 1 and 48; use the default location "*" for a zero-bit block.`},
		{in: "192.0.2.1/24", errMsg: "The CIDR block 192.0.2.1/24 has bits set beyond its prefix length; did you mean 192.0.2.0/24?"},
		{in: "2001:db8::1/32", errMsg: "The CIDR block 2001:db8::1/32 has bits set beyond its prefix length; did you mean 2001:db8::/32?"},
		{in: "192.0.2.0", errMsg: "The CIDR block '192.0.2.0' is not a valid IPv4 or IPv6 CIDR block."},
		{in: "192.0.2.0/", errMsg: "The CIDR block '192.0.2.0/' is not a valid IPv4 or IPv6 CIDR block."},
		{in: "010.0.0.0/8", errMsg: "The CIDR block '010.0.0.0/8' is not a valid IPv4 or IPv6 CIDR block."},
		{in: "fe80::%eth0/16", errMsg: "The CIDR block 'fe80::%eth0/16' is not a valid IPv4 or IPv6 CIDR block."},
		{in: "example.com/24", errMsg: "The CIDR block 'example.com/24' is not a valid IPv4 or IPv6 CIDR block."},
	}
	for _, tc := range tests {
		got, err := CanonicalCidr(tc.in)
		if tc.errMsg != "" {
			wantCidrError(t, err, "InvalidInput", tc.errMsg)
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("CanonicalCidr(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestChangeCidrCollection(t *testing.T) {
	s, _ := newCidrService(t)
	ctx := context.Background()
	c := mustCreateCidr(t, s, "net")

	ci := mustChangeCidr(t, s, c.ID,
		putBlocks("hq", "2001:DB8::/32", "192.0.2.0/24", "10.0.0.0/8"),
		putBlocks("branch", "198.51.100.0/24"),
		putBlocks("hq", "192.0.2.0/24"), // already there: kept once
	)
	if !cidrChangeIDShape.MatchString(ci.ID) || ci.Status != StatusPending || ci.ZoneID != "" {
		t.Fatalf("change info %+v", ci)
	}
	if got, err := s.GetChange(ctx, "/change/"+ci.ID); err != nil || got.ID != ci.ID || got.Revision != ci.Revision {
		t.Fatalf("GetChange = %+v, %v", got, err)
	}
	want := map[string][]string{
		"branch": {"198.51.100.0/24"},
		"hq":     {"10.0.0.0/8", "192.0.2.0/24", "2001:db8::/32"},
	}
	if got := cidrLocations(t, s, c.ID); !reflect.DeepEqual(got, want) {
		t.Fatalf("locations = %v, want %v", got, want)
	}

	// Moving a block between locations in one request; deleting absent
	// blocks and locations is no error; an emptied location disappears.
	mustChangeCidr(t, s, c.ID,
		deleteBlocks("hq", "10.0.0.0/8", "203.0.113.0/24"),
		putBlocks("branch", "10.0.0.0/8"),
		deleteBlocks("nowhere", "192.0.2.0/24"),
	)
	mustChangeCidr(t, s, c.ID, deleteBlocks("branch", "198.51.100.0/24", "10.0.0.0/8"))
	want = map[string][]string{"hq": {"192.0.2.0/24", "2001:db8::/32"}}
	if got := cidrLocations(t, s, c.ID); !reflect.DeepEqual(got, want) {
		t.Fatalf("locations = %v, want %v", got, want)
	}

	// Each change increments the version; an expected version must match.
	page, err := s.ListCidrCollections(ctx, "", 0)
	if err != nil || len(page.Collections) != 1 || page.Collections[0].Version != 4 {
		t.Fatalf("collections = %+v, %v", page, err)
	}
	v := int64(3)
	_, err = s.ChangeCidrCollection(ctx, c.ID, &v, []CidrChange{putBlocks("x", "203.0.113.0/24")})
	wantCidrError(t, err, "CidrCollectionVersionMismatchException", "The CIDR collection version you provided, 3, doesn't match the collection's current version, 4.")
	v = 4
	if _, err := s.ChangeCidrCollection(ctx, c.ID, &v, []CidrChange{putBlocks("x", "203.0.113.0/24")}); err != nil {
		t.Fatalf("change at the current version: %v", err)
	}

	// A block may be in one location only.
	_, err = s.ChangeCidrCollection(ctx, c.ID, nil, []CidrChange{putBlocks("other", "192.0.2.0/24")})
	wantCidrError(t, err, "CidrBlockInUseException", "The CIDR block 192.0.2.0/24 cannot be in location other: it is already in use by location hq.")

	// Nothing applies from a failed request.
	_, err = s.ChangeCidrCollection(ctx, c.ID, nil, []CidrChange{putBlocks("y", "203.0.112.0/24"), putBlocks("z", "not-a-cidr")})
	wantCidrError(t, err, "InvalidInput", "")
	if got := cidrLocations(t, s, c.ID); len(got) != 2 || got["y"] != nil {
		t.Fatalf("locations after failed change = %v", got)
	}

	_, err = s.ChangeCidrCollection(ctx, "11111111-2222-4333-8444-555555555555", nil, []CidrChange{putBlocks("a", "192.0.2.0/24")})
	wantCidrError(t, err, "NoSuchCidrCollectionException", "No CIDR collection found with ID: 11111111-2222-4333-8444-555555555555")
}

func TestChangeCidrCollectionValidation(t *testing.T) {
	s, _ := newCidrService(t)
	c := mustCreateCidr(t, s, "net")
	many := make([]string, MaxCidrBlocksPerRequest+1)
	for i := range many {
		many[i] = fmt.Sprintf("10.%d.%d.0/24", i/256, i%256)
	}
	zero := int64(0)
	tests := []struct {
		name    string
		id      string
		version *int64
		changes []CidrChange
		msg     string
	}{
		{"bad id", "not-a-uuid", nil, []CidrChange{putBlocks("a", "192.0.2.0/24")},
			"1 validation error detected: Value 'not-a-uuid' at 'id' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}"},
		{"version 0", c.ID, &zero, []CidrChange{putBlocks("a", "192.0.2.0/24")},
			"1 validation error detected: Value '0' at 'collectionVersion' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"no changes", c.ID, nil, nil,
			"1 validation error detected: Value at 'changes' failed to satisfy constraint: Member must have length between 1 and 1000"},
		{"default location", c.ID, nil, []CidrChange{putBlocks("*", "192.0.2.0/24")},
			`1 validation error detected: Value '*' at 'changes.1.member.locationName' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9A-Za-z_\-]+`},
		{"long location", c.ID, nil, []CidrChange{putBlocks("a", "192.0.2.0/24"), putBlocks("abcdefghijklmnopq", "192.0.2.0/24")},
			"1 validation error detected: Value 'abcdefghijklmnopq' at 'changes.2.member.locationName' failed to satisfy constraint: Member must have length between 1 and 16"},
		{"bad action", c.ID, nil, []CidrChange{{LocationName: "a", Action: "DELETE", CidrList: []string{"192.0.2.0/24"}}},
			"1 validation error detected: Value 'DELETE' at 'changes.1.member.action' failed to satisfy constraint: Member must satisfy enum value set: [PUT, DELETE_IF_EXISTS]"},
		{"empty list", c.ID, nil, []CidrChange{putBlocks("a")},
			"1 validation error detected: Value at 'changes.1.member.cidrList' failed to satisfy constraint: Member must have length between 1 and 1000"},
		{"too many blocks in one change", c.ID, nil, []CidrChange{putBlocks("a", many...)},
			"1 validation error detected: Value at 'changes.1.member.cidrList' failed to satisfy constraint: Member must have length between 1 and 1000"},
		{"too many blocks in the request", c.ID, nil, []CidrChange{putBlocks("a", many[:600]...), deleteBlocks("b", many[600:]...)},
			"A ChangeCidrCollection request can name at most 1000 CIDR blocks."},
		{"host bits", c.ID, nil, []CidrChange{putBlocks("a", "192.0.2.1/24")},
			"The CIDR block 192.0.2.1/24 has bits set beyond its prefix length; did you mean 192.0.2.0/24?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.ChangeCidrCollection(context.Background(), tc.id, tc.version, tc.changes)
			wantCidrError(t, err, "InvalidInput", tc.msg)
		})
	}
}

func TestCidrCollectionBlockQuota(t *testing.T) {
	s, _ := newCidrService(t)
	c := mustCreateCidr(t, s, "big")
	var blocks []string
	for i := range MaxCidrBlocksPerCollection {
		blocks = append(blocks, fmt.Sprintf("10.%d.%d.0/24", i/256, i%256))
	}
	mustChangeCidr(t, s, c.ID, putBlocks("a", blocks[:500]...))
	mustChangeCidr(t, s, c.ID, putBlocks("b", blocks[500:]...))
	_, err := s.ChangeCidrCollection(context.Background(), c.ID, nil, []CidrChange{putBlocks("c", "192.0.2.0/24")})
	wantCidrError(t, err, "LimitsExceeded", "Limits Exceeded: MAX_CIDR_BLOCKS_BY_COLLECTION - A CIDR collection can hold at most 1000 CIDR blocks; this change would leave 1001.")
	// Swapping a block in one request stays within the quota.
	mustChangeCidr(t, s, c.ID, deleteBlocks("a", blocks[0]), putBlocks("c", "192.0.2.0/24"))
}

// createCidrRecord writes an IP-based record set through the control plane.
func createCidrRecord(t *testing.T, s *Service, zoneID, setID, collection, location string) zone.RRSet {
	t.Helper()
	rs := zone.RRSet{
		Name: "ip.example.com.", Type: "A", SetIdentifier: setID, TTL: cidrInt64(60), Values: []string{"192.0.2.10"},
		CidrRoutingConfig: &zone.CidrRoutingConfig{CollectionID: collection, LocationName: location},
	}
	if _, err := s.ChangeResourceRecordSets(context.Background(), zoneID, zone.ChangeBatch{Changes: []zone.Change{{Action: zone.ActionCreate, RRSet: rs}}}); err != nil {
		t.Fatalf("create %s: %v", setID, err)
	}
	return rs
}

func cidrInt64(v int64) *int64 { return &v }

func TestCidrInUse(t *testing.T) {
	s, _ := newCidrService(t)
	ctx := context.Background()
	info, _, err := s.CreateHostedZone(ctx, CreateZoneInput{Name: "example.com", CallerReference: "zone-1"})
	if err != nil {
		t.Fatal(err)
	}
	c := mustCreateCidr(t, s, "net")
	other := mustCreateCidr(t, s, "other")
	mustChangeCidr(t, s, c.ID, putBlocks("hq", "192.0.2.0/24", "198.51.100.0/24"), putBlocks("lab", "203.0.113.0/24"))
	mustChangeCidr(t, s, other.ID, putBlocks("hq", "10.0.0.0/8"))
	hq := createCidrRecord(t, s, info.ID, "hq", c.ID, "hq")

	// Blocks of a used location may go as long as one stays.
	mustChangeCidr(t, s, c.ID, deleteBlocks("hq", "198.51.100.0/24"))
	_, err = s.ChangeCidrCollection(ctx, c.ID, nil, []CidrChange{deleteBlocks("hq", "192.0.2.0/24")})
	wantCidrError(t, err, "CidrBlockInUseException",
		"The change would remove every CIDR block of location hq, which resource record set [name='ip.example.com.', type='A', set-identifier='hq'] in hosted zone "+info.ID+" uses.")
	// Replacing them in one request is fine; so is emptying unused
	// locations, and locations of the same name in other collections.
	mustChangeCidr(t, s, c.ID, deleteBlocks("hq", "192.0.2.0/24"), putBlocks("hq", "192.0.3.0/24"))
	mustChangeCidr(t, s, c.ID, deleteBlocks("lab", "203.0.113.0/24"))
	mustChangeCidr(t, s, other.ID, deleteBlocks("hq", "10.0.0.0/8"))
	if err := s.DeleteCidrCollection(ctx, other.ID); err != nil {
		t.Fatalf("delete unused collection: %v", err)
	}

	// A collection with locations cannot be deleted.
	err = s.DeleteCidrCollection(ctx, c.ID)
	wantCidrError(t, err, "CidrCollectionInUseException", "The CIDR collection "+c.ID+" still has 1 location(s); delete their CIDR blocks first.")

	// Nor one an rrset routes with, even through the default location
	// only.
	if _, err := s.ChangeResourceRecordSets(ctx, info.ID, zone.ChangeBatch{Changes: []zone.Change{{Action: zone.ActionDelete, RRSet: hq}}}); err != nil {
		t.Fatal(err)
	}
	mustChangeCidr(t, s, c.ID, deleteBlocks("hq", "192.0.3.0/24"))
	def := createCidrRecord(t, s, info.ID, "default", c.ID, "*")
	err = s.DeleteCidrCollection(ctx, c.ID)
	wantCidrError(t, err, "CidrCollectionInUseException",
		"The CIDR collection "+c.ID+" is in use by resource record set [name='ip.example.com.', type='A', set-identifier='default'] in hosted zone "+info.ID+".")
	if _, err := s.ChangeResourceRecordSets(ctx, info.ID, zone.ChangeBatch{Changes: []zone.Change{{Action: zone.ActionDelete, RRSet: def}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCidrCollection(ctx, c.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	err = s.DeleteCidrCollection(ctx, c.ID)
	wantCidrError(t, err, "NoSuchCidrCollectionException", "No CIDR collection found with ID: "+c.ID)
	err = s.DeleteCidrCollection(ctx, "nope")
	wantCidrError(t, err, "InvalidInput", "")

	// The caller reference is free again once its collection is gone.
	again, err := s.CreateCidrCollection(ctx, "net", "ref-net")
	if err != nil || again.ID == c.ID {
		t.Fatalf("re-create = %+v, %v", again, err)
	}
}

func TestCidrLocationExistsHook(t *testing.T) {
	s, st := newCidrService(t)
	c := mustCreateCidr(t, s, "net")
	mustChangeCidr(t, s, c.ID, putBlocks("hq", "192.0.2.0/24"))
	tests := []struct {
		collection, location string
		want                 bool
	}{
		{c.ID, "*", true},
		{c.ID, "hq", true},
		{c.ID, "lab", false},
		{"11111111-2222-4333-8444-555555555555", "*", false},
		{"11111111-2222-4333-8444-555555555555", "hq", false},
	}
	err := st.View(context.Background(), func(tx store.ReadTx) error {
		exists := cidrLocationExists(tx)
		for range 2 { // the second round is served from the cache
			for _, tc := range tests {
				if got := exists(tc.collection, tc.location); got != tc.want {
					t.Errorf("exists(%s, %s) = %v, want %v", tc.collection, tc.location, got, tc.want)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestListCidrPaging(t *testing.T) {
	s, _ := newCidrService(t)
	ctx := context.Background()
	for _, n := range []string{"delta", "alpha", "charlie", "bravo"} {
		mustCreateCidr(t, s, n)
	}
	var names []string
	token := ""
	for pages := 0; ; pages++ {
		page, err := s.ListCidrCollections(ctx, token, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Collections {
			names = append(names, c.Name)
		}
		if token = page.NextToken; token == "" {
			if pages != 1 {
				t.Fatalf("%d pages, want 2", pages+1)
			}
			break
		}
	}
	if want := []string{"alpha", "bravo", "charlie", "delta"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("names = %v, want %v", names, want)
	}

	c := mustCreateCidr(t, s, "echo")
	mustChangeCidr(t, s, c.ID,
		putBlocks("b", "2001:db8::/32", "192.0.2.0/24", "10.0.0.0/8"),
		putBlocks("a", "198.51.100.0/24"),
		putBlocks("c", "203.0.113.0/24", "10.1.0.0/16"),
	)
	locPage, err := s.ListCidrLocations(ctx, c.ID, "", 2)
	if err != nil || !reflect.DeepEqual(locPage.Locations, []string{"a", "b"}) || locPage.NextToken == "" {
		t.Fatalf("locations page 1 = %+v, %v", locPage, err)
	}
	locPage, err = s.ListCidrLocations(ctx, c.ID, locPage.NextToken, 2)
	if err != nil || !reflect.DeepEqual(locPage.Locations, []string{"c"}) || locPage.NextToken != "" {
		t.Fatalf("locations page 2 = %+v, %v", locPage, err)
	}

	collect := func(location string, max int) []CidrBlock {
		var out []CidrBlock
		token := ""
		for {
			page, err := s.ListCidrBlocks(ctx, c.ID, location, token, max)
			if err != nil {
				t.Fatalf("ListCidrBlocks(%q): %v", location, err)
			}
			if max > 0 && len(page.Blocks) > max {
				t.Fatalf("page of %d > %d", len(page.Blocks), max)
			}
			out = append(out, page.Blocks...)
			if token = page.NextToken; token == "" {
				return out
			}
		}
	}
	wantAll := []CidrBlock{
		{"198.51.100.0/24", "a"},
		{"10.0.0.0/8", "b"}, {"192.0.2.0/24", "b"}, {"2001:db8::/32", "b"},
		{"10.1.0.0/16", "c"}, {"203.0.113.0/24", "c"},
	}
	for _, max := range []int{1, 2, 4, 0} {
		if got := collect("", max); !reflect.DeepEqual(got, wantAll) {
			t.Fatalf("max %d: blocks = %v, want %v", max, got, wantAll)
		}
	}
	if got := collect("b", 2); !reflect.DeepEqual(got, wantAll[1:4]) {
		t.Fatalf("location b: %v", got)
	}

	// A token stays valid when its item is deleted in between.
	page, err := s.ListCidrBlocks(ctx, c.ID, "", "", 2)
	if err != nil {
		t.Fatal(err)
	}
	mustChangeCidr(t, s, c.ID, deleteBlocks("b", "192.0.2.0/24"))
	page, err = s.ListCidrBlocks(ctx, c.ID, "", page.NextToken, 10)
	if err != nil || !reflect.DeepEqual(page.Blocks, []CidrBlock{{"2001:db8::/32", "b"}, {"10.1.0.0/16", "c"}, {"203.0.113.0/24", "c"}}) {
		t.Fatalf("after delete: %+v, %v", page, err)
	}

	_, err = s.ListCidrBlocks(ctx, c.ID, "nowhere", "", 0)
	wantCidrError(t, err, "NoSuchCidrLocationException", "No CIDR location found with name nowhere in CIDR collection: "+c.ID)
	_, err = s.ListCidrBlocks(ctx, c.ID, "bad name", "", 0)
	wantCidrError(t, err, "InvalidInput", "")
	_, err = s.ListCidrBlocks(ctx, c.ID, "", "garbage!", 0)
	wantCidrError(t, err, "InvalidInput", "The pagination token 'garbage!' is not valid for this request.")
	// A token from another listing is refused.
	_, err = s.ListCidrLocations(ctx, c.ID, encodeToken(tokenBlocks, "a 10.0.0.0/8"), 0)
	wantCidrError(t, err, "InvalidInput", "")
	_, err = s.ListCidrLocations(ctx, "11111111-2222-4333-8444-555555555555", "", 0)
	wantCidrError(t, err, "NoSuchCidrCollectionException", "")
	_, err = s.ListCidrBlocks(ctx, "11111111-2222-4333-8444-555555555555", "", "", 0)
	wantCidrError(t, err, "NoSuchCidrCollectionException", "")
}
