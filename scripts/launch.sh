#!/usr/bin/env bash
# scripts/launch.sh: starts the tickshm suite (feed, algos, dashboard), reports on it and tears it down.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/launch.sh COMMAND [OPTIONS]

Commands:
  start     start the feed, then the algos; wait until the segment is live and every algo has
            attached; then run the dashboard in the foreground (when stdout is a terminal and
            --headless is not given). Quitting the dashboard (q) or Ctrl-C stops everything.
            A start while a run is active says so, does nothing and exits 1.
  stop      SIGTERM to everything this launcher started, up to 5 s to exit, then SIGKILL; then
            remove the run's segments still in /dev/shm (a crashed process's too). Idempotent.
  status    what runs (pids, uptime) and the feed's and readers' figures (tickshm-stat);
            --json: one JSON document for scripts (processes, and tickshm-stat's document).
            Exit status: 0 everything runs, 1 part of the run is gone, 3 not running.
  restart   stop (saying what it stopped), then start (with the options given, or else those
            of the last start).

Options of start and restart:
  --segment NAME       feed name: segments /dev/shm/tickshm.NAME* (default: market)
  --symbols A,B,...    symbols the feed simulates (default: the feed's 20 large caps)
  --num-symbols N      simulate N generated symbols instead
  --rate N|max         ticks per second (default: the feed's, 1000)
  --algos LIST         comma-separated STRATEGY[:NAME][:KEY=VALUE...] (default:
                       sma-cross,mean-revert,momentum; 'none' for no algo). A name given twice gets
                       NAME-2, NAME-3, ... Each KEY=VALUE (':'-separated, after the name) becomes the
                       algo's option --KEY VALUE, for that algo only, e.g.
                       --algos sma-cross:fast:fast=5:slow=20,sma-cross:slow:fast=20:slow=100
                       --algos momentum:threshold-bps=10:order-size=50   (no name: the strategy's)
  --wait spin|block|adaptive
                       the algos' wait strategy (default: the algo's, adaptive)
  --headless           never run the dashboard; return once everything is up
  --refresh-ms N       the dashboard's refresh period
  --log-level LEVEL    trace|debug|info|warn|error|critical|off for every program
  --timeout S          how long to wait for the feed and the algos to come up (default: 20)
  --feed-arg ARG       one more argument for tickshm-feed (repeatable), e.g. --feed-arg=--seed=7
  --algo-arg ARG       one more argument for every tickshm-algo (repeatable)
  --nats URL[,URL...]  also start 'tickshm-bridge out' publishing the feed to these NATS servers
                       (docs/BRIDGE.md); log RUN_DIR/logs/bridge.log, pidfile RUN_DIR/bridge.pid
  --nats-arg ARG       one more argument for the bridge (repeatable), e.g. --nats-arg=--per-symbol,
                       --nats-arg=--creds=FILE; secrets only as file:PATH or env:VAR, never literal
  -h, --help           this help

Environment:
  TICKSHM_BIN_DIR      where the binaries are (default: <repo>/build/bin)
  TICKSHM_RUN_DIR      run folder: pidfiles, the run's segment name, logs/ (default: <repo>/run)
  TICKSHM_STOP_GRACE   seconds stop waits after SIGTERM before SIGKILL (default: 5)

Files: RUN_DIR/feed.pid, RUN_DIR/algo.NAME.pid, RUN_DIR/dash.pid ("PID STARTTIME"), RUN_DIR/segment,
RUN_DIR/start.args (for restart), RUN_DIR/logs/{feed,algo.NAME,dash}.log (the programs' logs) and
*.out (their stdout and stderr: start-up errors, the algos' summaries at exit).
EOF
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN_DIR=${TICKSHM_BIN_DIR:-$ROOT/build/bin}
RUN_DIR=${TICKSHM_RUN_DIR:-$ROOT/run}
LOG_DIR=$RUN_DIR/logs
STOP_GRACE=${TICKSHM_STOP_GRACE:-5}
[[ $STOP_GRACE =~ ^[0-9]+$ ]] || { echo "launch.sh: TICKSHM_STOP_GRACE must be whole seconds, got '$STOP_GRACE'" >&2; exit 2; }
FEED=$BIN_DIR/tickshm-feed
ALGO=$BIN_DIR/tickshm-algo
DASH=$BIN_DIR/tickshm-dash
STAT=$BIN_DIR/tickshm-stat
BRIDGE=$BIN_DIR/tickshm-bridge
PROG=launch.sh

say() { printf '%s: %s\n' "$PROG" "$*"; }
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit "${2:-1}"; }
usage_error() { printf '%s: %s (see --help)\n' "$PROG" "$1" >&2; exit 2; }

# ---- processes: a pidfile holds "PID STARTTIME" so a reused pid is never taken for ours ------------

# Start time (field 22 of /proc/PID/stat) of a running, non-zombie process; fails when it is gone.
proc_start_time() {
  local stat rest
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  rest=${stat##*) }  # the command name may hold spaces and ')': fields restart after the last ')'
  local -a f
  read -r -a f <<<"$rest"
  [[ ${f[0]} != Z && ${f[0]} != X ]] || return 1
  printf '%s\n' "${f[19]}"
}

# alive PID START: the process runs and is the one the pidfile recorded.
alive() {
  local now
  now=$(proc_start_time "$1") || return 1
  [[ $now == "$2" ]]
}

write_pidfile() {  # FILE PID
  local st
  st=$(proc_start_time "$2") || st=0
  printf '%s %s\n' "$2" "$st" >"$1"
}

read_pidfile() {  # FILE -> sets PF_PID PF_START; fails on a malformed file
  PF_PID='' PF_START=''
  read -r PF_PID PF_START <"$1" 2>/dev/null || true
  [[ $PF_PID =~ ^[0-9]+$ && $PF_START =~ ^[0-9]+$ ]]
}

pidfiles() {  # every pidfile of the run, the dashboard and the algos before the feed
  local f
  for f in "$RUN_DIR"/dash.pid "$RUN_DIR"/algo.*.pid "$RUN_DIR"/bridge.pid "$RUN_DIR"/feed.pid; do
    [[ -f $f ]] && printf '%s\n' "$f"
  done
  return 0
}

label_of() {  # run/algo.NAME.pid -> "algo NAME"
  local b
  b=$(basename "$1" .pid)
  case $b in
    algo.*) printf 'algo %s\n' "${b#algo.}" ;;
    *) printf '%s\n' "$b" ;;
  esac
}

uptime_of() {  # START (clock ticks since boot) -> "1h02m03s"
  local hz up s
  hz=$(getconf CLK_TCK)
  read -r up _ </proc/uptime
  s=$((${up%.*} - $1 / hz))
  ((s < 0)) && s=0
  printf '%dh%02dm%02ds\n' $((s / 3600)) $((s % 3600 / 60)) $((s % 60))
}

any_alive() {  # true when a pidfile of the run names a live process
  local f
  while read -r f; do
    read_pidfile "$f" && alive "$PF_PID" "$PF_START" && return 0
  done < <(pidfiles)
  return 1
}

now_us() { printf '%s\n' "${EPOCHREALTIME/[.,]/}"; }  # microseconds since the epoch (bash 5)

recorded_segment() { [[ -f $RUN_DIR/segment ]] && head -n1 "$RUN_DIR/segment"; }

# The run folder is shared by start, stop and status from several terminals: one at a time changes it.
take_lock() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/.lock"
  flock -w 30 9 || die "another launch.sh holds $RUN_DIR/.lock for over 30 s"
}
release_lock() { exec 9>&-; }

need_bin() {
  [[ -x $1 ]] || die "$(basename "$1") not found in $BIN_DIR: build first (make build) or set TICKSHM_BIN_DIR"
}

# ---- tickshm-stat --json, read with grep: the launcher needs no jq ------------------------------------

stat_json() { "$STAT" --segment "$1" --json 2>/dev/null; }

feed_live() {  # SEGMENT PID: the segment is LIVE and written by PID
  local j
  j=$(stat_json "$1") || return 1
  grep -Eq '"state": *"LIVE"' <<<"$j" && grep -Eq "\"writer_pid\": *$2[,}]" <<<"$j"
}

reader_attached() {  # SEGMENT PID: PID holds a live slot in the registry
  local j
  j=$(stat_json "$1") || return 1
  # Reader objects are flat and begin with "slot"; symbols begin with "index" and positions with "symbol".
  grep -Eo '\{ *"slot":[^{}]*\}' <<<"$j" | grep -E "\"pid\": *$2[,}]" | grep -Eq '"alive": *true'
}

log_tail() {  # FILE...: the last lines of each, indented, for an error message
  local f
  for f in "$@"; do
    [[ -s $f ]] || continue
    printf '  --- last lines of %s\n' "$f" >&2
    tail -n 8 "$f" | sed 's/^/  /' >&2
  done
}

# ---- the run's results: each algo's --report, read back when it has exited --------------------------

# report_fields FILE: the report's scalar fields as "path.to.key value" lines (pretty-printed JSON, one
# key per line, as tickshm-algo writes it); arrays are skipped.
report_fields() {
  awk '
    { sub(/^[ \t]+/, ""); sub(/,$/, "") }
    /^[}\]]/ { n--; next }
    /^\{$/ { n++; stack[n] = (n == 1) ? "" : "[]"; next }
    /^"[^"]*": *[\{\[]$/ { k = $0; sub(/^"/, "", k); sub(/".*/, "", k); stack[++n] = (substr($0, length($0)) == "[") ? "[]" : k; next }
    /^"[^"]*": / {
      for (i = 1; i <= n; i++) if (stack[i] == "[]") next
      k = $0; sub(/^"/, "", k); sub(/".*/, "", k)
      v = $0; sub(/^"[^"]*": */, "", v); gsub(/"/, "", v)
      path = ""
      for (i = 1; i <= n; i++) if (stack[i] != "") path = path stack[i] "."
      print path k, v
    }' "$1"
}

# Prints one row per algo report in LOG_DIR: what each algo received and lost, did and earned.
print_results() {
  local f any=0
  for f in "$LOG_DIR"/algo.*.report.json; do
    [[ -s $f ]] || continue
    if ((any == 0)); then
      printf '\nResults of the run (P&L in currency units; reports, P&L charts (algo.NAME.pnl.svg) and logs in %s):\n' "$LOG_DIR"
      printf '%-20s %10s %8s %8s %8s %8s %14s %10s %10s  %s\n' ALGO TICKS LOST ORDERS FILLS REJECTS \
        'P&L' 'P50 us' 'P99 us' STATUS
      any=1
    fi
    report_fields "$f" | awk -v name="$(basename "$f" .report.json)" '
      { v[$1] = $2 }
      END {
        sub(/^algo\./, "", name)
        status = (v["risk.halted"] == "true") ? "halted" : "ok"
        printf "%-20s %10d %8d %8d %8d %8d %14.2f %10.1f %10.1f  %s\n", name, v["ticks.received"],
          v["ticks.lost"], v["orders.sent"], v["orders.fills"], v["orders.rejects"],
          v["pnl.total"] / (v["price_scale"] ? v["price_scale"] : 10000),
          v["latency.publish_to_read.p50_ns"] / 1000, v["latency.publish_to_read.p99_ns"] / 1000, status
      }'
  done
  return 0
}

# ---- stop ----------------------------------------------------------------------------------------------

# Stops every process of the run and removes its segments; safe to call when nothing runs.
do_stop() {
  local seg f quiet=${1:-}
  seg=$(recorded_segment) || seg=''
  local -a pids=() labels=()
  local had_files=0
  while read -r f; do
    had_files=1
    if read_pidfile "$f" && alive "$PF_PID" "$PF_START"; then
      pids+=("$PF_PID:$PF_START")
      labels+=("$(label_of "$f") (pid $PF_PID)")
    fi
  done < <(pidfiles)
  if [[ -z $seg && $had_files == 0 ]]; then
    [[ -n $quiet ]] || say "not running (nothing recorded in $RUN_DIR)"
    return 0
  fi

  local p
  for p in "${pids[@]}"; do
    kill -TERM "${p%%:*}" 2>/dev/null || true
    kill -CONT "${p%%:*}" 2>/dev/null || true  # a stopped process acts on SIGTERM only once continued
  done
  local deadline i left
  deadline=$(($(now_us) + STOP_GRACE * 1000000))
  while :; do
    left=0
    for p in "${pids[@]}"; do alive "${p%%:*}" "${p##*:}" && left=1; done
    ((left == 0 || $(now_us) >= deadline)) && break
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    p=${pids[$i]}
    if alive "${p%%:*}" "${p##*:}"; then
      say "${labels[$i]} did not exit within ${STOP_GRACE} s of SIGTERM: SIGKILL"
      kill -KILL "${p%%:*}" 2>/dev/null || true
    fi
  done
  deadline=$(($(now_us) + 5000000))
  while :; do
    left=0
    for p in "${pids[@]}"; do alive "${p%%:*}" "${p##*:}" && left=1; done
    ((left == 0 || $(now_us) >= deadline)) && break
    sleep 0.05
  done

  if [[ -n $seg ]]; then
    remove_segments "$seg"
  fi
  rm -f "$RUN_DIR"/dash.pid "$RUN_DIR"/algo.*.pid "$RUN_DIR"/bridge.pid "$RUN_DIR"/feed.pid "$RUN_DIR"/segment
  [[ -n $quiet ]] || { say "stopped${seg:+ segment $seg}${labels[0]:+: ${labels[*]}}"; print_results; }
}

# Removes the segments of feed SEG whose writer is dead (ours are, now). A live writer keeps its own:
# that is another run's feed, or an algo started by hand, and the launcher never pulls memory from it.
remove_segments() {
  local seg=$1 f
  if [[ -x $STAT ]]; then
    "$STAT" --clean --segment "$seg" >/dev/null 2>&1 || say "tickshm-stat --clean --segment $seg failed"
  else
    # No inspector to tell a dead writer from a live one: the run's processes are gone, so its names go.
    rm -f "/dev/shm/tickshm.$seg" "/dev/shm/tickshm.$seg.ctl" "/dev/shm/tickshm.$seg.algo."* \
      "/dev/shm/tickshm.$seg.bridge."*
  fi
  local -a kept=()
  for f in "/dev/shm/tickshm.$seg" "/dev/shm/tickshm.$seg.ctl" "/dev/shm/tickshm.$seg.algo."* \
    "/dev/shm/tickshm.$seg.bridge."*; do
    [[ -e $f ]] && kept+=("${f#/dev/shm/}")
  done
  if ((${#kept[@]} > 0)); then
    say "left in /dev/shm, their writer is alive and was not started by this launcher: ${kept[*]}"
  fi
  return 0
}

# ---- start ---------------------------------------------------------------------------------------------

START_DONE=0
on_start_exit() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [[ $START_DONE != 1 ]]; then
    take_lock
    do_stop || true
  fi
  exit "$rc"
}

do_start() {
  local segment=market symbols='' num_symbols='' rate='' algos='sma-cross,mean-revert,momentum' wait=''
  local headless=0 refresh='' log_level='' timeout=20
  local -a feed_extra=() algo_extra=() nats_extra=() saved=("$@")
  local nats=''
  while (($# > 0)); do
    local opt=$1 val=''
    if [[ $opt == --*=* ]]; then
      val=${opt#*=}
      opt=${opt%%=*}
    fi
    # An unknown option is named as such before anything asks it for a value (a typo of a flag that
    # takes none, like --headles, is not "missing its value").
    case $opt in
      --segment | --symbols | --num-symbols | --rate | --algos | --wait | --refresh-ms | --log-level | \
        --timeout | --feed-arg | --algo-arg | --nats | --nats-arg)
        if [[ $1 != --*=* ]]; then
          (($# >= 2)) || usage_error "$opt needs a value"
          val=$2
          shift
        fi
        ;;
      --headless | -h | --help)
        [[ $1 != --*=* ]] || usage_error "$opt takes no value"
        ;;
      *) usage_error "unknown option of start: $opt" ;;
    esac
    shift
    case $opt in
      --segment) segment=$val ;;
      --symbols) symbols=$val ;;
      --num-symbols) num_symbols=$val ;;
      --rate) rate=$val ;;
      --algos) algos=$val ;;
      --wait) wait=$val ;;
      --headless) headless=1 ;;
      --refresh-ms) refresh=$val ;;
      --log-level) log_level=$val ;;
      --timeout) timeout=$val ;;
      --feed-arg) feed_extra+=("$val") ;;
      --algo-arg) algo_extra+=("$val") ;;
      --nats) nats=$val ;;
      --nats-arg) nats_extra+=("$val") ;;
      -h | --help) usage; exit 0 ;;
      *) usage_error "unknown option of start: $opt" ;;
    esac
  done
  [[ $segment =~ ^[A-Za-z0-9_-]{1,64}$ ]] ||
    usage_error "--segment '$segment' is not a valid name ([A-Za-z0-9_-]{1,64}; no '.')"
  [[ $timeout =~ ^[0-9]+$ && $timeout -gt 0 ]] || usage_error "--timeout must be a whole number of seconds, got '$timeout'"
  [[ -z $wait || $wait =~ ^(spin|block|adaptive)$ ]] || usage_error "--wait must be spin, block or adaptive, got '$wait'"

  # Algos: STRATEGY[:NAME][:KEY=VALUE...]; a repeated name gets -2, -3, ... The fields are ':'-separated,
  # so the ',' of the list never meets a parameter; a field with '=' is a parameter, else the name.
  # algo_params[i] holds that algo's extra arguments, space-separated (keys and values have no space).
  local -a algo_strats=() algo_names=() algo_params=()
  if [[ $algos != none && -n $algos ]]; then
    local item strat name n field params
    local -a items fields
    IFS=, read -r -a items <<<"$algos"
    for item in "${items[@]}"; do
      [[ -n $item ]] || continue
      IFS=: read -r -a fields <<<"$item"
      strat=${fields[0]}
      [[ $strat =~ ^[a-z][a-z0-9-]*$ ]] || usage_error "--algos: '$strat' is not a strategy name"
      name=$strat
      params=''
      local named=0
      for field in "${fields[@]:1}"; do
        if [[ $field == *=* ]]; then
          [[ $field =~ ^([a-z][a-z0-9-]*)=([A-Za-z0-9.,_+-]+)$ ]] ||
            usage_error "--algos: '$field' in '$item' is not KEY=VALUE (KEY a lower-case option name, VALUE without spaces)"
          params+=" --${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
        elif ((named == 0)) && [[ -n $field ]]; then
          name=$field
          named=1
        else
          usage_error "--algos: '$item' has a second name '$field' (the syntax is STRATEGY[:NAME][:KEY=VALUE...])"
        fi
      done
      [[ $name =~ ^[A-Za-z0-9_-]{1,64}$ ]] || usage_error "--algos: '$name' is not a valid algo name ([A-Za-z0-9_-]{1,64}; no '.')"
      n=1
      local base=$name
      while printf '%s\n' "${algo_names[@]}" | grep -qxF -- "$name"; do
        n=$((n + 1))
        name=$base-$n
      done
      ((${#name} <= 64)) || usage_error "--algos: '$base' given again is too long to number ('$name' is over 64 characters)"
      algo_strats+=("$strat")
      algo_names+=("$name")
      algo_params+=("$params")
    done
  fi

  local a
  for a in "${nats_extra[@]}"; do
    # A secret on a command line is in every 'ps' and in start.args: only a reference to one is taken.
    if [[ $a =~ ^--(password|token)(=|$) && ! $a =~ ^--(password|token)=(file|env): ]]; then
      usage_error "--nats-arg $a: give secrets as --password=file:PATH or env:VAR (one argument with '=')"
    fi
  done
  ((${#nats_extra[@]} == 0)) || [[ -n $nats ]] || usage_error "--nats-arg needs --nats"
  need_bin "$FEED"
  ((${#algo_names[@]} == 0)) || need_bin "$ALGO"
  [[ -z $nats ]] || need_bin "$BRIDGE"
  need_bin "$STAT"
  local foreground=0
  [[ $headless == 0 && -t 1 ]] && foreground=1
  ((foreground == 0)) || need_bin "$DASH"

  take_lock
  if any_alive; then
    # Non-zero: a script or CI that carries on after start must not believe its own run started.
    die "already running (segment $(recorded_segment || echo '?')): nothing started; see 'scripts/launch.sh status', or 'stop' first"
  fi
  local f stale=0
  while read -r f; do stale=1; done < <(pidfiles)
  if ((stale)); then
    say "a previous run ended without stop (stale pidfiles): cleaning it up"
    do_stop quiet
  fi

  mkdir -p "$LOG_DIR"
  printf '%s\n' "$segment" >"$RUN_DIR/segment"
  if ((${#saved[@]} > 0)); then printf '%s\n' "${saved[@]}" >"$RUN_DIR/start.args"; else : >"$RUN_DIR/start.args"; fi
  trap on_start_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP

  local -a common=(--segment "$segment")
  [[ -n $log_level ]] && common+=(--log-level "$log_level")

  # The feed and the algos get their own session (setsid): Ctrl-C in this terminal, or closing it,
  # reaches them only through this script's teardown, never half of them directly. None inherits the
  # lock's descriptor (9>&-), or the lock would live as long as they do.
  local -a feed_args=("${common[@]}" --log-file "$LOG_DIR/feed.log")
  [[ -n $symbols ]] && feed_args+=(--symbols "$symbols")
  [[ -n $num_symbols ]] && feed_args+=(--num-symbols "$num_symbols")
  [[ -n $rate ]] && feed_args+=(--rate "$rate")
  feed_args+=("${feed_extra[@]}")
  setsid "$FEED" "${feed_args[@]}" >"$LOG_DIR/feed.out" 2>&1 </dev/null 9>&- &
  local feed_pid=$!
  write_pidfile "$RUN_DIR/feed.pid" "$feed_pid"
  say "feed started: pid $feed_pid, segment $segment (log $LOG_DIR/feed.log)"

  local deadline=$((SECONDS + timeout))
  until feed_live "$segment" "$feed_pid"; do
    if ! kill -0 "$feed_pid" 2>/dev/null || ! alive "$feed_pid" "$(cut -d' ' -f2 "$RUN_DIR/feed.pid")"; then
      local rc=0
      wait "$feed_pid" || rc=$?
      printf '%s: tickshm-feed (pid %s) exited with status %s before segment %s was live\n' \
        "$PROG" "$feed_pid" "$rc" "$segment" >&2
      log_tail "$LOG_DIR/feed.out"
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      printf '%s: segment %s did not become LIVE within %s s (tickshm-stat: %s)\n' "$PROG" "$segment" "$timeout" \
        "$("$STAT" --segment "$segment" 2>&1 | head -n1)" >&2
      log_tail "$LOG_DIR/feed.out"
      exit 1
    fi
    sleep 0.1
  done

  if [[ -n $nats ]]; then
    setsid "$BRIDGE" "${common[@]}" --nats "$nats" --log-file "$LOG_DIR/bridge.log" out "${nats_extra[@]}" \
      >"$LOG_DIR/bridge.out" 2>&1 </dev/null 9>&- &
    local bridge_pid=$!
    write_pidfile "$RUN_DIR/bridge.pid" "$bridge_pid"
    say "bridge out started: pid $bridge_pid, to $nats (log $LOG_DIR/bridge.log)"
    local bdeadline=$((SECONDS + timeout))
    until [[ -e /dev/shm/tickshm.$segment.bridge.out ]]; do
      if ! kill -0 "$bridge_pid" 2>/dev/null; then
        local rc=0
        wait "$bridge_pid" || rc=$?
        printf '%s: tickshm-bridge (pid %s) exited with status %s\n' "$PROG" "$bridge_pid" "$rc" >&2
        log_tail "$LOG_DIR/bridge.out"
        exit 1
      fi
      ((SECONDS < bdeadline)) || { printf '%s: the bridge did not start within %s s\n' "$PROG" "$timeout" >&2; exit 1; }
      sleep 0.1
    done
  fi

  local i pid
  local -a algo_pids=()
  for i in "${!algo_names[@]}"; do
    rm -f "$LOG_DIR/algo.${algo_names[$i]}.report.json"
    rm -f "$LOG_DIR/algo.${algo_names[$i]}.pnl.svg"
    local -a a_args=("${common[@]}" --strategy "${algo_strats[$i]}" --name "${algo_names[$i]}"
      --log-file "$LOG_DIR/algo.${algo_names[$i]}.log" --report "$LOG_DIR/algo.${algo_names[$i]}.report.json"
      --report-svg "$LOG_DIR/algo.${algo_names[$i]}.pnl.svg")
    [[ -n $wait ]] && a_args+=(--wait "$wait")
    a_args+=("${algo_extra[@]}")
    # This algo's own parameters (an option given here and in --algo-arg too is refused by the algo).
    local -a own=()
    read -r -a own <<<"${algo_params[$i]}"
    a_args+=("${own[@]}")
    setsid "$ALGO" "${a_args[@]}" >"$LOG_DIR/algo.${algo_names[$i]}.out" 2>&1 </dev/null 9>&- &
    pid=$!
    algo_pids+=("$pid")
    write_pidfile "$RUN_DIR/algo.${algo_names[$i]}.pid" "$pid"
    say "algo ${algo_names[$i]} started: pid $pid, strategy ${algo_strats[$i]} (log $LOG_DIR/algo.${algo_names[$i]}.log)"
  done
  for i in "${!algo_names[@]}"; do
    pid=${algo_pids[$i]}
    until reader_attached "$segment" "$pid"; do
      if ! kill -0 "$pid" 2>/dev/null || [[ $(proc_start_time "$pid" || echo gone) == gone ]]; then
        local rc=0
        wait "$pid" || rc=$?
        printf '%s: algo %s (pid %s) exited with status %s before attaching to %s\n' \
          "$PROG" "${algo_names[$i]}" "$pid" "$rc" "$segment" >&2
        log_tail "$LOG_DIR/algo.${algo_names[$i]}.out"
        exit 1
      fi
      if ((SECONDS >= deadline)); then
        printf '%s: algo %s (pid %s) did not attach to %s within %s s\n' \
          "$PROG" "${algo_names[$i]}" "$pid" "$segment" "$timeout" >&2
        log_tail "$LOG_DIR/algo.${algo_names[$i]}.out"
        exit 1
      fi
      sleep 0.1
    done
  done
  say "up: segment $segment live, ${#algo_names[@]} algo(s) attached${algo_names[0]:+ (${algo_names[*]})}"

  if ((foreground == 0)); then
    START_DONE=1
    trap - EXIT INT TERM HUP
    say "running in the background: 'scripts/launch.sh status' to look, 'scripts/launch.sh stop' to end it"
    return 0
  fi

  # The dashboard in the foreground; whatever ends it (q, Ctrl-C, a stop from another terminal, a
  # closed terminal) ends the run through on_start_exit. It runs as a background job that this shell
  # waits for, so a signal sent to the launcher alone is acted on at once; job control is off, so it
  # stays in the terminal's foreground process group and reads the keyboard through the explicit <&0.
  release_lock
  local -a d_args=("${common[@]}" --log-file "$LOG_DIR/dash.log")
  [[ -n $refresh ]] && d_args+=(--refresh-ms "$refresh")
  "$DASH" "${d_args[@]}" <&0 2>>"$LOG_DIR/dash.out" &
  local dash_pid=$!
  write_pidfile "$RUN_DIR/dash.pid" "$dash_pid"
  local rc=0
  wait "$dash_pid" || rc=$?
  trap - EXIT INT TERM HUP
  take_lock
  if [[ -f $RUN_DIR/segment ]]; then
    do_stop
  else
    say "the run was stopped by 'scripts/launch.sh stop'"
  fi
  exit "$rc"
}

# ---- status --------------------------------------------------------------------------------------------

json_str() {  # TEXT -> a JSON string literal (the names here are [A-Za-z0-9_-]; paths may hold more)
  local t=${1//\\/\\\\}
  t=${t//\"/\\\"}
  t=${t//$'\t'/\\t}
  printf '"%s"' "${t//$'\n'/\\n}"
}

do_status() {
  local json=0
  while (($# > 0)); do
    case $1 in
      --json) json=1 ;;
      -h | --help) usage; exit 0 ;;
      *) usage_error "unknown option of status: $1" ;;
    esac
    shift
  done
  local seg f running=0 gone=0 pid state up
  local -a rows=()
  seg=$(recorded_segment) || seg=''
  while read -r f; do
    if read_pidfile "$f" && alive "$PF_PID" "$PF_START"; then
      state=running up=$(uptime_of "$PF_START")
      running=$((running + 1))
    else
      state=gone up=-
      gone=$((gone + 1))
    fi
    pid=${PF_PID:-?}
    rows+=("$(label_of "$f")|$pid|$state|$up")
  done < <(pidfiles)

  local code=0
  if [[ -z $seg && ${#rows[@]} == 0 ]] || ((running == 0)); then
    code=3
  elif ((gone > 0)); then
    code=1
  fi

  if ((json)); then
    # One document for scripts: the run's processes, and tickshm-stat's own document under "stat"
    # (null when the segment cannot be read).
    local stat_doc='null' sep='' r label
    if [[ -n $seg && -x $STAT ]]; then
      stat_doc=$("$STAT" --segment "$seg" --json 2>/dev/null) || stat_doc='null'
      [[ -n $stat_doc ]] || stat_doc='null'
    fi
    printf '{"schema_version": 1, "running": %s, "segment": %s, "run_dir": %s, "exit_code": %s, "processes": [' \
      "$( ((code == 0 || code == 1)) && echo true || echo false)" \
      "$( [[ -n $seg ]] && json_str "$seg" || echo null)" "$(json_str "$RUN_DIR")" "$code"
    for r in "${rows[@]}"; do
      IFS='|' read -r label pid state up <<<"$r"
      [[ $pid =~ ^[0-9]+$ ]] || pid=null
      printf '%s{"process": %s, "pid": %s, "state": "%s", "uptime": %s}' "$sep" "$(json_str "$label")" \
        "$pid" "$state" "$( [[ $up == - ]] && echo null || json_str "$up")"
      sep=', '
    done
    printf '], "stat": %s}\n' "$stat_doc"
    exit "$code"
  fi

  if [[ -z $seg && ${#rows[@]} == 0 ]]; then
    say "not running (nothing recorded in $RUN_DIR)"
    exit 3
  fi
  printf 'segment %s   run folder %s\n' "${seg:-?}" "$RUN_DIR"
  printf '%-24s %8s  %-8s %s\n' PROCESS PID STATE UPTIME
  for r in "${rows[@]}"; do
    IFS='|' read -r label pid state up <<<"$r"
    printf '%-24s %8s  %-8s %s\n' "$label" "$pid" "$state" "$up"
  done
  if [[ -n $seg && -x $STAT ]]; then
    echo
    "$STAT" --segment "$seg" --max-symbols 25 || true
  fi
  exit "$code"
}

# ---- main ------------------------------------------------------------------------------------------------

(($# > 0)) || { usage >&2; exit 2; }
cmd=$1
shift
case $cmd in
  -h | --help | help) usage ;;
  start) do_start "$@" ;;
  stop)
    (($# == 0)) || { [[ $1 == -h || $1 == --help ]] && { usage; exit 0; }; usage_error "stop takes no option"; }
    take_lock
    do_stop
    ;;
  status) do_status "$@" ;;
  restart)
    args=("$@")
    if (($# == 0)) && [[ -s $RUN_DIR/start.args ]]; then
      mapfile -t args <"$RUN_DIR/start.args"
    fi
    take_lock
    do_stop
    release_lock
    do_start "${args[@]}"
    ;;
  *) usage_error "unknown command '$cmd'" ;;
esac
