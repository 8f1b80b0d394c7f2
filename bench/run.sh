#!/usr/bin/env bash
# dabiao vs DuckDB on the same checks over the same CSV files.
#
#   bench/run.sh [N] [ROUNDS]   N enterprises, 3N placements, N/10 schools (default 1000000);
#                               ROUNDS timed runs of each side, alternating (default 3)
#
# Environment: BENCH_DATA (data folder, default /tmp/dabiao-bench-N; reused when present),
#              BENCH_JOBS (swift build --jobs, default 1), BENCH_BUILD=0 to use the existing build,
#              BENCH_VERIFY=0 to skip the count check.
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
if [ ! -f "$DATA/.complete" ]; then
  say "generating $N enterprises, $((3 * N)) placements, $((N / 10)) schools in $DATA…"
  rm -rf "$DATA"
  python3 "$HERE/gen.py" "$N" "$DATA"
  touch "$DATA/.complete"
fi
INPUT_BYTES="$(cat "$DATA"/enterprise.csv "$DATA"/internship.csv "$DATA"/school.csv | wc -c)"

# --- build ------------------------------------------------------------------
if [ "${BENCH_BUILD:-1}" != "0" ]; then bench_build; else DABIAO="$ROOT/.build/release/dabiao"; fi

DABIAO_ARGS=(check --rules "$HERE/bench.rules"
  --data "enterprise=$DATA/enterprise.csv" --data "internship=$DATA/internship.csv" --data "school=$DATA/school.csv"
  --as-of "$AS_OF" --format json --show failures --fail-on never)

# --- timed runs, alternating ------------------------------------------------
DABIAO_CMD=("$DABIAO" "${DABIAO_ARGS[@]}" --output /dev/null)
DUCKDB_CMD=(python3 "$HERE/run_sql.py" "$HERE/bench.sql" "$DATA")
echo "N = $N enterprises, $((3 * N)) placements, $((N / 10)) schools"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
bench_alternate "$ROUNDS" "$INPUT_BYTES"

# --- same counts? -----------------------------------------------------------
if [ "${BENCH_VERIFY:-1}" != "0" ]; then
  echo
  say "re-running dabiao with the report written to a file, to compare counts…"
  rc=0; "$DABIAO" "${DABIAO_ARGS[@]}" --output "$OUT/report.json" || rc=$?
  if [ "$rc" -gt 1 ]; then say "dabiao exited with $rc"; exit 2; fi
  python3 "$HERE/compare.py" "$OUT/report.json" "$OUT/sql.json"
fi
