#!/bin/bash
# bench/deferred.sh -- deferred delivery, measured: the latency of a held message's 202 against a delivered message's
# 200 in the same run, the time to hand N held messages to a recipient who registers, and the router's heap and
# store size with them held. One router (bench/lib.sh start_router: shipped configuration, authentication off as in
# every benchmark), SIPp on 127.0.0.1:
#   1. bob registers a SIPp UAS; alice sends him RATE/s for 5 s (a warm-up, not measured), then for DUR s (each
#      200 from his UAS);
#   2. alice sends N messages to carol, not registered, at RATE/s (each held, 202);
#   3. carol registers a SIPp UAS that answers N messages; the time from her REGISTER to the last 200.
#   4. with BULK set: BULK messages held for BULK_RECIPIENTS (100) subscribers made for it (held0, held1, ...,
#      cpm-admin subscribers import) at BULK_RATE/s (1000), in turn, so each stays under the per-recipient cap
#      (cpm.deferred.max-per-recipient, 1000): the router's heap after a full GC and the data directory's size then.
# Prints p50/p99 of both latencies (SIPp's response times), the hand-over time, heap after a full GC and the size
# of the data directory. Usage: [BULK=100000 BULK_RECIPIENTS=100 BULK_RATE=1000] bench/deferred.sh [N (1000)]
# [RATE (200)] [DUR (10)]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
N=${1:-1000}; RATE=${2:-200}; DUR=${3:-10}
BULK=${BULK:-0}; BULK_RECIPIENTS=${BULK_RECIPIENTS:-100}; BULK_RATE=${BULK_RATE:-1000}
OUT="$HERE/results/deferred-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
PIDS=()
trap 'stop_pids "${PIDS[@]}" 2>/dev/null' EXIT
wait_ports_free || { echo "deferred.sh: bench ports busy" >&2; exit 2; }

ROUTER=$(start_router "$OUT") || exit 2
PIDS+=("$ROUTER")
UAS=$(start_uas "$OUT" udp); PIDS+=("$UAS")
register_bob "$OUT" udp || exit 2

# percentiles of SIPp's response-time trace (milliseconds in the second column)
latency() { # DIR
  python3 - "$1" <<'PY'
import csv, glob, sys
vals = []
for f in glob.glob(sys.argv[1] + "/*_rtt.csv"):
    for row in csv.reader(open(f), delimiter=';'):
        try: vals.append(float(row[1]))
        except (ValueError, IndexError): pass
vals.sort()
pick = lambda q: vals[min(len(vals) - 1, int(q * len(vals)))] if vals else float('nan')
print(f"{len(vals)} {pick(0.5):.2f} {pick(0.99):.2f}")
PY
}

uac() { # NAME SCENARIO TARGET COUNT [RATE]: TARGET a user, or @FILE: the users of FILE, one per line, in turn
  mkdir -p "$OUT/$1"
  local target=(-s "$3")
  [[ "$3" == @* ]] && target=(-inf "${3#@}")
  [ "$2" = "$HERE/sipp/uac_message_held.xml" ] && [[ "$3" != @* ]] && { echo "SEQUENTIAL"; echo "$3"; } >"$OUT/$1/to.csv" \
    && target=(-inf "$OUT/$1/to.csv")
  local limit=$(( $4 / ${5:-$RATE} * 3 / 2 + 60 ))   # seconds: the run's length at its rate, and a margin
  ( cd "$OUT/$1" && timeout $((limit + 30)) sipp -sf "$2" "${target[@]}" 127.0.0.1:5060 -i 127.0.0.1 -p 5061 -t u1 \
      -nostdin -nd -r "${5:-$RATE}" -m "$4" -timeout "${limit}s" -trace_rtt -rtt_freq 1 >uac.out 2>&1 )
}

# heap used after a full GC (KB) and the data directory's size (KB) of the router
footprint() {
  jcmd "$ROUTER" GC.run >/dev/null 2>&1; sleep 1
  heap_kb=$(jcmd "$ROUTER" GC.heap_info 2>/dev/null | awk '/garbage-first heap/ {for(i=1;i<=NF;i++) if($i=="used") {v=$(i+1); sub(/K$/,"",v); print v; exit}}')
  store_kb=$(du -sk "$OUT/data" | cut -f1)
}

# a router fresh from start is slower for its first seconds (JIT): warm it up, unmeasured
blog "warm-up: $((RATE * 5)) messages to bob at $RATE/s (not measured)"
uac warmup "$BENCH_SHARED/sipp/uac_message.xml" bob $((RATE * 5)) || blog "warm-up run failed"
blog "delivered: $((RATE * DUR)) messages to bob at $RATE/s"
uac delivered "$BENCH_SHARED/sipp/uac_message.xml" bob $((RATE * DUR)) || { blog "delivered run failed"; tail "$OUT/delivered/uac.out"; }
blog "held: $N messages to carol (not registered) at $RATE/s"
uac held "$HERE/sipp/uac_message_held.xml" carol "$N" || { blog "held run failed"; tail "$OUT/held/uac.out"; }
read -r dn d50 d99 <<<"$(latency "$OUT/delivered")"
read -r hn h50 h99 <<<"$(latency "$OUT/held")"

footprint; held_heap_kb=$heap_kb; held_store_kb=$store_kb

blog "carol registers; her UAS answers the $N held messages"
timeout 600 sipp -sf "$BENCH_SHARED/sipp/uas_message.xml" -i 127.0.0.1 -p 5072 -t u1 -nostdin -m "$N" \
  -buff_size 4194304 >"$OUT/carol_uas.out" 2>&1 &
CAROL=$!; PIDS+=("$CAROL")
sleep 0.5
t0=$(date +%s.%N)
timeout 20 sipp -sf "$BENCH_ROOT/routes/src/test/resources/sipp/register.xml" -s carol 127.0.0.1:5060 \
  -i 127.0.0.1 -p 5062 -t u1 -key contact_port 5072 -m 1 -nostdin -timeout 15s -timeout_error \
  >"$OUT/register_carol.out" 2>&1 || blog "carol could not register"
wait "$CAROL"; t1=$(date +%s.%N)
handover=$(echo "$t1 - $t0" | bc)
left=$(grep -c "held as" "$OUT/router.log")

if [ "$BULK" -gt 0 ]; then
  footprint; empty_heap_kb=$heap_kb; empty_store_kb=$store_kb
  blog "bulk: $BULK messages held for $BULK_RECIPIENTS subscribers at $BULK_RATE/s"
  { for i in $(seq 0 $((BULK_RECIPIENTS - 1))); do echo "sip:held$i@cpm.example.com,,true,false"; done; } >"$OUT/held.csv"
  "$BENCH_ROOT/bin/cpm-admin" subscribers import "$OUT/held.csv" >"$OUT/import.out" 2>&1 \
    || { blog "import failed"; cat "$OUT/import.out" >&2; exit 1; }
  { echo "SEQUENTIAL"; for i in $(seq 0 $((BULK_RECIPIENTS - 1))); do echo "held$i"; done; } >"$OUT/bulk_to.csv"
  t0=$(date +%s.%N)
  uac bulk "$HERE/sipp/uac_message_held.xml" "@$OUT/bulk_to.csv" "$BULK" "$BULK_RATE" || { blog "bulk run failed"; tail "$OUT/bulk/uac.out"; }
  bulk_s=$(echo "$(date +%s.%N) - $t0" | bc)
  read -r bn b50 b99 <<<"$(latency "$OUT/bulk")"
  bulk_held=$(( $(grep -c "held as" "$OUT/router.log") - left ))
  footprint; bulk_heap_kb=$heap_kb; bulk_store_kb=$store_kb
fi

echo "deferred delivery, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$BENCH_ROOT" rev-parse --short HEAD)"
echo "  delivered (200): $dn messages at $RATE/s, p50 $d50 ms, p99 $d99 ms"
echo "  held (202):      $hn messages at $RATE/s, p50 $h50 ms, p99 $h99 ms"
echo "  $N held messages: heap used after full GC ${held_heap_kb:-?} KB, data directory $held_store_kb KB"
echo "  handed to carol on registering: $N messages in $handover s (holds logged: $left)"
if [ "$BULK" -gt 0 ]; then
  echo "  bulk: $bn of $BULK answered 202 ($bulk_held holds logged) in $bulk_s s at $BULK_RATE/s for $BULK_RECIPIENTS recipients, p50 $b50 ms, p99 $b99 ms"
  echo "  after carol's hand-over: heap ${empty_heap_kb:-?} KB, data directory $empty_store_kb KB;" \
       "with the bulk held: heap ${bulk_heap_kb:-?} KB, data directory $bulk_store_kb KB"
fi
echo "  results: $OUT"
