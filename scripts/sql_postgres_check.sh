#!/bin/sh
# The PostgreSQL half of issue 16's differential test (docs/sql.md): the
# samples exported by dabiao, loaded into a throwaway PostgreSQL cluster
# under `dabiao sql --schema --dialect postgres`, checked by the query of
# `dabiao sql --dialect postgres`, and compared row by row with
# `dabiao check --format json --show all` by scripts/sql_diff.py.
#
#   scripts/sql_postgres_check.sh [DABIAO] [EXTRA_PROJECT_DIR…]
#
# DABIAO defaults to .build/debug/dabiao. Each EXTRA_PROJECT_DIR holds a
# generated project (rules/, data/ and baseline/, as the Swift differential test writes
# with DABIAO_SQL_KEEP) and is compared the same way.
# Debian's postgresql is installed with apt-get when running as root and
# missing. The cluster lives in a temporary directory, listens only on a
# unix socket there, runs as the user `postgres` when started by root, and is
# stopped and removed on exit.
set -eu
cd "$(dirname "$0")/.."
DABIAO=${1:-.build/debug/dabiao}
[ $# -gt 0 ] && shift
DABIAO=$(cd "$(dirname "$DABIAO")" && pwd)/$(basename "$DABIAO")
AS_OF=2024-10-31

pgbin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin=$d; done
if [ -z "$pgbin" ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin=$d; done
fi
if [ -z "$pgbin" ]; then
  echo "sql_postgres_check: PostgreSQL is not installed (apt-get install postgresql) — skipped" >&2
  exit 0
fi

work=$(mktemp -d /tmp/dabiao-pg.XXXXXX)
chmod 755 "$work"
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  mkdir "$work/db" && chown postgres "$work/db"
else
  mkdir "$work/db"
fi
cleanup() {
  run "$pgbin/pg_ctl" -D "$work/db/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

run "$pgbin/initdb" -D "$work/db/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
run "$pgbin/pg_ctl" -D "$work/db/data" -w -l "$work/db/log" \
  -o "-c listen_addresses='' -c unix_socket_directories='$work/db' -c fsync=off -p 5433" start >/dev/null
PG="--host $work/db --port 5433 --user postgres"

status=0
# One database per comparison: each loads its own tables.
compare() { # name rules-args export-args
  name=$1; rules=$2; data=$3
  dir="$work/$name"; mkdir -p "$dir"
  psql -X -q -h "$work/db" -p 5433 -U postgres -d postgres -c "CREATE DATABASE \"$name\"" >/dev/null
  # shellcheck disable=SC2086
  "$DABIAO" export $data $rules --output "$dir/export" --quiet >/dev/null 2>&1 || true
  # shellcheck disable=SC2086
  "$DABIAO" sql --schema --dialect postgres $rules > "$dir/schema.sql"
  # shellcheck disable=SC2086
  "$DABIAO" sql --dialect postgres --as-of $AS_OF $rules > "$dir/query.sql"
  # shellcheck disable=SC2086
  "$DABIAO" check $data $rules --format json --show all --as-of $AS_OF --output "$dir/check.json" >/dev/null 2>&1 || true
  # shellcheck disable=SC2086
  python3 scripts/sql_diff.py postgres "$dir/schema.sql" "$dir/export" "$dir/query.sql" "$dir/check.json" $PG --db "$name" || status=1
}

compare samples "" ""
n=0
for project in "$@"; do
  n=$((n + 1))
  args=""
  for r in "$project"/rules/*.rules; do args="$args --rules $r"; done
  data="$project/data"
  [ -d "$project/baseline" ] && data="$data --baseline $project/baseline"
  compare "generated$n" "$args" "$data"
done
exit $status
