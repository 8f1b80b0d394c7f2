#!/usr/bin/env bash
# Renders an HTML report with headless Chromium to a PNG and checks that the
# picture is not blank: enough non-white pixels, and some coloured ones (the
# outcome badges and the bar charts). Network access is blocked while
# rendering, so a page that needs anything from outside shows up here.
#
# usage: scripts/render_html_check.sh REPORT.html [OUT.png] [WIDTHxHEIGHT]
# exit:  0 rendered and not blank, or skipped because chromium is absent
#        (installed first when DABIAO_INSTALL_CHROMIUM=1) · 1 blank or
#        rendering failed · 64 usage
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
    echo "usage: $0 REPORT.html [OUT.png] [WIDTHxHEIGHT]" >&2
    exit 64
fi
html="$1"
png="${2:-${html%.*}.png}"
size="${3:-1280x2400}"
if [[ ! -f "$html" ]]; then
    echo "no such file: $html" >&2
    exit 64
fi

find_chromium() {
    for c in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
    done
    return 1
}

# CI machines are fresh: chromium is installed only when asked for
# (DABIAO_INSTALL_CHROMIUM=1, as root); otherwise a missing browser skips the
# check with exit 0, so a machine without one does not fail the build.
if ! browser="$(find_chromium)"; then
    if [[ "${DABIAO_INSTALL_CHROMIUM:-0}" != "1" ]]; then
        echo "SKIP browser check: chromium is not installed (set DABIAO_INSTALL_CHROMIUM=1 to install it, or apt-get install -y chromium fonts-noto-cjk)" >&2
        exit 0
    fi
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "DABIAO_INSTALL_CHROMIUM=1 needs root to run apt-get; run: sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk" >&2
        exit 1
    fi
    echo "installing chromium and a CJK font…" >&2
    apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk >/dev/null
    if ! browser="$(find_chromium)"; then
        echo "chromium could not be installed" >&2
        exit 1
    fi
fi
# Without a CJK font Chinese text renders as boxes: still "not blank", but
# useless to look at, so say so.
if command -v fc-list >/dev/null 2>&1 && [[ -z "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]]; then
    echo "warning: no Chinese font installed (apt-get install -y fonts-noto-cjk); CJK text will show as boxes" >&2
fi

abs="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
rm -f "$png"
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$profile" --host-resolver-rules="MAP * ~NOTFOUND" \
    --window-size="${size/x/,}" --screenshot="$png" "file://$abs" >/dev/null 2>&1 || true
if [[ ! -s "$png" ]]; then
    echo "chromium produced no screenshot" >&2
    exit 1
fi

python3 - "$png" <<'PY'
import struct, sys, zlib

path = sys.argv[1]
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("not a PNG: " + path)
pos, idat, header = 8, b"", None
while pos + 8 <= len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
if header is None:
    sys.exit("PNG without header")
width, height, depth, colour, _, _, interlace = header
channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
if depth != 8 or channels is None or interlace != 0:
    sys.exit(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
raw = zlib.decompress(idat)
stride = width * channels
prev = bytearray(stride)
nonwhite = coloured = 0
i = 0
for _ in range(height):
    f = raw[i]; i += 1
    line = bytearray(raw[i:i + stride]); i += stride
    for x in range(stride):
        a = line[x - channels] if x >= channels else 0
        b = prev[x]
        c = prev[x - channels] if x >= channels else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, channels):
        px = line[x:x + min(channels, 3)]
        if min(px) < 240:
            nonwhite += 1
        if channels >= 3 and max(px) - min(px) > 60:
            coloured += 1
    prev = line
total = width * height
share = nonwhite / total
print(f"{path}: {width}x{height}, non-white {nonwhite} ({share:.2%}), coloured {coloured}")
if share < 0.01:
    sys.exit("blank: under 1% of the pixels are not white")
if channels >= 3 and coloured < 200:
    sys.exit("no colour: the badges and charts did not render")
PY
