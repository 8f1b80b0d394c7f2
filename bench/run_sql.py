#!/usr/bin/env python3
"""Run a benchmark SQL file with DuckDB over a data folder and print the last statement's rows as JSON.

Usage: run_sql.py FILE.sql DATA_DIR [OUT]

{data} in the SQL is replaced with DATA_DIR, {out} with OUT (default /dev/null), where a
statement may write rows. The last statement returns one row per rule, its first column the
rule code and the others counts; they are printed as {"B-01": {"pass": n, "fail": m}, ...}
with the column names as keys (bench/bench.sql: pass, fail; bench/heavy/heavy.sql: pass,
fail, missing, undefined, warning, error).
"""

import json
import sys

import duckdb


def main():
    if len(sys.argv) not in (3, 4):
        sys.stderr.write("usage: run_sql.py FILE.sql DATA_DIR [OUT]\n")
        sys.exit(64)
    out = sys.argv[3] if len(sys.argv) == 4 else "/dev/null"
    sql = open(sys.argv[1], encoding="utf-8").read()
    sql = sql.replace("{data}", sys.argv[2].rstrip("/")).replace("{out}", out)
    # Drop comment lines, then run the statements one by one; the last one is the result.
    body = "\n".join(l for l in sql.split("\n") if not l.lstrip().startswith("--"))
    statements = [s.strip() for s in body.split(";") if s.strip()]
    con = duckdb.connect()
    rows, names = [], []
    for s in statements:
        cur = con.execute(s)
        rows = cur.fetchall()
        names = [d[0] for d in cur.description] if cur.description else []
    result = {r[0]: {n: int(v) for n, v in zip(names[1:], r[1:])} for r in rows}
    print(json.dumps(result, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
