package latency

import (
	"math"

	"github.com/meridian-gtm/meridian/internal/geo"
)

// The distance model. A packet in optical fibre travels at about two thirds
// of the speed of light in vacuum, 200,000 km/s or 200 km per millisecond.
// Real routes are longer than the great circle between their ends: cables
// follow coasts and rights of way, and traffic detours through exchange
// points. Measurement studies commonly put that path stretch between 1.5 and
// 2. The factor does not change how estimates rank regions (RTT grows with
// distance either way), but it does matter when a router compares one
// region's estimate with another region's declared or measured RTT, so it
// should be realistic: 1.5 puts Frankfurt to N. Virginia at about 100 ms,
// near the 90 ms public inter-region ping tables show. BaseMillis stands for
// the access network and both ends' processing, so that a client in a
// region's own city gets a small RTT rather than zero.
const (
	// EarthRadiusKm is the mean Earth radius used for great-circle distance.
	EarthRadiusKm = 6371.0
	// FibreKmPerMs is the distance light covers in fibre per millisecond.
	FibreKmPerMs = 200.0
	// PathInflation is how much longer than the great circle routes are.
	PathInflation = 1.5
	// BaseMillis is the fixed part of every estimate.
	BaseMillis = 2.0
)

// EstimateMillis estimates the round-trip time in milliseconds from a
// location to a region:
//
//	BaseMillis + 2 × d × PathInflation / FibreKmPerMs
//
// where d is the great-circle (haversine) distance in km. It ranges from
// 2 ms (same place) to about 302 ms (antipodes). A location without
// coordinates is infinitely far: +Inf.
func EstimateMillis(from geo.Location, r Region) float64 {
	if !from.HasCoords {
		return math.Inf(1)
	}
	d := DistanceKm(from.Latitude, from.Longitude, r.Latitude, r.Longitude)
	return BaseMillis + 2*d*PathInflation/FibreKmPerMs
}

// DistanceKm returns the great-circle distance between two points given in
// degrees, by the haversine formula on a sphere of EarthRadiusKm.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	phi1, phi2 := lat1*rad, lat2*rad
	dPhi, dLambda := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dPhi/2)*math.Sin(dPhi/2) + math.Cos(phi1)*math.Cos(phi2)*math.Sin(dLambda/2)*math.Sin(dLambda/2)
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(1, h)))
}
