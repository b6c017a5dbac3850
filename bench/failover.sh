#!/bin/bash
# bench/failover.sh [RATE] [DURATION_S] [KILL_AT_S]
# A router killed under load behind Kamailio's dispatcher: two routers clustered on one store
# (config/infinispan-cluster.xml, a cluster name of this run's own), Kamailio with config/examples/kamailio-dispatcher.cfg
# in front, bob registered through it at a SIPp UAS. SIPp alice sends RATE messages/s to bob through Kamailio for
# DURATION_S (default 20), after 10 s at half the rate to warm both routers up; KILL_AT_S (default 6) seconds into
# the measured run, router A gets kill -9. Prints the messages that failed
# at the sender (count, and the seconds from the kill to the last failure), those answered late (over 1 s) and the
# slowest answer. Digest authentication is off (SIPp sends no credentials). Ports (UDP/TCP on 127.0.0.1): Kamailio
# 15060, SIPp alice 15061 and registrar client 15062, routers 15070 and 15080 (admin 18081, 18082), SIPp bob 15090,
# JGroups from 17800; other ports with FAILOVER_PORT_BASE=N (N+60 ...). FAILOVER_TIMEOUT (ms, default 4000) is
# Kamailio's wait before failing a request over; the routers wait ROUTER_TIMEOUT (3000) for bob.
# FANOUT_MEMBERS=N (default 0: none) adds a group of alice + N members (m001...), registered through Kamailio at the
# same SIPp UAS, and a second SIPp alice (port 15063) sending GROUP_RATE (default 2) group messages/s for the whole
# run: then it also prints when router-b took over router-a's fan-outs and how many members got a copy twice.
# FANOUT_IN_FLIGHT (default 32, the router's default) is cpm.controlling.fanout-in-flight: fewer makes each fan-out
# last longer, so that the kill finds some under way.
# FAILOVER_OUT=DIR puts the run's files there instead of a new folder of bench/results. Loopback only; bounded.
set -u
RATE=${1:-100}; DUR=${2:-20}; KILL_AT=${3:-6}
MEMBERS=${FANOUT_MEMBERS:-0}; GROUP_RATE=${GROUP_RATE:-2}
FAILOVER_TIMEOUT=${FAILOVER_TIMEOUT:-4000}; ROUTER_TIMEOUT=${ROUTER_TIMEOUT:-3000}
BASE=${FAILOVER_PORT_BASE:-15000}
KPORT=$((BASE+60)); UAC=$((BASE+61)); REG=$((BASE+62)); GUAC=$((BASE+63)); APORT=$((BASE+70)); BPORT=$((BASE+80)); UAS=$((BASE+90))
CLUSTER_PORT=$((BASE+2800)); ADMIN_A=$((BASE+3081)); ADMIN_B=$((BASE+3082))
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
D=${FAILOVER_OUT:-$HERE/results/$(date +%H%M%S)_failover_${RATE}}; mkdir -p "$D/config"; cd "$D"
cp "$ROOT/config/application.properties" "$ROOT/config/infinispan-cluster.xml" "$ROOT/config/logback.xml" config/
cp -r "$ROOT/config/demo" config/
printf '1 sip:127.0.0.1:%s 0 0\n1 sip:127.0.0.1:%s 0 0\n' "$APORT" "$BPORT" > dispatcher.list
echo "SEQUENTIAL" > users.csv; echo "bob" >> users.csv
UAS_TRACE=()
if [ "$MEMBERS" -gt 0 ]; then
  for i in $(seq -f "%03g" 1 "$MEMBERS"); do
    echo "sip:m$i@cpm.example.com, , true, false" >> config/demo/subscribers.csv; echo "m$i" >> users.csv
  done
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<group xmlns="urn:oma:xml:poc:list-service" xmlns:cp="urn:ietf:params:xml:ns:common-policy">'
    echo "  <list-service uri=\"sip:crowd@cpm.example.com\"><display-name>Crowd</display-name><list>"
    echo '    <entry uri="sip:alice@cpm.example.com"/>'
    for i in $(seq -f "%03g" 1 "$MEMBERS"); do echo "    <entry uri=\"sip:m$i@cpm.example.com\"/>"; done
    echo '  </list>'
    echo '  <cp:ruleset><cp:rule id="members"><cp:conditions><is-list-member/></cp:conditions>'
    echo '    <cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions></cp:rule></cp:ruleset>'
    echo '  </list-service></group>'
  } > config/demo/groups/crowd.xml
  UAS_TRACE=(-trace_msg -message_file uas_messages.log)
fi
HARD=$((DUR+180))
PIDS=()
# TERM first: timeout passes it on to its child (SIPp, Kamailio), which a KILL of timeout itself would leave running
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  sleep 2
  [ -s "$D/kamailio.pid" ] && kill -9 "$(cat "$D/kamailio.pid")" 2>/dev/null
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
}
trap cleanup EXIT

router() { # NAME SIP_PORT ADMIN_PORT
  CPM_INFINISPAN_CONFIG=infinispan-cluster.xml CPM_CLUSTER_NODE_NAME=$1 CPM_AUTH_ENABLED=false \
  CPM_SIP_TRANSACTION_TIMEOUT_MS=$ROUTER_TIMEOUT CPM_SMSC_ENABLED=false CPM_LIMITS_SENDER_RATE=0 CPM_FLOOD_MAX_REQUESTS=0 \
  CPM_CONTROLLING_FANOUT_IN_FLIGHT=${FANOUT_IN_FLIGHT:-32} CPM_ADMIN_PORT=$3 CPM_RULES_WATCH=false \
  JAVA_OPTS="-Xms512m -Xmx512m -Dcpm.cluster.name=bench-failover-$$ -Dcpm.cluster.port=$CLUSTER_PORT -Dcpm.cluster.join-timeout=500ms" \
    "$ROOT/bin/cpm-router" --sip-port "$2" --config "$D/config" --data-dir "$D/data-$1" > "$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 240); do grep -q "CPM Router ready" "$1.log" && return 0; sleep 0.5; done
  echo "router $1 did not start"; tail "$1.log"; exit 1
}
router router-a "$APORT" "$ADMIN_A"; APID=${PIDS[-1]}
router router-b "$BPORT" "$ADMIN_B"
grep -q "members \[router-a, router-b\]" router-b.log || { echo "router-b did not join router-a"; exit 1; }

timeout $HARD /usr/sbin/kamailio -f "$ROOT/config/examples/kamailio-dispatcher.cfg" -DD -E -l "udp:127.0.0.1:$KPORT" \
  -A "DISPATCHER_LIST=\"$D/dispatcher.list\"" -A "FAILOVER_TIMEOUT=$FAILOVER_TIMEOUT" -P "$D/kamailio.pid" -Y "$D" \
  -m 128 -M 8 > kamailio.log 2>&1 &
PIDS+=($!)
timeout $HARD sipp -sf "$SHARED/sipp/uas_message.xml" -i 127.0.0.1 -p "$UAS" -t u1 -nostdin "${UAS_TRACE[@]}" \
  -buff_size 4194304 -max_recv_loops 10000 -max_sched_loops 10000 > uas.out 2>&1 &
UASPID=$!
PIDS+=($UASPID)
sleep 2
timeout 60 sipp -sf "$HERE/sipp/register_many.xml" -inf users.csv "127.0.0.1:$KPORT" -i 127.0.0.1 -p "$REG" \
  -key contact_port "$UAS" -m $((MEMBERS+1)) -r 100 -nostdin -timeout 30s -timeout_error > register.out 2>&1 \
  || { echo "bob (and the members) could not register through Kamailio"; tail -5 register.out; exit 1; }

# warm-up: 10 s at half the rate through Kamailio (both routers' JIT), not measured
WARM=$(( (RATE + 1) / 2 ))
timeout 90 sipp -sf "$SHARED/sipp/uac_message.xml" -s bob "127.0.0.1:$KPORT" -i 127.0.0.1 -p "$UAC" -t u1 -nostdin \
  -r "$WARM" -m $((WARM*10)) -timeout 60s -buff_size 4194304 > warmup.out 2>&1
sleep 5 # the warm-up's transactions settle (Kamailio's, the routers' Timer J)
# per-message answers: -trace_rtt writes each message's response time (ms); failures go to the error trace
timeout $HARD sipp -sf "$SHARED/sipp/uac_message.xml" -s bob "127.0.0.1:$KPORT" -i 127.0.0.1 -p "$UAC" -t u1 \
  -nostdin -r "$RATE" -m $((RATE*DUR)) -timeout $((DUR+60))s -buff_size 4194304 -max_retrans 8 \
  -trace_stat -fd 1 -stf uac_stat.csv -trace_rtt -rtt_freq 1 -trace_counts -trace_err > uac.out 2>&1 &
UACPID=$!
PIDS+=($UACPID)
START=$(date +%s.%N)
if [ "$MEMBERS" -gt 0 ]; then
  timeout $HARD sipp -sf "$HERE/sipp/uac_group_message.xml" -s crowd "127.0.0.1:$KPORT" -i 127.0.0.1 -p "$GUAC" \
    -nostdin -r "$GROUP_RATE" -m $((GROUP_RATE*DUR)) -timeout $((DUR+60))s -trace_stat -stf group_stat.csv \
    > group_uac.out 2>&1 &
  PIDS+=($!)
fi
sleep "$KILL_AT"
kill -9 "$APID"; KILLED=$(date +%s.%N)
echo "killed router-a (pid $APID) at $(date +%H:%M:%S.%N | cut -c1-12), $KILL_AT s into the run"
wait $UACPID; RC=$?
python3 - "$RATE" "$DUR" "$START" "$KILLED" "$RC" <<'PY' | tee failover_summary.txt
import csv, glob, sys
rate, dur, start, killed, rc = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
rows = list(csv.reader(open('uac_stat.csv'), delimiter=';'))
head = rows[0]
last = dict(zip(head, rows[-1]))
# failures per stat period (1 s), with the period's elapsed time since the start
fail_times = []
for row in rows[1:]:
    r = dict(zip(head, row))
    if int(r['FailedCall(P)']) > 0:
        h, m, s = r['ElapsedTime(C)'].split(':')[:3]
        fail_times.append(int(h) * 3600 + int(m) * 60 + float(s))
rtts = []
for f in glob.glob('*_rtt.csv'):
    for row in list(csv.reader(open(f), delimiter=';'))[1:]:
        if len(row) >= 2:
            rtts.append((float(row[0]), float(row[1])))  # answered at (ms since SIPp started), response time (ms)
late = [r for r in rtts if r[1] > 1000]
kill_at = killed - start
print(f"offered {rate}/s for {dur} s through Kamailio, router-a killed {kill_at:.1f} s in: "
      f"successful={last['SuccessfulCall(C)']} failed={last['FailedCall(C)']} sipp_rc={rc}")
if fail_times:
    print(f"failed at the sender: {last['FailedCall(C)']} messages, in the stat periods "
          f"{min(fail_times) - kill_at:.0f}..{max(fail_times) - kill_at:.0f} s after the kill")
else:
    print("failed at the sender: 0 messages")
if rtts:
    print(f"answered later than 1 s: {len(late)} messages; slowest answer {max(r[1] for r in rtts) / 1000:.1f} s "
          f"(Kamailio fails a request over after FAILOVER_TIMEOUT)")
if late:
    sent = [(r[0] - r[1]) / 1000 - kill_at for r in late]
    print(f"the late ones were sent from {min(sent):+.2f} to {max(sent):+.2f} s around the kill (the dispatcher's "
          f"detection window; every later message went to the survivor at once)")
PY
grep -c "taken out" kamailio.log | sed 's/^/kamailio: requests failed over after a timeout: /'
grep -m1 "is down" kamailio.log | sed 's/^/kamailio: /'
# bob got a message twice when router-a delivered it and died before its 200 reached Kamailio, which then failed it
# over to router-b: the Call-IDs both routers logged a delivery of (a lower bound: the log buffers up to 100 ms, and
# router-a's last lines die with it)
both=$(comm -12 <(grep -o "deliver callId=[^ ]*" router-a.log | sort -u) <(grep -o "deliver callId=[^ ]*" router-b.log | sort -u) | wc -l)
echo "delivered to bob by both routers (twice, same imdn.Message-ID): $both" | tee -a failover_summary.txt
[ "$MEMBERS" -gt 0 ] || exit 0
sleep 15 # router-b finishes the fan-outs it took over
kill -INT "$UASPID"; wait "$UASPID" 2>/dev/null # SIPp writes out its message trace as it exits
python3 - "$KILLED" "$MEMBERS" <<'PY' | tee -a failover_summary.txt
import collections, csv, datetime, re, sys
killed, members = float(sys.argv[1]), int(sys.argv[2])
day = datetime.datetime.fromtimestamp(killed).date()
taken = []
for line in open('router-b.log'):
    m = re.match(r'(\d\d:\d\d:\d\d\.\d+) .*fanout callId=(\S+) .*taken over from router-a: (\d+) members left', line)
    if m:
        t = datetime.datetime.combine(day, datetime.time.fromisoformat(m.group(1))).timestamp()
        taken.append((t - killed, m.group(2), int(m.group(3))))
rows = list(csv.reader(open('group_stat.csv'), delimiter=';'))
r = dict(zip(rows[0], rows[-1]))
print(f"group messages: accepted (202) {r['SuccessfulCall(C)']}, failed {r['FailedCall(C)']}")
if taken:
    print(f"router-b took over {len(taken)} fan-outs of router-a, {min(t[0] for t in taken):.2f} to "
          f"{max(t[0] for t in taken):.2f} s after the kill, with {sum(t[2] for t in taken)} members' copies left "
          f"to send")
else:
    print("router-b took over no fan-out of router-a (none was under way at the kill)")
# every group copy bob's UAS received: (imdn.Message-ID, member) -> the Call-IDs it came with (a retransmission
# keeps its Call-ID; a second copy has a new one)
copies = collections.defaultdict(set)
text = open('uas_messages.log', errors='replace').read()
for msg in text.split('UDP message received')[1:]:
    start = re.search(r'^MESSAGE sip:(m\d+)@', msg, re.M)
    if not start:
        continue
    cid = re.search(r'^Call-ID:\s*(\S+)', msg, re.M | re.I)
    mid = re.search(r'^imdn\.Message-ID:\s*(\S+)', msg, re.M)
    if cid and mid:
        copies[(mid.group(1), start.group(1))].add(cid.group(1))
twice = sum(1 for v in copies.values() if len(v) > 1)
print(f"group copies received by the {members} members: {len(copies)} (message, member) pairs, "
      f"{twice} of them twice or more")
PY
