-- The checks of bench/bench.rules in DuckDB SQL, over the same CSV files.
-- {data} is replaced with the data folder by bench/run_sql.py.
-- Output: one row per rule with the number of passing and failing records.
-- Thresholds are compared in DOUBLE, as dabiao does, so 2% of 50 is the same 1.0 on both sides.

CREATE TEMP TABLE enterprise AS
  SELECT * FROM read_csv('{data}/enterprise.csv', header = true, auto_detect = false,
    columns = {'code': 'VARCHAR', 'name': 'VARCHAR', 'staff': 'BIGINT'});

CREATE TEMP TABLE internship AS
  SELECT * FROM read_csv('{data}/internship.csv', header = true, auto_detect = false,
    columns = {'id': 'VARCHAR', 'enterprise_code': 'VARCHAR', 'school_code': 'VARCHAR',
               'type': 'VARCHAR', 'daily_hours': 'DOUBLE', 'night_shift': 'VARCHAR'});

CREATE TEMP TABLE school AS
  SELECT * FROM read_csv('{data}/school.csv', header = true, auto_detect = false,
    columns = {'code': 'VARCHAR', 'name': 'VARCHAR', 'students': 'BIGINT', 'teachers': 'BIGINT'});

WITH per_enterprise AS (
  SELECT enterprise_code,
         count(*) AS placed,
         count(*) FILTER (WHERE type = '岗位实习') AS posted
  FROM internship
  GROUP BY enterprise_code
), e AS (
  SELECT e.staff, coalesce(p.placed, 0) AS placed, coalesce(p.posted, 0) AS posted
  FROM enterprise e LEFT JOIN per_enterprise p ON p.enterprise_code = e.code
)
SELECT 'B-01' AS rule,
       count(*) FILTER (WHERE placed >= staff * 0.02::DOUBLE) AS pass,
       count(*) FILTER (WHERE NOT (placed >= staff * 0.02::DOUBLE)) AS fail
FROM e
UNION ALL
SELECT 'B-02',
       count(*) FILTER (WHERE posted <= staff * 0.1::DOUBLE),
       count(*) FILTER (WHERE NOT (posted <= staff * 0.1::DOUBLE))
FROM e
UNION ALL
SELECT 'B-03',
       count(*) FILTER (WHERE daily_hours <= 8),
       count(*) FILTER (WHERE NOT (daily_hours <= 8))
FROM internship
UNION ALL
SELECT 'B-04',
       count(*) FILTER (WHERE night_shift = '否'),
       count(*) FILTER (WHERE night_shift = '是')
FROM internship
UNION ALL
SELECT 'B-05',
       count(*) FILTER (WHERE students::DOUBLE / teachers <= 20),
       count(*) FILTER (WHERE NOT (students::DOUBLE / teachers <= 20))
FROM school
ORDER BY rule;
