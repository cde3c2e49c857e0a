-- Ward census summed per department and month (YYYY-MM) over [from, to]: open and occupied bed-days, admissions.
-- Params: from dt, to dt (YYYY-MM-DD, inclusive).
SELECT
  department_id,
  substr(dt, 1, 7) AS month,
  SUM(open_beds) AS open_bed_days,
  SUM(occupied_beds) AS occupied_bed_days,
  SUM(admissions) AS admissions
FROM {{bed_census}}
WHERE dt BETWEEN ? AND ?
GROUP BY department_id, substr(dt, 1, 7)
