package geo

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// mmdbNet is one network of a test database.
type mmdbNet struct {
	cidr   string
	record mmdbtype.Map
}

// cityRecord builds a GeoIP2-City-style record; empty parts are left out, so
// it also builds Country-style records (no subdivisions, no location).
func cityRecord(continent, country string, subdivisions []string, coords ...float64) mmdbtype.Map {
	m := mmdbtype.Map{}
	if continent != "" {
		m["continent"] = mmdbtype.Map{"code": mmdbtype.String(continent), "names": mmdbtype.Map{"en": mmdbtype.String("x")}}
	}
	if country != "" {
		m["country"] = mmdbtype.Map{"iso_code": mmdbtype.String(country), "geoname_id": mmdbtype.Uint32(1)}
	}
	if len(subdivisions) > 0 {
		subs := mmdbtype.Slice{}
		for _, s := range subdivisions {
			subs = append(subs, mmdbtype.Map{"iso_code": mmdbtype.String(s)})
		}
		m["subdivisions"] = subs
	}
	if len(coords) == 2 {
		m["location"] = mmdbtype.Map{
			"latitude": mmdbtype.Float64(coords[0]), "longitude": mmdbtype.Float64(coords[1]),
			"accuracy_radius": mmdbtype.Uint16(20),
		}
	}
	return m
}

// writeMMDB writes a database to a temporary file and returns its path.
func writeMMDB(tb testing.TB, ipVersion int, nets []mmdbNet) string {
	tb.Helper()
	w, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            "Test-City",
		IPVersion:               ipVersion,
		IncludeReservedNetworks: true,
		RecordSize:              28,
	})
	if err != nil {
		tb.Fatal(err)
	}
	for _, n := range nets {
		_, ipnet, err := net.ParseCIDR(n.cidr)
		if err != nil {
			tb.Fatal(err)
		}
		if err := w.Insert(ipnet, n.record); err != nil {
			tb.Fatalf("insert %s: %v", n.cidr, err)
		}
	}
	path := filepath.Join(tb.TempDir(), "test.mmdb")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.WriteTo(f); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}
