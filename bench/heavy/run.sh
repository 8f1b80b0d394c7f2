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

if [ ! -f "$DATA/.complete" ]; then
  say "generating $N enterprises, $((3 * N)) placements, $((N / 100)) schools, 14 districts in $DATA…"
  rm -rf "$DATA"
  python3 "$HERE/gen.py" "$N" "$DATA"
  touch "$DATA/.complete"
fi
INPUT_BYTES="$(cat "$DATA"/district.csv "$DATA"/enterprise.csv "$DATA"/placement.csv "$DATA"/school.csv | wc -c)"

if [ "${BENCH_BUILD:-1}" != "0" ]; then bench_build; else DABIAO="$ROOT/.build/release/dabiao"; fi

DABIAO_OUTPUT="$OUT/report.json"
DUCKDB_OUTPUT="$OUT/rows.json"
DABIAO_CMD=("$DABIAO" check --rules "$HERE/heavy.rules"
  --data "district=$DATA/district.csv" --data "enterprise=$DATA/enterprise.csv"
  --data "placement=$DATA/placement.csv" --data "school=$DATA/school.csv"
  --as-of "$AS_OF" --format json --show failures --fail-on never --output "$DABIAO_OUTPUT")
DUCKDB_CMD=(python3 "$ROOT/bench/run_sql.py" "$HERE/heavy.sql" "$DATA" "$DUCKDB_OUTPUT")

echo "heavy case: N = $N enterprises, $((3 * N)) placements, $((N / 100)) schools, 14 districts"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
bench_alternate "$ROUNDS" "$INPUT_BYTES"
echo "report $(wc -c < "$DABIAO_OUTPUT") bytes, DuckDB rows $(wc -c < "$DUCKDB_OUTPUT") bytes"

if [ "${BENCH_VERIFY:-1}" != "0" ]; then
  echo
  say "comparing the last round's outputs…"
  python3 "$HERE/compare.py" "$DABIAO_OUTPUT" "$OUT/sql.json" "$DUCKDB_OUTPUT"
fi
