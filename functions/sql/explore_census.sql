-- Explorer: the wards' midnight census over [from, to], grouped by one dimension (the API replaces the
-- dollar-placeholders with allow-listed expressions and parameterised clauses). Params: from dt, to dt, filter values.
SELECT
  {{$dimension}} AS dim_key,
  SUM(open_beds) AS open_beds,
  SUM(occupied_beds) AS occupied_beds,
  SUM(admissions) AS admissions
FROM {{bed_census}}
WHERE dt BETWEEN ? AND ? {{$filters}}
GROUP BY {{$dimension}}
