#!/usr/bin/env bash
# dns.sh benchmarks Meridian's authoritative DNS server against NSD and Knot
# DNS on loopback, side by side in one run, with the same zone and queries,
# then measures Meridian's routed answers (latency, geolocation, weighted)
# under EDNS Client Subnet against its simple answers.
#
#   bench/dns.sh [--duration N] [--rounds N] [--servers nsd,knot,meridian]
#                [--routed | --no-routed] [--keep]
#
# Main phase: it installs dnsperf, NSD, Knot and dig from Debian when they are
# missing, generates one zone of 10,000 record sets (bench/gen-zone.sh), serves
# it from each server on its own 127.0.0.1 port with configs and run dirs
# under a temporary directory, checks that the servers agree on a sample of
# answers, then runs dnsperf against each in turn: first unthrottled
# (throughput), then at a fixed rate (latency under moderate load). It prints
# tables and stops every process it started, also on failure.
#
# Routed phase (Meridian only; after the main phase when meridian is among
# the servers): a fresh Meridian with a --config declaring three client
# subnets (bench/gen-routed.sh) gets the zone routed.bench.example. through
# `meridian record change` (simple, latency, geolocation and weighted names);
# dig +subnet checks the answers and ECS scopes; then dnsperf sends each
# policy's names with an ECS option, once per subnet (dnsperf takes one -E),
# unthrottled and at the fixed rate, and a table gives each policy's q/s as
# a ratio to the simple names' (target: at least 0.90).
#
#   --routed      run only the routed phase (implies --servers meridian)
#   --no-routed   skip the routed phase
#
# Environment knobs (defaults in brackets):
#   BENCH_CLIENTS [8]         dnsperf -c: client sockets
#   BENCH_OUTSTANDING [200]   dnsperf -q: queries in flight, throughput phase
#   BENCH_RATE [10000]        dnsperf -Q for the fixed-rate phase; 0 skips it
#   BENCH_PIN [1]             1: each server on CPU 0 with one worker, dnsperf
#                             on CPU 1; 0: no pinning, BENCH_WORKERS workers
#   BENCH_WORKERS [nproc]     server workers/sockets when BENCH_PIN=0
#   BENCH_RRSETS [10000]      record sets in the zone (50..10000)
#   BENCH_QUERIES [50000]     lines in the dnsperf query file
#   BENCH_ROUTED_NAMES [200]  routed phase: names per policy (1..990)
#   BENCH_PORT_BASE [random]  first of four consecutive loopback ports to use
#   BENCH_NO_INSTALL [0]      1: never run apt-get, fail if a tool is missing
#   BENCH_LOG_LEVEL [info]    meridian serve --log-level (it logs no queries)
# shellcheck disable=SC2016 # awk programs and expressions are single-quoted on purpose
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

duration=10
rounds=1
servers="nsd,knot,meridian"
servers_set=0
routed="" # "": when meridian runs; only: --routed; no: --no-routed
keep=0

while [[ $# -gt 0 ]]; do
	case $1 in
	--duration) duration=${2:?--duration needs a value}; shift 2 ;;
	--duration=*) duration=${1#*=}; shift ;;
	--rounds) rounds=${2:?--rounds needs a value}; shift 2 ;;
	--rounds=*) rounds=${1#*=}; shift ;;
	--servers) servers=${2:?--servers needs a value}; servers_set=1; shift 2 ;;
	--servers=*) servers=${1#*=}; servers_set=1; shift ;;
	--routed) routed=only; shift ;;
	--no-routed) routed=no; shift ;;
	--keep) keep=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
[[ $duration =~ ^[0-9]+$ && $duration -ge 1 && $duration -le 60 ]] || die "--duration must be 1..60 seconds, got $duration"
[[ $rounds =~ ^[0-9]+$ && $rounds -ge 1 && $rounds -le 5 ]] || die "--rounds must be 1..5, got $rounds"
if [[ $routed == only ]]; then
	[[ $servers_set == 0 || $servers == meridian ]] ||
		die "--routed benchmarks Meridian alone: leave out --servers or give --servers meridian"
	servers=meridian
fi
IFS=, read -r -a server_list <<<"$servers"
for s in "${server_list[@]}"; do
	case $s in nsd | knot | meridian) ;; *) die "--servers: unknown server '$s' (want nsd, knot, meridian)" ;; esac
done
[[ ${#server_list[@]} -ge 1 ]] || die "--servers names no server"
has_server() { [[ ",$servers," == *",$1,"* ]]; }
main_phase=1
[[ $routed == only ]] && main_phase=0
routed_phase=0
[[ $routed != no ]] && has_server meridian && routed_phase=1

clients=${BENCH_CLIENTS:-8}
outstanding=${BENCH_OUTSTANDING:-200}
rate=${BENCH_RATE:-10000}
pin=${BENCH_PIN:-1}
rrsets=${BENCH_RRSETS:-10000}
nqueries=${BENCH_QUERIES:-50000}
routed_names=${BENCH_ROUTED_NAMES:-200}
log_level=${BENCH_LOG_LEVEL:-info}
ncpu=$(nproc)
need_uints clients outstanding rate pin rrsets nqueries routed_names
check_pin
if [[ $pin == 1 ]]; then
	workers=1
	server_cpu=(taskset -c 0)
	perf_cpu=(taskset -c 1)
else
	workers=${BENCH_WORKERS:-$ncpu}
	[[ $workers =~ ^[0-9]+$ && $workers -ge 1 ]] || die "BENCH_WORKERS must be a positive integer, got '$workers'"
	server_cpu=()
	perf_cpu=()
fi

# ---------------------------------------------------------------- tools

# ensure_tools installs the Debian packages that provide missing commands.
ensure_tools() {
	local -a want=(dnsperf=dnsperf)
	has_server nsd && want+=(nsd=nsd)
	has_server knot && want+=(knotd=knot)
	want+=(dig=bind9-dnsutils taskset=util-linux curl=curl ss=iproute2 pkill=procps)
	# The packages may start system daemons: install_missing stops them;
	# ours use their own ports and run dirs, so this only frees CPU and memory.
	install_missing "nsd knot" "${want[@]}"
}

# ---------------------------------------------------------------- processes

tmp=""
perf_pid="" # a dnsperf run in progress (see run_perf)

# cleanup stops the dnsperf run in progress and every server we started
# (lib.sh's stop_procs), and removes the work directory unless kept.
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [[ -n $perf_pid ]]; then
		pkill -TERM -P "$perf_pid" 2>/dev/null || true
		kill -TERM "$perf_pid" 2>/dev/null || true
	fi
	stop_procs "$rc"
	exit "$rc"
}
trap_cleanup

# ---------------------------------------------------------------- DNS helpers

# q PORT NAME TYPE prints the answer section (no TTLs) of one query.
q() {
	dig -p "$1" @127.0.0.1 +norec +time=1 +tries=1 +noall +answer +nottlid +noclass "$2" "$3" 2>/dev/null
}

# wait_answer NAME PORT QNAME QTYPE SECONDS LOGFILE waits until QNAME QTYPE has
# an answer, failing early when the server NAME exits.
wait_answer() {
	local name=$1 port=$2 qname=$3 qtype=$4 secs=$5 logf=$6 deadline
	deadline=$((SECONDS + secs))
	while ((SECONDS < deadline)); do
		alive "$name" || die "$name stopped before answering $qname $qtype"
		[[ -n $(q "$port" "$qname" "$qtype") ]] && return 0
		sleep 0.2
	done
	die "$name did not answer $qname $qtype on 127.0.0.1:$port within ${secs}s (log: $logf)"
}

# answers PORT FILE prints, for each "name type" line of FILE, one line:
# the question, the rcode and the sorted answer rdata, lower-cased.
answers() {
	{ dig -p "$1" @127.0.0.1 +norec +time=2 +tries=2 +noall +comments +answer +nottlid +noclass \
		-f "$2" 2>&1 || true; } | awk -v F="$2" '
		function flush() { if (n >= 0) { asort_str(); printf "%s|%s|%s\n", qs[n], rc, ans } }
		function asort_str(   i, j, t, m) {
			m = na; ans = ""
			for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
			for (i = 1; i <= m; i++) ans = ans (i > 1 ? " ; " : "") a[i]
		}
		BEGIN { n = -1; while ((getline l < F) > 0) qs[++k - 1] = tolower(l) }
		/->>HEADER<<-/ { flush(); n++; na = 0; rc = $6; sub(/,$/, "", rc); next }
		/no servers could be reached/ { flush(); n++; na = 0; rc = "NOANSWER"; next }
		/^;/ || /^$/ { next }
		{ $1 = tolower($1); na++; a[na] = tolower($0) }
		END { flush() }'
}

# ---------------------------------------------------------------- memory

# mem_kb PID prints "RSS PSS" in KiB, summed over every process of the
# session PID leads (NSD forks workers; Knot and Meridian are one process).
mem_kb() {
	local sid=$1 p rss=0 pss=0 r s
	for p in $(ps -o pid= -s "$sid" 2>/dev/null); do
		r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
		s=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
		rss=$((rss + ${r:-0}))
		pss=$((pss + ${s:-0}))
	done
	echo "$rss $pss"
}

declare -A mem_empty=() mem_full=() mem_after=() port_of=()

# ---------------------------------------------------------------- servers

# tiny_zone FILE writes a three-record zone used for the memory baseline.
tiny_zone() {
	cat >"$1" <<'EOF'
$ORIGIN bench.example.
$TTL 300
@ 900 IN SOA ns1.bench.example. hostmaster.bench.example. 1 7200 900 1209600 300
@ 172800 IN NS ns1.bench.example.
ns1 IN A 192.0.2.53
EOF
}

# nsd_start NAME ZONEFILE starts NSD serving ZONEFILE on port_of[nsd].
nsd_start() {
	local name=$1 zonefile=$2 d=$tmp/nsd
	mkdir -p "$d"
	cat >"$d/nsd.conf" <<EOF
server:
	ip-address: 127.0.0.1@${port_of[nsd]}
	port: ${port_of[nsd]}
	do-ip6: no
	server-count: $workers
	reuseport: yes
	username: ""
	chroot: ""
	zonesdir: "$d"
	database: ""
	zonelistfile: "$d/zone.list"
	xfrdfile: "$d/xfrd.state"
	xfrdir: "$d"
	pidfile: "$d/nsd.pid"
	logfile: "$d/nsd.log"
	verbosity: 1
	hide-version: yes
	minimal-responses: no
	# NSD's response rate limiting (on by default in Debian's build) would
	# cap one client address at 200 q/s; the other servers do not limit.
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
remote-control:
	control-enable: no
zone:
	name: bench.example
	zonefile: "$zonefile"
EOF
	rm -f "$d/zone.list" "$d/xfrd.state"
	nsd-checkconf "$d/nsd.conf" || die "nsd-checkconf rejected $d/nsd.conf"
	start_proc "$name" "$d/nsd.out" "${server_cpu[@]}" nsd -d -c "$d/nsd.conf"
}

# knot_start NAME ZONEFILE starts Knot serving ZONEFILE on port_of[knot].
knot_start() {
	local name=$1 zonefile=$2 d=$tmp/knot
	rm -rf "$d"
	mkdir -p "$d/run" "$d/db"
	cat >"$d/knot.conf" <<EOF
server:
    rundir: "$d/run"
    pidfile: "$d/run/knot.pid"
    listen: 127.0.0.1@${port_of[knot]}
    udp-workers: $workers
    tcp-workers: 1
    background-workers: 1
    identity: ""
    version: ""
log:
  - target: stderr
    any: info
database:
    storage: "$d/db"
control:
    listen: "$d/run/knot.sock"
template:
  - id: default
    storage: "$d"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
  - domain: bench.example.
    file: "$zonefile"
EOF
	knotc -c "$d/knot.conf" conf-check >/dev/null || die "knotc conf-check rejected $d/knot.conf"
	start_proc "$name" "$d/knot.out" "${server_cpu[@]}" knotd -c "$d/knot.conf"
}

# baseline_and_load SERVER measures the server with a tiny zone, then
# restarts it with the benchmark zone and waits until it answers.
baseline_and_load() {
	local s=$1 tiny=$tmp/tiny.zone
	log "$s: memory baseline with a three-record zone"
	"${s}_start" "$s" "$tiny"
	wait_answer "$s" "${port_of[$s]}" ns1.bench.example. A 30 "${logfile_of[$s]}"
	sleep 1
	mem_empty[$s]=$(mem_kb "${pids[$s]}")
	stop_proc "$s"
	log "$s: loading the benchmark zone"
	local t0=$SECONDS
	"${s}_start" "$s" "$data/bench.example.zone"
	wait_answer "$s" "${port_of[$s]}" "$last_name" "$last_type" 120 "${logfile_of[$s]}"
	log "$s: serving on 127.0.0.1:${port_of[$s]} (loaded in ~$((SECONDS - t0))s)"
	sleep 2
	mem_full[$s]=$(mem_kb "${pids[$s]}")
}

meridian_data="" # the data dir meridian_serve uses
meridian_config="" # its --config file, if any

# meridian_serve starts `meridian serve` on $meridian_data (with
# --config $meridian_config when set), logging to logfile_of[meridian], and
# waits for its API.
meridian_serve() {
	local d=$tmp/meridian api="http://127.0.0.1:${port_of[meridian_api]}" logf=${logfile_of[meridian]}
	local -a conf=()
	[[ -n $meridian_config ]] && conf=(--config "$meridian_config")
	start_proc meridian "$logf" "${server_cpu[@]}" "$d/meridian" serve \
		--data-dir "$meridian_data" --dns-addr "127.0.0.1:${port_of[meridian]}" \
		--api-addr "127.0.0.1:${port_of[meridian_api]}" --dns-sockets "$workers" \
		--log-level "$log_level" "${conf[@]}"
	wait_meridian_api "$api"
}

# meridian_creds exports the credentials the server and the client share.
meridian_creds() {
	[[ -n ${MERIDIAN_SECRET_ACCESS_KEY:-} && ${MERIDIAN_ACCESS_KEY_ID:-} == BENCHAKID0000000000 ]] && return 0
	export MERIDIAN_ACCESS_KEY_ID=BENCHAKID0000000000
	MERIDIAN_SECRET_ACCESS_KEY=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32)
	export MERIDIAN_SECRET_ACCESS_KEY
}

# meridian_build builds cmd/meridian into the work dir.
meridian_build() {
	local d=$tmp/meridian
	mkdir -p "$d"
	log "meridian: go build ./cmd/meridian ($(go version | cut -d' ' -f3))"
	(cd "$repo" && go build -o "$d/meridian" ./cmd/meridian) >"$d/build.log" 2>&1 || {
		tail -n 30 "$d/build.log" >&2
		die "go build ./cmd/meridian failed; run with --servers nsd,knot to benchmark only those"
	}
}

# meridian_start starts the Meridian that meridian_build built, creates the
# zone, imports the master file with Meridian's own client, then restarts
# Meridian so that its memory is measured as NSD's and Knot's is: a fresh
# process serving the loaded zone, without the garbage the import left.
meridian_start() {
	local d=$tmp/meridian api="http://127.0.0.1:${port_of[meridian_api]}" t0
	meridian_creds
	meridian_data=$d/data
	meridian_config=""
	logfile_of[meridian]=$d/serve.log
	meridian_serve
	sleep 1
	mem_empty[meridian]=$(mem_kb "${pids[meridian]}")
	log "meridian: zone create + zone import ($rrsets record sets)"
	"$d/meridian" zone create bench.example --endpoint "$api" >"$d/create.out" 2>&1 || {
		cat "$d/create.out" >&2
		die "meridian zone create failed"
	}
	t0=$(date +%s.%N)
	"$d/meridian" zone import bench.example --file "$data/bench.example.zone" --endpoint "$api" \
		>"$d/import.out" 2>&1 || {
		cat "$d/import.out" >&2
		die "meridian zone import failed"
	}
	sed 's/^/bench: meridian: /' "$d/import.out" >&2
	wait_answer meridian "${port_of[meridian]}" "$last_name" "$last_type" 120 "$d/serve.log"
	import_secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	log "meridian: import + publish took ${import_secs}s"
	sleep 1
	mem_import=$(mem_kb "${pids[meridian]}")
	log "meridian: restarting on the same data dir"
	stop_proc meridian
	t0=$SECONDS
	meridian_serve
	wait_answer meridian "${port_of[meridian]}" "$last_name" "$last_type" 120 "$d/serve.log"
	log "meridian: serving on 127.0.0.1:${port_of[meridian]} (loaded in ~$((SECONDS - t0))s)"
	sleep 2
	mem_full[meridian]=$(mem_kb "${pids[meridian]}")
}

# ---------------------------------------------------------------- dnsperf

# udp_drops prints the kernel's count of UDP datagrams dropped for a full
# receive buffer, machine-wide.
udp_drops() {
	awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1 } else print $c }' /proc/net/snmp
}

# perf KEY SERVER PHASE QUERYFILE [DNSPERF-ARG...] runs dnsperf once (PHASE
# max: unthrottled; rate: at $rate q/s) and prints one line:
# q/s avg_ms lost sent completed run_s server_cpu_s server_wait_s
# dnsperf_cpu_s udp_rcvbuf_drops avg_response_bytes wall_s rcodes
perf() {
	local s=$2 phase=$3 qfile=$4 out=$tmp/perf.$1.txt s0 s1 u0 u1 TIMEFORMAT='%R %U %S'
	shift 4
	local -a extra=(-q "$outstanding" "$@")
	[[ $phase == rate ]] && extra=(-Q "$rate" -q "$outstanding" "$@")
	s0=$(sched_ns "${pids[$s]}")
	u0=$(udp_drops)
	if ! { time "${perf_cpu[@]}" dnsperf -s 127.0.0.1 -p "${port_of[$s]}" -d "$qfile" \
		-l "$duration" -c "$clients" -T 1 -t 2 "${extra[@]}" >"$out" 2>&1; } 2>"$out.time"; then
		cat "$out" >&2
		die "dnsperf against $s failed"
	fi
	s1=$(sched_ns "${pids[$s]}")
	u1=$(udp_drops)
	awk -v gen="$(cat "$out.time")" -v s0="$s0" -v s1="$s1" -v drops="$((u1 - u0))" '
		/Queries sent:/ { sent = $3 }
		/Queries completed:/ { done = $3 }
		/Queries lost:/ { lost = $3 }
		/Queries per second:/ { qps = $4 }
		/Average Latency \(s\):/ { lat = $4 * 1000 }
		/Average packet size:/ { resp = $NF }
		/Run time \(s\):/ { run = $4 }
		/Response codes:/ { sub(/.*Response codes: */, ""); gsub(/ /, ""); rc = $0 }
		END {
			if (qps == "") exit 1
			split(gen, g, " "); split(s0, a, " "); split(s1, b, " ")
			printf "%.0f %.3f %d %d %d %.2f %.2f %.2f %.2f %d %d %.2f %s\n", qps, lat, lost, sent, done, run,
				(b[1] - a[1]) / 1e9, (b[2] - a[2]) / 1e9, g[2] + g[3], drops, resp, g[1], rc
		}' "$out" || { cat "$out" >&2; die "could not read dnsperf output for $s"; }
}

# run_perf KEY SERVER PHASE QUERYFILE [DNSPERF-ARG...] runs perf in the
# background, waits for it (so that a signal to this script is handled at
# once, not after dnsperf ends) and stores its line in res[KEY].
run_perf() {
	local f=$tmp/result.$1
	perf "$@" >"$f" &
	perf_pid=$!
	wait "$perf_pid" || die "dnsperf run $1 failed"
	perf_pid=""
	res[$1]=$(<"$f")
}

# ratio A B prints A/B with two decimals, or "-" when B is zero.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'
}

# mib KIB prints KiB as MiB with one decimal.
mib() {
	awk -v k="$1" 'BEGIN { printf "%.1f\n", k / 1024 }'
}

# ---------------------------------------------------------------- routed phase

routed_zone=routed.bench.example
routed_policies=(simple latency geolocation weighted)
routed_labels=() routed_cidrs=() routed_ecs=() # the client subnets
declare -A agg=() # routed aggregate per POLICY.PHASE.ROUND (see ragg)

# routed_answers PORT FILE prints, for each line of the dig batch FILE, one
# line: rcode|ECS scope|the A addresses of the answer, sorted, comma-separated.
routed_answers() {
	{ dig -p "$1" @127.0.0.1 +norec +time=2 +tries=2 +noall +comments +answer +nottlid +noclass \
		-f "$2" 2>&1 || true; } | awk '
		function flush() { if (n > 0) { m = asorted(); printf "%s|%s|%s\n", rc, scope, m } }
		function asorted(   i, j, t, out) {
			for (i = 2; i <= na; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
			out = ""
			for (i = 1; i <= na; i++) out = out (i > 1 ? "," : "") a[i]
			return out
		}
		/->>HEADER<<-/ { flush(); n++; na = 0; scope = "none"; rc = $6; sub(/,$/, "", rc); next }
		/no servers could be reached/ { flush(); n++; na = 0; scope = "none"; rc = "NOANSWER"; next }
		/^; CLIENT-SUBNET:/ { k = split($3, p, "/"); scope = p[k]; next }
		/^;/ || /^$/ { next }
		$2 == "A" { a[++na] = $3 }
		END { flush() }'
}

# routed_verify checks, with dig +subnet, the answer and ECS scope of every
# line of routed-checks.txt, and that the weighted names split about 1:2:3.
routed_verify() {
	local rd=$tmp/routed port=${port_of[meridian]} bad n i
	awk '{ printf "%s A +subnet=%s\n", $3, $2 }' "$rd/routed-checks.txt" >"$rd/checks.dig"
	routed_answers "$port" "$rd/checks.dig" >"$rd/checks.out"
	n=$(wc -l <"$rd/routed-checks.txt")
	[[ $(wc -l <"$rd/checks.out") -eq $n ]] ||
		die "routed: expected $n answers from dig, got $(wc -l <"$rd/checks.out") (see $rd/checks.out)"
	bad=$(paste -d' ' "$rd/routed-checks.txt" "$rd/checks.out" | awk '{
		split($6, r, "|"); ok = (r[1] == "NOERROR")
		if (ok) { na = split(r[3], got, ","); ok = (na == 1) }
		if (ok) { nv = split($4, want, "|"); hit = 0; for (i = 1; i <= nv; i++) if (got[1] == want[i]) hit = 1; ok = hit }
		if (ok && $5 != "-") ok = (r[2] == $5)
		if (!ok) printf "  %s from %s (%s): got %s %s, scope %s; want %s, scope %s\n", $3, $2, $1, r[1], r[3], r[2], $4, $5
	}')
	[[ -z $bad ]] || die "routed: wrong answers (dig +subnet):"$'\n'"$bad"
	log "routed: $n answers and ECS scopes as expected (dig +subnet, 4 policies x 3 names x 4 subnets)"
	routed_checked="$n dig +subnet queries (3 names per policy from each subnet and from the undeclared 100.64.0.0/24) gave the expected answer and ECS scope"

	# Weighted: weights 1, 2, 3 should give about 1/6, 2/6, 3/6 of the answers.
	n=900
	for ((i = 0; i < n; i++)); do
		printf 'w-%04d.%s. A +subnet=%s\n' $((i % routed_names)) "$routed_zone" "${routed_cidrs[0]}"
	done >"$rd/weighted.dig"
	routed_answers "$port" "$rd/weighted.dig" >"$rd/weighted.out"
	routed_split=$(awk -F'|' -v n="$n" '
		$1 == "NOERROR" { split($3, a, "."); c[a[2]]++ }
		END {
			ok = 1
			for (k = 1; k <= 3; k++) { f[k] = c[40 + k] / n; if (f[k] < k / 6 - 0.07 || f[k] > k / 6 + 0.07) ok = 0 }
			printf "%s %.2f/%.2f/%.2f\n", ok ? "ok" : "bad", f[1], f[2], f[3]
		}' "$rd/weighted.out")
	[[ $routed_split == ok* ]] ||
		die "routed: weighted answers over $n queries split ${routed_split#* } for weights 1/2/3 (want about 0.17/0.33/0.50)"
	routed_split=${routed_split#* }
	log "routed: weighted split over $n queries: $routed_split (weights 1/2/3)"
}

# routed_setup starts a fresh Meridian with the routed config, creates
# routed.bench.example. through the API, restarts Meridian on it and checks
# its answers.
routed_setup() {
	local d=$tmp/meridian rd=$tmp/routed api="http://127.0.0.1:${port_of[meridian_api]}" f t0 s last label cidr ecs
	log "routed: generating $routed_zone. ($routed_names names per policy) in $rd"
	"$here/gen-routed.sh" "$rd" "$routed_names" 10000
	while read -r label cidr ecs; do
		routed_labels+=("$label")
		routed_cidrs+=("$cidr")
		routed_ecs+=("$ecs")
	done <"$rd/routed-subnets.txt"
	# The routed phase measures a Meridian of its own, alone on its CPU.
	for s in "${server_list[@]}"; do
		stop_proc "$s"
	done
	meridian_creds
	meridian_data=$d/routed-data
	meridian_config=$rd/routed-config.yaml
	logfile_of[meridian]=$d/routed-serve.log
	meridian_serve
	log "routed: zone create $routed_zone + $(find "$rd" -name 'routed-batch-*.json' | wc -l) record change batches"
	"$d/meridian" zone create "$routed_zone" --endpoint "$api" >"$d/routed-create.out" 2>&1 || {
		cat "$d/routed-create.out" >&2
		die "meridian zone create $routed_zone failed"
	}
	t0=$(date +%s.%N)
	for f in "$rd"/routed-batch-*.json; do
		"$d/meridian" record change --zone "$routed_zone" --change-batch "file://$f" --wait --endpoint "$api" \
			>>"$d/routed-change.out" 2>&1 || {
			tail -n 5 "$d/routed-change.out" >&2
			die "meridian record change --change-batch file://$f failed"
		}
	done
	last=$(printf 'w-%04d.%s.' $((routed_names - 1)) "$routed_zone")
	wait_answer meridian "${port_of[meridian]}" "$last" A 60 "${logfile_of[meridian]}"
	routed_secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	log "routed: $((routed_names * 10)) record sets created and served in ${routed_secs}s; restarting meridian"
	stop_proc meridian
	meridian_serve
	wait_answer meridian "${port_of[meridian]}" "$last" A 60 "${logfile_of[meridian]}"
	routed_verify
	sleep 2
	routed_mem=$(mem_kb "${pids[meridian]}")
}

# routed_runs runs, $rounds times, dnsperf on each policy's names once per
# client subnet, unthrottled, the policies interleaved and their order
# rotated; then, at $rate q/s, each policy once with one subnet (rotating
# by round).
routed_runs() {
	local r si j p label nsub=${#routed_labels[@]} np=${#routed_policies[@]}
	routed_load_before=$(loadavg)
	for ((r = 1; r <= rounds; r++)); do
		for ((si = 0; si < nsub; si++)); do
			label=${routed_labels[$si]}
			for ((j = 0; j < np; j++)); do
				p=${routed_policies[$(((j + r - 1 + si) % np))]}
				log "routed round $r/$rounds: $p names, ECS $label ${routed_cidrs[$si]}, ${duration}s unthrottled"
				run_perf "routed.$p.$label.max.$r" meridian max "$tmp/routed/routed-$p.txt" -E "${routed_ecs[$si]}"
			done
		done
		[[ $rate -gt 0 ]] || continue
		si=$(((r - 1) % nsub))
		label=${routed_labels[$si]}
		for ((j = 0; j < np; j++)); do
			p=${routed_policies[$(((j + r - 1) % np))]}
			log "routed round $r/$rounds: $p names, ECS $label ${routed_cidrs[$si]}, ${duration}s at $rate q/s"
			run_perf "routed.$p.$label.rate.$r" meridian rate "$tmp/routed/routed-$p.txt" -E "${routed_ecs[$si]}"
		done
	done
	routed_load_after=$(loadavg)
	alive meridian ||
		die "meridian exited during the routed benchmark (a clean shutdown in its log means a signal from outside this script)"
}

# routed_aggregate sets agg[POLICY.PHASE.ROUND] to POLICY's figures over its
# runs of one phase and round (one per subnet, or one at the fixed rate):
# q/s (completed / run time), queries per server CPU-second, avg ms
# (weighted by completed), lost, server CPU % (one decimal), avg response
# bytes, server wait % (one decimal).
routed_aggregate() {
	local p phase r key
	for p in "${routed_policies[@]}"; do
		for phase in max rate; do
			for ((r = 1; r <= rounds; r++)); do
				agg[$p.$phase.$r]=$(for key in "${!res[@]}"; do
					if [[ $key == "routed.$p."*".$phase.$r" ]]; then echo "${res[$key]}"; fi
				done | awk '{ done += $5; run += $6; cpu += $7; wait += $8; lost += $3; latw += $2 * $5; resp += $11 * $5 }
					END {
						if (run <= 0 || done <= 0) { print "0 0 0 0 0 0 0"; exit }
						printf "%.0f %.0f %.3f %d %.1f %.0f %.1f\n", done / run, (cpu > 0) ? done / cpu : 0, latw / done,
							lost, 100 * cpu / run, resp / done, 100 * wait / run
					}')
			done
		done
	done
}

# ragg POLICY PHASE ROUND prints agg[POLICY.PHASE.ROUND].
ragg() {
	echo "${agg[$1.$2.$3]:-0 0 0 0 0 0 0}"
}

# rmed POLICY PHASE FIELD prints the median over the rounds of field FIELD
# (1-based) of ragg, with ragg's precision.
rmed() {
	local r
	local -a v=()
	for ((r = 1; r <= rounds; r++)); do
		v+=("$(ragg "$1" "$2" "$r" | cut -d' ' -f"$3")")
	done
	awk -v m="$(median "${v[@]}")" -v f="$3" 'BEGIN { printf (f == 3) ? "%.3f\n" : (f == 5 || f == 7) ? "%.1f\n" : "%.0f\n", m }'
}

# rratio POLICY PHASE FIELD prints the median over the rounds of POLICY's
# field FIELD divided by the simple names' in the same round, 4 decimals.
rratio() {
	local r
	local -a v=()
	for ((r = 1; r <= rounds; r++)); do
		v+=("$(awk -v a="$(ragg "$1" "$2" "$r" | cut -d' ' -f"$3")" -v b="$(ragg simple "$2" "$r" | cut -d' ' -f"$3")" \
			'BEGIN { printf "%.4f\n", (b + 0 == 0) ? 0 : a / b }')")
	done
	median "${v[@]}"
}

# routed_report prints the routed phase's tables and the verdict on the
# routing issue's target.
routed_report() {
	local p i q c verdict=PASS cverdict=PASS line="" cline="" key subs="" fmt busy
	routed_aggregate
	for ((i = 0; i < ${#routed_labels[@]}; i++)); do
		subs+="${subs:+, }${routed_labels[$i]} ${routed_cidrs[$i]} (${routed_ecs[$i]})"
	done
	echo
	echo "## Routed answers with EDNS Client Subnet: meridian, $routed_zone., $routed_names names per policy," \
		"${duration}s per run, $rounds round(s)"
	echo
	print_machine "$routed_load_before" "$routed_load_after"
	echo "zone: $((routed_names * 10)) record sets (per name: s-N simple A; lat-N latency us-east-1/us-west-2/eu-central-1;"
	echo "  geo-N geolocation US/DE/*; w-N weighted 1/2/3), created with meridian record change in ${routed_secs}s;"
	echo "  meridian RSS serving it $(mib "${routed_mem%% *}") MiB"
	echo "ECS subnets (declared in --config with country and coordinates; dnsperf -E 8:HEX): $subs"
	echo "checks: $routed_checked; weighted split over 900 queries $routed_split (weights 1/2/3)"
	echo
	echo "Unthrottled (dnsperf -q $outstanding -E …; per policy and round one ${duration}s run per subnet," \
		"policies interleaved), median of $rounds round(s):"
	echo
	fmt='| %-11s | %8s | %14s | %7s | %6s | %10s | %11s | %6s | %9s | %13s |\n'
	# shellcheck disable=SC2059 # the format is a variable on purpose
	printf "$fmt" policy "q/s" "q/server CPU-s" "avg ms" lost "server CPU" "server wait" "resp B" "q/s ratio" "q/CPU-s ratio"
	printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' ------------- ---------: ---------------: --------: -------: \
		-----------: ------------: -------: ----------: --------------:
	for p in "${routed_policies[@]}"; do
		q=$(rratio "$p" max 1)
		c=$(rratio "$p" max 2)
		# shellcheck disable=SC2059
		printf "$fmt" "$p" "$(rmed "$p" max 1)" "$(rmed "$p" max 2)" "$(rmed "$p" max 3)" "$(rmed "$p" max 4)" \
			"$(rmed "$p" max 5)%" "$(rmed "$p" max 7)%" "$(rmed "$p" max 6)" "$(printf '%.2f' "$q")" "$(printf '%.2f' "$c")"
		[[ $p == simple ]] && continue
		if awk -v x="$q" 'BEGIN { exit !(x >= 0.90) }'; then
			line+="${line:+, }$p $(printf '%.2f' "$q") pass"
		else
			line+="${line:+, }$p $(printf '%.2f' "$q") FAIL"
			verdict=FAIL
		fi
		if awk -v x="$c" 'BEGIN { exit !(x >= 0.90) }'; then
			cline+="${cline:+, }$p $(printf '%.2f' "$c") pass"
		else
			cline+="${cline:+, }$p $(printf '%.2f' "$c") FAIL"
			cverdict=FAIL
		fi
	done
	echo
	echo "ratio: the policy's figure over the simple names', median over the rounds of each round's ratio."
	echo "target (routing issue): latency, geolocation and weighted answers with ECS reach >= 90% of the q/s of"
	echo "simple answers in the same run: $line => $verdict"
	echo "the same per server CPU-second (less sensitive to what the neighbours leave of the server's CPU):"
	echo "$cline => $cverdict"
	busy=$(for key in "${!res[@]}"; do
		if [[ $key == routed.*.max.* ]]; then echo "${res[$key]}"; fi
	done | awk '$12 > 0 && $9 / $12 >= 0.9 { n++ } END { print n + 0 }')
	if [[ $busy -gt 0 ]]; then
		echo "note: dnsperf used >= 90% of its CPU in $busy of the unthrottled runs: there the load generator, not"
		echo "meridian, set the q/s, which flatters the slower policy's ratio; compare the per-CPU-second column."
	fi
	if [[ $rate -gt 0 ]]; then
		echo
		echo "Fixed rate (dnsperf -Q $rate -E …; one run per policy and round, subnet" \
			"${routed_labels[0]} in round 1, then the next), median of $rounds round(s):"
		echo
		printf '| %-11s | %8s | %7s | %6s | %10s | %9s |\n' policy "q/s" "avg ms" lost "server CPU" "CPU ratio"
		printf '|%s|%s|%s|%s|%s|%s|\n' ------------- ---------: --------: -------: -----------: ----------:
		for p in "${routed_policies[@]}"; do
			printf '| %-11s | %8s | %7s | %6s | %9s%% | %9s |\n' "$p" "$(rmed "$p" rate 1)" "$(rmed "$p" rate 3)" \
				"$(rmed "$p" rate 4)" "$(rmed "$p" rate 5)" "$(printf '%.2f' "$(rratio "$p" rate 5)")"
		done
	fi
	if [[ -n ${qps[meridian]:-} ]]; then
		echo
		echo "for reference, the main phase's meridian (bench.example., no ECS, mixed query file):" \
			"${qps[meridian]} q/s, ${qpc[meridian]} q/server CPU-s"
	fi
	echo
	echo "every routed run (routed.policy.subnet.phase.round: q/s avg_ms lost sent completed run_s server_cpu_s"
	echo "server_wait_s dnsperf_cpu_s udp_rcvbuf_drops avg_response_bytes wall_s rcodes):"
	for key in $(printf '%s\n' "${!res[@]}" | grep '^routed\.' | sort); do
		echo "  $key: ${res[$key]}"
	done
}

# ---------------------------------------------------------------- main

# print_machine LOAD_BEFORE LOAD_AFTER prints the machine, tool versions and
# CPU layout lines of a report.
print_machine() {
	local versions
	echo "machine: $ncpu CPU, $(cpu_model);" \
		"load average before $1, after $2"
	versions="dnsperf $(dpkg-query -W -f='${Version}' dnsperf 2>/dev/null || echo '?')"
	has_server nsd && [[ $main_phase == 1 ]] && versions+=", NSD $(nsd -v 2>&1 | awk 'NR == 1 { print $NF }')"
	has_server knot && [[ $main_phase == 1 ]] && versions+=", Knot $(knotd --version | awk '{ print $NF }')"
	has_server meridian && versions+=", meridian built with $(go version | cut -d' ' -f3)"
	echo "versions: $versions"
	if [[ $pin == 1 ]]; then
		echo "layout: each server on CPU 0 with 1 worker; dnsperf on CPU 1 (-T 1 -c $clients)"
	else
		echo "layout: no pinning; $workers worker(s) per server; dnsperf -T 1 -c $clients"
	fi
}

# med SERVER PHASE EXPR (lib.sh) prints the median over the rounds of an awk
# expression of one run's fields ($1 q/s, $2 avg ms, $3 lost, $4 sent,
# $5 completed, $6 dnsperf's run time s, $7 server CPU s, $8 server run-queue wait s,
# $9 dnsperf CPU s, $10 UDP receive-buffer drops, $11 average response bytes,
# $12 dnsperf's wall time s, longer than $6 when it waits out lost queries).

# main_setup generates the zone, starts every server with it and checks
# that they all give the same answers.
main_setup() {
	local s ref
	log "generating bench.example. ($rrsets record sets) and $nqueries queries in $data"
	"$here/gen-zone.sh" "$data" "$rrsets" "$nqueries"
	tiny_zone "$tmp/tiny.zone"
	# The zone file's last record set: once it answers, the whole zone is loaded.
	read -r last_name last_type < <(awk '!/^\$/ { n = $1; for (i = 2; i <= NF; i++) if ($i == "IN") { t = $(i + 1); break } }
		END { print n ".bench.example.", t }' "$data/bench.example.zone")

	for s in "${server_list[@]}"; do
		if [[ $s == meridian ]]; then
			meridian_start
		else
			baseline_and_load "$s"
		fi
	done

	# Agreement: the same rcode and answer set from every server, else no numbers.
	log "checking that the servers agree on $(wc -l <"$data/checks.txt") sample queries"
	ref=""
	for s in "${server_list[@]}"; do
		answers "${port_of[$s]}" "$data/checks.txt" >"$tmp/answers.$s"
		[[ $(wc -l <"$tmp/answers.$s") -eq $(wc -l <"$data/checks.txt") ]] ||
			die "$s: expected $(wc -l <"$data/checks.txt") answers, got $(wc -l <"$tmp/answers.$s") (see $tmp/answers.$s)"
		if grep -q '|NOANSWER|' "$tmp/answers.$s"; then
			die "$s did not answer: $(grep '|NOANSWER|' "$tmp/answers.$s" | head -3 | cut -d'|' -f1 | tr '\n' ' ')"
		fi
		if [[ -z $ref ]]; then
			ref=$s
		elif ! diff -u "$tmp/answers.$ref" "$tmp/answers.$s" >"$tmp/answers.diff"; then
			head -n 40 "$tmp/answers.diff" >&2
			die "$s and $ref disagree on the answers above (question|rcode|answer); not benchmarking"
		fi
	done
	log "all servers agree: $(cut -d'|' -f2 "$tmp/answers.$ref" | sort | uniq -c | awk '{ printf "%s %s  ", $2, $1 }')"
}

# main_runs runs dnsperf against every server, $rounds times.
main_runs() {
	local r k s
	main_load_before=$(loadavg)
	for ((r = 1; r <= rounds; r++)); do
		# Rotate the order each round so no server always runs first.
		for ((k = 0; k < ${#server_list[@]}; k++)); do
			s=${server_list[$(((k + r - 1) % ${#server_list[@]}))]}
			log "round $r/$rounds: $s, ${duration}s unthrottled (-c $clients -q $outstanding)"
			run_perf "$s.max.$r" "$s" max "$data/queries.txt"
			if [[ $rate -gt 0 ]]; then
				log "round $r/$rounds: $s, ${duration}s at $rate q/s"
				run_perf "$s.rate.$r" "$s" rate "$data/queries.txt"
			fi
		done
	done
	main_load_after=$(loadavg)
	for s in "${server_list[@]}"; do
		alive "$s" ||
			die "$s exited during the benchmark (a clean shutdown in its log means a signal from outside this script)"
		mem_after[$s]=$(mem_kb "${pids[$s]}")
	done
}

# main_report prints the main phase's tables.
main_report() {
	local s o line key e_rss e_pss f_rss f_pss
	echo
	echo "## DNS benchmark: bench.example. with $rrsets record sets, ${duration}s per run, $rounds round(s)"
	echo
	print_machine "$main_load_before" "$main_load_after"
	echo
	echo "Unthrottled (dnsperf -q $outstanding), median of $rounds round(s):"
	echo
	printf '| %-8s | %8s | %7s | %6s | %10s | %14s | %11s | %11s |\n' server "q/s" "avg ms" lost "server CPU" "q/server CPU-s" "server wait" "dnsperf CPU"
	printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' ---------- ---------: --------: -------: -----------: ---------------: ------------: ------------:
	for s in "${server_list[@]}"; do
		qps[$s]=$(med "$s" max '$1')
		lat[$s]=$(med "$s" max '$2')
		qpc[$s]=$(med "$s" max '($7 > 0) ? int($5 / $7) : 0')
		printf '| %-8s | %8s | %7s | %6s | %9s%% | %14s | %10s%% | %10s%% |\n' "$s" "${qps[$s]}" "${lat[$s]}" \
			"$(med "$s" max '$3')" "$(med "$s" max 'int(100 * $7 / $6)')" "${qpc[$s]}" \
			"$(med "$s" max 'int(100 * $8 / $6)')" "$(med "$s" max 'int(100 * $9 / $12)')"
	done
	echo
	echo "server CPU and wait: % of one CPU over dnsperf's run time; wait = time the server's threads were runnable"
	echo "but waiting for a CPU (other programs, dnsperf when not pinned apart, or the server's own threads)."
	echo "dnsperf CPU: % of one CPU over its wall time; near 100% means the load generator was the limit."
	if [[ $rate -gt 0 ]]; then
		echo
		echo "Fixed rate (dnsperf -Q $rate), median of $rounds round(s):"
		echo
		printf '| %-8s | %8s | %7s | %6s | %10s |\n' server "q/s" "avg ms" lost "server CPU"
		printf '|%s|%s|%s|%s|%s|\n' ---------- ---------: --------: -------: -----------:
		for s in "${server_list[@]}"; do
			rlat[$s]=$(med "$s" rate '$2')
			printf '| %-8s | %8s | %7s | %6s | %9s%% |\n' "$s" "$(med "$s" rate '$1')" "${rlat[$s]}" \
				"$(med "$s" rate '$3')" "$(med "$s" rate 'int(100 * $7 / $6)')"
		done
	fi
	echo
	echo "Memory (all processes of the server; baseline = a three-record zone, or no zone for meridian):"
	echo
	printf '| %-8s | %12s | %12s | %12s | %12s | %11s |\n' server "RSS base MiB" "RSS full MiB" "PSS base MiB" "PSS full MiB" "PSS B/rrset"
	printf '|%s|%s|%s|%s|%s|%s|\n' ---------- -------------: -------------: -------------: -------------: ------------:
	for s in "${server_list[@]}"; do
		read -r e_rss e_pss <<<"${mem_empty[$s]}"
		read -r f_rss f_pss <<<"${mem_full[$s]}"
		per_rrset[$s]=$(awk -v a="$f_pss" -v b="$e_pss" -v n="$rrsets" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }')
		printf '| %-8s | %12s | %12s | %12s | %12s | %11s |\n' "$s" "$(mib "$e_rss")" "$(mib "$f_rss")" \
			"$(mib "$e_pss")" "$(mib "$f_pss")" "${per_rrset[$s]}"
	done
	echo
	if has_server meridian; then
		echo "meridian: zone import of $rrsets record sets until served: ${import_secs}s;" \
			"RSS right after the import $(mib "${mem_import%% *}") MiB, after a restart $(mib "${mem_full[meridian]%% *}") MiB," \
			"after the runs $(mib "${mem_after[meridian]%% *}") MiB"
		for o in nsd knot; do
			has_server "$o" || continue
			line="meridian/$o: q/s $(ratio "${qps[meridian]}" "${qps[$o]}")"
			line+=", q per server CPU-s $(ratio "${qpc[meridian]}" "${qpc[$o]}")"
			line+=", avg latency unthrottled $(ratio "${lat[meridian]}" "${lat[$o]}")"
			[[ $rate -gt 0 ]] && line+=", avg latency @$rate q/s $(ratio "${rlat[meridian]}" "${rlat[$o]}")"
			line+=", PSS per rrset $(ratio "${per_rrset[meridian]}" "${per_rrset[$o]}")"
			echo "$line"
		done
		echo
	fi
	echo "every run (server.phase.round: q/s avg_ms lost sent completed run_s server_cpu_s server_wait_s"
	echo "dnsperf_cpu_s udp_rcvbuf_drops avg_response_bytes wall_s rcodes):"
	for key in $(printf '%s\n' "${!res[@]}" | grep -v '^routed\.' | sort); do
		echo "  $key: ${res[$key]}"
	done
}

ensure_tools
command -v go >/dev/null || { has_server meridian && die "go is not on PATH (needed to build meridian)"; }

tmp=$(mktemp -d /tmp/meridian-bench.XXXXXX)
data=$tmp/data
pick_ports 4 four tu
port_of[nsd]=${ports[0]}
port_of[knot]=${ports[1]}
port_of[meridian]=${ports[2]}
port_of[meridian_api]=${ports[3]}
declare -A res=() qps=() lat=() qpc=() rlat=() per_rrset=()

has_server meridian && meridian_build
if [[ $main_phase == 1 ]]; then
	main_setup
	main_runs
	main_report
fi
if [[ $routed_phase == 1 ]]; then
	routed_setup
	routed_runs
	routed_report
fi
