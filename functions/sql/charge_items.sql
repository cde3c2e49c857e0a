-- The charge-item master from the newest reference partition on or before the as-of date. Params: as-of dt, as-of dt.
SELECT item_code, name_zh, name_en, item_category, unit_price, daily_limit
FROM {{charge_items}}
WHERE dt = (SELECT MAX(dt) FROM {{charge_items}} WHERE dt <= ?)
  AND dt <= ?
ORDER BY item_code
