-- Explorer detail: the direct-cost lines behind a figure, by month, department and element, one page at a time (the API
-- replaces the dollar-placeholders with parameterised filter clauses and a validated OFFSET/LIMIT).
-- Params: from dt, to dt, filter values.
SELECT month, department_id, cost_element, CAST(amount AS DOUBLE) AS amount
FROM {{department_costs}}
WHERE dt BETWEEN ? AND ? {{$filters}}
ORDER BY dt, department_id, cost_element
{{$page}}
