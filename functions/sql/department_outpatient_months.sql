-- Outpatient and emergency visits and their revenue per department and month (YYYY-MM) over [from, to].
-- Params: from dt, to dt (YYYY-MM-DD, inclusive).
SELECT
  department_id,
  substr(dt, 1, 7) AS month,
  COUNT(*) AS visits,
  SUM(CASE WHEN visit_type = 'emergency' THEN 1 ELSE 0 END) AS emergency_visits,
  CAST(SUM(fee_total) AS DOUBLE) AS revenue,
  CAST(SUM(fee_drug) AS DOUBLE) AS drug_revenue,
  CAST(SUM(fee_material) AS DOUBLE) AS material_revenue
FROM {{outpatient_visits}}
WHERE dt BETWEEN ? AND ?
GROUP BY department_id, substr(dt, 1, 7)
