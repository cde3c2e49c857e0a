-- Discharged cases per campus and discharge day: count, bed-days and revenue by category.
-- Params: from dt, to dt (YYYY-MM-DD, inclusive).
SELECT
  campus_id,
  dt AS day,
  COUNT(*) AS discharges,
  SUM(los_days) AS los_days,
  SUM(fee_total) AS revenue,
  SUM(fee_drug) AS drug_revenue,
  SUM(fee_material) AS material_revenue,
  SUM(fee_exam) AS exam_revenue,
  SUM(fee_lab) AS lab_revenue
FROM {{inpatient_cases}}
WHERE dt BETWEEN ? AND ?
GROUP BY campus_id, dt
