-- Regional DRG benchmarks (average cost, average stay, mortality) per year, from the newest partition on or before the as-of date.
-- Params: as-of dt, as-of dt.
SELECT year, drg_code, avg_cost, avg_los, mortality_rate
FROM {{drg_benchmarks}}
WHERE dt = (SELECT MAX(dt) FROM {{drg_benchmarks}} WHERE dt <= ?)
  AND dt <= ?
