-- Explorer detail: the visits behind a figure, in date and visit order, one page at a time (the API replaces the
-- dollar-placeholders with parameterised filter clauses and a validated OFFSET/LIMIT). Params: from dt, to dt, filter values.
SELECT visit_id, visit_date, visit_type, campus_id, department_id, doctor_id, insurance_type,
  CAST(fee_total AS DOUBLE) AS fee_total, CAST(fee_drug AS DOUBLE) AS fee_drug, CAST(fee_material AS DOUBLE) AS fee_material,
  CAST(fee_exam AS DOUBLE) AS fee_exam, CAST(fee_lab AS DOUBLE) AS fee_lab
FROM {{outpatient_visits}}
WHERE dt BETWEEN ? AND ? {{$filters}}
ORDER BY dt, visit_id
{{$page}}
