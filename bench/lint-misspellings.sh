#!/bin/sh
# Times `dabiao lint` on a rule file with N misspelt names among N lets
# (default 10,000): the "did you mean" search is bounded, so this stays
# about a second on a release build instead of growing with N².
#   bench/lint-misspellings.sh [N]
set -eu
cd "$(dirname "$0")/.."
N=${1:-10000}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
python3 - "$N" "$DIR/misspelt.rules" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
lines = ['unit 人 = 1', 'entity school "学校" {', '  key code : text "学校标识码"',
         '  students : integer 人 "在校生"', '}', 'ruleset t "t" {', '  for school', '  rule R-1 "x" {']
lines += [f"    let value{k} = students" for k in range(n)]
lines += [f"    require valeu{k} > 0" for k in range(n)]
lines += ['  }', '}']
open(path, 'w').write('\n'.join(lines) + '\n')
PY
swift build -c release --product dabiao >/dev/null
start=$(date +%s.%N)
status=0
.build/release/dabiao lint "$DIR/misspelt.rules" >/dev/null 2>"$DIR/err" || status=$?
end=$(date +%s.%N)
echo "lint of $N misspelt names: exit $status, $(grep -c '未知的名称' "$DIR/err") errors, $(echo "$end - $start" | bc) s"
