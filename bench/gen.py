#!/usr/bin/env python3
"""Benchmark data for dabiao vs DuckDB: N enterprises, 3N placements, N/10 schools.

Usage: python3 bench/gen.py N OUTDIR

Deterministic (fixed seed, standard library only). Headers are the field names of
bench/bench.rules. Failure rates are kept to a few percent per rule so that the JSON
report of failures stays a manageable size at N = 1,000,000.
"""

import os
import random
import sys

SEED = 7_2024_1031


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: gen.py N OUTDIR\n")
        sys.exit(64)
    n = int(sys.argv[1])
    out = sys.argv[2]
    if n < 10:
        sys.stderr.write("N must be at least 10\n")
        sys.exit(64)
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)
    schools = n // 10

    with open(os.path.join(out, "enterprise.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("code,name,staff\n")
        lines = []
        for i in range(n):
            # 97% small enterprises (2% quota ≤ 1, 10% cap 4–5); 3% large ones that host too few.
            staff = rng.randint(300, 800) if rng.random() < 0.03 else rng.randint(40, 50)
            lines.append("E%08d,企业%d,%d\n" % (i, i, staff))
            if len(lines) >= 100_000:
                f.write("".join(lines))
                lines = []
        f.write("".join(lines))

    # Placements per enterprise cycle through 1,4,2,5,3 (mean 3, so exactly 3N for N a multiple of 5;
    # the remainder goes to the last enterprise). Enterprises are visited in a scattered order
    # (multiplication by a number coprime to N) so placements are not grouped by enterprise.
    counts = [1 + (i * 3) % 5 for i in range(n)]
    counts[-1] += 3 * n - sum(counts)
    step = 7_919
    while gcd(step, n) != 1:
        step += 2
    hours = ["6", "6.5", "7", "7.5", "8"]
    with open(os.path.join(out, "internship.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("id,enterprise_code,school_code,type,daily_hours,night_shift\n")
        lines = []
        pid = 0
        for i in range(n):
            e = (i * step) % n
            for _ in range(counts[e]):
                r = rng.random()
                kind = "岗位实习" if r < 0.8 else "认识实习"
                h = rng.choice(hours) if rng.random() >= 0.02 else rng.choice(["8.5", "9", "10"])
                night = "是" if rng.random() < 0.01 else "否"
                lines.append("P%09d,E%08d,S%07d,%s,%s,%s\n" % (pid, e, rng.randrange(schools), kind, h, night))
                pid += 1
                if len(lines) >= 100_000:
                    f.write("".join(lines))
                    lines = []
        f.write("".join(lines))

    with open(os.path.join(out, "school.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("code,name,students,teachers\n")
        lines = []
        for i in range(schools):
            students = rng.randint(300, 3000)
            ratio = rng.uniform(8, 19.5) if rng.random() >= 0.05 else rng.uniform(20.5, 30)
            teachers = max(1, round(students / ratio))
            lines.append("S%07d,学校%d,%d,%d\n" % (i, i, students, teachers))
        f.write("".join(lines))


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


if __name__ == "__main__":
    main()
