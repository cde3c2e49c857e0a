-- Explorer detail: the discharged cases behind a figure, in discharge-date and case order, one page at a time (the API
-- replaces the dollar-placeholders with parameterised filter clauses and a validated OFFSET/LIMIT).
-- Params: from dt, to dt, filter values.
SELECT case_id, admission_date, discharge_date, campus_id, department_id, ward_id, doctor_group_id, drg_code, los_days, outcome, insurance_type,
  CAST(fee_total AS DOUBLE) AS fee_total, CAST(fee_drug AS DOUBLE) AS fee_drug, CAST(fee_material AS DOUBLE) AS fee_material,
  CAST(fee_exam AS DOUBLE) AS fee_exam, CAST(fee_lab AS DOUBLE) AS fee_lab
FROM {{inpatient_cases}}
WHERE dt BETWEEN ? AND ? {{$filters}}
ORDER BY dt, case_id
{{$page}}
