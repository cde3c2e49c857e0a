-- Operations per campus and day.
-- Params: from dt, to dt (YYYY-MM-DD, inclusive).
SELECT
  campus_id,
  dt AS day,
  COUNT(*) AS surgeries
FROM {{surgeries}}
WHERE dt BETWEEN ? AND ?
GROUP BY campus_id, dt
