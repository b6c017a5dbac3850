#!/bin/bash
# bench/fanout.sh [RATE] [DURATION_S] [MEMBERS]
# Group fan-out through the whole router: SIPp alice sends RATE messages/s for DURATION_S to a Pre-defined Group
# of alice + MEMBERS members (default 100), each member registered by SIPp with a contact on one SIPp UAS that
# answers every copy with 200. Warms the router with group messages first (below), then prints member deliveries
# per second (from the router's fanout summary lines) and the failures. Then, against the same router, the same
# members as one list through the URI-list service (RFC 5365) at LIST_RATE list messages/s (default RATE; 0 skips
# it): copies delivered per second. Then a user-to-user run (alice -> m001) at USER_RATE (default 2000/s) for the
# same duration, so the two figures come from the same run (USER_RATE=0 skips it). FANOUT_OUT=DIR puts the run's
# files there instead of a new folder of bench/results. Loopback only; bounded.
set -u
RATE=${1:-20}; DUR=${2:-20}; N=${3:-100}; USER_RATE=${USER_RATE:-2000}; LIST_RATE=${LIST_RATE:-$RATE}
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
source "$HERE/lib.sh"   # warm_until_jit_quiet, blog
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
D=${FANOUT_OUT:-$HERE/results/$(date +%H%M%S)_fanout_${N}_${RATE}}; mkdir -p "$D/config/demo/groups"; cd "$D"
cp "$ROOT/config/application.properties" "$ROOT/config/infinispan.xml" "$ROOT/config/logback.xml" config/
{ cat "$ROOT/config/demo/subscribers.csv"; for i in $(seq -f "%03g" 1 "$N"); do echo "sip:m$i@cpm.example.com, , true, false"; done; } > config/demo/subscribers.csv
: > users.csv; echo "SEQUENTIAL" > users.csv
for i in $(seq -f "%03g" 1 "$N"); do echo "m$i" >> users.csv; done
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo '<group xmlns="urn:oma:xml:poc:list-service" xmlns:cp="urn:ietf:params:xml:ns:common-policy">'
  echo "  <list-service uri=\"sip:family100@cpm.example.com\"><display-name>Bench $N</display-name><list>"
  echo '    <entry uri="sip:alice@cpm.example.com"/>'
  for i in $(seq -f "%03g" 1 "$N"); do echo "    <entry uri=\"sip:m$i@cpm.example.com\"/>"; done
  echo '  </list>'
  echo '  <cp:ruleset><cp:rule id="members"><cp:conditions><is-list-member/></cp:conditions>'
  echo '    <cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions></cp:rule></cp:ruleset>'
  echo '  </list-service></group>'
} > config/demo/groups/family100.xml

HARD=$((DUR*2+120+${FANOUT_WARM_MAX_S:-90}*2))
timeout $HARD sipp -sf "$SHARED/sipp/uas_message.xml" -i 127.0.0.1 -p 5070 -t u1 -nostdin \
   -buff_size 4194304 -max_recv_loops 10000 -max_sched_loops 10000 >uas.out 2>&1 &
UAS=$!
# digest authentication, where the router has it, is off: SIPp sends no credentials (unknown keys are ignored)
CPM_AUTH_ENABLED=false CPM_LIMITS_SENDER_RATE=0 CPM_FLOOD_MAX_REQUESTS=0 timeout $HARD env JAVA_OPTS="${ROUTER_JAVA_OPTS:--Xms1g -Xmx1g}" "$ROOT/bin/cpm-router" \
   --sip-port 5060 --config "$D/config" --data-dir "$D/data" >router.log 2>&1 &
for _ in $(seq 1 120); do grep -q "CPM Router ready" router.log && break; sleep 0.5; done
grep -q "CPM Router ready" router.log || { echo "router did not start"; tail router.log; kill $UAS; exit 1; }
RPID=$(pgrep -f "cpm.home=$ROOT .*CpmRouterApplication" | head -1)
timeout 60 sipp -sf "$HERE/sipp/register_many.xml" -inf users.csv 127.0.0.1:5060 -i 127.0.0.1 -p 5062 \
   -key contact_port 5070 -m "$N" -r 100 -nostdin -timeout 50s -timeout_error >register.out 2>&1 \
   || { echo "members could not register"; tail -5 register.out; kill $RPID $UAS; exit 1; }
# warm-up, not measured, as the router step's (lib.sh's warm_router): group messages at half the rate in 10 s
# steps, each until its copies are all out, for at least FANOUT_WARM_MIN_S (40) s and until the JIT compiler takes
# under 10 % of the router's CPU, FANOUT_WARM_MAX_S (90) s at most. Under group messages at the full rate a fresh
# router's C2 compiler took a whole core 40 s after the start (per-thread CPU from /proc; 2,699 C2 compilations in
# the first 70 s with HotSpot's compilation log on), and with 10 s of warm-up the step measured the fan-out
# against a JIT still at work, which the router step's clean rate, measured warm, is not
WARM_RATE=$(( (RATE + 1) / 2 ))
group_warm_step() {   # SPENT: 10 s of group messages, then until their copies are all out (bounded)
  timeout 90 sipp -sf "$HERE/sipp/uac_group_message.xml" -s family100 127.0.0.1:5060 -i 127.0.0.1 -p 5061 \
     -nostdin -nd -r "$WARM_RATE" -m $((WARM_RATE * 10)) -timeout 60s >"warmup_$1.out" 2>&1
  for _ in $(seq 1 120); do
    [ "$(grep -c "fanout .* members=$N delivered=" router.log)" -ge $((WARM_RATE * ($1 + 10))) ] && break; sleep 0.5
  done
}
warm_until_jit_quiet "$RPID" . "${FANOUT_WARM_MIN_S:-40}" "${FANOUT_WARM_MAX_S:-90}" \
  "at $WARM_RATE group messages/s" group_warm_step 2>&1 | tee warmup.log >&2
sleep 1
MARK=$(wc -l < router.log)
timeout $HARD sipp -sf "$HERE/sipp/uac_group_message.xml" -s family100 127.0.0.1:5060 -i 127.0.0.1 -p 5061 \
   -nostdin -nd -r "$RATE" -m $((RATE*DUR)) -timeout $((DUR+40))s -trace_stat -stf group_uac.csv >group_uac.out 2>&1
GROUP_RC=$?
# wait (bounded) until every accepted message's fan-out has finished
for _ in $(seq 1 120); do
  done_runs=$(tail -n +$((MARK+1)) router.log | grep -c "fanout .* members=$N delivered=")
  [ "$done_runs" -ge $((RATE*DUR)) ] && break; sleep 0.5
done
tail -n +$((MARK+1)) router.log > measured.log
python3 "$HERE/fanout_summary.py" group measured.log "$N" "$RATE" "$DUR" "$GROUP_RC" | tee fanout_summary.txt
kill $UAS 2>/dev/null; wait $UAS 2>/dev/null
# URI-list fan-out on the same router, same run: alice sends LIST_RATE messages/s for DURATION_S to a list of the
# same MEMBERS through the URI-list service (RFC 5365; one request of about 5 kB for 100 entries, so over TCP)
if [ "$LIST_RATE" != 0 ]; then
  ENTRIES=$(for i in $(seq -f "%03g" 1 "$N"); do printf '<entry uri="sip:m%s@cpm.example.com"/>' "$i"; done)
  timeout $HARD sipp -sf "$SHARED/sipp/uas_message.xml" -i 127.0.0.1 -p 5070 -t u1 -nostdin \
     -buff_size 4194304 -max_recv_loops 10000 -max_sched_loops 10000 >uas_list.out 2>&1 &
  UAS=$!
  LIST="timeout $HARD sipp -sf $HERE/sipp/uac_list_message.xml -s exploder 127.0.0.1:5060 -i 127.0.0.1 -p 5063 -t t1"
  $LIST -key entries "$ENTRIES" -nostdin -nd -r $(( (LIST_RATE + 1) / 2 )) -m $(( (LIST_RATE + 1) / 2 * 10 )) \
     -timeout 60s >list_warmup.out 2>&1
  for _ in $(seq 1 60); do
    [ "$(grep -c "fanout .* list=.* recipients=$N delivered=" router.log)" -ge $(( (LIST_RATE + 1) / 2 * 10 )) ] && break
    sleep 0.5
  done
  sleep 1
  MARK=$(wc -l < router.log)
  $LIST -key entries "$ENTRIES" -nostdin -nd -r "$LIST_RATE" -m $((LIST_RATE*DUR)) -timeout $((DUR+40))s \
     -trace_stat -stf list_uac.csv >list_uac.out 2>&1
  LIST_RC=$?
  for _ in $(seq 1 120); do
    done_runs=$(tail -n +$((MARK+1)) router.log | grep -c "fanout .* list=.* recipients=$N delivered=")
    [ "$done_runs" -ge $((LIST_RATE*DUR)) ] && break; sleep 0.5
  done
  tail -n +$((MARK+1)) router.log > measured_list.log
  python3 "$HERE/fanout_summary.py" list measured_list.log "$N" "$LIST_RATE" "$DUR" "$LIST_RC" | tee -a fanout_summary.txt
  kill $UAS 2>/dev/null; wait $UAS 2>/dev/null
fi
if [ "$USER_RATE" = 0 ]; then kill $RPID 2>/dev/null; wait 2>/dev/null; exit 0; fi
# user-to-user on the same router, same run: alice -> m001 (registered above on a fresh UAS)
timeout $HARD sipp -sf "$SHARED/sipp/uas_message.xml" -i 127.0.0.1 -p 5070 -t u1 -nostdin \
   -buff_size 4194304 -max_recv_loops 10000 -max_sched_loops 10000 >uas2.out 2>&1 &
UAS=$!
timeout $HARD sipp -sf "$SHARED/sipp/uac_message.xml" -s m001 127.0.0.1:5060 -i 127.0.0.1 -p 5061 -t u1 -nostdin \
   -r "$USER_RATE" -rp 1000 -m $((USER_RATE*DUR)) -timeout $((DUR+40))s -buff_size 4194304 \
   -trace_stat -stf user_uac.csv >user_uac.out 2>&1
USER_RC=$?
python3 - "$USER_RATE" "$DUR" "$USER_RC" <<'PY' | tee -a fanout_summary.txt
import csv, sys
rate, dur, rc = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rows = list(csv.reader(open('user_uac.csv'), delimiter=';'))
r = dict(zip(rows[0], rows[-1]))
print(f"user-to-user alice->m001: offered {rate}/s for {dur} s: successful={r['SuccessfulCall(C)']} "
      f"failed={r['FailedCall(C)']} retransmissions={r['Retransmissions(C)']} sipp_rc={rc}")
PY
kill $RPID $UAS 2>/dev/null; wait 2>/dev/null
