package geo

import (
	"slices"
	"strings"
	"testing"

	"github.com/meridian-gtm/meridian/internal/zone"
)

func TestCatalog(t *testing.T) {
	tests := []struct {
		name  string
		list  []NamedCode
		want  func(code string) bool // the zone package's idea of the set
		count int
		name1 func(string) (string, bool)
	}{
		{"continents", Continents(), zone.IsContinent, 7, ContinentName},
		{"countries", Countries(), func(c string) bool { _, ok := zone.CountryContinent(c); return ok }, -1, CountryName},
		{"subdivisions", USSubdivisions(), func(c string) bool { return zone.IsSubdivision("US", c) }, 51, SubdivisionName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.count >= 0 && len(tt.list) != tt.count {
				t.Errorf("%d entries, want %d", len(tt.list), tt.count)
			}
			if !slices.IsSortedFunc(tt.list, func(a, b NamedCode) int { return strings.Compare(a.Code, b.Code) }) {
				t.Error("not sorted by code")
			}
			listed := map[string]bool{}
			for _, nc := range tt.list {
				listed[nc.Code] = true
				if !tt.want(nc.Code) {
					t.Errorf("%s listed but not supported by package zone", nc.Code)
				}
				if n, ok := tt.name1(nc.Code); !ok || n != nc.Name || strings.TrimSpace(n) == "" {
					t.Errorf("name of %s = %q, %v; list says %q", nc.Code, n, ok, nc.Name)
				}
			}
			for a := 'A'; a <= 'Z'; a++ {
				for b := 'A'; b <= 'Z'; b++ {
					if c := string([]rune{a, b}); tt.want(c) && !listed[c] {
						t.Errorf("%s supported by package zone but not listed", c)
					}
				}
			}
		})
	}
	for _, c := range []string{"BV", "CX", "EH", "HM", "*", "us", ""} {
		if _, ok := CountryName(c); ok {
			t.Errorf("CountryName(%q) ok", c)
		}
	}
	if n, _ := CountryName("UA"); n != "Ukraine" {
		t.Errorf("UA = %q", n)
	}
	if n, _ := SubdivisionName("DC"); n != "District of Columbia" {
		t.Errorf("DC = %q", n)
	}
	if _, ok := SubdivisionName("PR"); ok {
		t.Error("PR is a country, not a US subdivision")
	}
	if n, _ := ContinentName("OC"); n != "Oceania" {
		t.Errorf("OC = %q", n)
	}
	if DefaultCountryCode != "*" || DefaultCountryName != "Default" {
		t.Error("default location constants changed")
	}
}
