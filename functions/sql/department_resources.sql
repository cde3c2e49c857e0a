-- Department staff, floor area and energy per month (YYYY-MM, the partition's month) over [from, to].
-- Params: from dt, to dt (monthly partitions are the months' first days).
SELECT department_id, substr(dt, 1, 7) AS month, headcount, doctors, nurses,
  CAST(floor_area_m2 AS DOUBLE) AS floor_area_m2, CAST(energy_kwh AS DOUBLE) AS energy_kwh, CAST(energy_cost AS DOUBLE) AS energy_cost
FROM {{department_resources}}
WHERE dt BETWEEN ? AND ?
