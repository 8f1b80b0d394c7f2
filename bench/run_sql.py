#!/usr/bin/env python3
"""Run bench/bench.sql with DuckDB over a data folder; print {"B-01": {"pass": n, "fail": m}, ...} as JSON."""

import json
import sys

import duckdb


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: run_sql.py bench.sql DATA_DIR\n")
        sys.exit(64)
    sql = open(sys.argv[1], encoding="utf-8").read().replace("{data}", sys.argv[2].rstrip("/"))
    # Drop comment lines, then run the statements one by one; the last one is the result.
    body = "\n".join(l for l in sql.split("\n") if not l.lstrip().startswith("--"))
    statements = [s.strip() for s in body.split(";") if s.strip()]
    con = duckdb.connect()
    rows = []
    for s in statements:
        rows = con.execute(s).fetchall()
    print(json.dumps({r: {"pass": int(p), "fail": int(f)} for r, p, f in rows}, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
