-- DRG base rates per year and insurance type, from the newest partition on or before the as-of date.
-- Params: as-of dt, as-of dt.
SELECT year, insurance_type, base_rate
FROM {{drg_base_rates}}
WHERE dt = (SELECT MAX(dt) FROM {{drg_base_rates}} WHERE dt <= ?)
  AND dt <= ?
