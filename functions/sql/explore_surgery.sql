-- Explorer: operations over [from, to], grouped by one dimension (the API replaces the dollar-placeholders with
-- allow-listed expressions and parameterised clauses). Params: from dt, to dt, filter values.
SELECT
  {{$dimension}} AS dim_key,
  COUNT(*) AS surgeries
FROM {{surgeries}}
WHERE dt BETWEEN ? AND ? {{$filters}}
GROUP BY {{$dimension}}
