#!/bin/bash
# bench/latency.sh MODE [N]   MODE: router | kam-tm | kam-sl
# Closed-loop latency, one request in flight, with ../shared/bench/latency_pingpong.py (microsecond resolution):
# probe -> system under test on 5060 -> SIPp UAS bob on 5070. Loopback only; bounded by N and timeouts.
set -u
MODE=$1; N=${2:-3000}
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
D=$HERE/results/$(date +%H%M%S)_latency_$MODE; mkdir -p "$D"; cd "$D"
timeout 300 sipp -sf "$SHARED/sipp/uas_message.xml" -i 127.0.0.1 -p 5070 -t u1 -nostdin >uas.out 2>&1 &
UAS=$!
if [ "$MODE" = router ]; then
  CPM_AUTH_ENABLED=false CPM_LIMITS_SENDER_RATE=0 CPM_FLOOD_MAX_REQUESTS=0 timeout 300 env JAVA_OPTS="${ROUTER_JAVA_OPTS:--Xms1g -Xmx1g}" "$ROOT/bin/cpm-router" --sip-port 5060 \
     --data-dir "$D/data" >router.log 2>&1 &
  for _ in $(seq 1 120); do grep -q "CPM Router ready" router.log && break; sleep 0.5; done
  SUT=$(pgrep -f "cpm.home=$ROOT .*CpmRouterApplication" | head -1)
  timeout 20 sipp -sf "$ROOT/routes/src/test/resources/sipp/register.xml" -s bob 127.0.0.1:5060 -i 127.0.0.1 \
     -p 5062 -key contact_port 5070 -m 1 -nostdin -timeout 15s -timeout_error >register.out 2>&1
  # JIT warm-up with SIPp: latency_pingpong.py numbers its branches from 0 on every run, and a second run's
  # branches would meet the first run's transactions, still kept by the stack for Timer J (32 s)
  timeout 60 sipp -sf "$SHARED/sipp/uac_message.xml" -s bob 127.0.0.1:5060 -i 127.0.0.1 -p 5061 -t u1 -nostdin \
     -r 1000 -m 5000 -timeout 40s >warmup.out 2>&1
else
  DEFS=(); [ "$MODE" = kam-tm ] && DEFS+=(-A WITH_TM)
  timeout 300 kamailio -f "$SHARED/kamailio/kamailio-message.cfg" "${DEFS[@]}" -DD -E -n 2 -N 2 -m 512 -M 16 \
     -P "$D/kam.pid" -Y "$D" >kam.out 2>&1 &
  sleep 1.5; SUT=$(cat "$D/kam.pid")
fi
python3 "$SHARED/latency_pingpong.py" --target 127.0.0.1:5060 -n "$N" | tee latency.out
kill "$SUT" $UAS 2>/dev/null; wait 2>/dev/null
