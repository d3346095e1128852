package zone

import "strings"

// latencyRegions is the ResourceRecordSetRegion enumeration in the API
// model's order (spec 1.2; aws-sdk-go-v2 route53 types).
var latencyRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-northeast-1",
	"ap-northeast-2", "ap-northeast-3", "eu-north-1", "sa-east-1", "cn-north-1",
	"cn-northwest-1", "ap-east-1", "me-south-1", "me-central-1", "ap-south-1",
	"ap-south-2", "af-south-1", "eu-south-1", "eu-south-2", "ap-southeast-4",
	"il-central-1", "ca-west-1", "ap-southeast-5", "mx-central-1",
	"ap-southeast-7", "us-gov-east-1", "us-gov-west-1", "ap-east-2",
	"ap-southeast-6", "eusc-de-east-1",
}

// LatencyRegions returns the Region values a latency record set may carry, in
// the API model's order.
func LatencyRegions() []string { return append([]string(nil), latencyRegions...) }

// IsLatencyRegion reports whether r is a valid latency record Region.
func IsLatencyRegion(r string) bool { return contains(latencyRegions, r) }

// Continents are the geolocation continent codes Route 53 supports.
var continents = []string{"AF", "AN", "AS", "EU", "NA", "OC", "SA"}

// continentCountries is the country → continent table of spec 8.2.
var continentCountries = map[string]string{
	"AF": "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW",
	"AN": "AQ GS TF",
	"AS": "AE AF AM AZ BD BH BN BT CC CN GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TM TW UZ VN YE",
	"EU": "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR UA VA XK",
	"NA": "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX NI PA PM PR SV SX TC TT US VC VG VI",
	"OC": "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TL TO TV UM VU WF WS",
	"SA": "AR BO BR CL CO EC FK GF GY PE PY SR UY VE",
}

// countryContinent maps each supported country code to its continent.
var countryContinent = func() map[string]string {
	m := make(map[string]string)
	for cont, list := range continentCountries {
		for _, cc := range strings.Fields(list) {
			m[cc] = cont
		}
	}
	return m
}()

// usSubdivisions are the SubdivisionCode values accepted with CountryCode
// US: the 50 states and DC. US territories (AS, GU, MP, PR, VI) are countries
// in Route 53's geolocation, not US subdivisions (spec 8.2).
var usSubdivisions = strings.Fields(`AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS
MT NC ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY`)

// CountryContinent returns the continent of a geolocation country code, and
// whether Route 53 supports the country. The default location "*" and the
// codes Route 53 excludes (BV, CX, EH, HM) are not countries here.
func CountryContinent(cc string) (string, bool) {
	c, ok := countryContinent[cc]
	return c, ok
}

// IsContinent reports whether code is a supported continent code.
func IsContinent(code string) bool { return contains(continents, code) }

// IsSubdivision reports whether sub is a supported subdivision of country cc
// (only US has subdivisions).
func IsSubdivision(cc, sub string) bool { return cc == "US" && contains(usSubdivisions, sub) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
