#!/bin/bash
# bench/run.sh MODE TRANSPORT RATE DURATION_S [TAG]
#   MODE      : router | kam-sl | kam-tm   (router = this repository's bin/cpm-router, every role in one process;
#                                          kam-* = the Kamailio baseline of ../shared/bench, stateless or tm)
#   TRANSPORT : udp | tcp
#   RATE      : offered MESSAGE/s; DURATION_S: seconds of load (count = RATE*DURATION)
# Path for router: SIPp alice (5061) -> router 5060 (core, originating PF, rules, terminating PF, registrar
# lookup) -> SIPp UAS bob (5070), which registered itself with the router first. Loopback only; every process is
# bounded by counts and `timeout`. Appends one line to bench/results/summary.tsv (columns of shared summarize.py).
set -u
MODE=$1; TR=$2; RATE=$3; DUR=$4; TAG=${5:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
COUNT=$((RATE*DUR))
RUN=$(date +%H%M%S)_${MODE}_${TR}_${RATE}${TAG:+_$TAG}
D=$HERE/results/$RUN; mkdir -p "$D"; cd "$D"
case $TR in udp) ST=u1;; tcp) ST=t1;; *) echo "bad transport $TR"; exit 2;; esac
LIMIT=$(( RATE < 5000 ? 20000 : RATE*4 ))
HARD=$((DUR+90))

cpu_of() { local t=0 p; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }

timeout $HARD sipp -sf "$SHARED/sipp/uas_message.xml" -i 127.0.0.1 -p 5070 -t $ST -nostdin \
   -buff_size 4194304 -max_recv_loops 10000 -max_sched_loops 10000 -trace_stat -stf uas_stat.csv -fd 1 >uas.out 2>&1 &
UAS=$!
SUT=()
if [ "$MODE" = router ]; then
  # digest authentication, where the router has it, is off: SIPp sends no credentials (unknown keys are ignored)
  CPM_AUTH_ENABLED=false CPM_LIMITS_SENDER_RATE=0 CPM_FLOOD_MAX_REQUESTS=0 timeout $HARD env JAVA_OPTS="${ROUTER_JAVA_OPTS:--Xms1g -Xmx1g}" "$ROOT/bin/cpm-router" --sip-port 5060 \
     --data-dir "$D/data" >router.log 2>&1 &
  for _ in $(seq 1 120); do grep -q "CPM Router ready" router.log && break; sleep 0.5; done
  grep -q "CPM Router ready" router.log || { echo "router did not start"; cat router.log; kill $UAS; exit 1; }
  RPID=$(pgrep -f "cpm.home=$ROOT .*CpmRouterApplication" | head -1)
  SUT=($RPID)
  CONTACT_TRANSPORT=$([ "$TR" = tcp ] && echo ";transport=tcp" || echo "")
  timeout 20 sipp -sf "$ROOT/routes/src/test/resources/sipp/register.xml" -s bob 127.0.0.1:5060 -i 127.0.0.1 -p 5062 \
     -t $ST -key contact_port "5070$CONTACT_TRANSPORT" -m 1 -nostdin -timeout 15s -timeout_error >register.out 2>&1 \
     || { echo "bob could not register"; kill $RPID $UAS; exit 1; }
  # JIT warm-up: a short run at a moderate rate that is not measured
  WARM=$(( RATE < 2000 ? RATE : 2000 ))
  timeout 60 sipp -sf "$SHARED/sipp/uac_message.xml" -s bob 127.0.0.1:5060 -i 127.0.0.1 -p 5061 -t $ST -nostdin \
     -r $WARM -m $((WARM*8)) -timeout 40s >warmup.out 2>&1
  sleep 4.5   # let the UAS's calls of the warm-up end (it holds each 4 s)
else
  DEFS=(); [ "$MODE" = kam-tm ] && DEFS+=(-A WITH_TM); [ "$TR" = tcp ] && DEFS+=(-A UAS_TCP)
  timeout $HARD kamailio -f "$SHARED/kamailio/kamailio-message.cfg" "${DEFS[@]}" -DD -E -n 2 -N 2 \
     -m 2048 -M 16 -b 4194304 -P "$D/kam.pid" -Y "$D" >kam.out 2>&1 &
  sleep 1.5
  KMAIN=$(cat "$D/kam.pid" 2>/dev/null)
  SUT=($KMAIN $(pgrep -P "$KMAIN"))
fi
sleep 0.5
K0=$(cpu_of "${SUT[@]}")
T0=$(date +%s.%N)
python3 "$SHARED/othercpu.py" snap "$D/cpu_snap" 2>/dev/null
A0=$(cat /sys/fs/cgroup/cpuacct/cpuacct.usage 2>/dev/null || echo 0)
U0=$(cpu_of $UAS)
UDPE0=$(awk '/^Udp:/{n++; if(n==2) print $6}' /proc/net/snmp)
timeout $HARD /usr/bin/time -f "%U %S %e" -o uac.time \
  sipp -sf "$SHARED/sipp/uac_message.xml" -s bob 127.0.0.1:5060 -i 127.0.0.1 -p 5061 -t $ST -nostdin \
   -r $RATE -rp 1000 -m $COUNT -l $LIMIT -timeout $((DUR+40))s \
   -buff_size 4194304 -max_recv_loops 10000 -max_sched_loops 10000 \
   -recv_timeout 5000 -trace_stat -stf uac_stat.csv -fd 1 -trace_rtt -rtt_freq 1000 >uac.out 2>&1
RC=$?
T1=$(date +%s.%N)
U1=$(cpu_of $UAS)
A1=$(cat /sys/fs/cgroup/cpuacct/cpuacct.usage 2>/dev/null || echo 0)
B1=$(python3 "$SHARED/othercpu.py" delta "$D/cpu_snap" 2>/dev/null || echo 0)
UDPE1=$(awk '/^Udp:/{n++; if(n==2) print $6}' /proc/net/snmp)
echo $((UDPE1-UDPE0)) > udp_drops
echo "$((U1-U0)) ${B1:-0} $(cut -d' ' -f1 /proc/loadavg) $(( (A1-A0)/1000000 ))" > cpu_extra
K1=$(cpu_of "${SUT[@]}")
if [ "$MODE" = router ]; then
  grep -E "^(VmRSS|VmHWM)" /proc/${SUT[0]}/status > router_mem.txt 2>/dev/null
fi
sleep 0.5
kill $UAS "${SUT[0]}" 2>/dev/null
wait 2>/dev/null
mkdir -p "$HERE/results"
[ -s "$HERE/results/summary.tsv" ] || printf 'run\tmode\ttr\trate\tdur\trc\tsucc\tfail\tretrans\tachieved_per_s\telapsed_s\tp50_ms\tp90_ms\tp99_ms\tp999_ms\tmax_ms\tsut_cpu_s\tsut_us_per_msg\tuac_cpu_s\trtt_samples\tudp_drops\tuas_cpu_s\tprocs_cpu_s\tother_cpu_s\tload1_end\tbox_cpu_s\tunattributed_cpu_s\n' > "$HERE/results/summary.tsv"
python3 "$SHARED/summarize.py" "$D" "$MODE" "$TR" "$RATE" "$DUR" "$RC" "$K0" "$K1" "$T0" "$T1" | tee -a "$HERE/results/summary.tsv"
