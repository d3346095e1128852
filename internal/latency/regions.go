package latency

import "github.com/meridian-gtm/meridian/internal/zone"

// builtinCoords places every AWS region code a latency record may carry
// (spec 1.2, zone.LatencyRegions). Coordinates are spec 8.1's approximate
// public city locations; the three regions 8.1 leaves out use their public
// metro area too: ap-east-2 Taipei, ap-southeast-6 Auckland and
// eusc-de-east-1 (AWS European Sovereign Cloud) Brandenburg, near Berlin.
var builtinCoords = map[string][2]float64{
	"us-east-1":      {38.9, -77.4},
	"us-east-2":      {40.0, -83.0},
	"us-west-1":      {37.4, -121.9},
	"us-west-2":      {45.8, -119.7},
	"ca-central-1":   {45.5, -73.6},
	"ca-west-1":      {51.0, -114.1},
	"mx-central-1":   {20.6, -100.4},
	"sa-east-1":      {-23.5, -46.6},
	"eu-west-1":      {53.3, -6.3},
	"eu-west-2":      {51.5, -0.1},
	"eu-west-3":      {48.9, 2.35},
	"eu-central-1":   {50.1, 8.7},
	"eu-central-2":   {47.4, 8.5},
	"eu-north-1":     {59.3, 18.1},
	"eu-south-1":     {45.5, 9.2},
	"eu-south-2":     {41.6, -0.9},
	"cn-north-1":     {39.9, 116.4},
	"cn-northwest-1": {38.5, 106.3},
	"us-gov-west-1":  {45.6, -121.2},
	"us-gov-east-1":  {40.0, -83.0},
	"ap-southeast-1": {1.35, 103.8},
	"ap-southeast-2": {-33.9, 151.2},
	"ap-southeast-3": {-6.2, 106.8},
	"ap-southeast-4": {-37.8, 145.0},
	"ap-southeast-5": {3.1, 101.7},
	"ap-southeast-6": {-36.85, 174.76},
	"ap-southeast-7": {13.75, 100.5},
	"ap-northeast-1": {35.7, 139.7},
	"ap-northeast-2": {37.6, 127.0},
	"ap-northeast-3": {34.7, 135.5},
	"ap-south-1":     {19.1, 72.9},
	"ap-south-2":     {17.4, 78.5},
	"ap-east-1":      {22.3, 114.2},
	"ap-east-2":      {25.0, 121.5},
	"me-south-1":     {26.1, 50.6},
	"me-central-1":   {25.2, 55.3},
	"il-central-1":   {32.1, 34.8},
	"af-south-1":     {-33.9, 18.4},
	"eusc-de-east-1": {52.4, 13.1},
}

// BuiltinRegions returns every AWS region a latency record may name, with
// coordinates, in the API model's order (zone.LatencyRegions).
func BuiltinRegions() []Region {
	codes := zone.LatencyRegions()
	out := make([]Region, 0, len(codes))
	for _, c := range codes {
		if ll, ok := builtinCoords[c]; ok {
			out = append(out, Region{Code: c, Latitude: ll[0], Longitude: ll[1]})
		}
	}
	return out
}

// IsBuiltin reports whether code is a built-in AWS region code.
func IsBuiltin(code string) bool {
	_, ok := builtinCoords[code]
	return ok && zone.IsLatencyRegion(code)
}
