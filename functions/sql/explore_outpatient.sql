-- Explorer: outpatient and emergency visits and their revenue by fee category over [from, to], grouped by one
-- dimension. The API replaces the two dollar-placeholders with an allow-listed column expression and with
-- "AND <allow-listed column> = ?" clauses; values are always parameters. Params: from dt, to dt, filter values.
SELECT
  {{$dimension}} AS dim_key,
  SUM(CASE WHEN visit_type = 'outpatient' THEN 1 ELSE 0 END) AS outpatient_visits,
  SUM(CASE WHEN visit_type = 'emergency' THEN 1 ELSE 0 END) AS emergency_visits,
  CAST(SUM(fee_total) AS DOUBLE) AS fee_total,
  CAST(SUM(fee_drug) AS DOUBLE) AS fee_drug,
  CAST(SUM(fee_material) AS DOUBLE) AS fee_material,
  CAST(SUM(fee_exam) AS DOUBLE) AS fee_exam,
  CAST(SUM(fee_lab) AS DOUBLE) AS fee_lab,
  CAST(SUM(fee_treatment) AS DOUBLE) AS fee_treatment,
  CAST(SUM(fee_surgery) AS DOUBLE) AS fee_surgery,
  CAST(SUM(fee_consultation) AS DOUBLE) AS fee_consultation,
  CAST(SUM(fee_other) AS DOUBLE) AS fee_other
FROM {{outpatient_visits}}
WHERE dt BETWEEN ? AND ? {{$filters}}
GROUP BY {{$dimension}}
