#!/bin/bash
# bench/interop.sh -- the router with real SIP clients: baresip (Debian `baresip`), linphonec (Debian `linphone-cli`)
# and bin/cpm-client register as demo subscribers (alice, bob, carol) and send one MESSAGE in each direction between
# each pair; prints a markdown table with the client versions: per direction, whether both ends registered (and
# with which digest algorithm, as the router's log says), the final response the sender got (and the algorithm its
# MESSAGE was authenticated with), and whether the recipient showed the text.
#
# Run as root on a Debian machine (12 or later): it installs what is missing (baresip, linphone-cli, a JDK and Maven
# when the jars must be built) with apt-get, builds the jars when they are missing, then runs everything again inside a new
# network namespace (unshare -n) whose only interface is loopback: the router and the clients talk on 127.0.0.1
# only, on ports nothing else in that namespace holds (router 5060, baresip 5071 and its console 5555, linphonec
# 5074, cpm-client 5076). About a minute; every process is bounded by `timeout` and stopped by its pid on exit.
#
# The router runs on its shipped configuration: a copy of config/ without application-local.properties, no CPM_*
# variable from the caller's environment, and one change to logback.xml (org.cpmrouter.routes.auth at DEBUG: the
# line naming the algorithm each client authenticated with). Client authentication is on, as shipped.
#
# Settings (environment):
#   INTEROP_EXTRA_OPTS  router settings on top of the shipped ones, as CPM_*=VALUE words (the environment form of
#                       the keys of docs/configuration.md), e.g. INTEROP_EXTRA_OPTS="CPM_AUTH_ALGORITHMS=MD5".
#                       Empty by default: the shipped defaults are what is tested.
#   INTEROP_WAIT_S      seconds to wait for each registration and each message (10)
#   ROUTER_JAVA_OPTS    the router's JVM options (-Xmx512m)
# Results: bench/results/interop-<time>/ (table.md, router.log, each client's output and trace).
# Exit status: 0 every direction passed; 1 one did not; 2 the check could not run (not root, install, build, start).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
ROOT=$BENCH_ROOT
WAIT_S=${INTEROP_WAIT_S:-10}
HARD_S=300
DOMAIN=cpm.example.com

die() { echo "interop.sh: $*" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------------------------
# Outside the namespace: check, install, build, then run again inside unshare -n.
# ---------------------------------------------------------------------------------------------------------------

check_settings() {
  local word
  for word in ${INTEROP_EXTRA_OPTS:-}; do
    [[ "$word" =~ ^CPM_[A-Z0-9_]+=.*$ ]] ||
      die "INTEROP_EXTRA_OPTS: '$word' is not a CPM_*=VALUE router setting (e.g. CPM_AUTH_ALGORITHMS=MD5)"
  done
}

# apt_install PACKAGE...: apt-get install, after an apt-get update if the first attempt fails (a fresh machine)
apt_install() {
  blog "installing $* (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "$@" >"$SETUP_LOG" 2>&1 && return 0
  { apt-get update -q && apt-get install -y -q --no-install-recommends "$@"; } >>"$SETUP_LOG" 2>&1 ||
    die "apt-get install $* failed; see $SETUP_LOG"
}

jars_built() {
  [ -f "$ROOT/routes/target/cpm-routes-0.1.0-SNAPSHOT.jar" ] && [ -f "$ROOT/client/target/cpm-client-0.1.0-SNAPSHOT.jar" ]
}

prepare() {
  [ "$(id -u)" = 0 ] || die "run as root: it installs packages and runs the clients in a network namespace (unshare -n)"
  check_settings
  command -v apt-get >/dev/null || die "needs a Debian-like system (apt-get) to install baresip and linphone-cli"
  local need=() tool pkg
  for tool in baresip:baresip linphonec:linphone-cli java:default-jdk-headless unshare:util-linux ip:iproute2 \
      pgrep:procps timeout:coreutils; do
    command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
  done
  jars_built || command -v mvn >/dev/null || need+=(maven)
  [ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
  if ! jars_built; then
    blog "building the jars (mvn -B -q -DskipTests package; offline first, from what ~/.m2 holds)"
    (cd "$ROOT" && { mvn -B -q -o -DskipTests package || mvn -B -q -DskipTests package; }) >>"$SETUP_LOG" 2>&1 ||
      die "build failed; see $SETUP_LOG"
  fi
}

if [ -z "${INTEROP_IN_NETNS:-}" ]; then
  OUT=$HERE/results/interop-$(date +%Y%m%d-%H%M%S)
  mkdir -p "$OUT" || die "cannot create $OUT"
  SETUP_LOG=$OUT/setup.log
  prepare
  INTEROP_IN_NETNS=1 INTEROP_OUT=$OUT exec unshare -n -- "$0" "$@"
  die "unshare -n failed (root, and a kernel with network namespaces, are needed)"
fi

# ---------------------------------------------------------------------------------------------------------------
# Inside the namespace.
# ---------------------------------------------------------------------------------------------------------------

OUT=$INTEROP_OUT
ip link set lo up || die "cannot bring up lo in the new network namespace"
for var in $(compgen -e); do case $var in CPM_*) unset "$var";; esac; done   # the shipped configuration only
export BENCH_HARD_S=$HARD_S

PIDS=()
cleanup() {
  exec 7>&- 8>&-
  [ ${#PIDS[@]} -gt 0 ] && stop_pids "${PIDS[@]}"
  rm -rf "$OUT/data" "$OUT/linphone/home"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# since FILE OFFSET: FILE from byte OFFSET on; size FILE: its length in bytes
since() { tail -c +$(($2 + 1)) "$1" 2>/dev/null; }
size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# wait_for SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds or SECONDS pass
wait_for() {
  local end=$((SECONDS + $1)); shift
  until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 0.2; done
}

# auth_algorithm USER [OFFSET]: the digest algorithm the router last authenticated USER with (from router.log at
# OFFSET on), or nothing
auth_algorithm() {
  since "$OUT/router.log" "${2:-0}" | sed -n "s/.* user=$1 algorithm=\([^ ]*\) authenticated as .*/\1/p" | tail -1
}

# final_message_status ROUTER_ADDRESS: reads a SIP trace (baresip -s on stdout, linphonec's log) and prints the last
# final response to a MESSAGE that came from the router: a challenge (401/407) only when the client never got another
final_message_status() {
  awk -v router="$1" '
    { sub(/\r$/, "") }
    /^(UDP|TCP) [^ ]+ -> [^ ]+/ { inbound = ($2 == router); code = ""; next }        # baresip: "UDP a -> b"
    / received \[[0-9]+\] new bytes from / { inbound = index($0, "//" router "]") > 0; code = ""; next } # linphone
    / message sent to / { inbound = 0; code = ""; next }
    inbound && /^SIP\/2\.0 [0-9][0-9][0-9]/ { code = $2; next }
    inbound && code != "" && /^CSeq: *[0-9]+ MESSAGE/ {
      if (code == 401 || code == 407) challenge = code; else if (code >= 200) last = code
      code = ""
    }
    END { print (last != "" ? last : challenge) }'
}

deb() { dpkg-query -W -f '${Package} ${Version}' "$1" 2>/dev/null; }
VERSION_BARESIP="$(baresip -h 2>&1 | grep -o 'baresip v[0-9.]*' | head -1) ($(deb baresip-core))"
mkdir -p "$OUT/linphone/home"
VERSION_LINPHONE="linphonec $(HOME=$OUT/linphone/home linphonec -v 2>&1 </dev/null | sed -n 's/^[Vv]ersion: *//p' | tail -1)"
VERSION_LINPHONE+=" ($(deb linphone-cli))"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "unknown")

# ---- router --------------------------------------------------------------------------------------------------

mkdir -p "$OUT/config"
cp -r "$ROOT/config/." "$OUT/config/" || die "cannot copy $ROOT/config"
rm -f "$OUT/config/application-local.properties"
sed -i 's#^\(\s*\)<logger name="gov.nist" level="WARN"/>#&\n\1<logger name="org.cpmrouter.routes.auth" level="DEBUG"/>#' \
  "$OUT/config/logback.xml"
grep -q 'name="org.cpmrouter.routes.auth" level="DEBUG"' "$OUT/config/logback.xml" ||
  die "config/logback.xml changed shape: cannot set org.cpmrouter.routes.auth to DEBUG in the copy"

blog "starting the router (shipped configuration${INTEROP_EXTRA_OPTS:+ + $INTEROP_EXTRA_OPTS})"
# shellcheck disable=SC2086 # INTEROP_EXTRA_OPTS is a list of words
ROUTER_PID=$(ROUTER_JAVA_OPTS=${ROUTER_JAVA_OPTS:--Xmx512m} start_router "$OUT" CPM_AUTH_ENABLED=true \
  ${INTEROP_EXTRA_OPTS:-} -- --config "$OUT/config") || die "the router did not start; see $OUT/router.log"
PIDS+=("$ROUTER_PID")
ROUTER=127.0.0.1:5060
OFFERED=$(sed -n 's/.*client authentication: SIP digest, .*algorithms \[\([^]]*\)\].*/\1/p' "$OUT/router.log" | head -1)

# ---- clients -------------------------------------------------------------------------------------------------
# alice: baresip, bob: linphonec, carol: cpm-client (their passwords: config/demo/subscribers.csv)

declare -A USER=([baresip]=alice [linphone]=bob [cpm-client]=carol)
declare -A PASSWORD=([alice]=alice-demo [bob]=bob-demo [carol]=carol-demo)
declare -A REGISTERED REG_ALG REG_NOTE

# baresip: commands through its console module (cons, UDP 5555); its menu module prints received messages through
# stdio, which reads an idle pipe; -s traces SIP on stdout. contacts lists the recipients in the order baresip sends
# to them below: it starts on the first, and /contact_next moves to the next.
BS=$OUT/baresip
mkdir -p "$BS"
cat >"$BS/config" <<EOF
poll_method		epoll
sip_listen		127.0.0.1:5071
net_interface		127.0.0.1
module_path		/usr/lib/baresip/modules
module			stdio.so
module			cons.so
module			g711.so
module_tmp		account.so
module_app		contact.so
module_app		menu.so
cons_listen		127.0.0.1:5555
EOF
cat >"$BS/accounts" <<EOF
<sip:alice@$DOMAIN>;auth_user=alice;auth_pass=${PASSWORD[alice]};outbound="sip:$ROUTER";regint=600;answermode=manual
EOF
cat >"$BS/contacts" <<EOF
"carol" <sip:carol@$DOMAIN>
"bob" <sip:bob@$DOMAIN>
EOF
mkfifo "$BS/stdin"
exec 7<>"$BS/stdin"
timeout $HARD_S baresip -f "$BS" -s <"$BS/stdin" >"$OUT/baresip.out" 2>&1 &
PIDS+=($!)

# linphonec: a fresh configuration (linphonec rewrites it, keeping the hash of the algorithm it used), commands on
# stdin, SIP traced in its log (-d 6); HOME holds its message database
LP=$OUT/linphone
mkdir -p "$LP/home/.local/share/linphone"
cat >"$LP/linphonerc" <<EOF
[sip]
auto_net_state_mon=0
bind_address=127.0.0.1
sip_port=5074
sip_tcp_port=0
sip_tls_port=0
default_proxy=0
register_only_when_network_is_up=0
register_only_when_upnp_is_ok=0
[proxy_0]
reg_proxy=<sip:$ROUTER;transport=udp>
reg_route=<sip:$ROUTER;transport=udp;lr>
reg_identity=sip:bob@$DOMAIN
reg_expires=600
reg_sendregister=1
publish=0
[auth_info_0]
username=bob
passwd=${PASSWORD[bob]}
realm=$DOMAIN
domain=$DOMAIN
EOF
mkfifo "$LP/stdin"
exec 8<>"$LP/stdin"
HOME=$LP/home timeout $HARD_S linphonec -c "$LP/linphonerc" -d 6 -l "$OUT/linphone.log" <"$LP/stdin" \
  >"$OUT/linphone.out" 2>&1 &
PIDS+=($!)

CPM_PASSWORD=${PASSWORD[carol]} timeout $HARD_S "$ROOT/bin/cpm-client" listen --as carol --port 5076 \
  --state-dir "$OUT/cpm-client-state" >"$OUT/cpm-client.out" 2>&1 &
LISTEN_PID=$!
PIDS+=($LISTEN_PID)

registered_baresip() { grep -Eq "^alice@$DOMAIN: \{[^}]*\} 2[0-9][0-9] " "$OUT/baresip.out"; }
failed_baresip() { grep -q "reg: sip:alice@$DOMAIN: " "$OUT/baresip.out"; }
registered_linphone() { grep -q 'to \[LinphoneRegistrationOk\]' "$OUT/linphone.log" 2>/dev/null; }
failed_linphone() { grep -q 'to \[LinphoneRegistrationFailed\]' "$OUT/linphone.log" 2>/dev/null; }
registered_cpm-client() { grep -q '^Listening as ' "$OUT/cpm-client.out"; }
failed_cpm-client() { ! kill -0 "$LISTEN_PID" 2>/dev/null; }

CLIENTS=(baresip linphone cpm-client)
blog "registering baresip (alice), linphonec (bob), cpm-client (carol)"
for c in "${CLIENTS[@]}"; do
  settled() { registered_"$1" || failed_"$1"; }
  wait_for "$WAIT_S" settled "$c"
  if registered_"$c"; then REGISTERED[$c]=yes; else REGISTERED[$c]=no; fi
done
sleep 1   # the router writes its log up to 100 ms late; and let each registration settle before the messages
for c in "${CLIENTS[@]}"; do REG_ALG[$c]=$(auth_algorithm "${USER[$c]}"); done
# what a client said when it gave up (one line, for the notes under the table)
REG_NOTE[baresip]=$(sed -n "s/\x1b\[[0-9;]*m//g; s/^reg: sip:alice@$DOMAIN: //p" "$OUT/baresip.out" | head -1)
REG_NOTE[linphone]=$(grep -o 'to \[LinphoneRegistrationFailed\].*' "$OUT/linphone.log" 2>/dev/null | head -1)
REG_NOTE[cpm-client]=$(grep -v '^Listening as ' "$OUT/cpm-client.out" | head -1)

# ---- messages ------------------------------------------------------------------------------------------------

# send_baresip TO TOKEN / send_linphone TO TOKEN / send_cpm-client TO TOKEN: one MESSAGE to user TO
BS_SENDS=0
send_baresip() {
  # baresip starts on the first contact; each later send moves to the next one
  if [ $BS_SENDS -gt 0 ]; then printf '/contact_next\n' >/dev/udp/127.0.0.1/5555; sleep 0.3; fi
  BS_SENDS=$((BS_SENDS + 1))
  printf '/message %s\n' "$2" >/dev/udp/127.0.0.1/5555
}
send_linphone() { printf 'chat sip:%s@%s %s\n' "$1" "$DOMAIN" "$2" >&8; }
send_cpm-client() {
  CPM_PASSWORD=${PASSWORD[carol]} timeout 60 "$ROOT/bin/cpm-client" send --from carol --to "$1" "$2" \
    >>"$OUT/cpm-client-send.out" 2>&1
}

# status_CLIENT OFFSET: the final response the client got to the MESSAGE it sent after OFFSET of its output
status_baresip() { since "$OUT/baresip.out" "$1" | final_message_status "$ROUTER"; }
status_linphone() { since "$OUT/linphone.log" "$1" | final_message_status "$ROUTER"; }
status_cpm-client() { since "$OUT/cpm-client-send.out" "$1" | grep -oE '^[0-9]{3} ' | tail -1 | tr -d ' '; }
out_file() { case $1 in baresip) echo "$OUT/baresip.out";; linphone) echo "$OUT/linphone.log";;
                        cpm-client) echo "$OUT/cpm-client-send.out";; esac; }

# received_CLIENT OFFSET TOKEN: whether the client showed TOKEN as a received message after OFFSET of its output
received_baresip() { since "$OUT/baresip.out" "$1" | grep -qF ": \"$2\""; }          # menu: sip:carol@...: "TEXT"
received_linphone() { since "$OUT/linphone.out" "$1" | grep -qF ": $2"; }          # Message received from ...: TEXT
received_cpm-client() { since "$OUT/cpm-client.out" "$1" | grep -qF ": $2"; }      # [10:00:01] alice: TEXT
in_file() { case $1 in baresip) echo "$OUT/baresip.out";; linphone) echo "$OUT/linphone.out";;
                       cpm-client) echo "$OUT/cpm-client.out";; esac; }

touch "$OUT/cpm-client-send.out"
ROWS=()
NOTES=()
FAILED=0
# the order of baresip's sends is the order of its contacts file: carol, then bob
for pair in baresip:cpm-client cpm-client:baresip linphone:cpm-client cpm-client:linphone baresip:linphone \
    linphone:baresip; do
  from=${pair%%:*} to=${pair#*:}
  token="interop-$from-to-$to-$RANDOM"
  out_off=$(size "$(out_file "$from")"); in_off=$(size "$(in_file "$to")"); log_off=$(size "$OUT/router.log")
  blog "$from -> $to"
  send_"$from" "${USER[$to]}" "$token"
  final_status() { case $(status_"$1" "$2") in ""|401|407) return 1;; esac; }   # a challenge may be answered yet
  wait_for "$WAIT_S" final_status "$from" "$out_off"
  status=$(status_"$from" "$out_off")
  if [ "${status:0:1}" = 2 ]; then wait_for "$WAIT_S" received_"$to" "$in_off" "$token"; fi
  if received_"$to" "$in_off" "$token"; then received=yes; else received=no; fi
  sleep 0.3   # the router's log line of the authentication
  alg=$(auth_algorithm "${USER[$from]}" "$log_off")
  verdict=pass
  [ "${REGISTERED[$from]}" = yes ] && [ "${REGISTERED[$to]}" = yes ] && [ "${status:0:1}" = 2 ] &&
    [ $received = yes ] || { verdict=FAIL; FAILED=1; }
  reg() { echo "${REGISTERED[$1]}${REG_ALG[$1]:+ (${REG_ALG[$1]})}"; }
  shown=${status:-none}
  case $status in 401|407) shown="$status, not answered";; esac
  ROWS+=("| $from | $to | $(reg "$from") | $(reg "$to") | $shown${alg:+ ($alg)} | $received | $verdict |")
  if [ "$from" = cpm-client ] && [ -n "$status" ] && [ "${status:0:1}" != 2 ]; then
    NOTES+=("- cpm-client → $to: \`$(since "$OUT/cpm-client-send.out" "$out_off" | tail -1 | sed 's/ (Call-ID .*)$//')\`")
  fi
  sleep 0.5
done

# ---- the table -----------------------------------------------------------------------------------------------

for c in "${CLIENTS[@]}"; do
  if [ "${REGISTERED[$c]}" = no ]; then
    NOTES+=("- $c did not register: ${REG_NOTE[$c]:-no answer within ${WAIT_S} s} (the router offered: ${OFFERED:-?})")
  fi
done
{
  echo "Interop check, $(date -u '+%Y-%m-%d %H:%M UTC'): \`bench/interop.sh\`${INTEROP_EXTRA_OPTS:+ with \`INTEROP_EXTRA_OPTS=\"$INTEROP_EXTRA_OPTS\"\`}"
  echo
  echo "- router: commit $COMMIT, shipped configuration${INTEROP_EXTRA_OPTS:+ + $INTEROP_EXTRA_OPTS}; digest algorithms offered: ${OFFERED:-?}"
  echo "- baresip: $VERSION_BARESIP, as alice"
  echo "- linphone: $VERSION_LINPHONE, as bob"
  echo "- cpm-client: bin/cpm-client (same commit), as carol"
  echo "- all over UDP on 127.0.0.1; registered: yes/no (digest algorithm of the REGISTER); sent: the final response the"
  echo "  sender got (digest algorithm of the MESSAGE); received: the recipient showed the text"
  echo
  echo "| from | to | sender registered | recipient registered | sent | received | result |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  [ ${#NOTES[@]} -gt 0 ] && { echo; printf '%s\n' "${NOTES[@]}"; }
} | tee "$OUT/table.md"
blog "results in $OUT"
exit $FAILED
