#!/usr/bin/env python3
"""Heavy-failure benchmark data: N enterprises, 3N placements, N/100 schools, 14 districts.

Usage: python3 bench/heavy/gen.py N OUTDIR

Deterministic (fixed seed, standard library only). Writes district.csv, enterprise.csv,
placement.csv and school.csv with the field names of bench/heavy/heavy.rules as headers.

Unlike bench/gen.py, most placements break at least one rule (hours, insurance, host size),
so well over 30 % of all results fail and the report of failures is large. The data also
exercises the three-valued outcomes: blank insurance cells (missing), schools with no
teachers (division by zero: undefined), enterprises with no placements (count 0, any false).
"""

import os
import random
import sys

SEED = 11_2024_1031
DISTRICTS = 14
DISTRICT_NAMES = ["城关区", "七里河区", "西固区", "安宁区", "红古区", "永登县", "皋兰县",
                  "榆中县", "嘉峪关市", "金昌市", "白银市", "天水市", "武威市", "张掖市"]
TYPES = ["岗位实习"] * 4 + ["跟岗实习"] * 3 + ["认识实习"] * 3
MINUTES = [300, 330, 360, 390, 420, 450, 480, 510, 540, 600]
INSURED = ["20", "30", "40", "45.5", "49.9", "50", "60", "80", "100", "150.5"]


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


class Writer:
    """Buffered CSV writer (the values never need quoting)."""

    def __init__(self, path, header):
        self.f = open(path, "w", encoding="utf-8", newline="")
        self.f.write(header + "\n")
        self.lines = []

    def row(self, line):
        self.lines.append(line)
        if len(self.lines) >= 100_000:
            self.flush()

    def flush(self):
        self.f.write("".join(self.lines))
        self.lines = []

    def close(self):
        self.flush()
        self.f.close()


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: gen.py N OUTDIR\n")
        sys.exit(64)
    n = int(sys.argv[1])
    out = sys.argv[2]
    if n < 100:
        sys.stderr.write("N must be at least 100\n")
        sys.exit(64)
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)
    schools = n // 100

    # Enterprises: 55 % below the host-size threshold of 50 staff; the rest 50–400 staff, so the
    # 2 % quota asks 1–8 interns of them.
    staff_by_district = [0] * DISTRICTS
    w = Writer(os.path.join(out, "enterprise.csv"), "code,name,district_code,employees")
    for i in range(n):
        d = rng.randrange(DISTRICTS)
        employees = rng.randint(5, 49) if rng.random() < 0.55 else rng.randint(50, 400)
        staff_by_district[d] += employees
        w.row("E%08d,企业%d,D%02d,%d\n" % (i, i, d + 1, employees))
    w.close()

    # Districts: a planned band for 2 % of their enterprises' staff. One in three districts has a
    # band below the real figure, one in three above it, the rest contain it.
    w = Writer(os.path.join(out, "district.csv"), "code,name,plan_low,plan_high")
    for d in range(DISTRICTS):
        quota = staff_by_district[d] * 0.02
        if d % 3 == 0:
            low, high = int(quota * 0.80), int(quota * 0.95)
        elif d % 3 == 1:
            low, high = int(quota * 1.05) + 1, int(quota * 1.30) + 1
        else:
            low, high = int(quota * 0.90), int(quota * 1.10) + 1
        w.row("D%02d,%s,%d,%d\n" % (d + 1, DISTRICT_NAMES[d], low, high))
    w.close()

    # Placements per enterprise cycle through 0,3,6,2,5,1,4 (mean 3, so exactly 3N when N is a
    # multiple of 7; the remainder goes to the last enterprise). Enterprises are visited in a
    # scattered order so placements are not grouped by enterprise.
    counts = [(i * 3) % 7 for i in range(n)]
    counts[-1] += 3 * n - sum(counts)
    step = 7_919
    while gcd(step, n) != 1:
        step += 2
    w = Writer(os.path.join(out, "placement.csv"),
               "id,school_code,host,type,daily_minutes,night_shift,insured")
    pid = 0
    for i in range(n):
        e = (i * step) % n
        for _ in range(counts[e]):
            kind = rng.choice(TYPES)
            minutes = rng.choice(MINUTES)
            night = "是" if rng.random() < 0.05 else "否"
            insured = "" if rng.random() < 0.10 else rng.choice(INSURED)
            w.row("P%09d,S%06d,E%08d,%s,%d,%s,%s\n"
                  % (pid, rng.randrange(schools), e, kind, minutes, night, insured))
            pid += 1
    w.close()

    # Schools: student-teacher ratio mostly ≤ 18, some in the warning band (18, 22], some above;
    # 0.5 % report no teachers at all.
    w = Writer(os.path.join(out, "school.csv"), "code,name,students,teachers")
    for i in range(schools):
        students = rng.randint(300, 3000)
        r = rng.random()
        if r < 0.005:
            teachers = 0
        else:
            ratio = rng.uniform(8, 18) if r < 0.70 else (rng.uniform(18, 22) if r < 0.85 else rng.uniform(22, 30))
            teachers = max(1, round(students / ratio))
        w.row("S%06d,学校%d,%d,%d\n" % (i, i, students, teachers))
    w.close()


if __name__ == "__main__":
    main()
