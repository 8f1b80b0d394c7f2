#!/usr/bin/env bash
# dabiao vs DuckDB on the same checks over the same CSV files.
#
#   bench/run.sh [N]        N enterprises, 3N placements, N/10 schools (default 1000000)
#
# Environment: BENCH_DATA (data folder, default /tmp/dabiao-bench-N; reused when present),
#              BENCH_JOBS (swift build --jobs, default 1), BENCH_VERIFY=0 to skip the count check.
set -euo pipefail

N="${1:-1000000}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
DATA="${BENCH_DATA:-/tmp/dabiao-bench-$N}"
JOBS="${BENCH_JOBS:-1}"
OUT="$(mktemp -d /tmp/dabiao-bench-out.XXXXXX)"
AS_OF="2024-10-31"
trap 'rm -rf "$OUT"' EXIT

say() { printf '%s\n' "$*" >&2; }

# --- tools ------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
  say "installing GNU time (apt)…"
  apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
if ! python3 -c "import duckdb" 2>/dev/null; then
  say "installing duckdb (pip)…"
  python3 -m pip install --quiet duckdb
fi

# --- data -------------------------------------------------------------------
if [ ! -f "$DATA/.complete" ]; then
  say "generating $N enterprises, $((3 * N)) placements, $((N / 10)) schools in $DATA…"
  rm -rf "$DATA"
  python3 "$HERE/gen.py" "$N" "$DATA"
  touch "$DATA/.complete"
fi

# --- build ------------------------------------------------------------------
say "building dabiao (release)…"
if ! (cd "$ROOT" && swift build -c release --jobs "$JOBS" > "$OUT/build.log" 2>&1); then
  grep -E "error:" "$OUT/build.log" | head -20 >&2 || tail -20 "$OUT/build.log" >&2
  say "release build failed"
  exit 2
fi
DABIAO="$ROOT/.build/release/dabiao"

DABIAO_ARGS=(check --rules "$HERE/bench.rules"
  --data "enterprise=$DATA/enterprise.csv" --data "internship=$DATA/internship.csv" --data "school=$DATA/school.csv"
  --as-of "$AS_OF" --format json --show failures --fail-on never)

# --- timed runs -------------------------------------------------------------
say "running dabiao…"
/usr/bin/time -v -o "$OUT/dabiao.time" "$DABIAO" "${DABIAO_ARGS[@]}" --output /dev/null
say "running DuckDB…"
/usr/bin/time -v -o "$OUT/duckdb.time" python3 "$HERE/run_sql.py" "$HERE/bench.sql" "$DATA" > "$OUT/sql.json"

seconds() {  # "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.33" -> 62.33
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$1"
}
rss_mb() {
  awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"
}
DW="$(seconds "$OUT/dabiao.time")"; DR="$(rss_mb "$OUT/dabiao.time")"
SW="$(seconds "$OUT/duckdb.time")"; SR="$(rss_mb "$OUT/duckdb.time")"

echo
echo "N = $N enterprises, $((3 * N)) placements, $((N / 10)) schools"
printf '%-8s %10s %12s\n' "" "wall (s)" "max RSS (MB)"
printf '%-8s %10s %12s\n' "dabiao" "$DW" "$DR"
printf '%-8s %10s %12s\n' "duckdb" "$SW" "$SR"
awk -v dw="$DW" -v sw="$SW" -v dr="$DR" -v sr="$SR" 'BEGIN {
  printf "%-8s %10s %12s\n", "ratio", (sw > 0 ? sprintf("%.2fx", dw / sw) : "n/a"), (sr > 0 ? sprintf("%.2fx", dr / sr) : "n/a") }'

# --- same counts? -----------------------------------------------------------
if [ "${BENCH_VERIFY:-1}" != "0" ]; then
  echo
  say "re-running dabiao with the report written to a file, to compare counts…"
  "$DABIAO" "${DABIAO_ARGS[@]}" --output "$OUT/report.json"
  python3 "$HERE/compare.py" "$OUT/report.json" "$OUT/sql.json"
fi
