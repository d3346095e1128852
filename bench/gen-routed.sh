#!/usr/bin/env bash
# gen-routed.sh writes the routed-answers benchmark's inputs, deterministically.
#
#   bench/gen-routed.sh OUTDIR [NAMES] [QUERIES]
#
# Everything is for the zone routed.bench.example. and NAMES names per policy
# (default 200, at most 990), N = 0000 .. NAMES-1:
#
# OUTDIR/routed-batch-NN.json  aws-style change batches (50 names, 500 records
#                              each) that CREATE, per N:
#     s-N    simple A 10.10.x.y
#     lat-N  latency A: us-east-1 10.21.x.y, us-west-2 10.22.x.y,
#            eu-central-1 10.23.x.y
#     geo-N  geolocation A: country US 10.31.x.y, DE 10.32.x.y, default *
#            10.33.x.y
#     w-N    weighted A: weights 1, 2, 3 → 10.41.x.y, 10.42.x.y, 10.43.x.y
#   where x.y = N/250, N%250+1; every set has TTL 60.
# OUTDIR/routed-config.yaml    a `meridian serve --config` file declaring the
#                              client subnets below (country, US state,
#                              coordinates), so geolocation matches them and
#                              the latency policy ranks regions by the
#                              distance estimate.
# OUTDIR/routed-subnets.txt    one line per client subnet the benchmark sends
#                              in an EDNS Client Subnet option:
#                              "label cidr dnsperf-E-value"
# OUTDIR/routed-POLICY.txt     QUERIES dnsperf lines (default 10000) of
#                              random POLICY names, type A; POLICY is simple,
#                              latency, geolocation or weighted.
# OUTDIR/routed-checks.txt     "label cidr qname allowed-answers scope" lines:
#                              the answer a query with the subnet's ECS option
#                              must get (one of the |-separated addresses) and
#                              the ECS scope prefix length of the reply ("-":
#                              not checked). The
#                              label "unlocated" (100.64.0.0/24, declared
#                              nowhere) checks the geolocation default.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
	echo "usage: $0 OUTDIR [NAMES] [QUERIES]" >&2
	exit 2
fi
out=$1
names=${2:-200}
queries=${3:-10000}
if ! [[ $names =~ ^[0-9]+$ && $names -ge 1 && $names -le 990 ]]; then
	# 10 record sets per N, and Route 53's quota is 10,000 per zone.
	echo "gen-routed: NAMES must be 1..990, got $names" >&2
	exit 2
fi
if ! [[ $queries =~ ^[0-9]+$ && $queries -ge 1 ]]; then
	echo "gen-routed: QUERIES must be a positive integer, got $queries" >&2
	exit 2
fi
mkdir -p "$out"
rm -f "$out"/routed-batch-*.json

# The client subnets: label, CIDR, country, US state, latitude, longitude,
# the latency region nearest to them, the geolocation record they match.
subnets='us-va 198.51.100.0/24 US VA 38.9 -77.4 us-east-1 US
us-or 203.0.113.0/24 US OR 45.5 -122.7 us-west-2 US
de 192.0.2.0/24 DE - 50.1 8.7 eu-central-1 DE'

{
	echo "# Client locations for bench/dns.sh --routed (written by bench/gen-routed.sh)."
	echo "locations:"
	while read -r label cidr country state lat lon _; do
		echo "  # $label"
		echo "  - cidr: $cidr"
		echo "    country: $country"
		[[ $state != - ]] && echo "    subdivision: $state"
		echo "    latitude: $lat"
		echo "    longitude: $lon"
	done <<<"$subnets"
} >"$out/routed-config.yaml"

# ECS option value for dnsperf -E 8:HEX: family 1 (IPv4), source prefix 24,
# scope 0, then the subnet's first three address bytes (RFC 7871 §6).
while read -r label cidr _; do
	IFS=. read -r a b c _ <<<"${cidr%/*}"
	printf '%s %s 8:00011800%02x%02x%02x\n' "$label" "$cidr" "$a" "$b" "$c"
done <<<"$subnets" >"$out/routed-subnets.txt"

awk -v K="$names" -v Q="$queries" -v OUT="$out" -v SUBNETS="$subnets" '
function rnd(n) { seed = (seed * 16807) % 2147483647; return seed % n }
function ip(net, i) { return sprintf("10.%d.%d.%d", net, int(i / 250), i % 250 + 1) }
function name(p, i) { return sprintf("%s-%04d.routed.bench.example.", p, i) }
# change prints one CREATE change of an A record set; extra holds the
# routing fields as JSON members, with a trailing comma.
function change(f, n, extra, value) {
	if (nc++ > 0) printf ",\n" > f
	printf "    {\"Action\": \"CREATE\", \"ResourceRecordSet\": {\"Name\": \"%s\", \"Type\": \"A\", %s\"TTL\": 60, \"ResourceRecords\": [{\"Value\": \"%s\"}]}}", n, extra, value > f
}
BEGIN {
	seed = 20240602
	per = 50
	for (b = 0; b * per < K; b++) {
		f = sprintf("%s/routed-batch-%02d.json", OUT, b)
		nc = 0
		last = ((b + 1) * per < K) ? (b + 1) * per - 1 : K - 1
		printf "{\n  \"Comment\": \"bench/dns.sh routed names %d..%d\",\n  \"Changes\": [\n", b * per, last > f
		for (i = b * per; i < (b + 1) * per && i < K; i++) {
			change(f, name("s", i), "", ip(10, i))
			change(f, name("lat", i), "\"SetIdentifier\": \"us-east-1\", \"Region\": \"us-east-1\", ", ip(21, i))
			change(f, name("lat", i), "\"SetIdentifier\": \"us-west-2\", \"Region\": \"us-west-2\", ", ip(22, i))
			change(f, name("lat", i), "\"SetIdentifier\": \"eu-central-1\", \"Region\": \"eu-central-1\", ", ip(23, i))
			change(f, name("geo", i), "\"SetIdentifier\": \"us\", \"GeoLocation\": {\"CountryCode\": \"US\"}, ", ip(31, i))
			change(f, name("geo", i), "\"SetIdentifier\": \"de\", \"GeoLocation\": {\"CountryCode\": \"DE\"}, ", ip(32, i))
			change(f, name("geo", i), "\"SetIdentifier\": \"default\", \"GeoLocation\": {\"CountryCode\": \"*\"}, ", ip(33, i))
			change(f, name("w", i), "\"SetIdentifier\": \"w1\", \"Weight\": 1, ", ip(41, i))
			change(f, name("w", i), "\"SetIdentifier\": \"w2\", \"Weight\": 2, ", ip(42, i))
			change(f, name("w", i), "\"SetIdentifier\": \"w3\", \"Weight\": 3, ", ip(43, i))
		}
		printf "\n  ]\n}\n" > f
		close(f)
	}

	np = split("simple latency geolocation weighted", pol, " ")
	split("s lat geo w", pre, " ")
	for (p = 1; p <= np; p++) {
		f = sprintf("%s/routed-%s.txt", OUT, pol[p])
		for (n = 0; n < Q; n++) printf "%s A\n", name(pre[p], rnd(K)) > f
		close(f)
	}

	# Checks: the first, a middle and the last name of each policy, from
	# every subnet and from one that no location covers.
	ns = split(SUBNETS, lines, "\n")
	lines[++ns] = "unlocated 100.64.0.0/24 - - - - - *"
	f = OUT "/routed-checks.txt"
	for (s = 1; s <= ns; s++) {
		split(lines[s], v, " ")
		lat = (v[7] == "us-east-1") ? 21 : (v[7] == "us-west-2") ? 22 : 23
		geo = (v[8] == "US") ? 31 : (v[8] == "DE") ? 32 : 33
		for (j = 0; j < 3; j++) {
			i = (j == 0) ? 0 : (j == 1) ? int(K / 2) : K - 1
			printf "%s %s %s %s 0\n", v[1], v[2], name("s", i), ip(10, i) > f
			# An unlocated client has no distance to rank by: any region.
			if (v[1] == "unlocated")
				printf "%s %s %s %s|%s|%s -\n", v[1], v[2], name("lat", i), ip(21, i), ip(22, i), ip(23, i) > f
			else
				printf "%s %s %s %s 24\n", v[1], v[2], name("lat", i), ip(lat, i) > f
			printf "%s %s %s %s %s\n", v[1], v[2], name("geo", i), ip(geo, i), (v[1] == "unlocated") ? "-" : 24 > f
			printf "%s %s %s %s|%s|%s 0\n", v[1], v[2], name("w", i), ip(41, i), ip(42, i), ip(43, i) > f
		}
	}
	close(f)
}'
