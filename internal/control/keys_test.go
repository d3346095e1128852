package control

import (
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
)

func TestZoneIDOfKey(t *testing.T) {
	const id = "Z0123456789ABCDEFGHIJ"
	tests := []struct {
		key    string
		want   string
		wantOK bool
	}{
		{zoneKey(id), id, true},
		{rrsetKey(id, zone.Key{Name: "www.example.com.", Type: "A"}), id, true},
		{rrsetKey(id, zone.Key{Name: "w.example.com.", Type: "A", SetIdentifier: "a b/c"}), id, true},
		{rrsetPrefix(id), id, true},
		{"rrsets/" + id, id, true},
		{"zones/", "", false},
		{"rrsets/", "", false},
		{"rrsets//x", "", false},
		{changeKey("C123"), "", false},
		{tagsKey(ResourceHostedZone, id), "", false},
		{zoneRefKey("zones/" + id), "", false},
		{delegationKey("N123"), "", false},
		{delegationRefKey("ref"), "", false},
		{HealthCheckKey("hc"), "", false},
		{"zonesX/" + id, "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, ok := ZoneIDOfKey(tc.key)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("ZoneIDOfKey(%q) = %q, %v; want %q, %v", tc.key, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestStripPrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Z123", "Z123"},
		{"/hostedzone/Z123", "Z123"},
		{"hostedzone/Z123", "Z123"},
		{"%2Fhostedzone%2FZ123", "Z123"},
		{"%2fhostedzone%2fZ123", "Z123"},
		{"/change/C123", "C123"},
		{"%2Fchange%2FC123", "C123"},
		{"/delegationset/N123", "N123"},
		{"%2Fdelegationset%2FN123", "N123"},
		{"/healthcheck/0e6a8a3c-1b2d-4c5e-8f90-123456789abc", "0e6a8a3c-1b2d-4c5e-8f90-123456789abc"},
		{"", ""},
		{"/hostedzone/", ""},
		{"bad%zzescape", "bad%zzescape"},
		{"/change/bad%zz", "bad%zz"},
	}
	for _, tc := range tests {
		if got := StripPrefix(tc.in); got != tc.want {
			t.Errorf("StripPrefix(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestStoreKeysUnambiguous checks that the separators in record set keys
// cannot be confused: distinct keys of one zone map to distinct store keys,
// and they all lie under the zone's prefix.
func TestStoreKeysUnambiguous(t *testing.T) {
	const id = "Z1"
	keys := []zone.Key{
		{Name: "a.example.com.", Type: "A"},
		{Name: "a.example.com.", Type: "A", SetIdentifier: "x"},
		{Name: "a.example.com.", Type: "AAAA"},
		{Name: "a\\040b.example.com.", Type: "A"},
		{Name: "a.example.com.", Type: "A", SetIdentifier: "A x"},
	}
	seen := map[string]zone.Key{}
	for _, k := range keys {
		sk := rrsetKey(id, k)
		if prev, dup := seen[sk]; dup {
			t.Errorf("keys %+v and %+v share store key %q", prev, k, sk)
		}
		seen[sk] = k
		if got, ok := ZoneIDOfKey(sk); !ok || got != id {
			t.Errorf("ZoneIDOfKey(%q) = %q, %v", sk, got, ok)
		}
	}
	if other := rrsetKey("Z12", keys[0]); strings.HasPrefix(other, rrsetPrefix(id)) {
		t.Errorf("zone Z12's key %q lies under zone Z1's prefix %q", other, rrsetPrefix(id))
	}
}
