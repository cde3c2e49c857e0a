-- Explorer detail: the operations behind a figure, in date and operation order, one page at a time (the API replaces
-- the dollar-placeholders with parameterised filter clauses and a validated OFFSET/LIMIT).
-- Params: from dt, to dt, filter values.
SELECT surgery_id, surgery_date, campus_id, department_id, case_id, surgery_level, is_day_surgery
FROM {{surgeries}}
WHERE dt BETWEEN ? AND ? {{$filters}}
ORDER BY dt, surgery_id
{{$page}}
