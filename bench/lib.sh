# Shared by bench/run.sh and bench/heavy/run.sh: tools, the release build, and timed runs of
# dabiao and DuckDB alternating round by round under GNU time, with medians and ratios.
#
# The caller sets ROOT (the checkout), OUT (a scratch folder), JOBS (swift build --jobs), and, before
# bench_alternate, the arrays DABIAO_CMD and DUCKDB_CMD. DuckDB's standard output goes to
# $OUT/sql.json; DABIAO_OUTPUT / DUCKDB_OUTPUT (optional) name files either side writes, removed
# after every round but the last so the last round's can be checked.

say() { printf '%s\n' "$*" >&2; }

bench_tools() {
  if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (apt)…"
    apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
  fi
  if ! python3 -c "import duckdb" 2>/dev/null; then
    say "installing duckdb (pip)…"
    python3 -m pip install --quiet duckdb
  fi
}

bench_build() {
  say "building dabiao (release)…"
  if ! (cd "$ROOT" && swift build -c release --jobs "$JOBS" > "$OUT/build.log" 2>&1); then
    grep -E "error:" "$OUT/build.log" | head -20 >&2 || tail -20 "$OUT/build.log" >&2
    say "release build failed"
    exit 2
  fi
  DABIAO="$ROOT/.build/release/dabiao"
}

seconds() {  # "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.33" -> 62.33
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$1"
}
rss_kb() {
  awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
median() {  # numbers as arguments
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_alternate ROUNDS INPUT_BYTES [INPUT_BYTES_B]: dabiao, DuckDB, dabiao, DuckDB, … ROUNDS
# times each. dabiao may exit 1 (results failed); anything else is an error. SIDE_A and SIDE_B
# name the two sides (default dabiao and duckdb); bench_scaling sets them when side B is dabiao
# too, on half the data (INPUT_BYTES_B), which may then exit 1 as well.
bench_alternate() {
  local rounds="$1" input="$2" input_b="${3:-$2}" i rc a="${SIDE_A:-dabiao}" b="${SIDE_B:-duckdb}"
  local -a dw dr sw sr
  printf '%-6s %-9s %10s %14s\n' "round" "side" "wall (s)" "max RSS (MB)"
  for ((i = 1; i <= rounds; i++)); do
    [ -n "${DABIAO_OUTPUT:-}" ] && rm -f "$DABIAO_OUTPUT"
    # The previous run's report is written back to disk before this one starts, not during it.
    sync
    rc=0; /usr/bin/time -v -o "$OUT/dabiao.$i.time" "${DABIAO_CMD[@]}" || rc=$?
    if [ "$rc" -gt 1 ]; then say "dabiao exited with $rc"; exit 2; fi
    dw+=("$(seconds "$OUT/dabiao.$i.time")"); dr+=("$(rss_kb "$OUT/dabiao.$i.time")")
    printf '%-6s %-9s %10s %14s\n' "$i" "$a" "${dw[-1]}" "$(mb "${dr[-1]}")"
    [ -n "${DUCKDB_OUTPUT:-}" ] && rm -f "$DUCKDB_OUTPUT"
    sync
    rc=0; /usr/bin/time -v -o "$OUT/duckdb.$i.time" "${DUCKDB_CMD[@]}" > "$OUT/sql.json" || rc=$?
    if [ "$rc" -gt "${SIDE_B_MAY_EXIT:-0}" ]; then say "$b exited with $rc"; exit 2; fi
    sw+=("$(seconds "$OUT/duckdb.$i.time")"); sr+=("$(rss_kb "$OUT/duckdb.$i.time")")
    printf '%-6s %-9s %10s %14s\n' "$i" "$b" "${sw[-1]}" "$(mb "${sr[-1]}")"
    if [ "$i" -lt "$rounds" ]; then
      [ -n "${DABIAO_OUTPUT:-}" ] && rm -f "$DABIAO_OUTPUT"
      [ -n "${DUCKDB_OUTPUT:-}" ] && rm -f "$DUCKDB_OUTPUT"
    fi
  done
  local DW DR SW SR
  DW="$(median "${dw[@]}")"; DR="$(median "${dr[@]}")"
  SW="$(median "${sw[@]}")"; SR="$(median "${sr[@]}")"
  echo
  echo "medians of $rounds alternating rounds; input $input bytes ($(awk -v b="$input" 'BEGIN { printf "%.1f", b / 1048576 }') MB)"
  awk -v dw="$DW" -v sw="$SW" -v dr="$DR" -v sr="$SR" -v in_="$input" -v inb="$input_b" -v a="$a" -v b="$b" 'BEGIN {
    printf "%-9s %10s %14s %14s\n", "", "wall (s)", "max RSS (MB)", "RSS / input"
    printf "%-9s %10.2f %14.1f %13.2fx\n", a, dw, dr / 1024, dr * 1024 / in_
    printf "%-9s %10.2f %14.1f %13.2fx\n", b, sw, sr / 1024, sr * 1024 / inb
    printf "%-9s %9.2fx %13.2fx\n", "ratio", (sw > 0 ? dw / sw : 0), (sr > 0 ? dr / sr : 0) }'
}

# bench_scaling ROUNDS INPUT_BYTES HALF_INPUT_BYTES: with DABIAO_CMD on N and HALF_CMD on N/2,
# dabiao on N and on N/2 alternating; "ratio" is then what doubling the data costs.
bench_scaling() {
  DUCKDB_CMD=("${HALF_CMD[@]}")
  SIDE_A="N" SIDE_B="N/2" SIDE_B_MAY_EXIT=1 bench_alternate "$1" "$2" "$3"
}
