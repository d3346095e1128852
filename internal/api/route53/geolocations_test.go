package route53

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/zone"
)

func TestGetGeoLocation(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name string
		in   r53.GetGeoLocationInput
		want types.GeoLocationDetails
	}{
		{"continent", r53.GetGeoLocationInput{ContinentCode: aws.String("EU")},
			types.GeoLocationDetails{ContinentCode: aws.String("EU"), ContinentName: aws.String("Europe")}},
		{"country", r53.GetGeoLocationInput{CountryCode: aws.String("UA")},
			types.GeoLocationDetails{CountryCode: aws.String("UA"), CountryName: aws.String("Ukraine")}},
		{"subdivision", r53.GetGeoLocationInput{CountryCode: aws.String("US"), SubdivisionCode: aws.String("WA")},
			types.GeoLocationDetails{CountryCode: aws.String("US"), CountryName: aws.String("United States"), SubdivisionCode: aws.String("WA"), SubdivisionName: aws.String("Washington")}},
		{"default", r53.GetGeoLocationInput{CountryCode: aws.String("*")},
			types.GeoLocationDetails{CountryCode: aws.String("*"), CountryName: aws.String("Default")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := e.client.GetGeoLocation(context.Background(), &tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := detailsString(*out.GeoLocationDetails); got != detailsString(tc.want) {
				t.Fatalf("details = %s, want %s", got, detailsString(tc.want))
			}
		})
	}

	var noGeo *types.NoSuchGeoLocation
	var invalid *types.InvalidInput
	errs := []struct {
		name   string
		in     r53.GetGeoLocationInput
		code   string
		status int
		msg    string
	}{
		{"unknown country", r53.GetGeoLocationInput{CountryCode: aws.String("ZZ")}, "NoSuchGeoLocation", 404,
			"Amazon Route 53 does not support the geographic location with country code ZZ."},
		{"excluded country", r53.GetGeoLocationInput{CountryCode: aws.String("BV")}, "NoSuchGeoLocation", 404, ""},
		{"unknown continent", r53.GetGeoLocationInput{ContinentCode: aws.String("XX")}, "NoSuchGeoLocation", 404,
			"Amazon Route 53 does not support the geographic location with continent code XX."},
		{"subdivision outside the US", r53.GetGeoLocationInput{CountryCode: aws.String("CA"), SubdivisionCode: aws.String("ON")}, "NoSuchGeoLocation", 404,
			"Amazon Route 53 does not support the geographic location with country code CA and subdivision code ON."},
		{"territory as a subdivision", r53.GetGeoLocationInput{CountryCode: aws.String("US"), SubdivisionCode: aws.String("PR")}, "NoSuchGeoLocation", 404, ""},
		{"lowercase", r53.GetGeoLocationInput{CountryCode: aws.String("us")}, "NoSuchGeoLocation", 404, ""},
		{"continent and country", r53.GetGeoLocationInput{ContinentCode: aws.String("NA"), CountryCode: aws.String("US")}, "InvalidInput", 400,
			"A continent code cannot be specified together with a country code or a subdivision code."},
		{"subdivision alone", r53.GetGeoLocationInput{SubdivisionCode: aws.String("WA")}, "InvalidInput", 400,
			"A subdivision code must be specified together with a country code."},
		{"nothing", r53.GetGeoLocationInput{}, "InvalidInput", 400,
			"Specify a continent code, a country code, or a country code and a subdivision code."},
		{"long continent", r53.GetGeoLocationInput{ContinentCode: aws.String("EUR")}, "InvalidInput", 400,
			"1 validation error detected: Value 'EUR' at 'continentCode' failed to satisfy constraint: Member must have length between 2 and 2"},
		{"long country", r53.GetGeoLocationInput{CountryCode: aws.String("USA")}, "InvalidInput", 400,
			"1 validation error detected: Value 'USA' at 'countryCode' failed to satisfy constraint: Member must have length between 1 and 2"},
		{"long subdivision", r53.GetGeoLocationInput{CountryCode: aws.String("US"), SubdivisionCode: aws.String("WASH")}, "InvalidInput", 400,
			"1 validation error detected: Value 'WASH' at 'subdivisionCode' failed to satisfy constraint: Member must have length between 1 and 3"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.client.GetGeoLocation(context.Background(), &tc.in)
			if tc.code == "NoSuchGeoLocation" {
				expectAPIError(t, err, tc.code, tc.status, tc.msg, &noGeo)
			} else {
				expectAPIError(t, err, tc.code, tc.status, tc.msg, &invalid)
			}
		})
	}
}

func detailsString(d types.GeoLocationDetails) string {
	return strings.Join([]string{
		aws.ToString(d.ContinentCode), aws.ToString(d.ContinentName),
		aws.ToString(d.CountryCode), aws.ToString(d.CountryName),
		aws.ToString(d.SubdivisionCode), aws.ToString(d.SubdivisionName),
	}, "|")
}

// listAllGeoLocations pages through ListGeoLocations with the given page
// size and returns every entry and the number of pages.
func listAllGeoLocations(t *testing.T, e *testEnv, size int32) ([]types.GeoLocationDetails, int) {
	t.Helper()
	in := &r53.ListGeoLocationsInput{MaxItems: aws.Int32(size)}
	var all []types.GeoLocationDetails
	for pages := 1; ; pages++ {
		out, err := e.client.ListGeoLocations(context.Background(), in)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		if aws.ToInt32(out.MaxItems) != size || len(out.GeoLocationDetailsList) > int(size) {
			t.Fatalf("page %d: MaxItems %d, %d entries; asked for %d", pages, aws.ToInt32(out.MaxItems), len(out.GeoLocationDetailsList), size)
		}
		all = append(all, out.GeoLocationDetailsList...)
		if !out.IsTruncated {
			if out.NextContinentCode != nil || out.NextCountryCode != nil || out.NextSubdivisionCode != nil {
				t.Fatalf("last page has a next location: %+v", out)
			}
			return all, pages
		}
		in = &r53.ListGeoLocationsInput{
			MaxItems:             aws.Int32(size),
			StartContinentCode:   out.NextContinentCode,
			StartCountryCode:     out.NextCountryCode,
			StartSubdivisionCode: out.NextSubdivisionCode,
		}
	}
}

func TestListGeoLocations(t *testing.T) {
	e := newTestEnv(t)
	want := 1 + len(geo.Countries()) + len(geo.USSubdivisions()) + len(geo.Continents())

	all, pages := listAllGeoLocations(t, e, 100)
	if len(all) != want || pages != (want+99)/100 {
		t.Fatalf("%d entries in %d pages, want %d", len(all), pages, want)
	}
	for _, size := range []int32{1, 7, 52} {
		other, _ := listAllGeoLocations(t, e, size)
		if len(other) != len(all) {
			t.Fatalf("pages of %d: %d entries, want %d", size, len(other), len(all))
		}
		for i := range all {
			if detailsString(other[i]) != detailsString(all[i]) {
				t.Fatalf("pages of %d: entry %d = %s, want %s", size, i, detailsString(other[i]), detailsString(all[i]))
			}
		}
	}

	// The default first, then countries by code with the US followed by
	// its states, then the continents.
	if detailsString(all[0]) != "||*|Default||" {
		t.Fatalf("first entry %s", detailsString(all[0]))
	}
	var countries, continents []string
	var states []string
	for i, d := range all[1:] {
		switch {
		case d.ContinentCode != nil:
			continents = append(continents, *d.ContinentCode)
			if d.CountryCode != nil || d.ContinentName == nil {
				t.Fatalf("continent entry %s", detailsString(d))
			}
		case d.SubdivisionCode != nil:
			if len(continents) > 0 || *d.CountryCode != "US" || countries[len(countries)-1] != "US" || d.SubdivisionName == nil {
				t.Fatalf("subdivision entry %d out of place: %s", i+1, detailsString(d))
			}
			states = append(states, *d.SubdivisionCode)
		default:
			if len(continents) > 0 || d.CountryName == nil {
				t.Fatalf("country entry %d out of place: %s", i+1, detailsString(d))
			}
			if len(countries) > 0 && countries[len(countries)-1] == "US" && len(states) == 0 {
				t.Fatalf("US has no subdivisions before %s", *d.CountryCode)
			}
			countries = append(countries, *d.CountryCode)
		}
	}
	for _, list := range [][]string{countries, states, continents} {
		if !sort.StringsAreSorted(list) {
			t.Fatalf("not sorted by code: %v", list)
		}
	}
	if strings.Join(continents, " ") != "AF AN AS EU NA OC SA" {
		t.Fatalf("continents %v", continents)
	}

	// The catalog is exactly what ChangeResourceRecordSets accepts.
	listed := map[string]bool{}
	for _, c := range countries {
		listed[c] = true
	}
	subs := map[string]bool{}
	for _, s := range states {
		subs[s] = true
	}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string(a) + string(b)
			if _, ok := zone.CountryContinent(code); ok != listed[code] {
				t.Errorf("country %s: zone accepts %v, catalog lists %v", code, ok, listed[code])
			}
			if ok := zone.IsSubdivision("US", code); ok != subs[code] {
				t.Errorf("US subdivision %s: zone accepts %v, catalog lists %v", code, ok, subs[code])
			}
			if ok := zone.IsContinent(code); ok != strings.Contains(strings.Join(continents, " "), code) {
				t.Errorf("continent %s: zone accepts %v", code, ok)
			}
		}
	}
}

func TestListGeoLocationsWire(t *testing.T) {
	e := newTestEnv(t)
	resp, body := e.do(t, "GET", "/2013-04-01/geolocations?startcountrycode=US&startsubdivisioncode=WY&maxitems=3", nil)
	want := "<GeoLocationDetailsList>" +
		"<GeoLocationDetails><CountryCode>US</CountryCode><CountryName>United States</CountryName><SubdivisionCode>WY</SubdivisionCode><SubdivisionName>Wyoming</SubdivisionName></GeoLocationDetails>" +
		"<GeoLocationDetails><CountryCode>UY</CountryCode><CountryName>Uruguay</CountryName></GeoLocationDetails>" +
		"<GeoLocationDetails><CountryCode>UZ</CountryCode><CountryName>Uzbekistan</CountryName></GeoLocationDetails>" +
		"</GeoLocationDetailsList><IsTruncated>true</IsTruncated><NextCountryCode>VA</NextCountryCode><MaxItems>3</MaxItems>"
	if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
		t.Fatalf("%d %s\nwant %s", resp.StatusCode, body, want)
	}
	resp, body = e.do(t, "GET", "/2013-04-01/geolocations?startcontinentcode=OC", nil)
	want = "<GeoLocationDetailsList>" +
		"<GeoLocationDetails><ContinentCode>OC</ContinentCode><ContinentName>Oceania</ContinentName></GeoLocationDetails>" +
		"<GeoLocationDetails><ContinentCode>SA</ContinentCode><ContinentName>South America</ContinentName></GeoLocationDetails>" +
		"</GeoLocationDetailsList><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems>"
	if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
		t.Fatalf("%d %s\nwant %s", resp.StatusCode, body, want)
	}
	// The last country page ends where the continents begin.
	resp, body = e.do(t, "GET", "/2013-04-01/geolocations?startcountrycode=ZW&maxitems=1", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<IsTruncated>true</IsTruncated><NextContinentCode>AF</NextContinentCode><MaxItems>1</MaxItems>") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}

	bad := []struct{ query, msg string }{
		{"startcontinentcode=EU&startcountrycode=FR", "A continent code cannot be specified together with a country code or a subdivision code."},
		{"startsubdivisioncode=WA", "A subdivision code must be specified together with a country code."},
		{"startcountrycode=ZZ", "Amazon Route 53 does not support the start location with country code ZZ."},
		{"startcountrycode=USA", "1 validation error detected: Value 'USA' at 'startCountryCode' failed to satisfy constraint: Member must have length between 1 and 2"},
		{"maxitems=0", "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must be a positive integer"},
	}
	for _, tc := range bad {
		resp, body := e.do(t, "GET", "/2013-04-01/geolocations?"+tc.query, nil)
		checkError(t, resp, body, http.StatusBadRequest, "InvalidInput", tc.msg)
	}
}
