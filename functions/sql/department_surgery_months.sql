-- Operations per operating department and month (YYYY-MM) over [from, to].
-- Params: from dt, to dt (YYYY-MM-DD, inclusive).
SELECT
  department_id,
  substr(dt, 1, 7) AS month,
  COUNT(*) AS surgeries
FROM {{surgeries}}
WHERE dt BETWEEN ? AND ?
GROUP BY department_id, substr(dt, 1, 7)
