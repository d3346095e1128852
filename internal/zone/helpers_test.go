package zone

import (
	"reflect"
	"strings"
	"testing"
)

// Test fixtures: the zone example.com. (ID ZTEST) with its default records.

const testZoneID = "ZTEST"

func testZone() *HostedZone {
	return &HostedZone{ID: testZoneID, Name: "example.com.", NameServers: DefaultNameServers(1)}
}

func testDefaults() []RRSet {
	return DefaultRecordSets(testZone(), "awsdns-hostmaster.amazon.com.")
}

func i64(n int64) *int64 { return &n }

func boolp(b bool) *bool { return &b }

// rr builds a simple record set with TTL 300.
func rr(name, typ string, values ...string) RRSet {
	return RRSet{Name: name, Type: typ, TTL: i64(300), Values: values}
}

// aliasTo builds an alias record set.
func aliasTo(name, typ, zoneID, target string) RRSet {
	return RRSet{Name: name, Type: typ, AliasTarget: &AliasTarget{HostedZoneID: zoneID, DNSName: target}}
}

// with returns r after mod, for routing fields and other tweaks.
func with(r RRSet, mod func(*RRSet)) RRSet {
	mod(&r)
	return r
}

func weighted(r RRSet, id string, w int64) RRSet {
	return with(r, func(r *RRSet) { r.SetIdentifier, r.Weight = id, i64(w) })
}

func latency(r RRSet, id, region string) RRSet {
	return with(r, func(r *RRSet) { r.SetIdentifier, r.Region = id, region })
}

func failover(r RRSet, id, role string) RRSet {
	return with(r, func(r *RRSet) { r.SetIdentifier, r.Failover = id, role })
}

func geo(r RRSet, id, continent, country, sub string) RRSet {
	return with(r, func(r *RRSet) {
		r.SetIdentifier = id
		r.GeoLocation = &GeoLocation{ContinentCode: continent, CountryCode: country, SubdivisionCode: sub}
	})
}

func multi(r RRSet, id string) RRSet {
	return with(r, func(r *RRSet) { r.SetIdentifier, r.MultiValueAnswer = id, boolp(true) })
}

func cidr(r RRSet, id, collection, location string) RRSet {
	return with(r, func(r *RRSet) {
		r.SetIdentifier = id
		r.CidrRoutingConfig = &CidrRoutingConfig{CollectionID: collection, LocationName: location}
	})
}

func geoprox(r RRSet, id, region string) RRSet {
	return with(r, func(r *RRSet) {
		r.SetIdentifier = id
		r.GeoProximityLocation = &GeoProximityLocation{AWSRegion: region}
	})
}

func create(r RRSet) Change { return Change{Action: ActionCreate, RRSet: r} }
func del(r RRSet) Change    { return Change{Action: ActionDelete, RRSet: r} }
func upsert(r RRSet) Change { return Change{Action: ActionUpsert, RRSet: r} }

func batch(cs ...Change) ChangeBatch { return ChangeBatch{Changes: cs} }

// applyCase is one ApplyChanges scenario. With wantCode empty the batch must
// succeed; otherwise the *Error must have that code and, for
// InvalidChangeBatch, exactly wantMsgs as Messages, else wantMsgs[0] as
// Message.
type applyCase struct {
	name     string
	current  []RRSet // added to the zone's default SOA and NS
	batch    ChangeBatch
	env      Env
	wantCode string
	wantMsgs []string
	check    func(t *testing.T, res *Result)
}

func runApplyCases(t *testing.T, cases []applyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			current := append(testDefaults(), tc.current...)
			res, err := ApplyChanges(testZone(), current, tc.batch, tc.env)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("ApplyChanges: unexpected error %v", err)
				}
				checkResultConsistent(t, current, res)
				if tc.check != nil {
					tc.check(t, res)
				}
				return
			}
			if err == nil {
				t.Fatalf("ApplyChanges succeeded (%+v), want %s %q", res, tc.wantCode, tc.wantMsgs)
			}
			e, ok := AsError(err)
			if !ok {
				t.Fatalf("error %v is not an *Error", err)
			}
			if e.Code != tc.wantCode {
				t.Fatalf("code = %s (%s), want %s", e.Code, e.Message, tc.wantCode)
			}
			if tc.wantCode == "InvalidChangeBatch" {
				if !reflect.DeepEqual(e.Messages, tc.wantMsgs) {
					t.Fatalf("messages:\n got %q\nwant %q", e.Messages, tc.wantMsgs)
				}
				if want := "[" + strings.Join(tc.wantMsgs, ", ") + "]"; e.Message != want {
					t.Fatalf("message = %q, want %q", e.Message, want)
				}
				return
			}
			if len(tc.wantMsgs) != 1 || e.Message != tc.wantMsgs[0] {
				t.Fatalf("message:\n got %q\nwant %q", e.Message, tc.wantMsgs)
			}
		})
	}
}

// checkResultConsistent applies res to current and checks Count, and that
// every Put has a canonical name.
func checkResultConsistent(t *testing.T, current []RRSet, res *Result) {
	t.Helper()
	state := make(map[Key]bool)
	for _, r := range current {
		state[r.Key()] = true
	}
	for _, k := range res.Delete {
		if !state[k] {
			t.Fatalf("Delete holds %v, which did not exist", k)
		}
		delete(state, k)
	}
	for _, r := range res.Put {
		if c, err := CanonicalName(r.Name); err != nil || c != r.Name {
			t.Fatalf("Put name %q is not canonical (%q, %v)", r.Name, c, err)
		}
		state[r.Key()] = true
	}
	if len(state) != res.Count {
		t.Fatalf("Count = %d, applying Put/Delete gives %d", res.Count, len(state))
	}
}

// wantPut returns a check that Put holds exactly the given keys in order.
func wantPut(keys ...Key) func(t *testing.T, res *Result) {
	return func(t *testing.T, res *Result) {
		t.Helper()
		var got []Key
		for _, r := range res.Put {
			got = append(got, r.Key())
		}
		if !reflect.DeepEqual(got, keys) {
			t.Fatalf("Put keys = %v, want %v", got, keys)
		}
	}
}
