package route53

import (
	"context"
	"encoding/xml"
	"fmt"
	"sync"

	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/zone"
)

// The geolocation catalog operations (spec 4.5 "Geo locations"): the
// locations geolocation record sets may name, with their English names from
// package geo.

// maxGeoLocationsPerPage is ListGeoLocations' default and largest page.
const maxGeoLocationsPerPage = 100

type xmlGeoLocationDetails struct {
	ContinentCode   string `xml:"ContinentCode,omitempty"`
	ContinentName   string `xml:"ContinentName,omitempty"`
	CountryCode     string `xml:"CountryCode,omitempty"`
	CountryName     string `xml:"CountryName,omitempty"`
	SubdivisionCode string `xml:"SubdivisionCode,omitempty"`
	SubdivisionName string `xml:"SubdivisionName,omitempty"`
}

type getGeoLocationResponse struct {
	XMLName            xml.Name
	GeoLocationDetails xmlGeoLocationDetails `xml:"GeoLocationDetails"`
}

type xmlGeoLocationDetailsList struct {
	Items []xmlGeoLocationDetails `xml:"GeoLocationDetails"`
}

type listGeoLocationsResponse struct {
	XMLName                xml.Name
	GeoLocationDetailsList xmlGeoLocationDetailsList `xml:"GeoLocationDetailsList"`
	IsTruncated            bool                      `xml:"IsTruncated"`
	NextContinentCode      string                    `xml:"NextContinentCode,omitempty"`
	NextCountryCode        string                    `xml:"NextCountryCode,omitempty"`
	NextSubdivisionCode    string                    `xml:"NextSubdivisionCode,omitempty"`
	MaxItems               string                    `xml:"MaxItems"`
}

// geoCatalog lists every supported location in ListGeoLocations order: the
// default location and the countries by code, each country followed by its
// subdivisions by code, then the continents by code.
var geoCatalog = sync.OnceValue(func() []xmlGeoLocationDetails {
	var out []xmlGeoLocationDetails
	out = append(out, xmlGeoLocationDetails{CountryCode: geo.DefaultCountryCode, CountryName: geo.DefaultCountryName})
	for _, c := range geo.Countries() {
		out = append(out, xmlGeoLocationDetails{CountryCode: c.Code, CountryName: c.Name})
		if c.Code != "US" {
			continue
		}
		for _, s := range geo.USSubdivisions() {
			out = append(out, xmlGeoLocationDetails{CountryCode: c.Code, CountryName: c.Name, SubdivisionCode: s.Code, SubdivisionName: s.Name})
		}
	}
	for _, c := range geo.Continents() {
		out = append(out, xmlGeoLocationDetails{ContinentCode: c.Code, ContinentName: c.Name})
	}
	return out
})

// geoCodes is a location as the query parameters name it.
type geoCodes struct {
	continent, country, subdivision string
}

func (c geoCodes) matches(d xmlGeoLocationDetails) bool {
	return c.continent == d.ContinentCode && c.country == d.CountryCode && c.subdivision == d.SubdivisionCode
}

// Request members of the codes, as validation errors name them.
var (
	geoMembers      = geoCodes{continent: "continentCode", country: "countryCode", subdivision: "subdivisionCode"}
	geoStartMembers = geoCodes{continent: "startContinentCode", country: "startCountryCode", subdivision: "startSubdivisionCode"}
)

// checkGeoCodes applies the model's length limits to the codes (named as
// members says) and the rules that relate them.
func checkGeoCodes(c, members geoCodes) error {
	lengthError := func(value, member, limits string) error {
		return zone.InvalidInput(fmt.Sprintf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length between %s", value, member, limits))
	}
	switch {
	case c.continent != "" && len(c.continent) != 2:
		return lengthError(c.continent, members.continent, "2 and 2")
	case len(c.country) > 2:
		return lengthError(c.country, members.country, "1 and 2")
	case len(c.subdivision) > 3:
		return lengthError(c.subdivision, members.subdivision, "1 and 3")
	case c.continent != "" && (c.country != "" || c.subdivision != ""):
		return zone.InvalidInput("A continent code cannot be specified together with a country code or a subdivision code.")
	case c.subdivision != "" && c.country == "":
		return zone.InvalidInput("A subdivision code must be specified together with a country code.")
	}
	return nil
}

// describe names the location for messages.
func (c geoCodes) describe() string {
	switch {
	case c.continent != "":
		return "continent code " + c.continent
	case c.subdivision != "":
		return "country code " + c.country + " and subdivision code " + c.subdivision
	}
	return "country code " + c.country
}

func (h *handler) getGeoLocation(_ context.Context, req *request) (reply, error) {
	q := req.URL.Query()
	c := geoCodes{continent: q.Get("continentcode"), country: q.Get("countrycode"), subdivision: q.Get("subdivisioncode")}
	if err := checkGeoCodes(c, geoMembers); err != nil {
		return reply{}, err
	}
	if c.continent == "" && c.country == "" {
		return reply{}, zone.InvalidInput("Specify a continent code, a country code, or a country code and a subdivision code.")
	}
	for _, d := range geoCatalog() {
		if c.matches(d) {
			return reply{doc: getGeoLocationResponse{XMLName: rootName("GetGeoLocationResponse"), GeoLocationDetails: d}}, nil
		}
	}
	return reply{}, noSuchGeoLocation(c)
}

func noSuchGeoLocation(c geoCodes) error {
	return zone.NewError("NoSuchGeoLocation", "Amazon Route 53 does not support the geographic location with "+c.describe()+".")
}

func (h *handler) listGeoLocations(_ context.Context, req *request) (reply, error) {
	max, maxEcho, err := parseMaxItems(req.Request, maxGeoLocationsPerPage, maxGeoLocationsPerPage)
	if err != nil {
		return reply{}, err
	}
	q := req.URL.Query()
	start := geoCodes{continent: q.Get("startcontinentcode"), country: q.Get("startcountrycode"), subdivision: q.Get("startsubdivisioncode")}
	if err := checkGeoCodes(start, geoStartMembers); err != nil {
		return reply{}, err
	}
	all := geoCatalog()
	i := 0
	if start != (geoCodes{}) {
		for i < len(all) && !start.matches(all[i]) {
			i++
		}
		if i == len(all) {
			return reply{}, zone.InvalidInput("Amazon Route 53 does not support the start location with " + start.describe() + ".")
		}
	}
	end := min(i+max, len(all))
	resp := listGeoLocationsResponse{
		XMLName:                rootName("ListGeoLocationsResponse"),
		GeoLocationDetailsList: xmlGeoLocationDetailsList{Items: all[i:end]},
		MaxItems:               maxEcho,
	}
	if end < len(all) {
		next := all[end]
		resp.IsTruncated = true
		resp.NextContinentCode = next.ContinentCode
		resp.NextCountryCode = next.CountryCode
		resp.NextSubdivisionCode = next.SubdivisionCode
	}
	return reply{doc: resp}, nil
}
