package zone

import "testing"

// TestApplyChangesCidrReferences checks Env.CidrLocationExists: IP-based
// record sets created or upserted must name an existing collection and, but
// for "*", an existing location in it; deletions are not checked.
func TestApplyChangesCidrReferences(t *testing.T) {
	const (
		known   = "11111111-1111-4111-8111-111111111111"
		unknown = "22222222-2222-4222-8222-222222222222"
	)
	locations := map[string]map[string]bool{known: {"office": true, "home": true}}
	exists := func(collectionID, location string) bool {
		locs, ok := locations[collectionID]
		return ok && (location == "*" || locs[location])
	}
	var calls []string
	recording := func(collectionID, location string) bool {
		calls = append(calls, collectionID+"/"+location)
		return exists(collectionID, location)
	}
	base := rr("ip.example.com.", "A", "192.0.2.1")
	office := cidr(base, "office", known, "office")
	noColl := "No CIDR collection found with ID: " + unknown
	noLoc := "No CIDR location found with name branch in CIDR collection: " + known

	runApplyCases(t, []applyCase{
		{
			name:  "known location",
			batch: batch(create(office), create(cidr(base, "home", known, "home"))),
			env:   Env{CidrLocationExists: exists},
			check: wantPut(office.Key(), Key{Name: "ip.example.com.", Type: "A", SetIdentifier: "home"}),
		},
		{
			name:  "default location of a known collection",
			batch: batch(create(cidr(base, "default", known, "*"))),
			env:   Env{CidrLocationExists: exists},
		},
		{
			name:     "unknown collection on create",
			batch:    batch(create(cidr(base, "c", unknown, "office"))),
			env:      Env{CidrLocationExists: exists},
			wantCode: "NoSuchCidrCollectionException",
			wantMsgs: []string{noColl},
		},
		{
			name:     "unknown collection with the default location",
			batch:    batch(create(cidr(base, "c", unknown, "*"))),
			env:      Env{CidrLocationExists: exists},
			wantCode: "NoSuchCidrCollectionException",
			wantMsgs: []string{noColl},
		},
		{
			name:     "unknown location on upsert",
			batch:    batch(create(office), upsert(cidr(base, "branch", known, "branch"))),
			env:      Env{CidrLocationExists: exists},
			wantCode: "NoSuchCidrLocationException",
			wantMsgs: []string{noLoc},
		},
		{
			name:    "delete is not checked",
			current: []RRSet{cidr(base, "gone", unknown, "branch")},
			batch:   batch(del(cidr(base, "gone", unknown, "branch"))),
			env:     Env{CidrLocationExists: exists},
		},
		{
			name:  "nil hook accepts everything",
			batch: batch(create(cidr(base, "c", unknown, "branch"))),
		},
		{
			name:     "shape errors come first",
			batch:    batch(create(cidr(base, "c", "not-a-uuid", "office"))),
			env:      Env{CidrLocationExists: exists},
			wantCode: "InvalidInput",
			wantMsgs: []string{"1 validation error detected: Value 'not-a-uuid' at 'changeBatch.changes.1.member.resourceRecordSet.cidrRoutingConfig.collectionId' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}"},
		},
		{
			name:     "an unknown collection outranks the batch's own errors",
			current:  []RRSet{office},
			batch:    batch(create(office), create(cidr(base, "x", unknown, "office"))),
			env:      Env{CidrLocationExists: exists},
			wantCode: "NoSuchCidrCollectionException",
			wantMsgs: []string{noColl},
		},
	})

	// The default location is never asked about by name: "*" only asks
	// whether the collection exists.
	calls = nil
	if _, err := ApplyChanges(testZone(), testDefaults(), batch(create(cidr(base, "d", known, "*")), create(office)), Env{CidrLocationExists: recording}); err != nil {
		t.Fatalf("ApplyChanges: %v", err)
	}
	want := []string{known + "/*", known + "/*", known + "/office"}
	if len(calls) != len(want) {
		t.Fatalf("hook calls = %q, want %q", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Fatalf("hook calls = %q, want %q", calls, want)
		}
	}
}
