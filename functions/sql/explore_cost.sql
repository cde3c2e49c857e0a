-- Explorer: department direct costs for the months in [from, to] (monthly partitions are the months' first days),
-- grouped by one dimension (the API replaces the dollar-placeholders with allow-listed expressions and
-- parameterised clauses). Params: from dt, to dt, filter values.
SELECT
  {{$dimension}} AS dim_key,
  CAST(SUM(amount) AS DOUBLE) AS direct_cost
FROM {{department_costs}}
WHERE dt BETWEEN ? AND ? {{$filters}}
GROUP BY {{$dimension}}
