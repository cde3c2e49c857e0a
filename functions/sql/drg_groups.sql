-- DRG groups and weights for every year, as delivered in the newest partition on or before the as-of date.
-- Params: as-of dt, as-of dt.
SELECT year, drg_code, adrg_code, mdc, name_zh, weight
FROM {{drg_groups}}
WHERE dt = (SELECT MAX(dt) FROM {{drg_groups}} WHERE dt <= ?)
  AND dt <= ?
