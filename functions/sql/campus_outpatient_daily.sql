-- Outpatient and emergency visits and their revenue per campus and day.
-- Params: from dt, to dt (YYYY-MM-DD, inclusive).
SELECT
  campus_id,
  dt AS day,
  SUM(CASE WHEN visit_type = 'outpatient' THEN 1 ELSE 0 END) AS outpatient_visits,
  SUM(CASE WHEN visit_type = 'emergency' THEN 1 ELSE 0 END) AS emergency_visits,
  SUM(fee_total) AS revenue,
  SUM(fee_drug) AS drug_revenue,
  SUM(fee_material) AS material_revenue,
  SUM(fee_exam) AS exam_revenue,
  SUM(fee_lab) AS lab_revenue
FROM {{outpatient_visits}}
WHERE dt BETWEEN ? AND ?
GROUP BY campus_id, dt
