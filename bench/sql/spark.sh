#!/bin/sh
# The differential check in Spark SQL (pyspark, local mode), once by hand:
#
#   bench/sql/spark.sh [DABIAO] PROJECT_DIR…
#
# PROJECT_DIR holds rules/*.rules, data/ and optionally baseline/ (the projects
# SQLQueryTests writes with DABIAO_SQL_KEEP=DIR); the word `samples` stands for the
# built-in rules and samples. pyspark is installed with pip when missing (Java needed).
# DABIAO_SPARK_MEMORY (driver memory, default 6g) and DABIAO_SPARK_CONF ("key=value;…")
# reach spark_check.py; the samples need 6g with Spark's defaults (docs/sql.md, Verification).
# Results go into docs/sql.md by hand.
set -eu
cd "$(dirname "$0")/../.."
DABIAO=.build/debug/dabiao
case "${1:-}" in */dabiao) DABIAO=$1; shift ;; esac
python3 -c "import pyspark" 2>/dev/null || python3 -m pip install --quiet pyspark
work=$(mktemp -d /tmp/dabiao-spark.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0
for project in "$@"; do
  rules=""; data=""
  if [ "$project" != samples ]; then
    for r in "$project"/rules/*.rules; do rules="$rules --rules $r"; done
    data="$project/data"
    [ -d "$project/baseline" ] && data="$data --baseline $project/baseline"
  fi
  d="$work/$(basename "$project")"; mkdir -p "$d"
  # shellcheck disable=SC2086
  "$DABIAO" export $data $rules --output "$d/export" --quiet >/dev/null 2>&1 || true
  # shellcheck disable=SC2086
  "$DABIAO" sql --schema --dialect spark $rules > "$d/schema.sql"
  # shellcheck disable=SC2086
  if ! "$DABIAO" sql --dialect spark --as-of 2024-10-31 $rules > "$d/query.sql"; then
    echo "$project: refused for Spark (above)"; status=1; continue
  fi
  # shellcheck disable=SC2086
  "$DABIAO" check $data $rules --format json --show all --as-of 2024-10-31 --output "$d/check.json" >/dev/null 2>&1 || true
  printf '%s: ' "$project"
  python3 bench/sql/spark_check.py "$d/schema.sql" "$d/export" "$d/query.sql" "$d/check.json" 2>"$d/spark.log" || {
    # Spark logs a method too large to compile as an ERROR and runs it interpreted: not the failure.
    status=1; grep -E "Exception|Error" "$d/spark.log" | grep -v -E "CodeGenerator|InternalCompilerException|generated\.java|^[[:space:]]+at " | head -3 | cut -c1-600; }
done
exit $status
