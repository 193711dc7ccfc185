#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan) in build-fuzz and runs each for SECONDS.
#   scripts/fuzz.sh SECONDS [TARGET...]     e.g. scripts/fuzz.sh 30; scripts/fuzz.sh 600 fuzz_csv_replay
#   FUZZ_RUNS=1000000 scripts/fuzz.sh 3600  stop each target after that many executions (or SECONDS)
# Corpora grow in build-fuzz/corpus/TARGET (seeded from fuzz/corpus/TARGET); crashes land in
# build-fuzz/artifacts/TARGET/. Exits 1 if any target crashed, 2 if clang-14 is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
build=${FUZZ_BUILD:-build-fuzz}
cxx=${FUZZ_CXX:-clang++-14}

if ! command -v "$cxx" >/dev/null; then
  echo "fuzz.sh: $cxx not found: install clang-14 (scripts/install-deps.sh) to fuzz" >&2
  exit 2
fi
if [[ ! "$seconds" =~ ^[0-9]+$ ]] || (( seconds < 1 )); then
  echo "fuzz.sh: SECONDS must be a positive integer, got '$seconds'" >&2
  exit 2
fi

all=(fuzz_segment_validate fuzz_segment_file fuzz_csv_replay fuzz_csv_file fuzz_config_feed fuzz_config_algo fuzz_itch
     fuzz_bridge_wire)
targets=("$@")
(( ${#targets[@]} )) || targets=("${all[@]}")

cmake -S fuzz -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
built=()
for t in "${targets[@]}"; do
  if cmake --build "$build" -j "${JOBS:-$(nproc)}" --target "$t" >"$build/build-$t.log" 2>&1; then
    built+=("$t")
  else
    echo "fuzz.sh: $t does not build: see $build/build-$t.log" >&2
    tail -20 "$build/build-$t.log" >&2
    exit 1
  fi
done

max_len() {
  case "$1" in
    fuzz_segment_validate | fuzz_segment_file) echo 32769 ;;  # a control segment is 28672 bytes
    fuzz_csv_replay | fuzz_csv_file | fuzz_itch) echo 16384 ;;
    fuzz_bridge_wire) echo 8448 ;;  # a 128-byte header and 130 records or 65 snapshot entries
    *) echo 4096 ;;
  esac
}

# UBSan reports stop the run (halt_on_error); fuzz/ubsan.supp lists the known, reported bugs it skips.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$PWD/fuzz/ubsan.supp${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
crashed=0
summary="$build/fuzz-summary.txt"
: >"$summary"
for t in "${built[@]}"; do
  work="$build/corpus/$t"
  art="$build/artifacts/$t"
  mkdir -p "$work" "$art"
  seeds="fuzz/corpus/${t#fuzz_}"
  args=(-max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048
        -print_final_stats=1 -artifact_prefix="$art/")
  [[ -n "${FUZZ_RUNS:-}" ]] && args+=(-runs="$FUZZ_RUNS")
  dict="fuzz/dict/${t#fuzz_}.dict"
  [[ -f "$dict" ]] && args+=(-dict="$dict")
  before=$(find "$art" -type f | wc -l)
  echo "fuzz.sh: $t for ${seconds}s${FUZZ_RUNS:+ or $FUZZ_RUNS runs}"
  set +e
  "$build/bin/$t" "${args[@]}" "$work" "$seeds" >"$build/run-$t.log" 2>&1
  rc=$?
  set -e
  after=$(find "$art" -type f | wc -l)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/run-$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$build/run-$t.log" | tail -1)
  new=$((after - before))
  line="$t: ${execs:-?} executions (${rate:-?}/s), corpus $(find "$work" -type f | wc -l) files, crashes $new, exit $rc"
  echo "  $line"
  echo "$line" >>"$summary"
  if (( rc != 0 || new > 0 )); then
    crashed=1
    echo "fuzz.sh: $t FAILED: see $build/run-$t.log and $art/ (copy the reproducer to $seeds/ as a regression)" >&2
    grep -m 5 -E "ERROR|SUMMARY|runtime error|deadly" "$build/run-$t.log" >&2 || true
  fi
done
echo "fuzz.sh: summary in $summary"
exit "$crashed"
