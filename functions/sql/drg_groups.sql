-- DRG groups and weights for every year in force on the as-of date: each year as its newest delivery on or before the
-- as-of date has it (a delivery replaces the years it carries and never erases the others).
-- Params: as-of dt, as-of dt.
SELECT g.year, g.drg_code, g.adrg_code, g.mdc, g.name_zh, g.weight
FROM {{drg_groups}} g
JOIN (SELECT year AS in_force_year, MAX(dt) AS in_force_dt FROM {{drg_groups}} WHERE dt <= ? GROUP BY year) v
  ON g.year = v.in_force_year AND g.dt = v.in_force_dt
WHERE g.dt <= ?
