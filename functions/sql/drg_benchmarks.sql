-- Regional DRG benchmarks (average cost, average stay, mortality) per year in force on the as-of date: each year as its
-- newest delivery on or before the as-of date has it (a delivery replaces the years it carries and never erases the others).
-- Params: as-of dt, as-of dt.
SELECT b.year, b.drg_code, b.avg_cost, b.avg_los, b.mortality_rate
FROM {{drg_benchmarks}} b
JOIN (SELECT year AS in_force_year, MAX(dt) AS in_force_dt FROM {{drg_benchmarks}} WHERE dt <= ? GROUP BY year) v
  ON b.year = v.in_force_year AND b.dt = v.in_force_dt
WHERE b.dt <= ?
