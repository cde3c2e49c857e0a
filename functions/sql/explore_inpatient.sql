-- Explorer: discharged cases, their bed-days and revenue by fee category over [from, to] (discharge date), grouped by
-- one dimension. The API replaces the two dollar-placeholders with an allow-listed column expression and with
-- "AND <allow-listed column> = ?" clauses; values are always parameters. Params: from dt, to dt, filter values.
SELECT
  {{$dimension}} AS dim_key,
  COUNT(*) AS discharges,
  SUM(los_days) AS los_days,
  CAST(SUM(fee_total) AS DOUBLE) AS fee_total,
  CAST(SUM(fee_drug) AS DOUBLE) AS fee_drug,
  CAST(SUM(fee_material) AS DOUBLE) AS fee_material,
  CAST(SUM(fee_exam) AS DOUBLE) AS fee_exam,
  CAST(SUM(fee_lab) AS DOUBLE) AS fee_lab,
  CAST(SUM(fee_treatment) AS DOUBLE) AS fee_treatment,
  CAST(SUM(fee_surgery) AS DOUBLE) AS fee_surgery,
  CAST(SUM(fee_consultation) AS DOUBLE) AS fee_consultation,
  CAST(SUM(fee_bed) AS DOUBLE) AS fee_bed,
  CAST(SUM(fee_other) AS DOUBLE) AS fee_other
FROM {{inpatient_cases}}
WHERE dt BETWEEN ? AND ? {{$filters}}
GROUP BY {{$dimension}}
