#!/usr/bin/env python3
"""Differential check of `dabiao sql` against `dabiao check` (docs/sql.md).

Loads an export (`dabiao export --output DIR`) into a database under the
schema of `dabiao sql --schema`, runs the query of `dabiao sql`, and compares
every row with the results of `dabiao check --format json --show all`:
the same (ruleset, rule, entity, key) rows, the same outcome and level,
and measures equal within the engine's tolerance (1e-9 relative). Any
difference is printed and makes the exit status 1; there is no exceptions list.

  sql_diff.py duckdb SCHEMA.sql EXPORT_DIR QUERY.sql CHECK.json
  sql_diff.py postgres SCHEMA.sql EXPORT_DIR QUERY.sql CHECK.json --host SOCKET_DIR --port N --db NAME [--user U]
"""
import csv, io, json, math, os, subprocess, sys

TOLERANCE = 1e-9


def tables_in(export_dir):
    """(table, csv path) for every exported entity file; data-errors.csv is not a table."""
    out = []
    for name in sorted(os.listdir(export_dir)):
        if name.endswith(".csv") and name != "data-errors.csv":
            out.append((name[:-4], os.path.join(export_dir, name)))
    return out


def run_duckdb(schema, export_dir, query):
    import duckdb
    con = duckdb.connect()
    con.execute(open(schema, encoding="utf-8").read())
    for table, path in tables_in(export_dir):
        con.execute('COPY "%s" FROM \'%s\' (HEADER)' % (table.replace('"', '""'), path.replace("'", "''")))
    cur = con.execute(open(query, encoding="utf-8").read())
    return [tuple(r) for r in cur.fetchall()]


def run_postgres(schema, export_dir, query, host, port, db, user):
    base = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", str(port), "-d", db]
    if user:
        base += ["-U", user]
    script = "\\i %s\n" % schema
    for table, path in tables_in(export_dir):
        script += "\\copy \"%s\" FROM '%s' WITH (FORMAT csv, HEADER true)\n" % (table.replace('"', '""'), path.replace("'", "''"))
    subprocess.run(base, input=script.encode("utf-8"), check=True)
    r = subprocess.run(base + ["--csv", "-f", query], capture_output=True, check=True)
    rows = list(csv.reader(io.StringIO(r.stdout.decode("utf-8"))))
    # psql --csv writes NULL as an empty field; only `level` may be NULL.
    return [tuple(None if (i == 5 and c == "") else c for i, c in enumerate(row)) for row in rows[1:]]


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a == b or abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def compare(rows, expected_path):
    report = json.load(open(expected_path, encoding="utf-8"))
    want = {}
    for r in report["results"]:
        want[(r["ruleset"], r["rule"], r["entity"], r["key"])] = r
    got = {}
    problems = []
    stats = {"numbers": 0, "inexact": 0}
    for row in rows:
        ruleset, rule, entity, key, outcome, level, measures = row
        k = (ruleset, rule, entity, key)
        if k in got:
            problems.append("duplicate SQL row %s" % (k,))
        got[k] = (outcome, level, json.loads(measures))
    for k in sorted(set(want) - set(got)):
        problems.append("%s: in check (%s), not in SQL" % (k, want[k]["outcome"]))
    for k in sorted(set(got) - set(want)):
        problems.append("%s: in SQL (%s), not in check" % (k, got[k][0]))
    for k in sorted(set(want) & set(got)):
        w, (outcome, level, measures) = want[k], got[k]
        if w["outcome"] != outcome:
            problems.append("%s: outcome %s in check, %s in SQL" % (k, w["outcome"], outcome))
        if w["level"] != level:
            problems.append("%s: level %s in check, %s in SQL" % (k, w["level"], level))
        names = [m["name"] for m in w["measures"]]
        if names != list(measures.keys()):
            problems.append("%s: measures %s in check, %s in SQL" % (k, names, list(measures.keys())))
            continue
        for m in w["measures"]:
            s = measures[m["name"]]
            s = None if s is None else float(s)
            if not close(m["value"], s):
                problems.append("%s: measure %s = %r in check, %r in SQL" % (k, m["name"], m["value"], s))
            elif m["value"] is not None:
                stats["numbers"] += 1
                if float(m["value"]) != s:
                    stats["inexact"] += 1
    outcomes = {}
    for r in report["results"]:
        outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
    return problems, len(want), outcomes, stats


def main(argv):
    if len(argv) < 6:
        print(__doc__, file=sys.stderr)
        return 64
    engine, schema, export_dir, query, expected = argv[1:6]
    opts = dict(zip(argv[6::2], argv[7::2]))
    if engine == "duckdb":
        rows = run_duckdb(schema, export_dir, query)
    elif engine == "postgres":
        rows = run_postgres(schema, export_dir, query, opts["--host"], opts.get("--port", "5432"), opts["--db"], opts.get("--user"))
    else:
        print("unknown engine %s" % engine, file=sys.stderr)
        return 64
    problems, n, outcomes, stats = compare(rows, expected)
    for p in problems[:50]:
        print(p)
    if len(problems) > 50:
        print("… %d more" % (len(problems) - 50))
    # Measures equal within the tolerance count as equal; how many are not the same double is said, not hidden.
    print("%s: %d results compared %s, %d measure values (%d not bit-identical, all within 1e-9), %d differences"
          % (engine, n, json.dumps(outcomes, sort_keys=True), stats["numbers"], stats["inexact"], len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
