#!/usr/bin/env bash
# The heavy-failure case: dabiao vs DuckDB on bench/heavy/heavy.rules and heavy.sql, alternating.
#
#   bench/heavy/run.sh [N] [ROUNDS]   N enterprises, 3N placements, N/100 schools, 14 districts
#                                     (default N = 1000000), ROUNDS timed runs of each side (default 3)
#
# Both sides write what they find: dabiao its JSON report of every result that is not a pass
# (--show failures, with fixes and the rectification list), DuckDB the same rows as JSON lines.
# The last round's outputs are compared (bench/heavy/compare.py) unless BENCH_VERIFY=0.
#
# BENCH_SCALING=1 times dabiao on N against dabiao on N/2 instead (no DuckDB, no comparison).
#
# Environment: BENCH_DATA (data folder, default /tmp/dabiao-heavy-N; reused when complete),
#              BENCH_OUT (scratch folder for the outputs, default a new /tmp/dabiao-heavy-out.*, removed),
#              BENCH_JOBS (swift build --jobs, default 1), BENCH_BUILD=0 to use the existing build.
set -euo pipefail

N="${1:-1000000}"
ROUNDS="${2:-3}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$(dirname "$HERE")")"
DATA="${BENCH_DATA:-/tmp/dabiao-heavy-$N}"
JOBS="${BENCH_JOBS:-1}"
if [ -n "${BENCH_OUT:-}" ]; then OUT="$BENCH_OUT"; mkdir -p "$OUT"; else
  OUT="$(mktemp -d /tmp/dabiao-heavy-out.XXXXXX)"; trap 'rm -rf "$OUT"' EXIT; fi
AS_OF="2024-10-31"
. "$ROOT/bench/lib.sh"

bench_tools

make_data() {  # DIR N
  if [ ! -f "$1/.complete" ]; then
    say "generating $2 enterprises, $((3 * $2)) placements, $(($2 / 100)) schools, 14 districts in $1…"
    rm -rf "$1"
    python3 "$HERE/gen.py" "$2" "$1"
    touch "$1/.complete"
  fi
}
input_bytes() { cat "$1"/district.csv "$1"/enterprise.csv "$1"/placement.csv "$1"/school.csv | wc -c; }
make_data "$DATA" "$N"
INPUT_BYTES="$(input_bytes "$DATA")"

if [ "${BENCH_BUILD:-1}" != "0" ]; then bench_build; else DABIAO="$ROOT/.build/release/dabiao"; fi

DABIAO_OUTPUT="$OUT/report.json"
DUCKDB_OUTPUT="$OUT/rows.json"
dabiao_cmd() {  # DATA OUTPUT -> CMD
  CMD=("$DABIAO" check --rules "$HERE/heavy.rules"
    --data "district=$1/district.csv" --data "enterprise=$1/enterprise.csv"
    --data "placement=$1/placement.csv" --data "school=$1/school.csv"
    --as-of "$AS_OF" --format json --show failures --fail-on never --output "$2")
}
dabiao_cmd "$DATA" "$DABIAO_OUTPUT"; DABIAO_CMD=("${CMD[@]}")
DUCKDB_CMD=(python3 "$ROOT/bench/run_sql.py" "$HERE/heavy.sql" "$DATA" "$DUCKDB_OUTPUT")

echo "heavy case: N = $N enterprises, $((3 * N)) placements, $((N / 100)) schools, 14 districts"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${BENCH_SCALING:-0}" = "1" ]; then
  HALF_DATA="/tmp/dabiao-heavy-$((N / 2))"
  make_data "$HALF_DATA" "$((N / 2))"
  # Both sides write their report to a file, removed after each round.
  DUCKDB_OUTPUT="$OUT/report-half.json"
  dabiao_cmd "$HALF_DATA" "$DUCKDB_OUTPUT"; HALF_CMD=("${CMD[@]}")
  bench_scaling "$ROUNDS" "$INPUT_BYTES" "$(input_bytes "$HALF_DATA")"
  exit 0
fi
bench_alternate "$ROUNDS" "$INPUT_BYTES"
echo "report $(wc -c < "$DABIAO_OUTPUT") bytes, DuckDB rows $(wc -c < "$DUCKDB_OUTPUT") bytes"

if [ "${BENCH_VERIFY:-1}" != "0" ]; then
  echo
  say "comparing the last round's outputs…"
  python3 "$HERE/compare.py" "$DABIAO_OUTPUT" "$OUT/sql.json" "$DUCKDB_OUTPUT"
fi
