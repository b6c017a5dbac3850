#!/usr/bin/env bash
# What the source bans cost and buy (docs/security.md "Measured"):
#   1. guesses: an attacker on 127.0.0.2 guesses bob's password with SIPp (bench/sipp/uac_guess.xml) at GUESS_RATE
#      for GUESS_S seconds against the shipped defaults; counted from the router's security lines: guesses checked
#      before the ban, and after it.
#   2. banned: the same source, now banned, sends MESSAGEs at FLOOD_RATE (bench/sipp/uac_refused.xml, -nr) for
#      FLOOD_S seconds; the router's CPU (utime+stime of its JVM, /proc) per refused request.
#   3. overload: the overload guard full (cpm.overload.max-in-flight=1 with one MESSAGE stuck on a silent client),
#      the same flood from 127.0.0.1, refused 503; CPU per refused request, for comparison.
# Ports are free ones of this machine (other benchmarks may hold 5060). Output: OUT (default /tmp/cpm-security).
# Usage: bench/security.sh   (GUESS_RATE=200 GUESS_S=10 FLOOD_RATE=5000 FLOOD_S=15)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-/tmp/cpm-security}
GUESS_RATE=${GUESS_RATE:-200}; GUESS_S=${GUESS_S:-10}; FLOOD_RATE=${FLOOD_RATE:-5000}; FLOOD_S=${FLOOD_S:-15}
rm -rf "$OUT"; mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# start_router NAME VAR=VALUE...: bin/cpm-router on a free port; sets SIP_PORT and RPID (the JVM)
start_router() {
  local name=$1; shift
  SIP_PORT=$(free_port)
  env "$@" CPM_ADMIN_PORT="$(free_port)" CPM_SMSC_PORT="$(free_port)" CPM_SIP_TLS_PORT="$(free_port)" \
    JAVA_OPTS="${ROUTER_JAVA_OPTS:--Xms512m -Xmx512m}" "$ROOT/bin/cpm-router" --sip-port "$SIP_PORT" \
    --data-dir "$OUT/$name-data" >"$OUT/$name.log" 2>&1 &
  RPID=$!; PIDS+=("$RPID")
  for _ in $(seq 1 120); do grep -qs "CPM Router ready" "$OUT/$name.log" && break; sleep 0.5; done
  grep -q "CPM Router ready" "$OUT/$name.log" || { echo "router $name did not start" >&2; tail "$OUT/$name.log" >&2; exit 2; }
  RPID=$(pgrep -P "$RPID" java || echo "$RPID") # bin/cpm-router execs java, or is its parent
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# 1 and 2: shipped defaults (bans on), authentication on
start_router bans
( cd "$OUT" && timeout $((GUESS_S + 30)) sipp -sf "$ROOT/bench/sipp/uac_guess.xml" -s alice "127.0.0.1:$SIP_PORT" \
    -au bob -ap wrong-guess -auth_uri "alice@127.0.0.1:$SIP_PORT" -i 127.0.0.2 -p "$(free_port)" -r "$GUESS_RATE" -m $((GUESS_RATE * GUESS_S)) -nostdin \
    -trace_stat -stf "$OUT/guess_stat.csv" >/dev/null 2>&1 || true )
sleep 2
checked=$(grep -c "security: refused source=127.0.0.2 reason=auth-failed" "$OUT/bans.log" || true)
ban_line=$(grep -m1 "security: ban source=127.0.0.2" "$OUT/bans.log" || true)
first=$(grep -m1 "reason=auth-failed" "$OUT/bans.log" | cut -c1-12 || true)
banat=$(echo "$ban_line" | cut -c1-12)
echo "guesses: offered $GUESS_RATE/s for $GUESS_S s from 127.0.0.2; router checked $checked passwords, first at $first," \
  "ban at $banat; then 0 checked for the remaining $GUESS_S s" | tee "$OUT/result.txt"
echo "  $ban_line" | tee -a "$OUT/result.txt"

count=$((FLOOD_RATE * FLOOD_S))
t0=$(cpu_ticks "$RPID"); s0=$(date +%s.%N)
( cd "$OUT" && timeout $((FLOOD_S + 30)) sipp -sf "$ROOT/bench/sipp/uac_refused.xml" -s bob "127.0.0.1:$SIP_PORT" \
    -i 127.0.0.2 -p "$(free_port)" -r "$FLOOD_RATE" -m "$count" -nr -nostdin -trace_stat -stf "$OUT/banned_stat.csv" \
    >"$OUT/banned_sipp.out" 2>&1 || true )
t1=$(cpu_ticks "$RPID"); s1=$(date +%s.%N)
python3 - "$t0" "$t1" "$hz" "$s0" "$s1" "$count" banned <<'PY' | tee -a "$OUT/result.txt"
import sys
t0, t1, hz, s0, s1, n, what = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
cpu = (t1 - t0) / hz; wall = s1 - s0
print(f"{what}: {n} requests in {wall:.1f} s ({n / wall:.0f}/s offered), router CPU {cpu:.2f} s = {cpu / wall * 100:.0f} % of one core, {cpu / n * 1e6:.1f} us per refused request")
PY
kill "$RPID" 2>/dev/null || true; sleep 2

# 3: overload guard full, bans off
start_router overload CPM_AUTH_ENABLED=false CPM_FLOOD_MAX_REQUESTS=0 CPM_LIMITS_SENDER_RATE=0 CPM_OVERLOAD_MAX_IN_FLIGHT=1
SILENT=$(free_port)
timeout 20 sipp -sf "$ROOT/routes/src/test/resources/sipp/register.xml" -s bob "127.0.0.1:$SIP_PORT" -i 127.0.0.1 \
  -p "$(free_port)" -key contact_port "$SILENT" -m 1 -nostdin >/dev/null 2>&1
python3 -c "import socket,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('127.0.0.1',$SILENT)); time.sleep(120)" &
PIDS+=($!)
# one MESSAGE to bob that his silent client never answers: in flight for the transaction's 32 s
timeout 40 sipp -sf "$ROOT/bench/sipp/uac_refused.xml" -s bob "127.0.0.1:$SIP_PORT" -i 127.0.0.1 -p "$(free_port)" \
  -m 1 -nostdin >/dev/null 2>&1 &
PIDS+=($!)
sleep 1
t0=$(cpu_ticks "$RPID"); s0=$(date +%s.%N)
( cd "$OUT" && timeout $((FLOOD_S + 30)) sipp -sf "$ROOT/bench/sipp/uac_refused.xml" -s bob "127.0.0.1:$SIP_PORT" \
    -i 127.0.0.1 -p "$(free_port)" -r "$FLOOD_RATE" -m "$count" -nr -nostdin >"$OUT/overload_sipp.out" 2>&1 || true )
t1=$(cpu_ticks "$RPID"); s1=$(date +%s.%N)
python3 - "$t0" "$t1" "$hz" "$s0" "$s1" "$count" "overload guard (503)" <<'PY' | tee -a "$OUT/result.txt"
import sys
t0, t1, hz, s0, s1, n, what = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
cpu = (t1 - t0) / hz; wall = s1 - s0
print(f"{what}: {n} requests in {wall:.1f} s ({n / wall:.0f}/s offered), router CPU {cpu:.2f} s = {cpu / wall * 100:.0f} % of one core, {cpu / n * 1e6:.1f} us per refused request")
PY
grep -h "Successful call\|Failed call" "$OUT"/*_sipp.out 2>/dev/null | head -4 || true
