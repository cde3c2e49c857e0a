-- Discharged cases per department and discharge month (YYYY-MM) over [from, to]: count, bed-days and revenue.
-- Params: from dt, to dt (YYYY-MM-DD, inclusive).
SELECT
  department_id,
  substr(dt, 1, 7) AS month,
  COUNT(*) AS discharges,
  SUM(los_days) AS los_days,
  CAST(SUM(fee_total) AS DOUBLE) AS revenue,
  CAST(SUM(fee_drug) AS DOUBLE) AS drug_revenue,
  CAST(SUM(fee_material) AS DOUBLE) AS material_revenue
FROM {{inpatient_cases}}
WHERE dt BETWEEN ? AND ?
GROUP BY department_id, substr(dt, 1, 7)
