#!/usr/bin/env bash
# dabiao vs DuckDB on the same checks over the same CSV files.
#
#   bench/run.sh [N] [ROUNDS]   N enterprises, 3N placements, N/10 schools (default 1000000);
#                               ROUNDS timed runs of each side, alternating (default 3)
#
# Environment: BENCH_DATA (data folder, default /tmp/dabiao-bench-N; reused when present),
#              BENCH_JOBS (swift build --jobs, default 1), BENCH_BUILD=0 to use the existing build,
#              BENCH_VERIFY=0 to skip the count check,
#              BENCH_SCALING=1 to time dabiao on N against dabiao on N/2 instead (no DuckDB).
# The heavy-failure case is bench/heavy/run.sh.
set -euo pipefail

N="${1:-1000000}"
ROUNDS="${2:-3}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
DATA="${BENCH_DATA:-/tmp/dabiao-bench-$N}"
JOBS="${BENCH_JOBS:-1}"
OUT="$(mktemp -d /tmp/dabiao-bench-out.XXXXXX)"
AS_OF="2024-10-31"
trap 'rm -rf "$OUT"' EXIT
. "$HERE/lib.sh"

# --- tools ------------------------------------------------------------------
bench_tools

# --- data -------------------------------------------------------------------
make_data() {  # DIR N
  if [ ! -f "$1/.complete" ]; then
    say "generating $2 enterprises, $((3 * $2)) placements, $(($2 / 10)) schools in $1…"
    rm -rf "$1"
    python3 "$HERE/gen.py" "$2" "$1"
    touch "$1/.complete"
  fi
}
input_bytes() { cat "$1"/enterprise.csv "$1"/internship.csv "$1"/school.csv | wc -c; }
make_data "$DATA" "$N"
INPUT_BYTES="$(input_bytes "$DATA")"

# --- build ------------------------------------------------------------------
if [ "${BENCH_BUILD:-1}" != "0" ]; then bench_build; else DABIAO="$ROOT/.build/release/dabiao"; fi

dabiao_args() {  # DATA -> ARGS
  ARGS=(check --rules "$HERE/bench.rules"
    --data "enterprise=$1/enterprise.csv" --data "internship=$1/internship.csv" --data "school=$1/school.csv"
    --as-of "$AS_OF" --format json --show failures --fail-on never)
}
dabiao_args "$DATA"; DABIAO_ARGS=("${ARGS[@]}")

# --- timed runs, alternating ------------------------------------------------
DABIAO_CMD=("$DABIAO" "${DABIAO_ARGS[@]}" --output /dev/null)
DUCKDB_CMD=(python3 "$HERE/run_sql.py" "$HERE/bench.sql" "$DATA")
echo "N = $N enterprises, $((3 * N)) placements, $((N / 10)) schools"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${BENCH_SCALING:-0}" = "1" ]; then
  HALF_DATA="/tmp/dabiao-bench-$((N / 2))"
  make_data "$HALF_DATA" "$((N / 2))"
  dabiao_args "$HALF_DATA"; HALF_CMD=("$DABIAO" "${ARGS[@]}" --output /dev/null)
  bench_scaling "$ROUNDS" "$INPUT_BYTES" "$(input_bytes "$HALF_DATA")"
  exit 0
fi
bench_alternate "$ROUNDS" "$INPUT_BYTES"

# --- same counts? -----------------------------------------------------------
if [ "${BENCH_VERIFY:-1}" != "0" ]; then
  echo
  say "re-running dabiao with the report written to a file, to compare counts…"
  rc=0; "$DABIAO" "${DABIAO_ARGS[@]}" --output "$OUT/report.json" || rc=$?
  if [ "$rc" -gt 1 ]; then say "dabiao exited with $rc"; exit 2; fi
  python3 "$HERE/compare.py" "$OUT/report.json" "$OUT/sql.json"
fi
