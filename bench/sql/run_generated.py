#!/usr/bin/env python3
"""Run the query of `dabiao sql --dialect duckdb` on an export, timed, with counts per rule.

Usage: run_generated.py SCHEMA.sql EXPORT_DIR QUERY.sql

Loads every ENTITY.csv of the export under the schema (COPY … (HEADER)), then
runs the generated query wrapped in a count per rule and outcome. Prints
{"B-01": {"pass": n, "fail": m, …}, …} on standard output (the format of
bench/run_sql.py, so bench/compare.py reads it) and the load and query
times on standard error.
"""

import json
import os
import sys
import time

import duckdb


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: run_generated.py SCHEMA.sql EXPORT_DIR QUERY.sql\n")
        sys.exit(64)
    schema, export, query = sys.argv[1:]
    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(open(schema, encoding="utf-8").read())
    for name in sorted(os.listdir(export)):
        if name.endswith(".csv") and name != "data-errors.csv":
            con.execute('COPY "%s" FROM \'%s\' (HEADER)' % (name[:-4], os.path.join(export, name)))
    t1 = time.perf_counter()
    sql = open(query, encoding="utf-8").read().rstrip().rstrip(";")
    # The query's ORDER BY is for people; counting does not need it.
    at = sql.rfind("\nORDER BY ")
    if at >= 0:
        sql = sql[:at]
    rows = con.execute(
        'SELECT "rule", "outcome", count(*) FROM (%s) GROUP BY ALL ORDER BY 1, 2' % sql).fetchall()
    t2 = time.perf_counter()
    result = {}
    for rule, outcome, n in rows:
        result.setdefault(rule, {"pass": 0, "fail": 0})[outcome] = int(n)
    print(json.dumps(result, ensure_ascii=False, sort_keys=True))
    sys.stderr.write("generated SQL: load %.2f s, query %.2f s\n" % (t1 - t0, t2 - t1))


if __name__ == "__main__":
    main()
