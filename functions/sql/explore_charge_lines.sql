-- Charge lines explorer, the lines themselves: in date, patient, item and line order, one page at a time (the API
-- replaces the dollar-placeholders with parameterised filter clauses and a validated OFFSET/LIMIT).
-- Params: from dt, to dt, filter values.
SELECT line_id, charge_date, source_type, source_id, patient_id, item_code, item_category,
  CAST(quantity AS DOUBLE) AS quantity, CAST(unit_price AS DOUBLE) AS unit_price, CAST(amount AS DOUBLE) AS amount,
  ordering_department_id, executing_department_id
FROM {{charge_lines}}
WHERE dt BETWEEN ? AND ? {{$filters}}
ORDER BY dt, patient_id, item_code, line_id
{{$page}}
