-- The checks of bench/bench.sql, also writing every failing row (rule, key, name, value, target),
-- sorted, as JSON lines: closer to what dabiao's report holds. Run by hand:
--   python3 bench/run_sql.py bench/bench_rows.sql DATA_DIR   (rows go to /tmp/duck-rows.json)
-- {data} is replaced with the data folder by bench/run_sql.py.

CREATE TEMP TABLE enterprise AS SELECT * FROM read_csv('{data}/enterprise.csv', header = true, auto_detect = false, columns = {'code': 'VARCHAR', 'name': 'VARCHAR', 'staff': 'BIGINT'});
CREATE TEMP TABLE internship AS SELECT * FROM read_csv('{data}/internship.csv', header = true, auto_detect = false, columns = {'id': 'VARCHAR', 'enterprise_code': 'VARCHAR', 'school_code': 'VARCHAR', 'type': 'VARCHAR', 'daily_hours': 'DOUBLE', 'night_shift': 'VARCHAR'});
CREATE TEMP TABLE school AS SELECT * FROM read_csv('{data}/school.csv', header = true, auto_detect = false, columns = {'code': 'VARCHAR', 'name': 'VARCHAR', 'students': 'BIGINT', 'teachers': 'BIGINT'});
COPY (
WITH per_enterprise AS (SELECT enterprise_code, count(*) AS placed, count(*) FILTER (WHERE type = '岗位实习') AS posted FROM internship GROUP BY enterprise_code),
e AS (SELECT e.code, e.name, e.staff, coalesce(p.placed, 0) AS placed, coalesce(p.posted, 0) AS posted FROM enterprise e LEFT JOIN per_enterprise p ON p.enterprise_code = e.code)
SELECT 'B-01' AS rule, code AS key, name, placed AS value, ceil(staff * 0.02) AS target FROM e WHERE NOT (placed >= staff * 0.02::DOUBLE)
UNION ALL SELECT 'B-02', code, name, posted, floor(staff * 0.1) FROM e WHERE NOT (posted <= staff * 0.1::DOUBLE)
UNION ALL SELECT 'B-03', id, NULL, daily_hours, 8 FROM internship WHERE NOT (daily_hours <= 8)
UNION ALL SELECT 'B-04', id, NULL, NULL, NULL FROM internship WHERE night_shift = '是'
UNION ALL SELECT 'B-05', code, name, students::DOUBLE / teachers, 20 FROM school WHERE NOT (students::DOUBLE / teachers <= 20)
ORDER BY rule, key
) TO '/tmp/duck-rows.json' (FORMAT JSON);
SELECT 'B-00', 0, 0;
