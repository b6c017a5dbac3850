#!/bin/bash
# bench/compare.sh: the one-command benchmark. The router against the Kamailio baseline of ../shared/bench, same
# machine, same SIPp scenarios, same run; prints a table with min and median over BENCH_RUNS runs and the ratios.
#
# Per run (every process on 127.0.0.1, bounded by counts and `timeout`):
#   kam-tm, kam-sl, router : latency with one request in flight (unloaded), then the highest UDP rate with 0 failed
#                            transactions (a short bounded step search), then latency percentiles at half that rate
#   kam-tm, router         : TCP at BENCH_TCP_RATE; goodput at twice the clean rate (overload)
#   router                 : the same overload without overload control (cpm.overload.max-in-flight=0), heap and RSS
#                            under load, CPU per message by thread kind
#   bare JAIN-SIP relay    : the SIP stack's own ceiling (sip-message test main BareSipRelay, same stack settings)
#   lean-ri, lean-pkts     : only when named in BENCH_ONLY: the lean UDP relay (sip-message test main LeanUdpRelay),
#                            JAIN-SIP's transaction layer and transport replaced by a lean one, parsing with the RI's
#                            message classes (lean-ri, what the router's routes need) or pkts-sip (lean-pkts): the
#                            bound of issue 17's faster SIP path; bare and both lean relays are measured as kam-tm
#                            is (one in flight, clean rate, half rate), without overload
#   fan-out                : member deliveries per second to a 100-member group (the router warmed with group
#                            messages until its JIT compiler is quiet, as the router step's), then copies per second
#                            to a list of the same 100 through the URI-list service, same router (bench/fanout.sh)
#   rules                  : CPU microseconds per rule decision, shipped rules (RuleDecisionBench)
#   router-before          : with BENCH_BEFORE set, the router step (without its TCP part) once more per run, on the
#                            build in that directory (a built checkout of another commit): before and after in the
#                            same run, in turns, so that the machine's speed weighs on both alike
#   cold                   : a restarted router (BENCH_COLD_RESTART=1, the default: started once until ready and
#                            stopped, then started again on the same data directory; 0: a first start on an empty
#                            one) offered BENCH_COLD_RATE MESSAGE/s from its ready line for BENCH_COLD_DUR s over
#                            BENCH_COLD_TRANSPORT (udp; tcp: SIPp and bob over TCP): failed count and %, seconds from
#                            process start to the ready line
#
# Settings (environment): BENCH_RUNS (3), BENCH_DUR (8 s per load step), BENCH_SEARCH_PROBES (5),
#   BENCH_START_ROUTER (3000), BENCH_START_KAM (7000), BENCH_START_BARE (6000), BENCH_TCP_RATE (2000),
#   BENCH_FANOUT_RATE (group messages/s; unset: a tenth more member deliveries than the router step's clean rate
#   in the same run, 40 when that step did not run), BENCH_WARM_MIN_S (40), BENCH_WARM_MAX_S (90), BENCH_WARM_TCP_MIN_S (20), BENCH_COLD_RATE (2000),
#   BENCH_COLD_DUR (10), BENCH_COLD_RESTART (1), BENCH_COLD_TRANSPORT (udp), BENCH_ONLY (space-separated subset of: cold kam-tm kam-sl router router-before overload-off
#   bare fanout rules; also lean-ri lean-pkts, never run by default), BENCH_BEFORE (unset: no router-before step; a directory holding a built checkout, e.g.
#   `git worktree add ../before 98ebacf && (cd ../before && mvn -q -DskipTests package)`; or this tree, with
#   BENCH_BEFORE_SETTINGS), BENCH_BEFORE_SETTINGS (settings of the before router, as VAR=VALUE words:
#   BENCH_BEFORE=. BENCH_BEFORE_SETTINGS=CPM_SIP_UDP_PATH=jain-sip measures the stack's UDP path as "before"),
#   ROUTER_JAVA_OPTS (-Xms1g -Xmx1g), BENCH_COLD_ROUTER (settings for the cold router, e.g.
#   "CPM_STARTUP_WARM_UP=false"), BENCH_PORT_OFFSET (0: every bench port moved by that much; router steps only),
#   BENCH_SUT_CPUS and BENCH_LOAD_CPUS (unset: no pinning; e.g. 0 and 1): this script and every load it starts run on
#   the load CPUs, and each system under test (Kamailio, the router, the bare relay) is moved to the SUT CPUs once it
#   is up, so that on a small box the overload step measures the system rather than a starved load generator (a JVM
#   sizes its thread pools by the CPUs it starts on, the load CPUs: give both sets the same number of CPUs).
# Defaults take about 8 minutes per run. Results: bench/results/compare-<time>/ (report.md, per-run files).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
ROOT=$BENCH_ROOT
RUNS=${BENCH_RUNS:-3}
DUR=${BENCH_DUR:-8}
ONLY=" ${BENCH_ONLY:-cold kam-tm kam-sl router router-before overload-off bare fanout rules} "
OUT=$HERE/results/compare-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
export BENCH_HARD_S=900

want() { [[ "$ONLY" == *" $1 "* ]]; }

if [ -n "${BENCH_SUT_CPUS:-}" ] || [ -n "${BENCH_LOAD_CPUS:-}" ]; then
  if [ -z "${BENCH_SUT_CPUS:-}" ] || [ -z "${BENCH_LOAD_CPUS:-}" ]; then
    echo "compare.sh: set both BENCH_SUT_CPUS and BENCH_LOAD_CPUS (CPU lists as taskset takes them), or neither" >&2
    exit 2
  fi
  taskset -p -c "$BENCH_LOAD_CPUS" $$ >/dev/null \
    || { echo "compare.sh: cannot run on CPUs '$BENCH_LOAD_CPUS' (BENCH_LOAD_CPUS)" >&2; exit 2; }
fi
# pin_sut PID...: every thread of each process to the SUT CPUs (nothing when not pinning)
pin_sut() {
  [ -n "${BENCH_SUT_CPUS:-}" ] || return 0
  local p
  for p in "$@"; do
    taskset -a -p -c "$BENCH_SUT_CPUS" "$p" >/dev/null 2>&1 || blog "could not pin $p to CPUs $BENCH_SUT_CPUS"
  done
}

preflight() {
  local missing=()
  for tool in sipp java jcmd python3 ss; do command -v $tool >/dev/null || missing+=($tool); done
  if want kam-tm || want kam-sl; then
    command -v kamailio >/dev/null || missing+=(kamailio)
    [ "$BENCH_OFF" = 0 ] || { echo "compare.sh: the Kamailio steps need BENCH_PORT_OFFSET=0 (its ports are fixed)" >&2; exit 2; }
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "compare.sh: missing ${missing[*]} (Debian: apt-get install -y sip-tester kamailio; a JDK 17 with jcmd)" >&2
    exit 2
  fi
  if want router-before && [ -n "${BENCH_BEFORE:-}" ]; then
    [ -x "$BENCH_BEFORE/bin/cpm-router" ] || {
      echo "compare.sh: BENCH_BEFORE=$BENCH_BEFORE holds no bin/cpm-router (a checkout of the router, built)" >&2
      exit 2; }
    ls "$BENCH_BEFORE"/routes/target/cpm-routes-*.jar >/dev/null 2>&1 || {
      echo "compare.sh: BENCH_BEFORE=$BENCH_BEFORE is not built (run mvn -q -DskipTests package in it)" >&2
      exit 2; }
  fi
  [ -d "$BENCH_SHARED/sipp" ] || { echo "compare.sh: no baseline at $BENCH_SHARED (set SHARED_BENCH)" >&2; exit 2; }
  if [ ! -f "$ROOT/routes/target/cpm-routes-0.1.0-SNAPSHOT.jar" ] || [ ! -d "$ROOT/rules/target/test-classes" ] \
      || [ ! -d "$ROOT/sip-message/target/test-classes" ] || [ ! -d "$ROOT/sip-message/target/bench-lib" ] \
      || [ -n "${BENCH_BUILD:-}" ]; then
    blog "building (mvn -q -DskipTests package)"
    (cd "$ROOT" && mvn -B -q -DskipTests package) || { echo "compare.sh: build failed" >&2; exit 1; }
  fi
  # the cold step starts the router of ROUTER_HOME (a checkout or an unpacked archive) as an install does, with its
  # class data sharing archive where its bin/cpm-router reads it (made by bin/cpm-router-cds;
  # BENCH_COLD_ROUTER=CPM_CDS_ARCHIVE=none measures without one): a missing archive, or one older than the jars, is
  # made first (about 30 s, on loopback ports of its own). Any module's jar counts: Maven leaves a jar whose classes
  # did not change as it was, so a change in sip-message alone left the routes jar older than a stale archive
  local jsa=${CPM_CDS_ARCHIVE:-$ROUTER_HOME/cds/cpm-router.jsa} newer
  newer=$(find "$ROUTER_HOME"/*/target "$ROUTER_HOME"/lib -maxdepth 1 -name '*.jar' -newer "$jsa" 2>/dev/null | head -1)
  if want cold && [ "$jsa" != none ] && { [ ! -f "$jsa" ] || [ -n "$newer" ]; }; then
    blog "making the class data sharing archive of this build (bin/cpm-router-cds)"
    timeout 300 "$ROUTER_HOME/bin/cpm-router-cds" >"$OUT/cds.log" 2>&1 \
      || blog "  no archive made (see $OUT/cds.log): the cold step starts without one"
  fi
  wait_ports_free || exit 1
}

# result RUN KEY VALUE: one figure of one run
result() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$OUT/results.tsv"; }

# search RUN DIR MODE START SUT_PID...: highest clean UDP rate; sets FOUND (0 if none) and FOUND_LINE
search() {
  local run=$1 dir=$2 mode=$3 rate=$4; shift 4
  local best=0 lowfail=0 probes=0 line next
  FOUND=0; FOUND_LINE=""
  while [ $probes -lt "${BENCH_SEARCH_PROBES:-5}" ]; do
    probes=$((probes + 1))
    line=$(probe "$dir" "search_$rate" "$mode" udp "$rate" "$DUR" "$@")
    if clean "$line"; then
      blog "  $mode $rate/s: clean ($(field "$line" achieved_per_s)/s, p99 $(field "$line" p99_ms) ms)"
      best=$rate; FOUND=$rate; FOUND_LINE=$line
      if [ $lowfail -gt 0 ]; then next=$(( (best + lowfail) / 2 )); else next=$(( rate * 3 / 2 )); fi
    else
      blog "  $mode $rate/s: $(field "$line" fail) failed, $(field "$line" retrans) retransmissions"
      if [ $lowfail = 0 ] || [ "$rate" -lt $lowfail ]; then lowfail=$rate; fi
      if [ $best -gt 0 ]; then next=$(( (best + lowfail) / 2 )); else next=$(( rate * 3 / 4 )); fi
    fi
    [ $lowfail -gt 0 ] && [ $best -gt 0 ] && [ $(( (lowfail - best) * 100 / lowfail )) -le 6 ] && break
    rate=$(( (next + 50) / 100 * 100 ))
    wait_idle "$@"
  done
  UNBOUNDED=$([ $lowfail = 0 ] && echo 1 || echo 0)   # every step was clean: FOUND is a lower bound
}

# the common part for kam-tm, kam-sl, router and the relays: one-in-flight latency, clean rate, half-rate percentiles
measure_udp() {
  local run=$1 dir=$2 mode=$3 start=$4; shift 4
  local pp half line
  pp=$(pingpong udp); echo "$pp" >"$dir/pingpong.txt"
  result "$run" "$mode.p50_one_in_flight_us" "$(echo "$pp" | sed -n 's/.*p50=\([0-9]*\)us.*/\1/p')"
  blog "  $mode one request in flight: $pp"
  search "$run" "$dir" "$mode" "$start" "$@"
  result "$run" "$mode.clean_rate" "$FOUND"
  result "$run" "$mode.clean_rate_is_lower_bound" "$UNBOUNDED"
  [ "$FOUND" = 0 ] && return 0
  result "$run" "$mode.cpu_us_at_clean" "$(field "$FOUND_LINE" sut_us_per_msg)"
  half=$((FOUND / 2))
  wait_idle "$@"
  line=$(probe "$dir" "half_$half" "$mode" udp "$half" "$DUR" "$@")
  for k in p50_ms p90_ms p99_ms fail sut_us_per_msg; do result "$run" "$mode.half.$k" "$(field "$line" $k)"; done
  blog "  $mode at half ($half/s): p50 $(field "$line" p50_ms) ms, p99 $(field "$line" p99_ms) ms, $(field "$line" sut_us_per_msg) us CPU/msg"
}

overload() {
  local run=$1 dir=$2 mode=$3 key=$4 clean=$5; shift 5
  local line
  line=$(probe "$dir" "overload_${key}" "$mode" udp $((clean * 2)) "$DUR" "$@")
  result "$run" "$mode.$key.offered" $((clean * 2))
  result "$run" "$mode.$key.goodput" "$(field "$line" achieved_per_s)"
  result "$run" "$mode.$key.goodput_pct_of_clean" $(( $(num "$(field "$line" achieved_per_s)") * 100 / clean ))
  result "$run" "$mode.$key.retrans" "$(field "$line" retrans)"
  # who could not keep up: datagrams dropped at the load generator's socket (answers it never read) and at the
  # system's own socket (requests it never read), by the kernel, for a full receive buffer
  local drops_uac drops_sut
  drops_uac=$(awk -v p=$P_UAC '$1 == p {print $2}' "$dir/overload_${key}/socket_drops" 2>/dev/null)
  drops_sut=$(awk -v p=$P_SUT '$1 == p {print $2}' "$dir/overload_${key}/socket_drops" 2>/dev/null)
  result "$run" "$mode.$key.dropped_at_load_generator" "${drops_uac:-}"
  result "$run" "$mode.$key.dropped_at_system" "${drops_sut:-}"
  blog "  $mode at twice the clean rate ($((clean * 2))/s, $key): goodput $(field "$line" achieved_per_s)/s, $(field "$line" fail) refused or failed, $(field "$line" retrans) retransmissions, datagrams dropped at the load generator's socket ${drops_uac:-?}, at the system's ${drops_sut:-?}"
}

run_kamailio() {
  local run=$1 mode=$2 dir=$OUT/run$1/$2 pids uas line start
  mkdir -p "$dir"; wait_ports_free || return 1
  start=${PREV[$mode]:-${BENCH_START_KAM:-7000}}
  blog "$mode (Kamailio)"
  uas=$(start_uas "$dir" udp); export BENCH_UAS_PID=$uas
  pids=$(start_kam "$dir" "$mode" udp) || { stop_pids $uas; return 1; }
  pin_sut $pids
  measure_udp "$run" "$dir" "$mode" "$start" $pids
  PREV[$mode]=$FOUND
  if [ "$mode" = kam-tm ] && [ "$FOUND" -gt 0 ]; then
    wait_idle $pids
    overload "$run" "$dir" "$mode" overload "$FOUND" $pids
  fi
  stop_pids $pids $uas
  if [ "$mode" = kam-tm ]; then
    wait_ports_free || return 1
    uas=$(start_uas "$dir" tcp); export BENCH_UAS_PID=$uas
    pids=$(start_kam "$dir" "$mode" tcp) || { stop_pids $uas; return 1; }
    pin_sut $pids
    line=$(probe "$dir" "tcp_${BENCH_TCP_RATE:-2000}" "$mode" tcp "${BENCH_TCP_RATE:-2000}" "$DUR" $pids)
    for k in achieved_per_s fail p50_ms p99_ms sut_us_per_msg; do result "$run" "$mode.tcp.$k" "$(field "$line" $k)"; done
    blog "  $mode TCP at ${BENCH_TCP_RATE:-2000}/s: $(field "$line" fail) failed, p99 $(field "$line" p99_ms) ms"
    stop_pids $pids $uas
  fi
}

router_memory() {
  local run=$1 dir=$2
  local rss used
  rss=$(cat "$dir"/*/rss_max_kb 2>/dev/null | sort -n | tail -1)
  used=$(grep -ho 'used [0-9]*K' "$dir"/half_*/heap.txt 2>/dev/null | head -1 | tr -dc 0-9)
  result "$run" router.rss_max_mb $(( ${rss:-0} / 1024 ))
  result "$run" router.heap_used_mb_after_half $(( ${used:-0} / 1024 ))
  cp "$dir"/half_*/threads.txt "$dir/threads_at_half.txt" 2>/dev/null
}

# run_router RUN [MODE HOME]: MODE router (this tree) or router-before (the build in HOME, without the TCP part)
run_router() {
  local run=$1 mode=${2:-router} home=${3:-$BENCH_ROOT}
  local dir=$OUT/run$1/$mode rpid uas line start=${PREV[$mode]:-${BENCH_START_ROUTER:-3000}}
  local ROUTER_HOME=$home
  mkdir -p "$dir"; wait_ports_free || return 1
  blog "$mode ($home/bin/cpm-router, every role in one process)"
  uas=$(start_uas "$dir" udp); export BENCH_UAS_PID=$uas
  local settings=""
  [ "$mode" = router-before ] && settings=${BENCH_BEFORE_SETTINGS:-}
  # shellcheck disable=SC2086 # BENCH_BEFORE_SETTINGS holds zero or more VAR=VALUE words
  rpid=$(start_router "$dir" $settings) || { stop_pids $uas; return 1; }
  pin_sut "$rpid"
  register_bob "$dir" udp || { stop_pids $rpid $uas; return 1; }
  warm_router "$dir" "$rpid"
  measure_udp "$run" "$dir" "$mode" "$start" "$rpid"
  PREV[$mode]=$FOUND
  [ "$mode" = router ] && router_memory "$run" "$dir"
  # TCP before the overload step: afterwards the router still holds (and collects) the 32 s server transactions of
  # a 2x load for half a minute, which measured the overload's aftermath rather than TCP
  stop_pids $uas; wait_idle "$rpid"
  if [ "$mode" = router ]; then
    # bob has one device at a time, as Kamailio's TCP step has one next hop: his UDP binding outlives his UDP UAS,
    # and left in place it forked every TCP message to a dead second device too (11 retransmissions over 32 s each)
    unregister_bob "$dir" udp
    uas=$(start_uas "$dir" tcp); export BENCH_UAS_PID=$uas
    register_bob "$dir" tcp && warm_router "$dir" "$rpid" tcp && {
      line=$(probe "$dir" "tcp_${BENCH_TCP_RATE:-2000}" router tcp "${BENCH_TCP_RATE:-2000}" "$DUR" "$rpid")
      for k in achieved_per_s fail p50_ms p99_ms sut_us_per_msg; do result "$run" "router.tcp.$k" "$(field "$line" $k)"; done
      blog "  router TCP at ${BENCH_TCP_RATE:-2000}/s: $(field "$line" fail) failed, p99 $(field "$line" p99_ms) ms"
      unregister_bob "$dir" tcp
    }
    stop_pids $uas
  fi
  if [ "$FOUND" -gt 0 ]; then
    uas=$(start_uas "$dir" udp); export BENCH_UAS_PID=$uas
    register_bob "$dir" udp && wait_idle "$rpid" && overload "$run" "$dir" "$mode" overload "$FOUND" "$rpid"
    stop_pids $uas
  fi
  stop_pids $rpid
}

run_router_without_control() {
  local run=$1 dir=$OUT/run$1/router-no-overload-control rpid uas clean=${PREV[router]:-0}
  [ "$clean" -gt 0 ] || return 0
  mkdir -p "$dir"; wait_ports_free || return 1
  blog "router without overload control (cpm.overload.max-in-flight=0)"
  uas=$(start_uas "$dir" udp); export BENCH_UAS_PID=$uas
  rpid=$(start_router "$dir" CPM_OVERLOAD_MAX_IN_FLIGHT=0) || { stop_pids $uas; return 1; }
  pin_sut "$rpid"
  register_bob "$dir" udp && warm_router "$dir" "$rpid" && overload "$run" "$dir" router overload_off "$clean" "$rpid"
  stop_pids $rpid $uas
}

# run_relay RUN MODE CLASS [ARG...]: one of the relays of sip-message's tests (bare JAIN-SIP, or the lean UDP relay
# that bounds issue 17's faster SIP path), measured as the systems above, without overload
run_relay() {
  local run=$1 mode=$2 class=$3; shift 3
  local dir=$OUT/run$run/$mode pid uas start=${PREV[$mode]:-${BENCH_START_BARE:-6000}}
  mkdir -p "$dir"; wait_ports_free || return 1
  blog "$mode ($class $*)"
  uas=$(start_uas "$dir" udp); export BENCH_UAS_PID=$uas
  timeout "$BENCH_HARD_S" java ${ROUTER_JAVA_OPTS:--Xms1g -Xmx1g} -Djava.net.preferIPv4Stack=true \
    -cp "$ROOT/sip-message/target/test-classes:$ROOT/sip-message/target/bench-lib/*:$ROOT/routes/target/lib/*" \
    "org.cpmrouter.sip.$class" --port $P_SUT --to 127.0.0.1:$P_UAS "$@" >"$dir/relay.log" 2>&1 &
  local i
  for i in $(seq 1 60); do grep -q "ready on" "$dir/relay.log" && break; sleep 0.5; done
  pid=$(pgrep -f "^java .*org.cpmrouter.sip.$class --port $P_SUT " | head -1)
  [ -n "$pid" ] || { blog "$mode did not start"; stop_pids $uas; return 1; }
  pin_sut "$pid"
  BENCH_WARM_MIN_S=20 BENCH_WARM_MAX_S=40 warm_router "$dir" "$pid"
  measure_udp "$run" "$dir" "$mode" "$start" "$pid"
  PREV[$mode]=$FOUND
  stop_pids $pid $uas
}

# a router that has never seen traffic, loaded from the moment it prints its ready line: what an operator restarting
# one node of a pool during traffic gets. Bob registers first (one REGISTER, timed), then the same UAC scenario as the
# router steps runs at BENCH_COLD_RATE for BENCH_COLD_DUR seconds
run_cold() {
  local run=$1 dir=$OUT/run$1/cold rate=${BENCH_COLD_RATE:-2000} dur=${BENCH_COLD_DUR:-10}
  local tr=${BENCH_COLD_TRANSPORT:-udp} uas timer rpid t0 t1 t2 line fail ready
  mkdir -p "$dir"; wait_ports_free || return 1
  blog "cold start: $rate/s over $tr from the ready line for $dur s"
  result "$run" cold.load1_at_start "$(cut -d' ' -f1 /proc/loadavg)"   # other work on the box slows a cold JIT most
  if [ "${BENCH_COLD_RESTART:-1}" = 1 ]; then
    # the node's earlier life: started until ready and stopped, so that the timed start is a restart with the
    # node's data directory (its stores, its kept rule compile), as in a pool whose node is restarted
    # shellcheck disable=SC2086
    timer=$(launch_router "$dir" ${BENCH_COLD_ROUTER:-})
    rpid=$(await_router "$dir" "$timer" 0.2) || return 1
    stop_pids "$rpid" "$timer"; mv "$dir/router.log" "$dir/router-first-start.log"; wait_ports_free || return 1
  fi
  uas=$(start_uas "$dir" "$tr"); export BENCH_UAS_PID=$uas
  t0=$(date +%s%N)
  # shellcheck disable=SC2086 # BENCH_COLD_ROUTER holds zero or more VAR=VALUE words
  timer=$(launch_router "$dir" ${BENCH_COLD_ROUTER:-})
  rpid=$(await_router "$dir" "$timer" 0.02) || { stop_pids $uas; return 1; }
  t1=$(date +%s%N)
  register_bob "$dir" "$tr" || { stop_pids $rpid $uas; return 1; }
  t2=$(date +%s%N)
  line=$(probe "$dir" "cold_$rate" router-cold "$tr" "$rate" "$dur" "$rpid")
  ready=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b - a) / 1e9}')
  fail=$(field "$line" fail)
  result "$run" cold.ready_s "$ready"
  result "$run" cold.register_ms $(( (t2 - t1) / 1000000 ))
  result "$run" cold.offered $((rate * dur))
  result "$run" cold.dur_s "$dur"
  result "$run" cold.transport "$tr"   # the report's heading, from the results rather than its own environment
  if [[ "$fail" =~ ^[0-9]+$ ]]; then # else SIPp reported nothing: no figure rather than a false 0
    result "$run" cold.fail "$fail"
    result "$run" cold.fail_pct "$(awk -v f="$fail" -v n=$((rate * dur)) 'BEGIN{printf "%.2f", f * 100 / n}')"
  fi
  for k in retrans p50_ms p99_ms; do result "$run" "cold.$k" "$(field "$line" $k)"; done
  blog "  cold: ready after $ready s, bob registered $(( (t2 - t1) / 1000000 )) ms later; ${fail:-?} of" \
    "$((rate * dur)) failed, $(field "$line" retrans) retransmissions, p99 $(field "$line" p99_ms) ms"
  stop_pids $rpid $uas
}

run_fanout() {
  local run=$1 dir=$OUT/run$1/fanout rate=${BENCH_FANOUT_RATE:-} summary clean
  if [ -z "$rate" ]; then
    # offered a tenth above the router's own clean rate of this run, so that the target (member deliveries at
    # least that rate) is tested at that rate and a shortfall shows the fan-out's own limit
    clean=$(awk -F'\t' -v r="$run" '$1 == r && $2 == "router.clean_rate" {v = $3} END {print v + 0}' \
      "$OUT/results.tsv")
    rate=$(( clean > 0 ? (clean * 11 / 10 + 99) / 100 : 40 ))
  fi
  mkdir -p "$dir"; wait_ports_free || return 1
  blog "group fan-out, 100 members, $rate messages/s; then a 100-entry URI list, $rate messages/s"
  summary=$(USER_RATE=0 FANOUT_OUT=$dir "$HERE/fanout.sh" "$rate" "$DUR" 100 2>&1 | tee "$dir/fanout.out" \
    | sed -n 's/.* -> \([0-9]*\) deliveries\/s.*/\1/p' | tail -1)
  result "$run" fanout.member_deliveries_per_s "${summary:-0}"
  result "$run" fanout.offered_deliveries_per_s $((rate * 100))
  grep -o "failed=[0-9]*" "$dir/fanout.out" | tail -1 | sed 's/failed=//' | { read -r f; result "$run" fanout.failed "${f:-?}"; }
  blog "  $(grep 'member deliveries' "$dir/fanout.out")"
  summary=$(sed -n 's/^list copies .* -> \([0-9]*\) copies\/s.*/\1/p' "$dir/fanout.out" | tail -1)
  result "$run" fanout.list_copies_per_s "${summary:-0}"
  result "$run" fanout.list_offered_copies_per_s $((rate * 100))
  grep -o "^list copies delivered=[0-9]* failed=[0-9]*" "$dir/fanout.out" | tail -1 | sed 's/.*failed=//' \
    | { read -r f; result "$run" fanout.list_failed "${f:-?}"; }
  blog "  $(grep '^list copies' "$dir/fanout.out")"
}

run_rules() {
  local run=$1 dir=$OUT/run$1/rules
  mkdir -p "$dir"
  blog "rule decision cost (shipped rules, one thread)"
  timeout 300 java -cp "$ROOT/rules/target/test-classes:$ROOT/rules/target/classes:$ROOT/routes/target/lib/*" \
    -Dlogback.configurationFile="$ROOT/sip-message/src/test/resources/logback-test.xml" \
    org.cpmrouter.rules.RuleDecisionBench "$ROOT/rules" "${BENCH_RULE_N:-200000}" >"$dir/rules.out" 2>&1
  # lines: rule_decision_us <what> best <us> median <us>; the median is the figure
  grep '^rule_decision_us' "$dir/rules.out" | while IFS=$'\t' read -r _ what best median; do
    us=${median:-$best}; us=${us#median }; us=${us#best }
    result "$run" "rules.$(echo "$what" | tr ' ' '_' | tr -d '()')_us" "$us"
  done
  grep '^rule_decision_us' "$dir/rules.out" | sed 's/^rule_decision_us\t/  /' >&2
}

preflight
declare -A PREV
blog "results in $OUT ($RUNS runs, $DUR s per load step)"
for run in $(seq 1 "$RUNS"); do
  blog "=== run $run of $RUNS"
  want rules && run_rules "$run"
  want cold && run_cold "$run"
  want kam-tm && run_kamailio "$run" kam-tm
  want kam-sl && run_kamailio "$run" kam-sl
  want router && run_router "$run"
  want router-before && [ -n "${BENCH_BEFORE:-}" ] && run_router "$run" router-before "$BENCH_BEFORE"
  want overload-off && run_router_without_control "$run"
  want bare && run_relay "$run" bare BareSipRelay
  want lean-ri && run_relay "$run" lean-ri LeanUdpRelay --parse ri
  want lean-pkts && run_relay "$run" lean-pkts LeanUdpRelay --parse pkts
  want fanout && run_fanout "$run"
done
python3 "$HERE/compare_report.py" "$OUT" | tee "$OUT/report.md"
