package routing

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
