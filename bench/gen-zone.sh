#!/usr/bin/env bash
# gen-zone.sh writes the benchmark zone and query files, deterministically.
#
#   bench/gen-zone.sh OUTDIR [RRSETS] [QUERIES]
#
# OUTDIR/bench.example.zone  a BIND master file for bench.example. holding
#                            exactly RRSETS record sets (default 10000), the
#                            apex SOA and NS included: mostly A, then AAAA,
#                            TXT, MX, CNAME and a wildcard *.wild.bench.example.
# OUTDIR/queries.txt         QUERIES lines (default 50000) of dnsperf input,
#                            "name type": ~70% names that exist, ~15% NXDOMAIN,
#                            ~15% names matched by the wildcard.
# OUTDIR/checks.txt          queries whose answers the three servers must
#                            agree on before anything is measured: fixed edge
#                            cases followed by the first 300 lines of queries.txt.
#
# CNAME owners are queried with qtype CNAME: NSD and Knot chase an in-zone
# CNAME into the answer section, Route 53 (and so Meridian) does not, and
# the benchmark compares like with like.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
	echo "usage: $0 OUTDIR [RRSETS] [QUERIES]" >&2
	exit 2
fi
out=$1
rrsets=${2:-10000}
queries=${3:-50000}
if ! [[ $rrsets =~ ^[0-9]+$ && $rrsets -ge 50 && $rrsets -le 10000 ]]; then
	echo "gen-zone: RRSETS must be 50..10000 (Route 53's per-zone quota), got $rrsets" >&2
	exit 2
fi
if ! [[ $queries =~ ^[0-9]+$ && $queries -ge 1 ]]; then
	echo "gen-zone: QUERIES must be a positive integer, got $queries" >&2
	exit 2
fi
mkdir -p "$out"

# The awk program uses a Park-Miller generator (products stay below 2^53), so
# mawk and gawk write byte-identical files.
awk -v N="$rrsets" -v Q="$queries" -v ZF="$out/bench.example.zone" \
	-v QF="$out/queries.txt" -v CF="$out/checks.txt" '
function rnd(n) { seed = (seed * 16807) % 2147483647; return seed % n }
function host(i) { return sprintf("host-%05d", i) }
function ip4(i, k) { return sprintf("10.%d.%d.%d", int(i / 250) % 250, i % 250, 1 + k) }
function ip6(i, k) { return sprintf("2001:db8:%x:%x::%x", int(i / 4096), i % 4096, 1 + k) }
function q(name, type) { printf "%s.bench.example. %s\n", name, type > QF }
BEGIN {
	seed = 20240601
	fixed = 9 # SOA, NS, apex A/MX/TXT, ns1/ns2 A, *.wild A/AAAA
	rest = N - fixed
	nA = int(rest * 0.70); nAAAA = int(rest * 0.12); nMX = int(rest * 0.05)
	nTXT = int(rest * 0.08); nCNAME = rest - nA - nAAAA - nMX - nTXT

	print "$ORIGIN bench.example." > ZF
	print "$TTL 300" > ZF
	print "@ 900 IN SOA ns1.bench.example. hostmaster.bench.example. 2024060101 7200 900 1209600 300" > ZF
	print "@ 172800 IN NS ns1.bench.example." > ZF
	print "@ 172800 IN NS ns2.bench.example." > ZF
	print "@ IN A 192.0.2.1" > ZF
	print "@ IN MX 10 host-00000.bench.example." > ZF
	print "@ IN MX 20 host-00001.bench.example." > ZF
	print "@ 3600 IN TXT \"v=spf1 mx -all\"" > ZF
	print "ns1 IN A 192.0.2.53" > ZF
	print "ns2 IN A 192.0.2.54" > ZF
	print "*.wild 60 IN A 198.51.100.10" > ZF
	print "*.wild 60 IN A 198.51.100.11" > ZF
	print "*.wild 60 IN AAAA 2001:db8:ffff::10" > ZF

	# A: one address mostly, two for every 10th host, four for every 50th.
	for (i = 0; i < nA; i++) {
		k = (i % 50 == 0) ? 4 : (i % 10 == 0) ? 2 : 1
		ttl = (i % 7 == 0) ? "60 " : ""
		for (j = 0; j < k; j++) printf "%s %sIN A %s\n", host(i), ttl, ip4(i, j) > ZF
	}
	# AAAA on the first hosts, so those names hold two types.
	for (i = 0; i < nAAAA; i++) {
		k = (i % 10 == 0) ? 2 : 1
		for (j = 0; j < k; j++) printf "%s IN AAAA %s\n", host(i), ip6(i, j) > ZF
	}
	# MX on dept names, two exchangers each, pointing at hosts.
	for (i = 0; i < nMX; i++) {
		printf "dept-%04d 3600 IN MX 10 %s.bench.example.\n", i, host((i * 7) % nA) > ZF
		printf "dept-%04d 3600 IN MX 20 %s.bench.example.\n", i, host((i * 7 + 1) % nA) > ZF
	}
	# TXT on the dept names first, then on txt names; every 4th has two strings.
	for (i = 0; i < nTXT; i++) {
		name = (i < nMX) ? sprintf("dept-%04d", i) : sprintf("txt-%04d", i - nMX)
		printf "%s IN TXT \"v=spf1 ip4:10.%d.%d.0/24 -all\"\n", name, int(i / 250) % 250, i % 250 > ZF
		if (i % 4 == 0) printf "%s IN TXT \"site-verification=%08x%08x\"\n", name, (i * 2654435) % 2147483647, (i * 40503) % 2147483647 > ZF
	}
	for (i = 0; i < nCNAME; i++)
		printf "www-%04d IN CNAME %s.bench.example.\n", i, host((i * 13) % nA) > ZF

	# Edge cases for the agreement check.
	print "bench.example. A" > CF
	print "bench.example. MX" > CF
	print "bench.example. TXT" > CF
	print "bench.example. AAAA" > CF
	print "host-00000.bench.example. A" > CF
	print "host-00000.bench.example. AAAA" > CF
	print "host-00050.bench.example. A" > CF
	printf "%s.bench.example. A\n", host(nA - 1) > CF
	printf "%s.bench.example. AAAA\n", host(nA - 1) > CF
	printf "%s.bench.example. A\n", host(nA) > CF
	print "host-00001.bench.example. MX" > CF
	print "dept-0000.bench.example. MX" > CF
	print "dept-0000.bench.example. TXT" > CF
	printf "txt-%04d.bench.example. TXT\n", nTXT - nMX - 1 > CF
	print "www-0000.bench.example. CNAME" > CF
	print "ns1.bench.example. A" > CF
	print "anything.wild.bench.example. A" > CF
	print "a.b.c.wild.bench.example. AAAA" > CF
	print "x.wild.bench.example. TXT" > CF
	print "wild.bench.example. A" > CF
	print "nx-000001.bench.example. A" > CF
	print "deep.nx-000001.bench.example. AAAA" > CF
	print "HoSt-00002.BENCH.example. A" > CF

	for (n = 0; n < Q; n++) {
		r = rnd(1000)
		if (r < 700) {             # names that exist (or NODATA at them)
			if (r < 500) q(host(rnd(nA)), "A")
			else if (r < 600) q(host(rnd(nA)), "AAAA")
			else if (r < 630) q(sprintf("dept-%04d", rnd(nMX)), "MX")
			else if (r < 660) { i = rnd(nTXT); q((i < nMX) ? sprintf("dept-%04d", i) : sprintf("txt-%04d", i - nMX), "TXT") }
			else if (r < 680) q(sprintf("www-%04d", rnd(nCNAME)), "CNAME")
			else { t = rnd(3); printf "bench.example. %s\n", (t == 0) ? "A" : (t == 1) ? "MX" : "TXT" > QF }
		} else if (r < 850) {      # NXDOMAIN
			if (r < 780) q(sprintf("nx-%06d", rnd(1000000)), "A")
			else if (r < 820) q(sprintf("nx-%06d", rnd(1000000)), "AAAA")
			else if (r < 840) q(host(nA + rnd(90000)), "A")
			else q(sprintf("a.nx-%06d", rnd(1000000)), "A")
		} else {                   # matched by *.wild
			if (r < 950) q(sprintf("u%06d.wild", rnd(1000000)), "A")
			else if (r < 990) q(sprintf("u%06d.wild", rnd(1000000)), "AAAA")
			else q(sprintf("a.u%06d.wild", rnd(1000000)), "A")
		}
	}
	close(QF)
	for (n = 0; n < 300 && (getline line < QF) > 0; n++) print line > CF
	close(ZF); close(CF)
}'
