#!/usr/bin/env bash
# health.sh measures what 10,000 Route 53 HTTP health checks at a 10 s
# interval cost `meridian serve`: its CPU share and memory while it probes
# loopback test servers, against the same server with no checks.
#
#   bench/health.sh [--checks N] [--window S] [--idle-window S]
#                   [--window3 S | --no-3region] [--keep]
#
# One run (about 4 to 5 minutes on 2 cores):
#  1. builds meridian and the helpers bench/cmd/hctarget (the targets) and
#     bench/cmd/hcload (creates and inspects the checks);
#  2. starts hctarget: BENCH_ADDRS addresses from 127.0.1.1, BENCH_PORTS
#     ports each (500 endpoints by default), answering 200 and counting the
#     requests of every check (path /c/<index>);
#  3. starts `meridian serve` (one checker region, loopback targets allowed,
#     min_target_interval 100ms) and measures it idle, with no checks;
#  4. creates the checks: HTTP, RequestInterval 10, FailureThreshold 3, check
#     i on endpoint i mod 500 (20 checks an endpoint). Through the Route 53
#     API (hcload create) when the server's quota (GetAccountLimit
#     MAX_HEALTH_CHECKS_BY_OWNER) allows N checks; otherwise, as with
#     Route 53's default quota of 200, the server is stopped, the checks are
#     written by the control plane's own CreateHealthCheck into its data
#     directory (hcload seed) and the server is started again;
#  5. waits until the targets have seen every check, checks a sample with
#     GetHealthCheckStatus, and measures over --window seconds: Meridian's
#     CPU (utime+stime from /proc/PID/stat over wall time), run-queue wait
#     (/proc/PID/task/*/schedstat), RSS and PSS (/proc/PID/smaps_rollup,
#     sampled every 5 s; the table shows the end value and the largest), and
#     the probe rate the targets see;
#  6. unless --no-3region: restarts Meridian with three checker regions on
#     the same data, so every check has three checkers (3,000 probes/s), and
#     measures again over --window3 seconds;
#  7. prints a table with the targets (< 15% of one core, < 100 MB RSS for
#     10,000 checks with one region) and PASS or FAIL.
# It stops everything it started on exit, and removes its work directory
# unless --keep is given or the run failed (then it keeps the logs).
#
#   --checks N       health checks (default 10000)
#   --window S       measuring window with N checks, 10..300 s (default 60)
#   --idle-window S  measuring window with no checks, 5..120 s (default 20)
#   --window3 S      measuring window of the 3-region variant (default 30)
#   --no-3region     skip the 3-region variant
#   --keep           keep the work directory
#
# Environment knobs (defaults in brackets):
#   BENCH_ADDRS [100]              target addresses, from 127.0.1.1
#   BENCH_PORTS [5]                target ports per address
#   BENCH_INTERVAL [10]            RequestInterval (10 or 30)
#   BENCH_THRESHOLD [3]            FailureThreshold
#   BENCH_MIN_TARGET_INTERVAL [100ms]  health.min_target_interval
#   BENCH_MAX_CONCURRENCY [256]    health.max_concurrency
#   BENCH_CREATE_CONCURRENCY [8]   API requests in flight while creating
# shellcheck disable=SC2016 # awk programs are single-quoted on purpose
set -euo pipefail
export LC_ALL=C # decimal points in $EPOCHREALTIME and awk

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

checks=10000
window=60
idle_window=20
window3=30
three=1
keep=0

while [[ $# -gt 0 ]]; do
	case $1 in
	--checks) checks=${2:?--checks needs a value}; shift 2 ;;
	--checks=*) checks=${1#*=}; shift ;;
	--window) window=${2:?--window needs a value}; shift 2 ;;
	--window=*) window=${1#*=}; shift ;;
	--idle-window) idle_window=${2:?--idle-window needs a value}; shift 2 ;;
	--idle-window=*) idle_window=${1#*=}; shift ;;
	--window3) window3=${2:?--window3 needs a value}; shift 2 ;;
	--window3=*) window3=${1#*=}; shift ;;
	--no-3region) three=0; shift ;;
	--keep) keep=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done

addrs=${BENCH_ADDRS:-100}
# shellcheck disable=SC2178 # a count, not lib.sh's ports array (pick_ports is not used here)
ports=${BENCH_PORTS:-5}
interval=${BENCH_INTERVAL:-10}
threshold=${BENCH_THRESHOLD:-3}
min_target=${BENCH_MIN_TARGET_INTERVAL:-100ms}
max_conc=${BENCH_MAX_CONCURRENCY:-256}
create_conc=${BENCH_CREATE_CONCURRENCY:-8}
for v in checks window idle_window window3 addrs ports interval threshold max_conc create_conc; do
	[[ ${!v} =~ ^[0-9]+$ && ${!v} -ge 1 ]] || die "$v must be a positive integer, got '${!v}'"
done
[[ $checks -le 100000 ]] || die "--checks must be at most 100000"
[[ $window -ge 10 && $window -le 300 ]] || die "--window must be 10..300 seconds"
[[ $idle_window -ge 5 && $idle_window -le 120 ]] || die "--idle-window must be 5..120 seconds"
[[ $window3 -ge 10 && $window3 -le 300 ]] || die "--window3 must be 10..300 seconds"
[[ $interval == 10 || $interval == 30 ]] || die "BENCH_INTERVAL must be 10 or 30 (Route 53's intervals)"
[[ $addrs -le 250 ]] || die "BENCH_ADDRS must be at most 250 (127.0.1.1-127.0.1.250)"
[[ $min_target =~ ^[0-9]+(ms|s)$ ]] || die "BENCH_MIN_TARGET_INTERVAL must look like 100ms, got '$min_target'"
[[ -r /proc/self/smaps_rollup ]] || die "/proc/PID/smaps_rollup is missing (Linux 4.14 or later is needed)"
command -v go >/dev/null || PATH=$PATH:/usr/local/go/bin
command -v go >/dev/null || die "go is not on PATH"

endpoints_n=$((addrs * ports))
clk_tck=$(getconf CLK_TCK)
key_id=AKIDHCBENCH0000000000
secret=hcbench-secret-key-not-for-production

work=$(mktemp -d "${TMPDIR:-/tmp}/meridian-health-bench.XXXXXX")
bin=$work/bin
data=$work/data
mer_pid=""
target_pid=""
helper_pid=""
sleep_pid=""
ok=0

# stop_pid stops one process this script started: SIGTERM, then SIGKILL
# after 5 s.
stop_pid() {
	local pid=$1 name=$2 i
	[[ -n $pid ]] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$name (pid $pid) ignored SIGTERM for 5s: killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_pid "$helper_pid" hcload
	stop_pid "$sleep_pid" sleep
	stop_pid "$mer_pid" meridian
	stop_pid "$target_pid" hctarget
	# A failed run keeps its logs; an interrupted one does not.
	if [[ $keep == 1 || ($ok != 1 && $rc != 130 && $rc != 143) ]]; then
		log "work directory kept: $work"
	else
		rm -rf "$work"
	fi
	exit "$rc"
}
trap_cleanup

# Long waits run in the background and are waited for, so that a signal
# stops the script at once rather than when the foreground command ends.

# pause sleeps for $1 seconds.
pause() {
	sleep "$1" &
	sleep_pid=$!
	wait "$sleep_pid"
	sleep_pid=""
}

# run_helper OUT CMD… runs a helper with its output to the file OUT.
run_helper() {
	local out=$1 rc=0
	shift
	"$@" >"$out" &
	helper_pid=$!
	wait "$helper_pid" || rc=$?
	helper_pid=""
	return "$rc"
}

# ---------------------------------------------------------------- probes of /proc

# cpu_ticks prints a process's utime and stime in clock ticks.
cpu_ticks() {
	local stat
	stat=$(<"/proc/$1/stat")
	# Fields after "comm)": state is the first, utime the 12th, stime the 13th.
	awk '{ printf "%.0f %.0f\n", $12, $13 }' <<<"${stat##*) }"
}

# ticks_pct prints the share of one core that the CPU time between two
# cpu_ticks readings is over WALL seconds: FIELD 1 user, 2 system, 0 both.
ticks_pct() {
	awk -v a="$1" -v b="$2" -v f="$3" -v hz="$clk_tck" -v w="$4" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		d = f == 0 ? (y[1] + y[2]) - (x[1] + x[2]) : y[f] - x[f]
		printf "%.1f", 100 * d / hz / w
	}'
}

# rq_wait_ns prints the time a process's threads waited for a CPU (ns).
rq_wait_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $2 } END { printf "%.0f\n", s }'
}

# mem_kb prints a process's RSS and PSS in kB.
mem_kb() {
	awk '$1 == "Rss:" { r = $2 } $1 == "Pss:" { p = $2 } END { print r, p }' "/proc/$1/smaps_rollup"
}

# status_field prints one field of /proc/PID/status (first number).
status_field() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}

# sys_cpu prints the whole machine's busy and total jiffies.
sys_cpu() {
	awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; printf "%.0f %.0f\n", t - $5 - $6, t; exit }' /proc/stat
}

# target_stats prints hctarget's counters line (requests=… distinct=…).
target_stats() {
	local port=${stats_addr##*:} line
	exec 3<>"/dev/tcp/127.0.0.1/$port"
	printf 'GET /stats HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
	while IFS= read -r line <&3; do
		[[ $line == requests=* ]] && echo "$line"
	done
	exec 3<&-
}

# stat_of prints one key of a key=value line.
stat_of() {
	tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'
}

# now prints the wall clock in seconds with microseconds.
now() { echo "$EPOCHREALTIME"; }

# ---------------------------------------------------------------- meridian

# write_config writes the server configuration with the given checker
# regions (a YAML flow list).
write_config() {
	local regions=$1 quota_line=""
	# A configurable quota, when this tree has one, lets the API create
	# every check.
	if grep -q 'yaml:"max_health_checks"' "$repo"/internal/config/*.go 2>/dev/null; then
		quota_line="  max_health_checks: $checks"
	fi
	cat >"$work/meridian.yaml" <<EOF
credentials:
  - {access_key_id: $key_id, secret_access_key: $secret}
health:
  checker_regions: $regions
  checkers_per_region: 1
  max_concurrency: $max_conc
  min_target_interval: $min_target
  allow_private_targets: true
$quota_line
EOF
}

# start_meridian starts `meridian serve` on the data directory and sets
# mer_pid and api.
start_meridian() {
	local logf=$work/meridian-$1.log i
	"$bin/meridian" serve --data-dir "$data" --config "$work/meridian.yaml" \
		--dns-addr 127.0.0.1:0 --api-addr 127.0.0.1:0 --dns-sockets 1 --log-level info \
		>"$logf" 2>&1 &
	mer_pid=$!
	api=""
	for ((i = 0; i < 200; i++)); do
		kill -0 "$mer_pid" 2>/dev/null || { cat "$logf" >&2; die "meridian exited at start"; }
		api=$(grep -o 'api=http://[0-9.:]*' "$logf" | head -1 | cut -d= -f2 || true)
		[[ -n $api ]] && break
		sleep 0.1
	done
	[[ -n $api ]] || { cat "$logf" >&2; die "meridian did not report its API address in 20s"; }
}

stop_meridian() {
	stop_pid "$mer_pid" meridian
	mer_pid=""
}

hcload() {
	"$bin/hcload" "$@" -api "$api" -key "$key_id" -secret "$secret"
}

# ---------------------------------------------------------------- measuring

declare -A R # results: R[phase.key]

# measure PHASE SECONDS measures Meridian and the targets over a window.
measure() {
	local phase=$1 secs=$2
	local t0 t1 c0 c1 w0 w1 s0 s1 q0 q1 tc0 tc1 rss pss max_rss=0 max_pss=0 end
	log "measuring $phase for ${secs}s"
	t0=$(now)
	c0=$(cpu_ticks "$mer_pid")
	w0=$(rq_wait_ns "$mer_pid")
	s0=$(sys_cpu)
	q0=$(stat_of "$(target_stats)" requests)
	tc0=$(cpu_ticks "$target_pid")
	end=$(awk -v t="$t0" -v s="$secs" 'BEGIN { printf "%.6f", t + s }')
	while :; do
		read -r rss pss < <(mem_kb "$mer_pid")
		((rss > max_rss)) && max_rss=$rss
		((pss > max_pss)) && max_pss=$pss
		local left
		left=$(awk -v e="$end" -v n="$(now)" 'BEGIN { d = e - n; print (d > 5 ? 5 : (d > 0 ? d : 0)) }')
		[[ $left == 0 ]] && break
		pause "$left"
		kill -0 "$mer_pid" 2>/dev/null || die "meridian exited while measuring $phase"
	done
	c1=$(cpu_ticks "$mer_pid")
	w1=$(rq_wait_ns "$mer_pid")
	s1=$(sys_cpu)
	q1=$(stat_of "$(target_stats)" requests)
	tc1=$(cpu_ticks "$target_pid")
	t1=$(now)
	read -r rss pss < <(mem_kb "$mer_pid")
	((rss > max_rss)) && max_rss=$rss
	((pss > max_pss)) && max_pss=$pss
	local wall
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	R[$phase.wall]=$wall
	R[$phase.cpu]=$(ticks_pct "$c0" "$c1" 0 "$wall")
	R[$phase.usr]=$(ticks_pct "$c0" "$c1" 1 "$wall")
	R[$phase.sys]=$(ticks_pct "$c0" "$c1" 2 "$wall")
	R[$phase.rqwait]=$(awk -v d=$((w1 - w0)) -v w="$wall" 'BEGIN { printf "%.1f", 100 * d / 1e9 / w }')
	R[$phase.rss]=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
	R[$phase.pss]=$(awk -v k="$pss" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
	R[$phase.maxrss]=$(awk -v k="$max_rss" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
	R[$phase.maxpss]=$(awk -v k="$max_pss" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
	R[$phase.hwm]=$(awk -v k="$(status_field "$mer_pid" VmHWM)" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
	R[$phase.threads]=$(status_field "$mer_pid" Threads)
	R[$phase.rate]=$(awk -v d=$((q1 - q0)) -v w="$wall" 'BEGIN { printf "%.0f", d / w }')
	R[$phase.perprobe]=$(awk -v c="${R[$phase.cpu]}" -v d=$((q1 - q0)) -v w="$wall" 'BEGIN { if (d > 0) printf "%.0f", c / 100 * w / d * 1e6; else print "-" }')
	R[$phase.tcpu]=$(ticks_pct "$tc0" "$tc1" 0 "$wall")
	R[$phase.sysbusy]=$(awk -v a="$s0" -v b="$s1" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]) }')
	R[$phase.load]=$(awk '{ print $1 }' /proc/loadavg)
	log "$phase: cpu ${R[$phase.cpu]}% of a core, rss ${R[$phase.rss]} MB, pss ${R[$phase.pss]} MB, probes ${R[$phase.rate]}/s, machine busy ${R[$phase.sysbusy]}%"
}

# wait_all_probed waits until the targets have seen every check at least
# once (at most 3 intervals) and sets R[PHASE.firstround] to the seconds it
# took from T0.
wait_all_probed() {
	local phase=$1 t0=$2 deadline line distinct
	deadline=$(awk -v t="$t0" -v i="$interval" 'BEGIN { printf "%.0f", t + 3 * i + 5 }')
	while :; do
		line=$(target_stats)
		distinct=$(stat_of "$line" distinct)
		[[ $distinct -ge $checks ]] && break
		(($(printf '%.0f' "$(now)") < deadline)) || die "after $((3 * interval + 5))s the targets saw $distinct of $checks checks ($line)"
		sleep 1
	done
	R[$phase.firstround]=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
	log "every check probed at least once, ${R[$phase.firstround]}s after the start ($line)"
}

# check_status asks GetHealthCheckStatus of a sample and expects every
# sampled check to have REGIONS successful observations.
check_status() {
	local phase=$1 regions=$2 line sampled reported success obs
	line=$(hcload status -sample 50)
	sampled=$(stat_of "$line" sampled)
	reported=$(stat_of "$line" reported)
	success=$(stat_of "$line" success)
	obs=$(stat_of "$line" observations)
	R[$phase.status]="$success/$sampled healthy, $obs observations"
	[[ $reported == "$sampled" && $success == "$sampled" && $obs == $((sampled * regions)) ]] ||
		die "GetHealthCheckStatus sample: $line (want every sampled check healthy with $regions observation(s))"
	log "GetHealthCheckStatus sample: $line"
}

# ---------------------------------------------------------------- run

log "machine: $(nproc) CPUs, $(cpu_model), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
load_before=$(uptime)
log "load before: $load_before"

log "building meridian, hcload, hctarget"
mkdir -p "$bin"
(cd "$repo" && go build -o "$bin/" ./cmd/meridian ./bench/cmd/hcload ./bench/cmd/hctarget) || die "go build failed"

# shellcheck disable=SC2128 # $ports is BENCH_PORTS, a count
"$bin/hctarget" -first-ip 127.0.1.1 -addrs "$addrs" -ports "$ports" -checks "$checks" \
	-endpoints "$work/endpoints.txt" -stats-file "$work/stats.addr" -max-run 20m \
	>"$work/hctarget.log" 2>&1 &
target_pid=$!
for ((i = 0; i < 100; i++)); do
	[[ -s $work/stats.addr ]] && break
	kill -0 "$target_pid" 2>/dev/null || { cat "$work/hctarget.log" >&2; die "hctarget exited at start"; }
	sleep 0.1
done
[[ -s $work/stats.addr ]] || die "hctarget did not start in 10s"
stats_addr=$(<"$work/stats.addr")
log "targets: $endpoints_n endpoints on 127.0.1.1-127.0.1.$addrs, $(((checks + endpoints_n - 1) / endpoints_n)) check(s) each"

# Idle baseline: the server with no checks.
write_config "[us-east-1]"
start_meridian idle
log "meridian (pid $mer_pid) serving, API $api"
pause 5
measure idle "$idle_window"

# Create the checks.
quota_line=$(hcload limit)
quota=$(stat_of "$quota_line" limit)
if [[ $quota -ge $checks ]]; then
	create_mode="API (hcload create, $create_conc in flight)"
	log "creating $checks checks through the API (quota $quota)"
	run_helper "$work/create.out" "$bin/hcload" create -api "$api" -key "$key_id" -secret "$secret" -n "$checks" \
		-endpoints "$work/endpoints.txt" -concurrency "$create_conc" -interval "$interval" -threshold "$threshold" ||
		die "creating the checks through the API failed"
	# The checks start as they are created; restart so that every check
	# starts together, as after a deploy, and the window sees a fresh process.
	stop_meridian
else
	create_mode="store seed (API quota $quota < $checks)"
	log "the server's health check quota is $quota (< $checks): seeding the checks with the control plane"
	stop_meridian
	run_helper "$work/create.out" "$bin/hcload" seed -data-dir "$data" -config "$work/meridian.yaml" -n "$checks" \
		-endpoints "$work/endpoints.txt" -interval "$interval" -threshold "$threshold" ||
		die "seeding the checks failed"
fi
create_line=$(<"$work/create.out")
create_secs=$(stat_of "$create_line" seconds)
log "created $checks checks in ${create_secs}s ($create_line)"

# One checker region.
start_meridian one
t_start=$(now)
log "meridian (pid $mer_pid) restarted with $checks checks, one checker region"
wait_all_probed one "$t_start"
pause 5
check_status one 1
measure one "$window"

# Three checker regions.
if [[ $three == 1 ]]; then
	stop_meridian
	write_config "[us-east-1, eu-west-1, ap-southeast-1]"
	start_meridian three
	log "meridian (pid $mer_pid) restarted with three checker regions"
	pause $((interval + 5))
	check_status three 3
	measure three "$window3"
fi
load_after=$(uptime)

# ---------------------------------------------------------------- report

verdict() { awk -v v="$1" -v lim="$2" 'BEGIN { print (v < lim ? "PASS" : "FAIL") }'; }
cpu_verdict=$(verdict "${R[one.cpu]}" 15)
mem_verdict=$(verdict "${R[one.maxrss]}" 100)

echo
echo "Meridian health checks: $checks HTTP checks, RequestInterval $interval s, FailureThreshold $threshold,"
echo "$endpoints_n loopback endpoints ($(((checks + endpoints_n - 1) / endpoints_n)) check(s) each), min_target_interval $min_target, max_concurrency $max_conc"
echo "machine: $(nproc) CPUs, $(cpu_model); go $(go env GOVERSION); meridian $(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$repo" && git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
echo "checks created by: $create_mode in ${create_secs}s"
echo "load before: ${load_before##*load average: }   after: ${load_after##*load average: }"
echo
fmt='%-17s %6s %8s %8s %8s %6s %6s %6s %8s %8s %7s %7s %7s %7s %6s\n'
# shellcheck disable=SC2059 # the format is a variable on purpose
printf "$fmt" phase checks checkers probes/s expected "CPU %" "usr %" "sys %" "µs/probe" "rq-wait%" "RSS MB" maxRSS "PSS MB" threads "busy%"
row() {
	local p=$1 name=$2 n=$3 k=$4
	# shellcheck disable=SC2059
	printf "$fmt" "$name" "$n" "$k" "${R[$p.rate]}" "$(awk -v k="$k" -v i="$interval" 'BEGIN { printf "%.0f", k / i }')" \
		"${R[$p.cpu]}" "${R[$p.usr]}" "${R[$p.sys]}" "${R[$p.perprobe]}" "${R[$p.rqwait]}" \
		"${R[$p.rss]}" "${R[$p.maxrss]}" "${R[$p.pss]}" "${R[$p.threads]}" "${R[$p.sysbusy]}"
}
row idle "idle (no checks)" 0 0
row one "1 region" "$checks" "$checks"
[[ $three == 1 ]] && row three "3 regions" "$checks" $((3 * checks))
echo
echo "windows: idle ${R[idle.wall]}s, 1 region ${R[one.wall]}s$([[ $three == 1 ]] && echo ", 3 regions ${R[three.wall]}s")."
echo "CPU %: Meridian's utime+stime over wall time, in % of one core (usr/sys: the two parts); µs/probe: its CPU time"
echo "per probe the targets answered; rq-wait%: time its threads waited for a CPU, in % of the window;"
echo "busy %: the whole machine's busy share of all $(nproc) CPUs; RSS/PSS: /proc/PID/smaps_rollup at the window's end,"
echo "maxRSS the largest 5 s sample; MB = 10^6 bytes. Target servers used ${R[one.tcpu]}% of a core (1 region)$([[ $three == 1 ]] && echo ", ${R[three.tcpu]}% (3 regions)")."
echo "every check probed once ${R[one.firstround]}s after the start; GetHealthCheckStatus sample: ${R[one.status]}$([[ $three == 1 ]] && echo "; 3 regions: ${R[three.status]}")."
echo "checks' cost over idle (1 region): CPU +$(awk -v a="${R[one.cpu]}" -v b="${R[idle.cpu]}" 'BEGIN { printf "%.1f", a - b }') points, RSS +$(awk -v a="${R[one.rss]}" -v b="${R[idle.rss]}" 'BEGIN { printf "%.1f", a - b }') MB"
echo
printf '%-46s %10s %8s\n' "target ($checks checks, 1 region)" measured result
printf '%-46s %10s %8s\n' "CPU < 15% of one core" "${R[one.cpu]}%" "$cpu_verdict"
printf '%-46s %10s %8s\n' "memory < 100 MB (largest RSS sample)" "${R[one.maxrss]} MB" "$mem_verdict"
ok=1
