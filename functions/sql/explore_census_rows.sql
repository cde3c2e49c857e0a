-- Explorer detail: the ward-days of the census behind a figure, in date and ward order, one page at a time (the API
-- replaces the dollar-placeholders with parameterised filter clauses and a validated OFFSET/LIMIT).
-- Params: from dt, to dt, filter values.
SELECT census_date, ward_id, campus_id, department_id, open_beds, occupied_beds, admissions, discharges
FROM {{bed_census}}
WHERE dt BETWEEN ? AND ? {{$filters}}
ORDER BY dt, ward_id
{{$page}}
