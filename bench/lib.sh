# shellcheck shell=bash
# shellcheck disable=SC2154 # pin, ncpu, tmp, keep, rounds and res are the sourcing script's
# lib.sh holds the shell helpers that bench/dns.sh, bench/l4.sh and
# bench/health.sh share. Each sources it right after setting $here:
#
#   source "$here/lib.sh"
#
# It defines functions and the two arrays below and runs nothing else; the
# sourcing script keeps `set -euo pipefail` and its own options.
#
# Messages and exit
#   usage              prints the calling script's header comment (line 2 up
#                      to the first "# shellcheck" line) without the "# ".
#   die MSG...         prints "bench: error: MSG" on stderr and exits 1.
#   log MSG...         prints "bench: MSG" on stderr.
#   trap_cleanup       makes the script's own `cleanup` function the EXIT
#                      trap and turns SIGINT and SIGTERM into exit 130 and
#                      143, so that cleanup runs (and sees that status).
#
# Arguments
#   need_uints VAR...  dies unless each named variable holds a non-negative
#                      integer ("VAR must be a non-negative integer, got '…'").
#   check_pin          with pin=1 on a machine of fewer than two CPUs
#                      ($ncpu), logs that it does not pin and sets pin=0.
#
# Tools
#   install_missing "SERVICE..." COMMAND=PACKAGE...
#                      installs with apt-get, in the order given, the Debian
#                      PACKAGE of every COMMAND that is not on PATH (all
#                      there: nothing to do), dying when BENCH_NO_INSTALL=1
#                      or when not root; then stops the system daemons
#                      SERVICE (a space-separated list) that the packages
#                      may have started, since the benchmark's own servers
#                      use their own ports and run dirs.
#
# Processes (each started in its own session, so that its whole process
# group can be stopped; pids[NAME] is the session leader's pid and
# logfile_of[NAME] its log)
#   start_proc NAME LOGFILE CMD...  starts CMD with output to LOGFILE.
#   stop_proc NAME     SIGTERM to NAME's process group, SIGKILL after 5 s.
#   stop_procs RC      stops every process in pids, then removes the work
#                      directory $tmp unless keep=1 or RC is not 0 (then it
#                      logs where the files are).
#   alive NAME         fails, showing the last 20 lines of NAME's log, when
#                      NAME has exited.
#   wait_meridian_api URL
#                      waits up to 30 s for URL/healthz of the process
#                      started as "meridian", dying when it exits or times out.
#
# Ports
#   port_free P [KIND] succeeds when nothing listens on port P; KIND is ss's
#                      protocol letters: t (TCP, the default) or tu (TCP or UDP).
#   pick_ports N WORD [KIND]
#                      sets ports[0..N-1] to N consecutive free ports from
#                      BENCH_PORT_BASE, or from a random multiple of 100 in
#                      20000..31900: below the kernel's ephemeral range
#                      (32768+), so that no other socket is given one while
#                      the benchmark runs. WORD spells N in the messages.
#
# /proc readers
#   sched_ns SID       prints "RUN_NS WAIT_NS": the time the threads of every
#                      process of session SID spent running and waiting on a
#                      run queue (/proc/PID/task/*/schedstat).
#   cpu_model          prints the CPU's model name from /proc/cpuinfo.
#   loadavg            prints the 1, 5 and 15 minute load averages.
#
# Statistics
#   median X...        prints the median of its numeric arguments.
#   med KEY KIND EXPR  prints the median over rounds 1..$rounds of the awk
#                      expression EXPR of the fields of ${res[KEY.KIND.ROUND]}.

declare -A pids=()       # NAME → pid of a process start_proc started
declare -A logfile_of=() # NAME → its log file

# ---------------------------------------------------------------- messages

usage() {
	sed -n '2,/^# shellcheck/{/^# shellcheck/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[${#BASH_SOURCE[@]} - 1]}"
}

die() {
	echo "bench: error: $*" >&2
	exit 1
}

log() { echo "bench: $*" >&2; }

trap_cleanup() {
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# ---------------------------------------------------------------- arguments

need_uints() {
	local v
	for v in "$@"; do
		[[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer, got '${!v}'"
	done
}

check_pin() {
	if [[ $pin == 1 && $ncpu -lt 2 ]]; then
		log "only $ncpu CPU: not pinning"
		pin=0
	fi
}

# ---------------------------------------------------------------- tools

install_missing() {
	local services=$1 want svc
	local -a missing=()
	shift
	for want in "$@"; do
		command -v "${want%%=*}" >/dev/null || missing+=("${want#*=}")
	done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	[[ ${BENCH_NO_INSTALL:-0} == 1 ]] && die "missing packages: ${missing[*]} (BENCH_NO_INSTALL=1)"
	[[ $(id -u) == 0 ]] || die "missing packages: ${missing[*]}; run as root or install them"
	log "installing ${missing[*]}"
	apt-get update -qq || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
	for svc in $services; do
		if command -v systemctl >/dev/null && systemctl is-active --quiet "$svc" 2>/dev/null; then
			systemctl stop "$svc" 2>/dev/null || true
		elif command -v service >/dev/null; then
			service "$svc" stop >/dev/null 2>&1 || true
		fi
	done
}

# ---------------------------------------------------------------- processes

start_proc() {
	local name=$1 logf=$2
	shift 2
	setsid "$@" </dev/null >"$logf" 2>&1 &
	pids[$name]=$!
	logfile_of[$name]=$logf
}

stop_proc() {
	local name=$1 pid=${pids[$1]:-} i
	[[ -n $pid ]] || return 0
	unset "pids[$name]"
	kill -TERM -- "-$pid" 2>/dev/null || return 0
	for ((i = 0; i < 50; i++)); do
		kill -0 -- "-$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	log "$name (pid $pid) ignored SIGTERM for 5s: killing it"
	kill -KILL -- "-$pid" 2>/dev/null || true
}

stop_procs() {
	local rc=$1 name
	for name in "${!pids[@]}"; do
		stop_proc "$name"
	done
	if [[ -n $tmp && -d $tmp ]]; then
		if [[ $keep == 1 || $rc != 0 ]]; then
			log "work files kept in $tmp"
		else
			rm -rf "$tmp"
		fi
	fi
}

alive() {
	local pid=${pids[$1]:-}
	if [[ -z $pid ]] || ! kill -0 "$pid" 2>/dev/null; then
		log "$1 exited early; last lines of ${logfile_of[$1]}:"
		tail -n 20 "${logfile_of[$1]}" >&2 || true
		return 1
	fi
}

wait_meridian_api() {
	local api=$1 i
	for ((i = 0; i < 150; i++)); do
		alive meridian || die "meridian serve exited"
		curl -fsS -m 1 "$api/healthz" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	die "meridian API did not come up on $api within 30s (log: ${logfile_of[meridian]})"
}

# ---------------------------------------------------------------- ports

port_free() {
	[[ -z $(ss -Hln"${2:-t}" "( sport = :$1 )" 2>/dev/null) ]]
}

pick_ports() {
	local n=$1 word=$2 kind=${3:-t} base=${BENCH_PORT_BASE:-$((20000 + (RANDOM % 120) * 100))} tries p ok
	for ((tries = 0; tries < 50; tries++)); do
		ok=1
		for ((p = base; p < base + n; p++)); do
			port_free "$p" "$kind" || { ok=0; break; }
		done
		if [[ $ok == 1 ]]; then
			ports=()
			for ((p = base; p < base + n; p++)); do ports+=("$p"); done
			return 0
		fi
		[[ -n ${BENCH_PORT_BASE:-} ]] && die "ports $base..$((base + n - 1)) are not all free"
		base=$((20000 + (RANDOM % 120) * 100))
	done
	die "found no $word free consecutive ports"
}

# ---------------------------------------------------------------- /proc

sched_ns() {
	local p
	for p in $(ps -o pid= -s "$1" 2>/dev/null); do
		cat "/proc/$p/task/"*/schedstat 2>/dev/null || true
	done | awk '{ run += $1; wait += $2 } END { printf "%.0f %.0f\n", run, wait }'
}

cpu_model() {
	awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo
}

loadavg() {
	cut -d' ' -f1-3 /proc/loadavg
}

# ---------------------------------------------------------------- statistics

median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

med() {
	local r
	local -a v=()
	for ((r = 1; r <= rounds; r++)); do
		v+=("$(awk "{ x = $3; print x }" <<<"${res[$1.$2.$r]}")")
	done
	median "${v[@]}"
}
