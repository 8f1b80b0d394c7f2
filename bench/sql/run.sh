#!/usr/bin/env bash
# The benchmark rules (bench/bench.rules) three ways on the same data: `dabiao check`,
# the hand-written DuckDB SQL (bench/bench.sql), and the SQL `dabiao sql --dialect duckdb`
# generates from the rules, run in DuckDB on `dabiao export`'s files (bench/README.md,
# "Generated SQL").
#
#   bench/sql/run.sh [N]     N enterprises, 3N placements, N/10 schools (default 100000)
#
# Environment: BENCH_DATA (data folder, default /tmp/dabiao-bench-N; reused when present),
#              DABIAO (the binary; default .build/release/dabiao, built when absent).
# One timed run each; the generated query's counts per rule are checked against dabiao's.
set -euo pipefail

N="${1:-100000}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH="$(dirname "$HERE")"
ROOT="$(dirname "$BENCH")"
DATA="${BENCH_DATA:-/tmp/dabiao-bench-$N}"
OUT="$(mktemp -d /tmp/dabiao-bench-sql.XXXXXX)"
AS_OF="2024-10-31"
JOBS=1
trap 'rm -rf "$OUT"' EXIT
. "$BENCH/lib.sh"
bench_tools

if [ ! -f "$DATA/.complete" ]; then
  say "generating $N enterprises, $((3 * N)) placements, $((N / 10)) schools in $DATA…"
  rm -rf "$DATA"
  python3 "$BENCH/gen.py" "$N" "$DATA"
  touch "$DATA/.complete"
fi
if [ -n "${DABIAO:-}" ]; then :; elif [ -x "$ROOT/.build/release/dabiao" ]; then DABIAO="$ROOT/.build/release/dabiao"; else bench_build; fi

INPUTS=(--data "enterprise=$DATA/enterprise.csv" --data "internship=$DATA/internship.csv" --data "school=$DATA/school.csv")
RULES=(--rules "$BENCH/bench.rules")
"$DABIAO" sql --schema --dialect duckdb "${RULES[@]}" > "$OUT/schema.sql"
"$DABIAO" sql --dialect duckdb --as-of "$AS_OF" "${RULES[@]}" > "$OUT/query.sql"

echo "N = $N enterprises, $((3 * N)) placements, $((N / 10)) schools"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %10s %14s\n' "side" "wall (s)" "max RSS (MB)"
timed() {  # label stdout-file command…
  local label="$1" out="$2"; shift 2
  local rc=0
  /usr/bin/time -v -o "$OUT/t" "$@" > "$out" || rc=$?
  if [ "$rc" -gt 1 ]; then say "$label exited with $rc"; exit 2; fi
  printf '%-34s %10s %14s\n' "$label" "$(seconds "$OUT/t")" "$(mb "$(rss_kb "$OUT/t")")"
}
timed "dabiao check" /dev/null "$DABIAO" check "${RULES[@]}" "${INPUTS[@]}" --as-of "$AS_OF" --format json --show failures \
  --fail-on never --output "$OUT/report.json"
timed "hand-written SQL (DuckDB)" "$OUT/hand.json" python3 "$BENCH/run_sql.py" "$BENCH/bench.sql" "$DATA"
timed "dabiao export (load step)" /dev/null "$DABIAO" export "${RULES[@]}" "${INPUTS[@]}" --output "$OUT/export" --quiet
timed "generated SQL (DuckDB, load+query)" "$OUT/generated.json" \
  python3 "$HERE/run_generated.py" "$OUT/schema.sql" "$OUT/export" "$OUT/query.sql" 2> "$OUT/generated.err"
cat "$OUT/generated.err"
echo "generated query: $(wc -c < "$OUT/query.sql") bytes"
echo
echo "== counts: dabiao vs the generated SQL"
python3 "$BENCH/compare.py" "$OUT/report.json" "$OUT/generated.json"
