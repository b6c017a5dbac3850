#!/bin/bash
# bench/torture.sh -- replays the RFC 4475 torture messages (../shared/corpus/rfc4475) at the router over UDP,
# with a liveness probe (OPTIONS) after every case, using ../shared/bench/replay_sip_corpus.py.
# SAFETY: torture messages carry non-loopback Via hosts. The router and the replayer both run inside a new network
# namespace (unshare -n, needs root) whose only interface is loopback, so no reply can leave the machine.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
SHARED=${SHARED_BENCH:-$ROOT/../shared/bench}
D=$HERE/results/$(date +%H%M%S)_torture; mkdir -p "$D"
exec unshare -n bash -c '
  set -u
  ip link set lo up
  timeout 300 "$0"/bin/cpm-router --sip-port 5060 --data-dir "$1/data" >"$1/router.log" 2>&1 &
  for _ in $(seq 1 120); do grep -q "CPM Router ready" "$1/router.log" && break; sleep 0.5; done
  timeout 200 python3 "$2/replay_sip_corpus.py" rfc4475 "$2/../corpus/rfc4475" --add-via --target 127.0.0.1:5060 \
     --probe-every 1 --reply-wait 0.05 --log "$1/rfc4475.log" | tee "$1/rfc4475.summary"
  pkill -f "cpm.home=$0 .*CpmRouterApplication"; wait
' "$ROOT" "$D" "$SHARED"
