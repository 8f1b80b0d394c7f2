#!/usr/bin/env python3
"""Start-up time (`dabiao --version`) and the time of `dabiao check` on the
built-in samples, for the static release binary and the two dynamic builds,
measured in alternating rounds so a busy machine slows all three alike.

    scripts/release.sh && swift build -c release && swift build
    python3 scripts/time_builds.py [ROUNDS]
"""
import glob, os, statistics, subprocess, sys, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
static = sorted(glob.glob(os.path.join(root, "dist", "dabiao-*-linux-*", "dabiao")))
builds = {
    "release, static": static[-1] if static else None,
    "release, dynamic": os.path.join(root, ".build", "release", "dabiao"),
    "debug, dynamic": os.path.join(root, ".build", "debug", "dabiao"),
}
builds = {k: v for k, v in builds.items() if v and os.path.exists(v)}
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5

def seconds(cmd, n):
    xs = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        xs.append(time.perf_counter() - start)
    return statistics.median(xs)

results = {k: [] for k in builds}
for _ in range(rounds):
    for name, exe in builds.items():
        results[name].append((seconds([exe, "--version"], 5), seconds([exe, "check", "--as-of", "2024-10-31"], 1)))
for name, exe in builds.items():
    version = statistics.median(r[0] for r in results[name])
    check = statistics.median(r[1] for r in results[name])
    print(f"{name}: {os.path.getsize(exe) / 1e6:.1f} MB, --version {version * 1000:.1f} ms, check {check * 1000:.0f} ms")
