#!/bin/bash
# bench/reload_under_load.sh [RATE] [DURATION_S] [RELOADS]
# Live rule reloads under steady traffic: SIPp alice -> router -> SIPp bob at RATE/s for DURATION_S, while the
# router's rules directory (a copy of rules/) gets RELOADS edits, each a different harmless rule file, spaced
# evenly. Prints SIPp's sent/answered/failed counts and the router's reload lines. Loopback only; bounded.
set -u
RATE=${1:-1000}; DUR=${2:-20}; RELOADS=${3:-5}
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
D=$HERE/results/$(date +%H%M%S)_reload_${RATE}; mkdir -p "$D/rules"; cd "$D"
cp "$ROOT"/rules/*.drl rules/
HARD=$((DUR+90))
timeout $HARD sipp -sf "$SHARED/sipp/uas_message.xml" -i 127.0.0.1 -p 5070 -t u1 -nostdin \
   -buff_size 4194304 -max_recv_loops 10000 -max_sched_loops 10000 >uas.out 2>&1 &
UAS=$!
CPM_AUTH_ENABLED=false CPM_LIMITS_SENDER_RATE=0 CPM_FLOOD_MAX_REQUESTS=0 timeout $HARD env JAVA_OPTS="${ROUTER_JAVA_OPTS:--Xms1g -Xmx1g}" "$ROOT/bin/cpm-router" --sip-port 5060 \
   --data-dir "$D/data" --rules "$D/rules" >router.log 2>&1 &
for _ in $(seq 1 120); do grep -q "CPM Router ready" router.log && break; sleep 0.5; done
RPID=$(pgrep -f "cpm.home=$ROOT .*CpmRouterApplication" | head -1)
timeout 20 sipp -sf "$ROOT/routes/src/test/resources/sipp/register.xml" -s bob 127.0.0.1:5060 -i 127.0.0.1 -p 5062 \
   -key contact_port 5070 -m 1 -nostdin -timeout 15s -timeout_error >register.out 2>&1
# JIT warm-up, not measured (as bench/run.sh)
timeout 60 sipp -sf "$SHARED/sipp/uac_message.xml" -s bob 127.0.0.1:5060 -i 127.0.0.1 -p 5061 -nostdin \
   -r "$RATE" -m $((RATE*8)) -timeout 40s >warmup.out 2>&1
sleep 4.5
timeout $HARD sipp -sf "$SHARED/sipp/uac_message.xml" -s bob 127.0.0.1:5060 -i 127.0.0.1 -p 5061 -nostdin \
   -r "$RATE" -rp 1000 -m $((RATE*DUR)) -timeout $((DUR+40))s -buff_size 4194304 \
   -trace_stat -stf uac.csv >uac.out 2>&1 &
UAC=$!
for i in $(seq 1 "$RELOADS"); do
  sleep $(python3 -c "print($DUR/($RELOADS+1))")
  cat > "rules/operator-note-$i.drl" <<DRL
// Purpose: bench edit $i (never matches: no sender is named like this).
// Facts read: MessageContext. Decision written: Denial 403.
// How to test: bench/reload_under_load.sh
// SPDX-License-Identifier: Apache-2.0

package org.cpmrouter.policy;

import org.cpmrouter.rules.facts.Denial;
import org.cpmrouter.rules.facts.MessageContext;
import org.cpmrouter.rules.facts.Stage;

// A sender nobody has.
rule "BENCH-$(printf '%03d' "$i") Nobody of this name may send"
    @id("BENCH-$(printf '%03d' "$i")")
when
    MessageContext( stage == Stage.ORIGINATING_AUTHORIZATION, sender == "sip:nobody-$i@invalid" )
then
    insert( new Denial( 403, "bench" ) );
end
DRL
done
wait $UAC; RC=$?
python3 - "$RC" <<'PY' | tee summary.txt
import csv, sys
rows = list(csv.reader(open('uac.csv'), delimiter=';'))
r = dict(zip(rows[0], rows[-1]))
print(f"sent={r['OutgoingCall(C)']} answered-200={r['SuccessfulCall(C)']} failed={r['FailedCall(C)']} "
      f"retransmissions={r['Retransmissions(C)']} sipp_rc={sys.argv[1]}")
PY
grep -E "rules reload (LOADED|UNCHANGED|REFUSED)|rules refused" router.log | sed 's/^/  /' | tee -a summary.txt
kill $RPID $UAS 2>/dev/null; wait 2>/dev/null
