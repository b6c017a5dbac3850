# bench/lib.sh: shared pieces of the bench scripts (sourced, not run). Everything talks to 127.0.0.1 only, and every
# process started here is bounded by `timeout` and stopped by its own pid.
#   ports: 5060 system under test, 5061 SIPp UAC, 5062 SIPp registrar client, 5070 SIPp UAS (bob), 8081 admin API
# (the Kamailio baseline of ../shared/bench listens on 5060 and forwards to 5070, so these are fixed).

BENCH_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_ROOT=$(cd "$BENCH_HERE/.." && pwd)
BENCH_SHARED=${SHARED_BENCH:-$BENCH_ROOT/../shared/bench}
# the tree whose bin/cpm-router launch_router starts: this one, unless a step measures another build (compare.sh's
# router-before step sets it to BENCH_BEFORE)
ROUTER_HOME=${ROUTER_HOME:-$BENCH_ROOT}
BENCH_TICK=$(getconf CLK_TCK)
# BENCH_PORT_OFFSET (0) moves every port above by that much, so that a router bench of another checkout on the
# same host does not hold them (the Kamailio baseline's configuration has them fixed: its steps need 0)
BENCH_OFF=${BENCH_PORT_OFFSET:-0}
P_SUT=$((5060 + BENCH_OFF)); P_UAC=$((5061 + BENCH_OFF)); P_REG=$((5062 + BENCH_OFF)); P_UAS=$((5070 + BENCH_OFF))
P_ADMIN=$((8081 + BENCH_OFF))

blog() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# the sum of user+system CPU ticks of the given pids (missing pids count 0)
cpu_ticks() {
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat")))
  done
  echo $t
}

# true when none of the bench ports is taken
ports_free() {
  ! ss -Hanu 2>/dev/null | awk '{print $4}' | grep -Eq ":($P_SUT|$P_UAC|$P_REG|$P_UAS)\$" &&
  ! ss -Hant state listening 2>/dev/null | awk '{print $3}' | grep -Eq ":($P_SUT|$P_UAS|$P_ADMIN)\$"
}

wait_ports_free() {
  local i
  for i in $(seq 1 60); do ports_free && return 0; sleep 0.5; done
  blog "bench ports still in use after 30 s ($P_SUT/$P_UAC/$P_REG/$P_UAS udp, $P_SUT/$P_UAS/$P_ADMIN tcp):"
  ss -Hanup 2>/dev/null | grep -E ":($P_SUT|$P_UAC|$P_REG|$P_UAS) " >&2
  return 1
}

# stops pids: TERM, then KILL after 10 s
stop_pids() {
  local p i
  for p in "$@"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  for i in $(seq 1 40); do
    local alive=0
    for p in "$@"; do [ -n "$p" ] && kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && return 0
    sleep 0.25
  done
  for p in "$@"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null; done
  return 0
}

# wait_idle PID...: waits (at most BENCH_IDLE_MAX_S, 15 s) until the pids together use less than 15 % of a core
# over half a second, twice in a row (a system under test still working off the previous load step)
wait_idle() {
  local calm=0 i a b max=${BENCH_IDLE_MAX_S:-15}
  for i in $(seq 1 $((max * 2))); do
    a=$(cpu_ticks "$@"); sleep 0.5; b=$(cpu_ticks "$@")
    if [ $(( (b - a) * 100 * 2 )) -lt $((15 * BENCH_TICK)) ]; then
      calm=$((calm + 1)); [ $calm -ge 2 ] && return 0
    else
      calm=0
    fi
  done
  return 0
}

sipp_transport() { case $1 in udp) echo u1;; tcp) echo t1;; *) echo "bad transport $1" >&2; return 1;; esac; }

# start_uas DIR TR: bob's SIPp UAS on 5070 (answers each MESSAGE 200); prints its pid. BENCH_UAS_ANSWER_MS (0): how
# long it waits before each answer, a slow next hop (a handset on a mobile network, a loaded core), from a copy of
# the shared scenario with that pause before its 200
start_uas() {
  local dir=$1 tr=$2 scenario=$BENCH_SHARED/sipp/uas_message.xml wait=${BENCH_UAS_ANSWER_MS:-0}
  if [ "$wait" -gt 0 ]; then
    sed "s|<recv request=\"MESSAGE\" crlf=\"true\"/>|&\n  <pause milliseconds=\"$wait\"/>|" "$scenario" \
      >"$dir/uas_answer_${wait}ms.xml"
    grep -q "pause milliseconds=\"$wait\"" "$dir/uas_answer_${wait}ms.xml" \
      || { blog "start_uas: no <recv request=\"MESSAGE\"> line in $scenario to add the pause after"; return 1; }
    scenario=$dir/uas_answer_${wait}ms.xml
  fi
  timeout "${BENCH_HARD_S:-900}" sipp -sf "$scenario" -i 127.0.0.1 -p $P_UAS \
    -t "$(sipp_transport "$tr")" -nostdin -buff_size 4194304 -max_recv_loops 10000 -max_sched_loops 10000 \
    >"$dir/uas_$tr.out" 2>&1 &
  echo $!
}

# start_router DIR [VAR=VALUE...] [-- OPTION...]: bin/cpm-router on 5060 with its data in DIR/data; prints the JVM's
# pid. Settings come as environment variables (CPM_OVERLOAD_MAX_IN_FLIGHT=0 ...), options after `--` go to
# bin/cpm-router (--config DIR). Digest authentication, where the router has it, is off unless a setting turns it on
# again (CPM_AUTH_ENABLED=true, later wins): SIPp sends no credentials (an unknown key is ignored by the router).
# The per-sender rate limit and the flood bans are off too (CPM_LIMITS_SENDER_RATE=0, CPM_FLOOD_MAX_REQUESTS=0): a
# benchmark sends thousands of messages a second as one sender from one address, which is exactly what they refuse.
start_router() {
  local timer
  timer=$(launch_router "$@") && await_router "$1" "$timer"
}

# launch_router DIR [VAR=VALUE...] [-- OPTION...]: starts the router as start_router does, without waiting; prints
# the pid of its `timeout` (for await_router)
launch_router() {
  local dir=$1; shift
  local settings=() options=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do settings+=("$1"); shift; done
  [ $# -gt 0 ] && { shift; options=("$@"); }
  mkdir -p "$dir"
  env CPM_AUTH_ENABLED=false CPM_LIMITS_SENDER_RATE=0 CPM_FLOOD_MAX_REQUESTS=0 CPM_SMSC_PORT=$((2775 + BENCH_OFF)) \
    "${settings[@]}" timeout "${BENCH_HARD_S:-900}" \
    env JAVA_OPTS="${ROUTER_JAVA_OPTS:--Xms1g -Xmx1g}" "$ROUTER_HOME/bin/cpm-router" --sip-port $P_SUT \
    --admin-port $P_ADMIN --data-dir "$dir/data" "${options[@]}" >"$dir/router.log" 2>&1 &
  echo $!
}

# await_router DIR TIMER [POLL_S]: waits (at most 90 s, polling every POLL_S, 0.5) for the ready line of the router
# launch_router started; prints the JVM's pid, or stops it and fails
await_router() {
  local dir=$1 timer=$2 poll=${3:-0.5} deadline=$((SECONDS + 90))
  while [ $SECONDS -lt $deadline ]; do
    grep -q "CPM Router ready" "$dir/router.log" && break
    kill -0 "$timer" 2>/dev/null || break
    sleep "$poll"
  done
  if ! grep -q "CPM Router ready" "$dir/router.log"; then
    blog "router did not start:"; tail -20 "$dir/router.log" >&2; stop_pids "$timer"; return 1
  fi
  # the JVM is timeout's only child (env and bin/cpm-router exec): exactly this router, not another checkout's
  pgrep -P "$timer" | head -1
}

# register_bob DIR TR: bob registers his UAS (5070, over TR) with the router
register_bob() {
  bob_binding "$1" "$2" "$BENCH_ROOT/routes/src/test/resources/sipp/register.xml" register "bob could not register over $2"
}

# unregister_bob DIR TR: removes the binding register_bob made over TR (Expires: 0 for the same contact). After the
# TCP step, bob's TCP binding would otherwise outlive his TCP UAS, and every later message would be forked to a
# second, dead device: the overload step after it measured twice the work per message and one refused connection
unregister_bob() {
  bob_binding "$1" "$2" "$BENCH_HERE/sipp/unregister.xml" unregister "bob's $2 binding could not be removed"
}

# bob_binding DIR TR SCENARIO NAME FAILURE: one REGISTER of bob's contact (5070, over TR) with SCENARIO, answered 200
bob_binding() {
  local dir=$1 tr=$2 scenario=$3 name=$4 failure=$5 contact=$P_UAS
  [ "$tr" = tcp ] && contact="$P_UAS;transport=tcp"
  timeout 20 sipp -sf "$scenario" -s bob 127.0.0.1:$P_SUT \
    -i 127.0.0.1 -p $P_REG -t "$(sipp_transport "$tr")" -key contact_port "$contact" -m 1 -nostdin \
    -timeout 15s -timeout_error >"$dir/${name}_$tr.out" 2>&1 || { blog "$failure"; return 1; }
}

# start_kam DIR MODE TR: the Kamailio baseline (kam-tm: stateful, kam-sl: stateless); prints the pids
start_kam() {
  local dir=$1 mode=$2 tr=$3 defs=()
  [ "$mode" = kam-tm ] && defs+=(-A WITH_TM)
  [ "$tr" = tcp ] && defs+=(-A UAS_TCP)
  mkdir -p "$dir"
  rm -f "$dir/kam.pid" # else the loop below reads the previous instance's pid and never stops the new one
  timeout "${BENCH_HARD_S:-900}" kamailio -f "$BENCH_SHARED/kamailio/kamailio-message.cfg" "${defs[@]}" -DD -E \
    -n 2 -N 2 -m 2048 -M 16 -b 4194304 -P "$dir/kam.pid" -Y "$dir" >"$dir/kam_${mode}_${tr}.out" 2>&1 &
  local timer=$! i main=""
  # the new pid: Kamailio (-DD, no fork) is its timeout's child; a pid file naming anything else is not this instance
  for i in $(seq 1 40); do
    main=$(cat "$dir/kam.pid" 2>/dev/null)
    [ -n "$main" ] && [ "$(ps -o ppid= -p "$main" 2>/dev/null | tr -d ' ')" = "$timer" ] && break
    main=""; kill -0 "$timer" 2>/dev/null || break; sleep 0.25
  done
  sleep 1
  [ -z "$main" ] && { blog "kamailio did not start"; tail "$dir"/kam_*.out >&2; stop_pids "$timer"; return 1; }
  echo "$main $(pgrep -P "$main" | tr '\n' ' ')"
}

# sample_rss PID FILE: in the background, keeps the largest VmRSS (kB) of PID seen each second in FILE
sample_rss() {
  local pid=$1 file=$2
  ( max=0
    while kill -0 "$pid" 2>/dev/null; do
      r=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null)
      [ -n "$r" ] && [ "$r" -gt "$max" ] && { max=$r; echo "$max" >"$file"; }
      sleep 1
    done ) >/dev/null 2>&1 &
  echo $!
}

# probe DIR NAME MODE TR RATE DUR SUT_PID...: one bounded SIPp load (alice -> bob through the system under test);
# its files go to DIR/NAME; prints the summary line (the columns of ../shared/bench/summarize.py) and appends it to
# bench/results/summary.tsv
probe() {
  local dir=$1 name=$2 mode=$3 tr=$4 rate=$5 dur=$6; shift 6
  local sut=("$@") d="$1" st count limit
  d="$dir/$name"; mkdir -p "$d"
  st=$(sipp_transport "$tr") || return 1
  count=$((rate * dur)); limit=$(( rate < 5000 ? 20000 : rate * 4 ))
  local k0 k1 t0 t1 a0 a1 u0 u1 e0 e1 rc rss=""
  local uas_pid=${BENCH_UAS_PID:-}
  [[ "$mode" == router* ]] && python3 "$BENCH_HERE/thread_cpu.py" snap "${sut[0]}" "$d/threads.json" 2>/dev/null
  [[ "$mode" == router* ]] && rss=$(sample_rss "${sut[0]}" "$d/rss_max_kb")
  k0=$(cpu_ticks "${sut[@]}"); u0=$(cpu_ticks $uas_pid); t0=$(date +%s.%N)
  a0=$(cat /sys/fs/cgroup/cpuacct/cpuacct.usage 2>/dev/null || echo 0)
  python3 "$BENCH_SHARED/othercpu.py" snap "$d/cpu_snap" 2>/dev/null
  e0=$(awk '/^Udp:/{n++; if(n==2) print $6}' /proc/net/snmp)
  python3 "$BENCH_HERE/socket_drops.py" "$d/socket_drops" $P_UAC $P_SUT & local watcher=$!
  ( cd "$d" && timeout $((dur + 90)) /usr/bin/time -f "%U %S %e" -o uac.time \
    sipp -sf "$BENCH_SHARED/sipp/uac_message.xml" -s bob 127.0.0.1:$P_SUT -i 127.0.0.1 -p $P_UAC -t "$st" -nostdin -nd \
      -r "$rate" -rp 1000 -m "$count" -l "$limit" -timeout $((dur + 40))s \
      -buff_size 4194304 -max_recv_loops 10000 -max_sched_loops 10000 \
      -recv_timeout 5000 -trace_stat -stf uac_stat.csv -fd 1 -trace_rtt -rtt_freq 1000 >uac.out 2>&1 )
  rc=$?
  kill -TERM $watcher 2>/dev/null; wait $watcher 2>/dev/null
  t1=$(date +%s.%N); k1=$(cpu_ticks "${sut[@]}"); u1=$(cpu_ticks $uas_pid)
  a1=$(cat /sys/fs/cgroup/cpuacct/cpuacct.usage 2>/dev/null || echo 0)
  e1=$(awk '/^Udp:/{n++; if(n==2) print $6}' /proc/net/snmp)
  local other; other=$(python3 "$BENCH_SHARED/othercpu.py" delta "$d/cpu_snap" 2>/dev/null || echo 0)
  echo $((e1 - e0)) >"$d/udp_drops"
  echo "$((u1 - u0)) ${other:-0} $(cut -d' ' -f1 /proc/loadavg) $(( (a1 - a0) / 1000000 ))" >"$d/cpu_extra"
  if [[ "$mode" == router* ]]; then
    python3 "$BENCH_HERE/thread_cpu.py" delta "${sut[0]}" "$d/threads.json" "$count" >"$d/threads.txt" 2>/dev/null
    jcmd "${sut[0]}" GC.heap_info >"$d/heap.txt" 2>/dev/null
    [ -n "$rss" ] && kill "$rss" 2>/dev/null
  fi
  mkdir -p "$BENCH_HERE/results"
  [ -s "$BENCH_HERE/results/summary.tsv" ] || printf 'run\tmode\ttr\trate\tdur\trc\tsucc\tfail\tretrans\tachieved_per_s\telapsed_s\tp50_ms\tp90_ms\tp99_ms\tp999_ms\tmax_ms\tsut_cpu_s\tsut_us_per_msg\tuac_cpu_s\trtt_samples\tudp_drops\tuas_cpu_s\tprocs_cpu_s\tother_cpu_s\tload1_end\tbox_cpu_s\tunattributed_cpu_s\n' >"$BENCH_HERE/results/summary.tsv"
  python3 "$BENCH_SHARED/summarize.py" "$d" "$mode" "$tr" "$rate" "$dur" "$rc" "$k0" "$k1" "$t0" "$t1" \
    | tee -a "$BENCH_HERE/results/summary.tsv" | tee "$d/summary.line"
}

# field LINE NAME: one column of a summary line
field() {
  local cols=(run mode tr rate dur rc succ fail retrans achieved_per_s elapsed_s p50_ms p90_ms p99_ms p999_ms max_ms
              sut_cpu_s sut_us_per_msg uac_cpu_s rtt_samples udp_drops uas_cpu_s procs_cpu_s other_cpu_s load1_end
              box_cpu_s unattributed_cpu_s) i
  for i in "${!cols[@]}"; do
    [ "${cols[$i]}" = "$2" ] && { echo "$1" | cut -f$((i + 1)); return; }
  done
}

# num VALUE: the whole part of a number, 0 for anything else (nan, empty)
num() { local v=${1%.*}; [[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0; }

# clean LINE: 0 failed transactions, (almost) the offered rate achieved, and retransmissions at most
# BENCH_MAX_RETRANS_PERMILLE (1) per thousand requests: past the knee a queue absorbs a short step without failures,
# but requests wait more than T1 (500 ms) and the clients retransmit
clean() {
  local fail rate ach retrans count
  fail=$(field "$1" fail); rate=$(field "$1" rate); ach=$(field "$1" achieved_per_s)
  retrans=$(num "$(field "$1" retrans)"); count=$(( rate * $(field "$1" dur) ))
  [ "$fail" = 0 ] && [ "$(num "$ach")" -ge $((rate * 95 / 100)) ] \
    && [ $((retrans * 1000)) -le $((count * ${BENCH_MAX_RETRANS_PERMILLE:-1})) ]
}

# warm_router DIR PID: warms the JIT at BENCH_WARM_RATE until the compiler threads use under 10 % of the router's
# CPU in a 10 s step, at least BENCH_WARM_MIN_S (transactions linger 32 s: their timers must have run too) and at
# most BENCH_WARM_MAX_S seconds
warm_router() {
  local dir=$1 pid=$2 tr=${3:-udp} rate=${BENCH_WARM_RATE:-2000} min=${BENCH_WARM_MIN_S:-40}
  # over TCP the lean UDP path's warm code is not used: the stack's connections, parser and transaction layer are
  # warmed on their own before the TCP step (20 s at least), as the UDP steps come after the UDP warm-up
  [ "$tr" = tcp ] && min=${BENCH_WARM_TCP_MIN_S:-20}
  mkdir -p "$dir/warmup"
  warm_until_jit_quiet "$pid" "$dir/warmup" "$min" "${BENCH_WARM_MAX_S:-90}" "at ${rate}/s over $tr" \
    warm_step "$dir/warmup" "$rate" "$tr"
  wait_idle "$pid"
}

# warm_step DIR RATE TR SPENT: 10 s of bob's MESSAGEs at RATE over TR (warm_router's step)
warm_step() {
  ( cd "$1" && timeout 70 sipp -sf "$BENCH_SHARED/sipp/uac_message.xml" -s bob 127.0.0.1:$P_SUT \
      -i 127.0.0.1 -p $P_UAC -t "$(sipp_transport "$3")" -nostdin -nd -r "$2" -m $(($2 * 10)) -timeout 50s \
      >"warm_$3_$4.out" 2>&1 )
}

# warm_until_jit_quiet PID DIR MIN_S MAX_S WHAT STEP...: runs the command STEP... (10 s of load; the seconds spent
# so far are appended to it) again and again, for at least MIN_S s and until the router's JIT compiler took under
# 10 % of its CPU in the last step, MAX_S s at most; one line per step (WHAT says what the load is)
warm_until_jit_quiet() {
  local pid=$1 dir=$2 min=$3 max=$4 what=$5 spent=0 share
  shift 5
  while [ $spent -lt "$max" ]; do
    python3 "$BENCH_HERE/thread_cpu.py" snap "$pid" "$dir/warm_threads.json"
    "$@" "$spent"
    spent=$((spent + 10))
    share=$(python3 "$BENCH_HERE/thread_cpu.py" delta "$pid" "$dir/warm_threads.json" \
      | awk '/^C# CompilerThre/{print int($3)}')
    blog "  warm-up ${spent} s ${what}: JIT compiler ${share:-0} % of the router's CPU"
    [ $spent -ge "$min" ] && [ "${share:-0}" -lt 10 ] && break
  done
}

# pingpong TR: one request in flight, microseconds (../shared/bench/latency_pingpong.py); prints its line
pingpong() {
  local n=${BENCH_PINGPONG_N:-3000} extra=()
  [ "$1" = tcp ] && extra+=(--tcp)
  timeout 120 python3 "$BENCH_SHARED/latency_pingpong.py" --target 127.0.0.1:$P_SUT -n "$n" "${extra[@]}" 2>&1 | tail -1
}
