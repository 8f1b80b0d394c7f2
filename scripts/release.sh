#!/usr/bin/env bash
# Builds the release artefact: one dabiao binary with the Swift runtime and
# Foundation linked in statically and the rulebooks and samples compiled in,
# self-tested, then packed with the README, the 使用说明 and the rulebooks as
# files into dist/dabiao-VERSION-linux-x86_64.tar.gz with its SHA-256 sum.
#
#   scripts/release.sh            # build, self-test, pack
#
# The version is the one `dabiao --version` prints (dabiaoVersion in
# Sources/DabiaoCore/Version.swift). The tarball is reproducible: files in
# name order, owner 0, fixed times, gzip without a name or time stamp.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d /opt/swift/usr/bin ]; then export PATH="/opt/swift/usr/bin:$PATH"; fi

build=.build-static
echo "== release build (static Swift runtime and Foundation)"
swift build -c release --static-swift-stdlib --build-path "$build" --product dabiao
bin="$build/release/dabiao"

version=$("$bin" --version | head -1 | awk '{print $2}')
arch=$(uname -m)
name="dabiao-$version-linux-$arch"
stage="dist/$name"
rm -rf "$stage" "dist/$name.tar.gz" "dist/$name.tar.gz.sha256"
mkdir -p "$stage"
# Stripped: the debug sections hold the build machine's paths and a third of the size.
strip -o "$stage/dabiao" "$bin"

echo "== self-test of the binary"
set +e
"$stage/dabiao" check --as-of 2024-10-31 > "dist/$name.check.txt"
code=$?
set -e
if [ "$code" -ne 1 ]; then echo "dabiao check on the built-in samples: expected exit code 1, got $code"; exit 1; fi
grep -q "汇总" "dist/$name.check.txt" || { echo "dabiao check printed no summary"; exit 1; }
"$stage/dabiao" test
rm -f "dist/$name.check.txt"

echo "== pack $name"
cp README.md "$stage/README.md"
cp docs/使用说明.md "$stage/使用说明.md"
"$stage/dabiao" export-rules "$stage/rules" --quiet
(cd "$stage" && sha256sum dabiao > SHA256SUMS)
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C dist -cf - "$name" | gzip -n -9 > "dist/$name.tar.gz"
(cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
ls -l "dist/$name.tar.gz"
cat "dist/$name.tar.gz.sha256"
