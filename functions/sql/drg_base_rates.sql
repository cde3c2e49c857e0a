-- DRG base rates per year and insurance type in force on the as-of date: each year as its newest delivery on or before
-- the as-of date has it (a delivery replaces the years it carries and never erases the others).
-- Params: as-of dt, as-of dt.
SELECT r.year, r.insurance_type, r.base_rate
FROM {{drg_base_rates}} r
JOIN (SELECT year AS in_force_year, MAX(dt) AS in_force_dt FROM {{drg_base_rates}} WHERE dt <= ? GROUP BY year) v
  ON r.year = v.in_force_year AND r.dt = v.in_force_dt
WHERE r.dt <= ?
