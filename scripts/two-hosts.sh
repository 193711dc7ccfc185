#!/usr/bin/env bash
# scripts/two-hosts.sh: tickshm across two "hosts" on one machine, over a 2-node NATS cluster.
#
#   host A (netns, own /dev/shm)                      host B (netns, own /dev/shm)
#   tickshm-feed -> /tickshm.market                   /tickshm.market <- tickshm-bridge in
#   tickshm-bridge out -> nats-server A  <==veth==>  nats-server B -> (same)   two tickshm-algo, tickshm-stat
#
# Each host is a network namespace (10.200.N.1 and 10.200.N.2 on a veth pair) holding a mount namespace
# with a private tmpfs on /dev/shm: the two /tickshm.market segments are different files. Prints the
# end-to-end accounting and tears everything down (no namespace, process or segment left), even on
# failure. Needs root, iproute2, util-linux (unshare, nsenter), nats-server and the built binaries.
#
# Usage: scripts/two-hosts.sh [--count N] [--rate R] [--cut SECONDS] [--keep-logs]
#   --count N      ticks the feed publishes (default 30000)
#   --rate R       ticks per second (default 10000)
#   --cut S        cut the link (ip link set down) for S seconds in the middle of the run (default 0)
# Exit: 0 accounting exact (received + lost = published at every hop), 1 not, 2 usage or missing tools.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN_DIR=${TICKSHM_BIN_DIR:-$ROOT/build/bin}
PROG=two-hosts.sh
COUNT=30000
RATE=10000
CUT=0
KEEP_LOGS=0

die() { printf '%s: %s\n' "$PROG" "$1" >&2; exit "${2:-1}"; }
while (($#)); do
  case $1 in
    --count) COUNT=${2:-}; shift 2 ;;
    --rate) RATE=${2:-}; shift 2 ;;
    --cut) CUT=${2:-}; shift 2 ;;
    --keep-logs) KEEP_LOGS=1; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" 2 ;;
  esac
done
[[ $COUNT =~ ^[0-9]+$ && $COUNT -gt 0 ]] || die "--count must be a positive integer, got '$COUNT'" 2
[[ $RATE =~ ^[0-9]+$ && $RATE -gt 0 ]] || die "--rate must be a positive integer, got '$RATE'" 2
[[ $CUT =~ ^[0-9]+$ ]] || die "--cut must be whole seconds, got '$CUT'" 2
[[ $(id -u) -eq 0 ]] || die "needs root (network and mount namespaces)" 2
for t in ip unshare nsenter nats-server; do command -v "$t" >/dev/null || die "$t not found" 2; done
for b in tickshm-feed tickshm-bridge tickshm-algo tickshm-stat; do
  [[ -x $BIN_DIR/$b ]] || die "$BIN_DIR/$b not built" 2
done

ID=$$
NET=$((ID % 250 + 1))
NSA=tshA$ID
NSB=tshB$ID
VA=tva$ID
VB=tvb$ID
IPA=10.200.$NET.1
IPB=10.200.$NET.2
WORK=$(mktemp -d /tmp/tickshm-two-hosts.XXXXXX)
PIDS=()
HOLDERS=()

cleanup() {
  local rc=$?
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill -TERM "${PIDS[i]}" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  # The holders own the mount namespaces: when they exit, the private /dev/shm tmpfs goes with them.
  for p in "${HOLDERS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$NSA" 2>/dev/null || true
  ip netns del "$NSB" 2>/dev/null || true
  ip link del "$VA" 2>/dev/null || true
  for p in "${PIDS[@]}" "${HOLDERS[@]}"; do
    if kill -0 "$p" 2>/dev/null; then echo "$PROG: process $p survived the teardown" >&2; rc=1; fi
  done
  if ip netns list | grep -qw -e "$NSA" -e "$NSB"; then echo "$PROG: a namespace survived the teardown" >&2; rc=1; fi
  if ((rc != 0 || KEEP_LOGS)); then
    echo "$PROG: logs kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- two hosts ------------------------------------------------------------------------------------
ip netns add "$NSA" 2>/dev/null || die "cannot create a network namespace (needs CAP_SYS_ADMIN)" 2
ip netns add "$NSB"
ip link add "$VA" type veth peer name "$VB"
ip link set "$VA" netns "$NSA"
ip link set "$VB" netns "$NSB"
ip -n "$NSA" addr add "$IPA/24" dev "$VA"
ip -n "$NSB" addr add "$IPB/24" dev "$VB"
for ns in "$NSA" "$NSB"; do ip -n "$ns" link set lo up; done
ip -n "$NSA" link set "$VA" up
ip -n "$NSB" link set "$VB" up

# A holder per host: its network namespace plus a new mount namespace with a private /dev/shm.
start_holder() {
  local ns=$1 ready=$WORK/$1.ready
  ip netns exec "$ns" unshare -m --propagation private \
    sh -c "mount -t tmpfs -o mode=1777,size=256m tmpfs /dev/shm && touch '$ready' && exec sleep 100000" &
  HOLDERS+=($!)
  for _ in $(seq 100); do [[ -e $ready ]] && return 0; sleep 0.05; done
  die "host $ns did not come up"
}
start_holder "$NSA"
HOLD_A=${HOLDERS[0]}
start_holder "$NSB"
HOLD_B=${HOLDERS[1]}
# The holder's pid is its sh, exec'ed into sleep: enter its namespaces with nsenter.
on_a() { nsenter -t "$HOLD_A" -m -n -- "$@"; }
on_b() { nsenter -t "$HOLD_B" -m -n -- "$@"; }
# A simple command run in the background: $! is the program itself (nsenter execs it), so the
# teardown signals the program, not a subshell around it.
bg_a() { local log=$1; shift; nsenter -t "$HOLD_A" -m -n -- "$@" >"$WORK/$log.log" 2>&1 & PIDS+=($!); }
bg_b() { local log=$1; shift; nsenter -t "$HOLD_B" -m -n -- "$@" >"$WORK/$log.log" 2>&1 & PIDS+=($!); }

# ---- a 2-node NATS cluster across them ------------------------------------------------------------
# A route whose writes block longer than write_deadline is closed as a slow consumer, and a cut link
# blocks them for the whole cut: the deadline outlasts the cut, so the route resumes when the link does.
printf 'write_deadline: "%ds"\n' $((CUT + 20)) >"$WORK/nats.conf"
bg_a nats-a nats-server -c "$WORK/nats.conf" -a "$IPA" -p 4222 --cluster "nats://$IPA:6222" \
  --cluster_name tickshm --routes "nats://$IPB:6222"
bg_b nats-b nats-server -c "$WORK/nats.conf" -a "$IPB" -p 4222 --cluster "nats://$IPB:6222" \
  --cluster_name tickshm --routes "nats://$IPA:6222"
for _ in $(seq 100); do
  grep -q "route connection created\|Route connection created" "$WORK/nats-a.log" 2>/dev/null && break
  sleep 0.1
done

B=$BIN_DIR
# ---- host B: bridge in, two algos; host A: bridge out, then the feed -------------------------------
bg_b bridge-in "$B/tickshm-bridge" --segment market --nats "nats://$IPB:4222,nats://$IPA:4222" \
  --reconnect-wait 200 in --remote-feed market
bg_b algo-1 "$B/tickshm-algo" --segment market --strategy momentum --name remote-1 --wait block
bg_b algo-2 "$B/tickshm-algo" --segment market --strategy mean-revert --name remote-2 --wait adaptive
bg_a bridge-out "$B/tickshm-bridge" --segment market --nats "nats://$IPA:4222,nats://$IPB:4222" \
  --reconnect-wait 200 out --wait block
for _ in $(seq 100); do
  [[ -e /proc/$HOLD_B ]] && on_b test -e /dev/shm/tickshm.market.bridge.in && on_a test -e /dev/shm/tickshm.market.bridge.out && break
  sleep 0.1
done
sleep 0.5  # both bridges connected and subscribed
bg_a feed "$B/tickshm-feed" --segment market --rate "$RATE" --count "$COUNT" --symbols AAPL,MSFT,NVDA,AMZN,GOOG
FEED_PID=${PIDS[-1]}

if ((CUT > 0)); then
  sleep "$(awk -v c="$COUNT" -v r="$RATE" 'BEGIN { printf "%.2f", c / r / 3 }')"
  echo "$PROG: cutting the link for $CUT s"
  ip -n "$NSA" link set "$VA" down
  sleep "$CUT"
  ip -n "$NSA" link set "$VA" up
  echo "$PROG: link restored"
fi
wait "$FEED_PID" || die "the feed failed: $(cat "$WORK/feed.log")"

# ---- accounting -----------------------------------------------------------------------------------
num() { grep -o "\"$1\":[0-9]*" | head -1 | cut -d: -f2; }
bridge_in_json() { on_b "$B/tickshm-stat" --segment market --json | grep -o '"bridges":\[{[^]]*' || true; }
settled=0
for _ in $(seq 300); do  # up to 60 s: a restored link retransmits with TCP's backed-off timers
  j=$(bridge_in_json)
  t=$(num ticks <<<"$j"); l=$(num lost <<<"$j")
  if [[ -n $t && -n $l ]] && ((t + l >= COUNT)); then settled=1; break; fi
  sleep 0.2
done
stat_b=$(on_b "$B/tickshm-stat" --segment market --json)
stat_a_out=$(on_a "$B/tickshm-stat" --list 2>/dev/null || true)
j=$(bridge_in_json)
in_ticks=$(num ticks <<<"$j"); in_lost=$(num lost <<<"$j"); in_gaps=$(num gaps <<<"$j")
in_rej=$(num rejected <<<"$j"); in_rc=$(num reconnects <<<"$j")
published_b=$(num published <<<"$stat_b")
reader() { grep -o "\"name\":\"$1\"[^}]*" <<<"$stat_b" | head -1; }
r1=$(reader remote-1); r2=$(reader remote-2)

printf '\n%s: end-to-end accounting (host A feed -> NATS cluster -> host B)\n' "$PROG"
printf '  feed on A published            %s\n' "$COUNT"
printf '  bridge in on B wrote           %s  lost %s in %s gaps  (rejected %s, reconnects %s)\n' \
  "$in_ticks" "$in_lost" "$in_gaps" "$in_rej" "$in_rc"
printf '  local segment on B published   %s\n' "$published_b"
printf '  algo remote-1 received         %s  lost %s\n' "$(num received <<<"$r1")" "$(num lost <<<"$r1")"
printf '  algo remote-2 received         %s  lost %s\n' "$(num received <<<"$r2")" "$(num lost <<<"$r2")"
on_b "$B/tickshm-stat" --segment market --max-symbols 5 | sed 's/^/  B| /'
ok=1
((settled)) || { echo "$PROG: the in side never accounted for every tick" >&2; ok=0; }
[[ -n $in_ticks && $((in_ticks + in_lost)) -eq $COUNT ]] || { echo "$PROG: bridge in: $in_ticks + $in_lost != $COUNT" >&2; ok=0; }
[[ $published_b == "$in_ticks" ]] || { echo "$PROG: local published $published_b != bridge in's $in_ticks" >&2; ok=0; }
for r in "$r1" "$r2"; do
  rr=$(num received <<<"$r"); rl=$(num lost <<<"$r")
  [[ -n $rr && $((rr + rl)) -eq $published_b ]] || { echo "$PROG: an algo's received + lost != $published_b: $r" >&2; ok=0; }
done
# The two hosts' /dev/shm are apart: host A's root namespace has no segment of host B's and vice versa.
if [[ -e /dev/shm/tickshm.market.bridge.in ]]; then echo "$PROG: host B's segment leaked into this host" >&2; ok=0; fi
if ((ok)); then
  echo "$PROG: received + lost = published at every hop: OK"
  exit 0
fi
exit 1
