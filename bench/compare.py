#!/usr/bin/env python3
"""Compare dabiao's JSON report (run with --show failures) with bench/run_sql.py's counts.

Usage: compare.py REPORT.json SQL.json    Exit 0 when the counts agree, 1 otherwise.

The report can be large, so per-rule failures are counted with a pattern over the text
instead of building the whole object tree; the summary is decoded as JSON.
"""

import json
import re
import sys


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: compare.py REPORT.json SQL.json\n")
        sys.exit(64)
    text = open(sys.argv[1], encoding="utf-8").read()
    sql = json.load(open(sys.argv[2], encoding="utf-8"))

    at = text.find('"summary"')
    if at < 0:
        print("dabiao report has no summary")
        sys.exit(1)
    colon = text.index(":", at)
    summary, _ = json.JSONDecoder().raw_decode(text[colon + 1:].lstrip())

    # Every result object carries one "rule" key and one "outcome"; count failed ones per rule.
    fails = {}
    for m in re.finditer(r'"rule"\s*:\s*"([^"]+)"[^{}]*?"outcome"\s*:\s*"([^"]+)"', text):
        if m.group(2) == "fail":
            fails[m.group(1)] = fails.get(m.group(1), 0) + 1

    ok = True
    sql_pass = sum(v["pass"] for v in sql.values())
    sql_fail = sum(v["fail"] for v in sql.values())
    print("%-6s %12s %12s" % ("rule", "dabiao fail", "duckdb fail"))
    for rule in sorted(sql):
        d = fails.get(rule, 0)
        mark = "" if d == sql[rule]["fail"] else "  <-- differs"
        ok = ok and not mark
        print("%-6s %12d %12d%s" % (rule, d, sql[rule]["fail"], mark))
    for label, d, s in [("pass", summary.get("pass"), sql_pass), ("fail", summary.get("fail"), sql_fail),
                        ("results", summary.get("results"), sql_pass + sql_fail)]:
        mark = "" if d == s else "  <-- differs"
        ok = ok and not mark
        print("%-8s dabiao %12s  duckdb %12d%s" % (label, d, s, mark))
    for k in ("missing", "undefined", "notApplicable", "waived"):
        if summary.get(k):
            print("note: dabiao reports %s = %s (the benchmark data has none)" % (k, summary[k]))
            ok = False
    print("counts agree" if ok else "COUNTS DIFFER")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
