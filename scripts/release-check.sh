#!/usr/bin/env bash
# Runs the release tarball on a machine as a user would have it: unpacked in
# an empty folder, with the Swift toolchain and this checkout hidden under
# empty tmpfs mounts in a private mount namespace, so any library or file the
# binary took from either makes it fail here.
#
#   scripts/release-check.sh dist/dabiao-VERSION-linux-x86_64.tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d /opt/swift/usr/bin ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
tarball=$(readlink -f "$1")
repo=$(pwd -P)
swift_exe=$(readlink -f "$(command -v swift)")
toolchain=$(dirname "$(dirname "$(dirname "$swift_exe")")")   # …/usr/bin/swift → …
runtime=$(dirname "$(dirname "$swift_exe")")/lib/swift          # the Swift runtime libraries

work=$(mktemp -d /tmp/dabiao-release-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -1)
[ -x "$dir/dabiao" ] || { echo "no dabiao in $tarball"; exit 1; }
(cd "$dir" && sha256sum -c SHA256SUMS)

echo "== ldd: no Swift library"
ldd "$dir/dabiao" | tee "$work/ldd.txt"
if grep -Ei 'swift|Foundation|dispatch|icu' "$work/ldd.txt"; then echo "the binary still loads a Swift library"; exit 1; fi

echo "== no path of the build machine in the binary"
if strings "$dir/dabiao" | grep -F -e "$repo" -e "$toolchain/"; then echo "the binary names a path of the build machine"; exit 1; fi

# A data file of the user's own and a rule file for it, in that folder.
cat > "$dir/my.rules" <<'RULES'
unit 人 = 1
entity school "学校" {
  key code : text "学校标识码"
  students : integer 人 "在校生数"
}
ruleset mine "本校自查" {
  for school
  rule MY-01 "在校生不少于1200人" {
    require students >= 1200 人
    message "在校生 {students} 人"
  }
}
RULES
printf '学校标识码,在校生数\nA1,1500\nA2,900\n' > "$dir/school.csv"

hide="mount -t tmpfs tmpfs \"$runtime\""
if [ "$toolchain" != "/" ] && [ "$toolchain" != "/usr" ]; then hide="$hide && mount -t tmpfs tmpfs \"$toolchain\""; fi
hide="$hide && mount -t tmpfs tmpfs \"$repo\""
if [ "$(id -u)" -eq 0 ]; then ns=(unshare --mount); else ns=(unshare --user --map-root-user --mount); fi

echo "== in a mount namespace without $toolchain and $repo"
"${ns[@]}" bash -c "set -euo pipefail
$hide
[ ! -e \"$swift_exe\" ] || { echo 'the toolchain is still visible'; exit 1; }
[ ! -e \"$repo/Package.swift\" ] || { echo 'the checkout is still visible'; exit 1; }
cd \"$dir\"
./dabiao --version | head -1
# The checksums --version prints are those of the rulebooks shipped beside it.
./dabiao --version | tail -n +3 | sha256sum -c --quiet
set +e
./dabiao check --as-of 2024-10-31 > check.txt; code=\$?
set -e
[ \$code -eq 1 ] || { echo \"dabiao check on the built-in samples: expected 1, got \$code\"; cat check.txt; exit 1; }
grep -A1 '汇总' check.txt
./dabiao test
set +e
./dabiao check --rules my.rules school.csv > mine.txt; code=\$?
set -e
[ \$code -eq 1 ] || { echo \"dabiao check on school.csv: expected 1, got \$code\"; cat mine.txt; exit 1; }
grep -q '^  MY-01 在校生不少于1200人  不达标 1$' mine.txt && grep -q '^    \[不达标·错误\] A2  在校生 900 人' mine.txt || { echo 'the failing row A2 is not reported'; cat mine.txt; exit 1; }
grep -A1 '汇总' mine.txt
"
echo "release check passed"
