package routing

import "math"

// earthRadiusKm is the mean radius of the Earth (IUGG).
const earthRadiusKm = 6371.0088

// greatCircleKm returns the great-circle distance between two points given
// in degrees (haversine formula).
func greatCircleKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	s1, s2 := math.Sin(dLat/2), math.Sin(dLon/2)
	a := s1*s1 + math.Cos(lat1*rad)*math.Cos(lat2*rad)*s2*s2
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// biasedKm applies a geoproximity bias to a distance (spec 2.6): a positive
// bias b shrinks it to d×(1−b/100), a negative one grows it to d/(1+b/100).
func biasedKm(d, bias float64) float64 {
	switch {
	case bias > 0:
		return d * (1 - bias/100)
	case bias < 0:
		return d / (1 + bias/100)
	}
	return d
}
