#!/usr/bin/env python3
"""Compare dabiao's JSON report with DuckDB's counts and failing rows for bench/heavy.

Usage: compare.py REPORT.json SQL.json [ROWS.json]     Exit 0 when everything agrees, 1 otherwise.

REPORT.json  dabiao check --format json --show failures (pretty-printed, one field a line)
SQL.json     bench/run_sql.py bench/heavy/heavy.sql output: per rule pass/fail/missing/undefined/warning/error
ROWS.json    the rows heavy.sql wrote (JSON lines: rule, key, outcome, level, value, target)

Checks, per rule: dabiao's summary ("rules" in the report) against the SQL counts; and, when
ROWS.json is given, the results the report lists against DuckDB's rows: their number by outcome,
an order-independent digest of (key, outcome, level), and the sum of the first measure's values
(dabiao rounds what it prints, so sums are compared with a tolerance of 0.005 per row).

The report can be gigabytes, so it is read in blocks and matched with a pattern; only the part
before "results" is decoded as JSON.
"""

import hashlib
import json
import re
import sys

BLOCK = 64 << 20
RESULT = re.compile(
    r'"rule": "([^"]+)",\n[^\n]*\n[^\n]*\n\s*"key": "((?:[^"\\]|\\.)*)",\n[^\n]*\n'
    r'\s*"outcome": "([A-Za-z-]+)",\n\s*"level": (?:"([a-z]+)"|null),\n'
    r'\s*"measures": \[(?:\n\s*\{\n\s*"name": [^\n]*\n\s*"value": ([^,\n]+))?')
OUTCOMES = ("fail", "missing", "undefined", "notApplicable", "waived")


def digest(key, outcome, level):
    return int.from_bytes(hashlib.blake2b(("%s|%s|%s" % (key, outcome, level or "")).encode(),
                                          digest_size=8).digest(), "little")


class Tally:
    def __init__(self):
        self.rules = {}

    def add(self, rule, key, outcome, level, value):
        t = self.rules.setdefault(rule, {"rows": {}, "digest": 0, "sum": 0.0, "values": 0})
        t["rows"][outcome] = t["rows"].get(outcome, 0) + 1
        t["digest"] = (t["digest"] + digest(key, outcome, level)) & 0xFFFFFFFFFFFFFFFF
        if value is not None:
            t["sum"] += value
            t["values"] += 1


def read_head(path):
    """The report's text before its "results" array, and the offset where results begin."""
    with open(path, "r", encoding="utf-8") as f:
        head = f.read(BLOCK)
    at = head.find('\n  "results": [')
    if at < 0:
        sys.exit("no results array in the first %d MB of %s" % (BLOCK >> 20, path))
    return head[:at], at


def decode_after(text, name):
    at = text.find('"%s":' % name)
    if at < 0:
        return None
    value, _ = json.JSONDecoder().raw_decode(text[text.index(":", at) + 1:].lstrip())
    return value


def scan_report(path, start):
    tally = Tally()
    with open(path, "r", encoding="utf-8") as f:
        f.seek(0)
        f.read(start)  # text offset (read() counts characters, so skip by reading)
        carry = ""
        done = False
        while not done:
            block = f.read(BLOCK)
            text = carry + block
            end = text.find('\n  "rectification": [')
            if end >= 0:
                text, done = text[:end], True
            elif not block:
                done = True
            else:
                cut = text.rfind("\n    {\n")  # start of the last (maybe incomplete) result
                text, carry = text[:cut], text[cut:]
            for m in RESULT.finditer(text):
                v = m.group(5)
                tally.add(m.group(1), m.group(2), m.group(3), m.group(4),
                          None if v is None or v == "null" else float(v))
    return tally


def scan_rows(path):
    tally = Tally()
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            tally.add(r["rule"], r["key"], r["outcome"], r["level"], r["value"])
    return tally


def main():
    if len(sys.argv) not in (3, 4):
        sys.stderr.write("usage: compare.py REPORT.json SQL.json [ROWS.json]\n")
        sys.exit(64)
    head, start = read_head(sys.argv[1])
    summary = decode_after(head, "summary")
    rules = {r["rule"]: r["summary"] for r in decode_after(head, "rules")}
    sql = json.load(open(sys.argv[2], encoding="utf-8"))
    ok = True

    print("%-6s %-18s %12s %12s" % ("rule", "count", "dabiao", "duckdb"))
    for rule in sorted(set(sql) | set(rules)):
        d, s = rules.get(rule, {}), sql.get(rule, {})
        pairs = [(k, d.get(k), s.get(k)) for k in ("pass", "fail", "missing", "undefined")]
        pairs += [(k, d.get("byLevel", {}).get(k), s.get(k)) for k in ("warning", "error")]
        pairs += [("notApplicable", d.get("notApplicable"), 0), ("waived", d.get("waived"), 0)]
        for k, dv, sv in pairs:
            mark = "" if dv == sv else "  <-- differs"
            ok = ok and not mark
            if k in ("pass", "fail") or mark or dv:
                print("%-6s %-18s %12s %12s%s" % (rule, k, dv, sv, mark))
    total = {k: sum(v.get(k, 0) for v in sql.values()) for k in ("pass", "fail", "missing", "undefined")}
    for k in ("pass", "fail", "missing", "undefined"):
        mark = "" if summary.get(k) == total[k] else "  <-- differs"
        ok = ok and not mark
        print("%-6s %-18s %12s %12s%s" % ("all", k, summary.get(k), total[k], mark))
    results = summary.get("results", 0)
    print("failing: %d of %d results (%.1f %%)" % (summary.get("fail", 0), results,
                                                    100.0 * summary.get("fail", 0) / max(results, 1)))

    if len(sys.argv) == 4:
        mine, theirs = scan_report(sys.argv[1], start), scan_rows(sys.argv[3])
        print()
        print("%-6s %-34s %-34s" % ("rule", "dabiao rows listed", "duckdb rows written"))
        for rule in sorted(set(mine.rules) | set(theirs.rules)):
            a = mine.rules.get(rule, {"rows": {}, "digest": 0, "sum": 0.0, "values": 0})
            b = theirs.rules.get(rule, {"rows": {}, "digest": 0, "sum": 0.0, "values": 0})
            same = (a["rows"] == b["rows"] and a["digest"] == b["digest"] and a["values"] == b["values"]
                    and abs(a["sum"] - b["sum"]) <= 0.005 * max(a["values"], 1) + 1e-6 * abs(b["sum"]))
            ok = ok and same
            show = lambda t: " ".join("%s %d" % (k, t["rows"][k]) for k in sorted(t["rows"]))
            print("%-6s %-34s %-34s %s" % (rule, show(a), show(b), "" if same else "<-- differs"))
            if not same:
                print("       digest %016x / %016x, measure sum %.4f (%d) / %.4f (%d)"
                      % (a["digest"], b["digest"], a["sum"], a["values"], b["sum"], b["values"]))
    print("counts agree" if ok else "COUNTS DIFFER")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
