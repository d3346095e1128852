package control

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/meridian-gtm/meridian/internal/store"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// Store key layout. Canonical record names escape every byte but a-z, 0-9,
// '-' and '_', so the space separators in record keys cannot be ambiguous.
const (
	prefixZones          = "zones/"
	prefixRRSets         = "rrsets/"
	prefixChanges        = "changes/"
	prefixZoneRefs       = "callerrefs/zone/"
	prefixDelegationSets = "delegationsets/"
	prefixDelegationRefs = "callerrefs/delegationset/"
	prefixTags           = "tags/"
	prefixCidrRefs       = "callerrefs/cidrcollection/"
)

// PrefixCidrCollections is the store prefix of CIDR collections: the key of
// each is PrefixCidrCollections + its ID, holding a JSON zone.CidrCollection.
// The snapshot publisher watches it because IP-based routing reads them.
const PrefixCidrCollections = "cidrcollections/"

func zoneKey(id string) string           { return prefixZones + id }
func rrsetPrefix(zoneID string) string   { return prefixRRSets + zoneID + "/" }
func changeKey(id string) string         { return prefixChanges + id }
func zoneRefKey(ref string) string       { return prefixZoneRefs + url.PathEscape(ref) }
func delegationKey(id string) string     { return prefixDelegationSets + id }
func delegationRefKey(ref string) string { return prefixDelegationRefs + url.PathEscape(ref) }
func cidrCollectionKey(id string) string { return PrefixCidrCollections + id }
func cidrRefKey(ref string) string       { return prefixCidrRefs + url.PathEscape(ref) }
func tagsKey(resourceType, id string) string {
	return prefixTags + resourceType + "/" + id
}

func rrsetKey(zoneID string, k zone.Key) string {
	return rrsetPrefix(zoneID) + k.Name + " " + k.Type + " " + k.SetIdentifier
}

// ZoneIDOfKey returns the hosted zone a store key belongs to, if any: the
// publisher uses it to recompile only the zones a revision touched.
func ZoneIDOfKey(key string) (string, bool) {
	for _, p := range []string{prefixZones, prefixRRSets} {
		if rest, ok := strings.CutPrefix(key, p); ok {
			id, _, _ := strings.Cut(rest, "/")
			return id, id != ""
		}
	}
	return "", false
}

func getJSON(tx store.ReadTx, key string, v any) (bool, error) {
	b, ok, err := tx.Get(key)
	if err != nil || !ok {
		return ok, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return true, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}

func putJSON(tx store.Tx, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return tx.Put(key, b)
}

// StripPrefix removes a Route 53 resource prefix ("/hostedzone/", "/change/",
// "/delegationset/", URL-encoded or not) from an ID.
func StripPrefix(id string) string {
	if u, err := url.PathUnescape(id); err == nil {
		id = u
	}
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		id = id[i+1:]
	}
	return id
}
