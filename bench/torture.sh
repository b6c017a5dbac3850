#!/bin/bash
# bench/torture.sh -- replays the RFC 4475 torture messages (../shared/corpus/rfc4475) at the router over UDP:
#   1. ../shared/bench/replay_sip_corpus.py, the shared replayer (first reply per case, a liveness probe after each),
#      the measure other SIP servers are compared with;
#   2. bench/torture_table.py: one row per case with SECTION_MAP.txt's expectation (and RFC 4475's own words where
#      it says more), the router's answer matched by Via branch and checked for framing, and the liveness probe
#      after it; then a summary;
#   3. the same table over bench/torture-cases, the router's own cases (what PROTOS c07-sip found: Via ports
#      outside 1-65535, control characters in a Call-ID, a From that does not parse, broken line ends);
#   4. the router's log: no ERROR line and no raw control character in it.
# SAFETY: torture messages carry non-loopback Via hosts. The router and the replayers both run inside a new network
# namespace (unshare -n, needs root) whose only interface is loopback, so no reply can leave the machine (and the
# router's ports there clash with nothing outside). Needs a build: mvn -q -DskipTests package.
# Exit status: 0 every case as expected, every answer framed right, the router answering after each and its log
# clean; 1 an answer the RFC (or the case) does not allow, or an ERROR or raw control character in the log; 2 the
# router stopped answering (or did not start). Bounded: about 30 s, at most 5 minutes.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
if [ ! -f "$SHARED/../corpus/rfc4475/SECTION_MAP.txt" ]; then
  echo "torture: no RFC 4475 corpus at $SHARED/../corpus/rfc4475 (set SHARED_BENCH)" >&2; exit 2
fi
D=$HERE/results/$(date +%H%M%S)_torture; mkdir -p "$D"
exec unshare -n bash -c '
  set -u
  root=$0; out=$1; shared=$2; corpus=$shared/../corpus/rfc4475
  ip link set lo up
  # flood bans off: the cases come from one address, faster than a client would send
  CPM_FLOOD_MAX_REQUESTS=0 timeout 300 "$root"/bin/cpm-router --sip-port 5060 --data-dir "$out/data" >"$out/router.log" 2>&1 &
  router=$!
  for _ in $(seq 1 120); do
    grep -q "CPM Router ready" "$out/router.log" && break
    kill -0 $router 2>/dev/null || break
    sleep 0.5
  done
  if ! grep -q "CPM Router ready" "$out/router.log"; then
    echo "torture: the router did not start; see $out/router.log"; kill $router 2>/dev/null; exit 2
  fi
  timeout 120 python3 "$shared/replay_sip_corpus.py" rfc4475 "$corpus" --add-via --target 127.0.0.1:5060 \
     --probe-every 1 --reply-wait 0.05 --log "$out/rfc4475.log" >"$out/rfc4475.summary"
  echo "shared replayer: $(tr "\n" " " <"$out/rfc4475.summary")"
  timeout 120 python3 "$root/bench/torture_table.py" "$corpus" --target 127.0.0.1:5060 >"$out/table.txt"
  status=$?
  cat "$out/table.txt"
  timeout 60 python3 "$root/bench/torture_table.py" "$root/bench/torture-cases" --target 127.0.0.1:5060 \
     --lport 5097 >"$out/own-cases.txt"
  own=$?
  echo "own cases (bench/torture-cases):"; cat "$out/own-cases.txt"
  [ $own -gt $status ] && status=$own
  grep -q "unresponsive_after=None" "$out/rfc4475.summary" || status=2
  kill $router; wait $router
  errors=$(grep -ac " ERROR " "$out/router.log")
  raw=$(LC_ALL=C grep -acP "[\x00-\x08\x0b-\x1f\x7f]" "$out/router.log")
  echo "router log: $errors ERROR lines, $raw lines with a raw control character"
  [ "$errors" -eq 0 ] && [ "$raw" -eq 0 ] || { [ $status -eq 0 ] && status=1; }
  echo "results in $out"
  exit $status
' "$ROOT" "$D" "$SHARED"
