-- Ward bed census summed per campus and day.
-- Params: from dt, to dt (YYYY-MM-DD, inclusive).
SELECT
  campus_id,
  dt AS day,
  SUM(open_beds) AS open_beds,
  SUM(occupied_beds) AS occupied_beds,
  SUM(admissions) AS admissions
FROM {{bed_census}}
WHERE dt BETWEEN ? AND ?
GROUP BY campus_id, dt
