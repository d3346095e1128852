#!/usr/bin/env bash
# l4.sh benchmarks Meridian's accelerator data plane (TCP) against HAProxy in
# mode tcp on loopback, side by side in one run, through the same backends.
#
#   bench/l4.sh [--duration N] [--rounds N] [--proxies haproxy,meridian]
#               [--keep]
#
# It installs haproxy and iperf3 from Debian when they are missing, builds
# meridian and bench/cmd/l4load, and starts two backends: iperf3 -s (bulk
# throughput) and `l4load serve` (reads a 64-byte request line, answers 128
# bytes and closes). In front of them it starts HAProxy (mode tcp, nbthread
# 1, one frontend per backend) and `meridian serve` with one accelerator of
# two TCP listeners whose endpoints are the two backends (created through
# the Global Accelerator API with `l4load accel`); each proxy is pinned to
# CPU 0. The clients and backends run on CPU 1. After checking that traffic
# flows through every path, it measures each proxy and the backends directly
# (the baseline), the order rotating each round:
#
#   - bulk throughput: iperf3 -t N -O 1, with 1 and with 4 parallel streams;
#   - connection rate: `l4load run -c BENCH_CONNS` for N seconds: new
#     connections per second, each a connect, a request, the reply and close;
#   - latency: `l4load run -rate BENCH_LAT_RATE` for N seconds: p50 and p99 of
#     connect-to-first-reply-byte; "added" is the proxy's minus the direct one;
#
# and prints tables with the medians over the rounds, Meridian/HAProxy
# ratios and the verdict on the targets (throughput >= HAProxy's, connection
# rate >= 0.8 x HAProxy's). It stops every process it started, also on
# failure. Loopback only.
#
#   --proxies    comma-separated: haproxy, haproxy-splice (HAProxy with
#                option splice-auto), meridian [haproxy,meridian]
#   --duration   seconds per measurement, 3..30 [5]
#   --rounds     rounds, 1..5 [3]
#   --keep       keep the work directory (configs, logs, raw outputs)
#
# Environment knobs (defaults in brackets):
#   BENCH_CONNS [32]           l4load workers in the connection-rate runs
#   BENCH_LAT_RATE [1000]      connections/s of the latency runs; 0 skips them
#   BENCH_LAT_CONNS [8]        l4load workers in the latency runs
#   BENCH_STREAMS [1 4]        iperf3 -P values, one throughput run each
#   BENCH_PIN [1]              1: proxies on CPU 0, clients and backends on
#                              CPU 1; 0: no pinning (meridian then uses every CPU)
#   BENCH_PORT_BASE [random]   first of ten consecutive loopback ports to use
#   BENCH_NO_INSTALL [0]       1: never run apt-get, fail if a tool is missing
# shellcheck disable=SC2016 # awk programs are single-quoted on purpose
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

duration=5
rounds=3
proxies="haproxy,meridian"
keep=0

while [[ $# -gt 0 ]]; do
	case $1 in
	--duration) duration=${2:?--duration needs a value}; shift 2 ;;
	--duration=*) duration=${1#*=}; shift ;;
	--rounds) rounds=${2:?--rounds needs a value}; shift 2 ;;
	--rounds=*) rounds=${1#*=}; shift ;;
	--proxies) proxies=${2:?--proxies needs a value}; shift 2 ;;
	--proxies=*) proxies=${1#*=}; shift ;;
	--keep) keep=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
[[ $duration =~ ^[0-9]+$ && $duration -ge 3 && $duration -le 30 ]] || die "--duration must be 3..30 seconds, got $duration"
[[ $rounds =~ ^[0-9]+$ && $rounds -ge 1 && $rounds -le 5 ]] || die "--rounds must be 1..5, got $rounds"
IFS=, read -r -a proxy_list <<<"$proxies"
[[ ${#proxy_list[@]} -ge 1 ]] || die "--proxies names no proxy"
for p in "${proxy_list[@]}"; do
	case $p in haproxy | haproxy-splice | meridian) ;; *) die "--proxies: unknown proxy '$p' (want haproxy, haproxy-splice, meridian)" ;; esac
done
has_proxy() { [[ ",$proxies," == *",$1,"* ]]; }
has_haproxy() { has_proxy haproxy || has_proxy haproxy-splice; }
targets=(direct "${proxy_list[@]}")

conns=${BENCH_CONNS:-32}
lat_rate=${BENCH_LAT_RATE:-1000}
lat_conns=${BENCH_LAT_CONNS:-8}
read -r -a streams <<<"${BENCH_STREAMS:-1 4}"
pin=${BENCH_PIN:-1}
need_uints conns lat_rate lat_conns pin
[[ $conns -ge 1 && $conns -le 1024 ]] || die "BENCH_CONNS must be 1..1024, got $conns"
[[ $lat_conns -ge 1 && $lat_conns -le 1024 ]] || die "BENCH_LAT_CONNS must be 1..1024, got $lat_conns"
[[ ${#streams[@]} -ge 1 ]] || die "BENCH_STREAMS names no stream count"
for s in "${streams[@]}"; do
	[[ $s =~ ^[0-9]+$ && $s -ge 1 && $s -le 16 ]] || die "BENCH_STREAMS: each value must be 1..16, got '$s'"
done
ncpu=$(nproc)
check_pin
if [[ $pin == 1 ]]; then
	proxy_cpu=(taskset -c 0)
	load_cpu=(taskset -c 1)
else
	proxy_cpu=()
	load_cpu=()
fi

# ---------------------------------------------------------------- tools

# ensure_tools installs the Debian packages that provide missing commands.
ensure_tools() {
	local -a want=(iperf3=iperf3)
	has_haproxy && want+=(haproxy=haproxy)
	want+=(taskset=util-linux curl=curl ss=iproute2 ps=procps)
	# The packages may start system daemons (haproxy on port 80, iperf3 -s
	# on 5201 when debconf says so): install_missing stops them.
	install_missing "haproxy iperf3" "${want[@]}"
}

# ---------------------------------------------------------------- processes

tmp=""
run_pid="" # a measurement in progress (see measure)

# cleanup stops the measurement in progress and every process we started
# (lib.sh's stop_procs), and removes the work directory unless kept.
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [[ -n $run_pid ]]; then
		kill -TERM -- "-$run_pid" 2>/dev/null || kill -TERM "$run_pid" 2>/dev/null || true
	fi
	stop_procs "$rc"
	exit "$rc"
}
trap_cleanup

# wait_listen NAME PORT waits up to 15s until something listens on PORT.
wait_listen() {
	local i
	for ((i = 0; i < 75; i++)); do
		alive "$1" || die "$1 stopped before listening on port $2"
		port_free "$2" || return 0
		sleep 0.2
	done
	die "$1 did not listen on port $2 within 15s (log: ${logfile_of[$1]})"
}

# ---------------------------------------------------------------- setup

declare -A tput_addr=() rr_addr=()

# build builds meridian and l4load into the work dir.
build() {
	log "go build ./cmd/meridian ./bench/cmd/l4load ($(go version | cut -d' ' -f3))"
	(cd "$repo" && go build -o "$bin/meridian" ./cmd/meridian && go build -o "$bin/l4load" ./bench/cmd/l4load) \
		>"$tmp/build.log" 2>&1 || {
		tail -n 30 "$tmp/build.log" >&2
		die "go build failed"
	}
}

# start_backends starts iperf3 -s and the l4load responder on CPU 1.
start_backends() {
	start_proc iperf3-server "$tmp/iperf3-server.log" "${load_cpu[@]}" iperf3 -s -B 127.0.0.1 -p "$port_iperf"
	start_proc responder "$tmp/responder.log" "${load_cpu[@]}" "$bin/l4load" serve \
		-addr "127.0.0.1:$port_rr" -resp 128 -max-run 30m
	wait_listen iperf3-server "$port_iperf"
	wait_listen responder "$port_rr"
	tput_addr[direct]=127.0.0.1:$port_iperf
	rr_addr[direct]=127.0.0.1:$port_rr
}

# haproxy_start NAME FRONT1 FRONT2 [OPTION] starts HAProxy in mode tcp with
# one thread on CPU 0: FRONT1 to iperf3, FRONT2 to the responder; OPTION is
# an extra `option` line of the defaults section.
haproxy_start() {
	local name=$1 f1=$2 f2=$3 opt=${4:-} d=$tmp/$1
	mkdir -p "$d"
	{
		cat <<EOF
global
	nbthread 1
	maxconn 4096

defaults
	mode tcp
	timeout connect 5s
	timeout client 60s
	timeout server 60s
EOF
		[[ -n $opt ]] && printf '\toption %s\n' "$opt"
		cat <<EOF

frontend tput
	bind 127.0.0.1:$f1
	default_backend iperf3

backend iperf3
	server s1 127.0.0.1:$port_iperf

frontend rr
	bind 127.0.0.1:$f2
	default_backend responder

backend responder
	server s1 127.0.0.1:$port_rr
EOF
	} >"$d/haproxy.cfg"
	haproxy -c -q -f "$d/haproxy.cfg" || die "haproxy -c rejected $d/haproxy.cfg"
	start_proc "$name" "$d/haproxy.log" "${proxy_cpu[@]}" haproxy -db -f "$d/haproxy.cfg"
	wait_listen "$name" "$f1"
	wait_listen "$name" "$f2"
	tput_addr[$name]=127.0.0.1:$f1
	rr_addr[$name]=127.0.0.1:$f2
}

# meridian_start starts meridian serve on CPU 0 and creates the accelerator:
# listener FRONT1 to iperf3 (health-checked on the responder's port, so that
# the checks do not disturb iperf3's one-test-at-a-time server), FRONT2 to
# the responder.
meridian_start() {
	local f1=$1 f2=$2 d=$tmp/meridian api="http://127.0.0.1:$port_api" i addr
	mkdir -p "$d"
	export MERIDIAN_ACCESS_KEY_ID=BENCHAKID0000000000
	MERIDIAN_SECRET_ACCESS_KEY=$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32)
	export MERIDIAN_SECRET_ACCESS_KEY
	cat >"$d/meridian.yaml" <<EOF
health:
  checker_regions: [us-east-1]
  allow_private_targets: true
EOF
	start_proc meridian "$d/serve.log" "${proxy_cpu[@]}" "$bin/meridian" serve \
		--data-dir "$d/data" --dns-addr "127.0.0.1:$port_dns" --api-addr "127.0.0.1:$port_api" \
		--dns-sockets 1 --log-level warn --config "$d/meridian.yaml"
	wait_meridian_api "$api"
	"$bin/l4load" accel -api "$api" -name l4bench \
		-listener "$f1=127.0.0.1:$port_iperf@$port_rr" -listener "$f2=127.0.0.1:$port_rr" \
		>"$d/accel.out" 2>&1 || {
		cat "$d/accel.out" >&2
		die "creating the accelerator failed"
	}
	addr=$(awk -F= '$1 == "address" { print $2; exit }' "$d/accel.out")
	[[ -n $addr ]] || die "l4load accel printed no address: $(cat "$d/accel.out")"
	tput_addr[meridian]=$addr:$f1
	rr_addr[meridian]=$addr:$f2
	log "meridian: accelerator at $addr, listeners $f1 (iperf3) and $f2 (responder)"
	# The data plane binds the listeners once the plan is published.
	for ((i = 0; i < 150; i++)); do
		alive meridian || die "meridian serve exited"
		"$bin/l4load" run -addr "${rr_addr[meridian]}" -c 1 -n 5 -d 2s -check >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	die "no traffic flowed through the accelerator at ${rr_addr[meridian]} within 30s (log: $d/serve.log)"
}

# check_paths sends a little traffic through every target: 200 exchanges
# with the responder and a 1-second iperf3 run (also a warm-up).
check_paths() {
	local t out
	for t in "${targets[@]}"; do
		out=$("${load_cpu[@]}" "$bin/l4load" run -addr "${rr_addr[$t]}" -c 4 -n 200 -d 10s -check 2>&1) ||
			die "$t: exchanges with the responder through ${rr_addr[$t]} failed: $out"
		"${load_cpu[@]}" iperf3 -c "${tput_addr[$t]%:*}" -p "${tput_addr[$t]##*:}" -t 1 >"$tmp/check.$t.iperf3" 2>&1 ||
			die "$t: iperf3 through ${tput_addr[$t]} failed: $(tail -n 3 "$tmp/check.$t.iperf3")"
		log "$t: traffic flows (responder ${rr_addr[$t]}, iperf3 ${tput_addr[$t]})"
	done
}

# ---------------------------------------------------------------- measurements

declare -A res=()

# proxy_sid TARGET prints the session id of TARGET's proxy, empty for direct.
proxy_sid() {
	[[ $1 == direct ]] || echo "${pids[$1]}"
}

# measure OUT CMD... runs CMD in the background with its output in OUT and
# waits for it, so that a signal to this script is handled at once.
measure() {
	local out=$1
	shift
	setsid "$@" >"$out" 2>"$out.err" &
	run_pid=$!
	if ! wait "$run_pid"; then
		run_pid=""
		return 1
	fi
	run_pid=""
}

# run_tput KEY TARGET STREAMS runs iperf3 through TARGET and stores
# "gbit_s proxy_cpu_s wall_s retransmits proxy_wait_s" in res[KEY].
run_tput() {
	local key=$1 t=$2 n=$3 out=$tmp/run.$1 sid s0 s1 w0 w1
	sid=$(proxy_sid "$t")
	[[ -n $sid ]] && s0=$(sched_ns "$sid")
	w0=$(date +%s.%N)
	measure "$out" "${load_cpu[@]}" iperf3 -c "${tput_addr[$t]%:*}" -p "${tput_addr[$t]##*:}" \
		-t "$duration" -O 1 -P "$n" -J ||
		die "iperf3 through $t (${tput_addr[$t]}) failed: $(grep '"error"' "$out" || tail -n 3 "$out.err")"
	w1=$(date +%s.%N)
	[[ -n $sid ]] && s1=$(sched_ns "$sid")
	res[$key]=$(awk -v s0="${s0:-0 0}" -v s1="${s1:-0 0}" -v w="$(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }')" '
		/"sum_sent"/ { sent = 1 }
		sent && /"retransmits"/ && rt == "" { rt = $2 + 0 }
		/"sum_received"/ { recv = 1 }
		recv && /"bits_per_second"/ && bps == "" { bps = $2 + 0 }
		END {
			if (bps == "") exit 1
			split(s0, a, " "); split(s1, b, " ")
			printf "%.3f %.3f %.2f %d %.3f\n", bps / 1e9, (b[1] - a[1]) / 1e9, w, rt, (b[2] - a[2]) / 1e9
		}' "$out") || die "could not read iperf3's result for $t from $out"
}

# run_conns KEY TARGET PHASE runs l4load through TARGET (PHASE rate: as
# fast as BENCH_CONNS workers go; lat: at BENCH_LAT_RATE) and stores
# "conns_s p50_us p99_us errors proxy_cpu_s secs loadgen_cpu_s conns max_us
# proxy_wait_s" in res[KEY].
run_conns() {
	local key=$1 t=$2 phase=$3 out=$tmp/run.$1 sid s0 s1
	local -a args=(-c "$conns")
	[[ $phase == lat ]] && args=(-c "$lat_conns" -rate "$lat_rate")
	sid=$(proxy_sid "$t")
	[[ -n $sid ]] && s0=$(sched_ns "$sid")
	measure "$out" "${load_cpu[@]}" "$bin/l4load" run -addr "${rr_addr[$t]}" -d "${duration}s" "${args[@]}" ||
		die "l4load through $t (${rr_addr[$t]}) failed: $(tail -n 3 "$out.err")"
	[[ -n $sid ]] && s1=$(sched_ns "$sid")
	res[$key]=$(awk -v s0="${s0:-0 0}" -v s1="${s1:-0 0}" '
		{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
		END {
			if (v["rate"] == "") exit 1
			split(s0, a, " "); split(s1, b, " ")
			printf "%d %.1f %.1f %d %.3f %.3f %.3f %d %.1f %.3f\n", v["rate"], v["p50_us"], v["p99_us"], v["errors"],
				(b[1] - a[1]) / 1e9, v["secs"], v["cpu_s"], v["conns"], v["max_us"], (b[2] - a[2]) / 1e9
		}' "$out") || die "could not read l4load's result for $t from $out"
}

# run_all runs every measurement of every target, $rounds times, the order
# of the targets rotating each round.
run_all() {
	local r k t n
	load_before=$(loadavg)
	for ((r = 1; r <= rounds; r++)); do
		for ((k = 0; k < ${#targets[@]}; k++)); do
			t=${targets[$(((k + r - 1) % ${#targets[@]}))]}
			for n in "${streams[@]}"; do
				log "round $r/$rounds: $t, iperf3 -P $n -t $duration"
				run_tput "$t.tput$n.$r" "$t" "$n"
			done
			log "round $r/$rounds: $t, connection rate (-c $conns, ${duration}s)"
			run_conns "$t.rate.$r" "$t" rate
			if [[ $lat_rate -gt 0 ]]; then
				log "round $r/$rounds: $t, latency at $lat_rate conn/s (-c $lat_conns, ${duration}s)"
				run_conns "$t.lat.$r" "$t" lat
			fi
		done
	done
	load_after=$(loadavg)
	for t in "${proxy_list[@]}" iperf3-server responder; do
		alive "$t" || die "$t exited during the benchmark"
	done
}

# ---------------------------------------------------------------- report

# Fields of a run's line in res (see run_tput and run_conns):
#   tputN:    $1 Gbit/s  $2 proxy CPU s  $3 wall s  $4 retransmits  $5 proxy wait s
#   rate/lat: $1 conns/s  $2 p50 µs  $3 p99 µs  $4 errors  $5 proxy CPU s  $6 run s
#             $7 l4load CPU s  $8 conns  $9 max µs  $10 proxy wait s

# med TARGET KIND EXPR (lib.sh) prints the median over the rounds of an awk
# expression of one run's fields.

# rmed A B KIND EXPR prints the median over the rounds of A's EXPR divided by
# B's in the same round (rounds run close together in time, so this ratio
# is steadier than the ratio of the medians on a busy machine), or "-".
rmed() {
	local r a b
	local -a v=()
	for ((r = 1; r <= rounds; r++)); do
		a=$(awk "{ x = $4; print x }" <<<"${res[$1.$3.$r]}")
		b=$(awk "{ x = $4; print x }" <<<"${res[$2.$3.$r]}")
		awk -v b="$b" 'BEGIN { exit !(b + 0 == 0) }' && { echo "-"; return; }
		v+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f\n", a / b }')")
	done
	printf '%.2f\n' "$(median "${v[@]}")"
}

# f FORMAT NUMBER prints NUMBER with the printf FORMAT.
f() {
	awk -v f="$1" -v x="$2" 'BEGIN { printf f "\n", x }'
}

# verdict RATIO MIN prints "pass" when RATIO >= MIN, else "FAIL".
verdict() {
	awk -v r="$1" -v m="$2" 'BEGIN { print (r != "-" && r + 0 >= m) ? "pass" : "FAIL" }'
}

# proxy_col TARGET KIND EXPR prints EXPR's median formatted as a percentage,
# or "-" for direct (no proxy).
proxy_col() {
	if [[ $1 == direct ]]; then echo "-"; else echo "$(f '%.0f' "$(med "$@")")%"; fi
}

# proxy_num FORMAT TARGET KIND EXPR prints EXPR's median with FORMAT, or "-"
# for direct.
proxy_num() {
	if [[ $2 == direct ]]; then echo "-"; else f "$1" "$(med "$2" "$3" "$4")"; fi
}

# added TARGET FIELD prints TARGET's median latency field FIELD minus the
# direct one's, in whole µs, or "-" for direct.
added() {
	if [[ $1 == direct ]]; then
		echo "-"
	else
		awk -v a="$(med "$1" lat "$2")" -v b="$(med direct lat "$2")" 'BEGIN { printf "%.0f\n", a - b }'
	fi
}

report_machine() {
	local line
	echo "machine: $ncpu CPU, $(cpu_model), Linux $(uname -r);" \
		"load average before $load_before, after $load_after"
	echo "note: other processes may be running on this machine (the load average counts them); proxy wait"
	echo "below is the time the proxy's threads were ready to run but waited for a CPU (for other programs,"
	echo "or, for meridian, also for its own runtime threads: it is summed over threads)."
	line="versions: iperf3 $(iperf3 --version | awk 'NR == 1 { print $2 }')"
	has_haproxy && line+=", HAProxy $(haproxy -v | awk 'NR == 1 { print $3 }')"
	line+=", meridian built with $(go version | cut -d' ' -f3)"
	echo "$line"
	if [[ $pin == 1 ]]; then
		echo "layout: each proxy on CPU 0 (HAProxy nbthread 1; meridian GOMAXPROCS 1 from its affinity);" \
			"iperf3 client and server, l4load and its responder on CPU 1"
	else
		echo "layout: no pinning"
	fi
	echo "backends: iperf3 -s 127.0.0.1:$port_iperf; l4load serve 127.0.0.1:$port_rr (64-byte request line," \
		"128-byte reply, then the backend closes)"
}

report_tput() {
	local t n
	echo "Bulk throughput (iperf3 -t $duration -O 1, receiver Gbit/s), median of $rounds round(s):"
	echo
	printf '| %-14s |' target
	for n in "${streams[@]}"; do printf ' %12s | %9s | %10s | %12s |' "P$n Gbit/s" "proxy CPU" "proxy wait" "Gbit/CPU-s"; done
	echo
	printf '|%s|' ----------------
	for n in "${streams[@]}"; do printf '%s|%s|%s|%s|' -------------: ----------: -----------: -------------:; done
	echo
	for t in "${targets[@]}"; do
		printf '| %-14s |' "$t"
		for n in "${streams[@]}"; do
			printf ' %12s | %9s | %10s | %12s |' "$(f '%.2f' "$(med "$t" "tput$n" '$1')")" \
				"$(proxy_col "$t" "tput$n" '100 * $2 / $3')" "$(proxy_col "$t" "tput$n" '100 * $5 / $3')" \
				"$(proxy_num '%.1f' "$t" "tput$n" '($2 > 0) ? $1 * $3 / $2 : 0')"
		done
		echo
	done
	echo
	echo "P1, P4: iperf3 -P (parallel streams). proxy CPU and wait: % of one CPU over the run's wall time"
	echo "(/proc/PID/task/*/schedstat). Gbit/CPU-s: throughput x wall time / proxy CPU time."
}

report_conns() {
	local t
	echo "New connections, unpaced ($conns l4load workers: connect, request, reply, close), median of $rounds round(s):"
	echo
	printf '| %-14s | %8s | %9s | %9s | %11s | %9s | %10s | %10s |\n' target "conns/s" "p50 us" "p99 us" \
		"conns/CPU-s" "proxy CPU" "proxy wait" "l4load CPU"
	printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' ---------------- ---------: ----------: ----------: ------------: \
		----------: -----------: -----------:
	for t in "${targets[@]}"; do
		printf '| %-14s | %8s | %9s | %9s | %11s | %9s | %10s | %10s |\n' "$t" "$(f '%.0f' "$(med "$t" rate '$1')")" \
			"$(f '%.0f' "$(med "$t" rate '$2')")" "$(f '%.0f' "$(med "$t" rate '$3')")" \
			"$(proxy_num '%.0f' "$t" rate '($5 > 0) ? $8 / $5 : 0')" \
			"$(proxy_col "$t" rate '100 * $5 / $6')" "$(proxy_col "$t" rate '100 * $10 / $6')" \
			"$(f '%.0f' "$(med "$t" rate '100 * $7 / $6')")%"
	done
	echo
	echo "p50/p99: connect start to first reply byte, with $conns connections in flight (queueing included)."
	echo "l4load CPU near 100% would mean the load generator, not the proxy, set the rate."
	[[ $lat_rate -gt 0 ]] || return 0
	echo
	echo "Latency at a fixed $lat_rate new connections/s ($lat_conns l4load workers), median of $rounds round(s):"
	echo
	printf '| %-14s | %8s | %9s | %9s | %9s | %12s | %12s |\n' target "conns/s" "p50 us" "p99 us" "max us" \
		"added p50 us" "added p99 us"
	printf '|%s|%s|%s|%s|%s|%s|%s|\n' ---------------- ---------: ----------: ----------: ----------: \
		-------------: -------------:
	for t in "${targets[@]}"; do
		printf '| %-14s | %8s | %9s | %9s | %9s | %12s | %12s |\n' "$t" "$(f '%.0f' "$(med "$t" lat '$1')")" \
			"$(f '%.0f' "$(med "$t" lat '$2')")" "$(f '%.0f' "$(med "$t" lat '$3')")" "$(f '%.0f' "$(med "$t" lat '$9')")" \
			"$(added "$t" '$2')" "$(added "$t" '$3')"
	done
	echo
	echo "added: the proxy's median p50 (p99) minus the direct one's: what the extra hop costs."
}

# report_ratios prints Meridian's figures over HAProxy's (or HAProxy with
# splice when plain HAProxy did not run) and the verdict on the targets.
report_ratios() {
	local ref=haproxy n r v overall=PASS
	has_proxy meridian || return 0
	has_proxy haproxy || ref=haproxy-splice
	has_proxy "$ref" || return 0
	echo "Meridian / $ref, median over the rounds of each round's ratio"
	echo "(targets: throughput >= 1.00, connection rate >= 0.80):"
	echo
	for n in "${streams[@]}"; do
		r=$(rmed meridian "$ref" "tput$n" '$1')
		v=$(verdict "$r" 1.00)
		[[ $v == pass ]] || overall=FAIL
		echo "  throughput, $n stream(s): $r ($v); per proxy CPU-second: $(rmed meridian "$ref" "tput$n" '($2 > 0) ? $1 * $3 / $2 : 0')"
	done
	r=$(rmed meridian "$ref" rate '$1')
	v=$(verdict "$r" 0.80)
	[[ $v == pass ]] || overall=FAIL
	echo "  connection rate: $r ($v); per proxy CPU-second: $(rmed meridian "$ref" rate '($5 > 0) ? $8 / $5 : 0')"
	if [[ $lat_rate -gt 0 ]]; then
		echo "  latency @$lat_rate/s (lower is better, no target): p50 $(rmed meridian "$ref" lat '$2')," \
			"p99 $(rmed meridian "$ref" lat '$3')"
	fi
	echo "  => $overall"
	echo
	echo "The per-CPU-second ratios depend less on what the neighbours leave of CPU 0; when they and the"
	echo "plain ratios disagree on a verdict, the machine was too busy for that verdict to mean much."
}

report() {
	local key
	echo
	echo "## L4 benchmark: Meridian accelerator vs HAProxy (mode tcp), loopback, ${duration}s per run, $rounds round(s)"
	echo
	report_machine
	echo
	report_tput
	echo
	report_conns
	echo
	report_ratios
	echo
	echo "errors (failed connects, resets, short replies) over all connection runs: $(for key in "${!res[@]}"; do
		if [[ $key == *.rate.* || $key == *.lat.* ]]; then echo "${res[$key]}"; fi
	done | awk '{ e += $4 } END { print e + 0 }')"
	echo "every run (target.kind.round: tputN = Gbit/s proxy_cpu_s wall_s retransmits proxy_wait_s;"
	echo "rate/lat = conns/s p50_us p99_us errors proxy_cpu_s run_s l4load_cpu_s conns max_us proxy_wait_s):"
	for key in $(printf '%s\n' "${!res[@]}" | sort); do
		echo "  $key: ${res[$key]}"
	done
}

# ---------------------------------------------------------------- main

ensure_tools
command -v go >/dev/null || die "go is not on PATH (needed to build meridian and l4load)"
tmp=$(mktemp -d /tmp/meridian-l4bench.XXXXXX)
bin=$tmp/bin
mkdir -p "$bin"
pick_ports 10 ten
port_iperf=${ports[0]}
port_rr=${ports[1]}
port_dns=${ports[8]}
port_api=${ports[9]}
t0=$SECONDS
build
start_backends
has_proxy haproxy && haproxy_start haproxy "${ports[2]}" "${ports[3]}"
has_proxy haproxy-splice && haproxy_start haproxy-splice "${ports[4]}" "${ports[5]}" splice-auto
has_proxy meridian && meridian_start "${ports[6]}" "${ports[7]}"
check_paths
log "setup took $((SECONDS - t0))s; measuring"
run_all
report
log "done in $((SECONDS - t0))s"
