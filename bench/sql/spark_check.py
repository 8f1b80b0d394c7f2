#!/usr/bin/env python3
"""The differential check of `dabiao sql --dialect spark` in Spark SQL (pyspark, local mode).

Usage: spark_check.py SCHEMA.sql EXPORT_DIR QUERY.sql CHECK.json

SCHEMA.sql from `dabiao sql --schema --dialect spark`, EXPORT_DIR from `dabiao export`,
QUERY.sql from `dabiao sql --dialect spark --as-of …`, CHECK.json from
`dabiao check --format json --show all --as-of …`. Creates the tables in a temporary
warehouse, reads each exported CSV with the table's schema (RFC 4180 quoting), runs the
query and compares it with scripts/sql_diff.py's comparison. Exit 1 on any difference.
"""
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
import sql_diff  # noqa: E402


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 64
    schema, export, query, expected = sys.argv[1:]
    from pyspark.sql import SparkSession
    warehouse = tempfile.mkdtemp(prefix="dabiao-spark-")
    spark = (SparkSession.builder.master("local[1]").appName("dabiao-sql-check")
             .config("spark.sql.warehouse.dir", warehouse)
             .config("spark.ui.enabled", "false")
             # The samples' query (76 rules, 830 kB of SQL) does not plan in the default 1 GB, and
             # at run time each of its many aggregations in one task takes a memory page (64 MB
             # with Spark's defaults): 6 GB runs it with the defaults; 2 GB does with
             # DABIAO_SPARK_CONF="spark.buffer.pageSize=2m".
             .config("spark.driver.memory", os.environ.get("DABIAO_SPARK_MEMORY", "6g"))
             .config("spark.sql.session.timeZone", "UTC"))
    # Extra settings to try (not needed for the check): DABIAO_SPARK_CONF="key=value;key=value".
    for setting in os.environ.get("DABIAO_SPARK_CONF", "").split(";"):
        if setting.strip():
            key, _, value = setting.partition("=")
            spark = spark.config(key.strip(), value.strip())
    spark = spark.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    text = open(schema, encoding="utf-8").read()
    for statement in text.split(";\n"):
        body = "\n".join(l for l in statement.split("\n") if not l.lstrip().startswith("--")).strip()
        if body:
            spark.sql(statement)
    for table, path in sql_diff.tables_in(export):
        df = (spark.read.option("header", True).option("escape", '"').option("multiLine", True)
              .schema(spark.table("`%s`" % table).schema).csv(path))
        df.createOrReplaceTempView(table)
    sql = open(query, encoding="utf-8").read().rstrip().rstrip(";")
    t0 = time.perf_counter()
    rows = [tuple(r) for r in spark.sql(sql).collect()]
    t1 = time.perf_counter()
    problems, n, outcomes, stats = sql_diff.compare(rows, expected)
    for p in problems[:50]:
        print(p)
    print("spark %s: %d results compared, %d measure values (%d not bit-identical), %d differences; query %.1f s"
          % (spark.version, n, stats["numbers"], stats["inexact"], len(problems), t1 - t0))
    spark.stop()
    shutil.rmtree(warehouse, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
