#!/bin/bash
# bench/ab.sh: CPU per MESSAGE of routers of different builds or settings, each in its own process, measured in
# turns (A, B, A, B...) in the same minutes, so that what else runs on the machine weighs on both alike.
#   bench/ab.sh start NAME OFFSET HOME [VAR=VALUE...]  a router from HOME (bin, config, lib, rules: an unpacked
#        archive or a copy of a build) on the bench ports moved by OFFSET, with bob's SIPp UAS registered, warmed as
#        compare.sh warms (ROUTER_JAVA_OPTS as there); settings as environment words, as lib.sh's start_router
#   bench/ab.sh measure NAME RATE DURATION_S  bob registers again (his binding lapses after 600 s, and a message to
#        nobody is held and answered 202, which SIPp counts as a success), then one SIPp load; one line to
#        results/ab.tsv: the router's CPU per MESSAGE (all threads, /proc) and its SIP threads' (thread_cpu.py)
#   bench/ab.sh turns RATE DURATION_S ROUNDS NAME...  ROUNDS rounds of measure, one per router in the order given,
#        then each router's median CPU per MESSAGE over the rounds (process, SIP threads): single rounds on a shared
#        machine vary by a third, a median of several in turns does not
#   bench/ab.sh probe NAME RATE DURATION_S  compare.sh's own load step (lib.sh's probe: its SIPp options, -recv_timeout
#        and summary line) against the router: achieved rate, failed, retransmissions, CPU per MESSAGE, p99; for the
#        clean-rate rule and the overload step, where measure's CPU figure is not the question
#   bench/ab.sh probe-tcp NAME RATE DURATION_S  the same over TCP, one connection: starts bob's SIPp UAS over TCP the
#        first time and moves his binding to it (his UDP binding removed, so nothing is forked to a second device);
#        the lines show achieved and failed (SIPp's 5 s timeouts and the router's 503s), p50 and p99. After it, a UDP
#        measure or probe registers bob over UDP again beside the TCP binding: stop and start the router between them
#   bench/ab.sh stop NAME
# Everything runs on 127.0.0.1, every process is bounded by timeout and stopped by its pid.
set -u
source "$(dirname "$0")/lib.sh"
cmd=${1:?start, measure, probe, probe-tcp, turns or stop}; name=${2:?a name}; dir=$BENCH_HERE/results/ab/$name
ports() {
  BENCH_OFF=$1; P_SUT=$((5060 + $1)); P_UAC=$((5061 + $1)); P_REG=$((5062 + $1)); P_UAS=$((5070 + $1))
  P_ADMIN=$((8081 + $1))
}
case $cmd in
start)
  offset=$3; home=$(cd "$4" && pwd); shift 4
  ports "$offset"; mkdir -p "$dir"; rm -rf "$dir/data"; echo "$offset" >"$dir/offset"
  export BENCH_HARD_S=${BENCH_HARD_S:-7200}
  start_uas "$dir" udp >"$dir/uas.pid"
  ROUTER_HOME=$home start_router "$dir" "$@" >"$dir/router.pid" || exit 1
  register_bob "$dir" udp || exit 1
  warm_router "$dir" "$(cat "$dir/router.pid")"
  blog "$name ready: pid $(cat "$dir/router.pid"), SIP port $P_SUT";;
measure)
  rate=$3; dur=$4; ports "$(cat "$dir/offset")"; pid=$(cat "$dir/router.pid"); count=$((rate * dur))
  register_bob "$dir" udp || exit 1
  sleep 2
  python3 "$BENCH_HERE/thread_cpu.py" snap "$pid" "$dir/threads.json"
  k0=$(cpu_ticks "$pid"); load=$(cut -d' ' -f1 /proc/loadavg)
  ( cd "$dir" && timeout $((dur + 60)) sipp -sf "$BENCH_SHARED/sipp/uac_message.xml" -s bob 127.0.0.1:$P_SUT \
      -i 127.0.0.1 -p $P_UAC -t u1 -nostdin -nd -r "$rate" -rp 1000 -m "$count" -timeout $((dur + 40))s \
      -buff_size 4194304 -trace_stat -stf stat.csv >uac.out 2>&1 )
  sleep 1
  k1=$(cpu_ticks "$pid")
  python3 "$BENCH_HERE/thread_cpu.py" delta "$pid" "$dir/threads.json" "$count" >"$dir/threads.txt" 2>/dev/null
  # the stack's threads are named cpm-<host>-<port>-..., the lean UDP path's sip-udp-<port>-N (handlers) and
  # sip-udp-<port>-reader (thread_cpu.py's kind sip-udp-#-re): both count, its timer thread does not
  sip=$(awk '/^sip-udp |^sip-udp-#-re / || (/^cpm-/ && !stack++) {sum += $5} END {printf "%.1f", sum}' \
    "$dir/threads.txt")
  calls=$(tail -1 "$dir/stat.csv" | awk -F';' '{print $16 " ok, " $18 " failed"}')
  printf '%s\t%s\t%s/s\t%s s\t%s us/msg\tSIP threads %s us/msg\t%s\tload %s\n' "$(date +%H:%M:%S)" "$name" \
    "$rate" "$dur" $(( (k1 - k0) * 1000000 / BENCH_TICK / count )) "$sip" "$calls" "$load" \
    | tee -a "$BENCH_HERE/results/ab.tsv";;
probe)
  rate=$3; dur=$4; ports "$(cat "$dir/offset")"; pid=$(cat "$dir/router.pid")
  register_bob "$dir" udp >/dev/null || exit 1
  sleep 1; wait_idle "$pid" >/dev/null
  line=$(probe "$dir" "probe_$rate" "$name" udp "$rate" "$dur" "$pid")
  printf '%s\t%s\t%s/s\t%s s\tachieved %s/s\t%s failed\t%s retransmissions\t%s us/msg\tp99 %s ms\tload %s\n' \
    "$(date +%H:%M:%S)" "$name" "$rate" "$dur" "$(field "$line" achieved_per_s)" "$(field "$line" fail)" \
    "$(field "$line" retrans)" "$(field "$line" sut_us_per_msg)" "$(field "$line" p99_ms)" \
    "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$BENCH_HERE/results/ab.tsv";;
probe-tcp)
  rate=$3; dur=$4; ports "$(cat "$dir/offset")"; pid=$(cat "$dir/router.pid")
  if ! { [ -s "$dir/uas_tcp.pid" ] && kill -0 "$(cat "$dir/uas_tcp.pid")" 2>/dev/null; }; then
    start_uas "$dir" tcp >"$dir/uas_tcp.pid"; sleep 1
  fi
  unregister_bob "$dir" udp >/dev/null 2>&1
  register_bob "$dir" tcp >/dev/null || exit 1
  sleep 1; wait_idle "$pid" >/dev/null
  export BENCH_UAS_PID; BENCH_UAS_PID=$(cat "$dir/uas_tcp.pid")
  line=$(probe "$dir" "probe_tcp_$rate" "$name" tcp "$rate" "$dur" "$pid")
  printf '%s\t%s\ttcp %s/s\t%s s\tachieved %s/s\t%s failed of %s\tp50 %s ms\tp99 %s ms\t%s us/msg\tload %s\n' \
    "$(date +%H:%M:%S)" "$name" "$rate" "$dur" "$(field "$line" achieved_per_s)" "$(field "$line" fail)" \
    "$((rate * dur))" "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" "$(field "$line" sut_us_per_msg)" \
    "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$BENCH_HERE/results/ab.tsv";;
turns)
  rate=$2; dur=${3:?a duration}; rounds=${4:?a number of rounds}; shift 4
  [ $# -ge 1 ] || { echo "bench/ab.sh turns: name the routers to measure" >&2; exit 2; }
  lines=$(mktemp)
  for _ in $(seq 1 "$rounds"); do
    for n in "$@"; do "$0" measure "$n" "$rate" "$dur" | tail -1 >>"$lines"; done
  done
  python3 - "$lines" "$@" <<'PY'
import statistics, sys
rows = [line.rstrip('\n').split('\t') for line in open(sys.argv[1]) if line.count('\t') >= 5]
for name in sys.argv[2:]:
    mine = [r for r in rows if r[1] == name]
    cpu = [int(r[4].split()[0]) for r in mine]
    sip = [float(r[5].split()[2]) for r in mine if r[5].split()[2] not in ('', 'us/msg')]
    if not cpu:
        print('%s: no round measured' % name)
        continue
    print('%s: %d rounds, CPU per MESSAGE median %d us (%d-%d), SIP threads median %s us' % (
        name, len(cpu), statistics.median(cpu), min(cpu), max(cpu),
        '%.1f' % statistics.median(sip) if sip else '?'))
PY
  rm -f "$lines";;
stop)
  stop_pids "$(cat "$dir/router.pid")" "$(cat "$dir/uas.pid")" $(cat "$dir/uas_tcp.pid" 2>/dev/null)
  rm -f "$dir/uas_tcp.pid";;
*)
  echo "usage: bench/ab.sh start NAME OFFSET HOME [VAR=VALUE...] | measure NAME RATE DURATION_S" \
    "| probe NAME RATE DURATION_S | probe-tcp NAME RATE DURATION_S | turns RATE DURATION_S ROUNDS NAME..." \
    "| stop NAME" >&2
  exit 2;;
esac
