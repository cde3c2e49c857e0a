-- Charge lines explorer: lines, quantity, amount and patients over [from, to], grouped by one allow-listed column,
-- with the patient-item-days whose quantity exceeds the item's daily limit (the charge-item master in force on the
-- as-of date). The API replaces the dollar-placeholders with an allow-listed column expression and with
-- "AND <allow-listed column> = ?" clauses; values are always parameters. Params: as-of dt, as-of dt, from dt, to dt,
-- filter values. One scan gives the groups and, first (is_total = 1, by ROLLUP), the whole filtered scope; the groups
-- follow in the allow-listed order the API names (largest amount first, or most patient-days over the limit first),
-- and the API caps them.
WITH items AS (
  SELECT item_code, daily_limit
  FROM {{charge_items}}
  WHERE dt = (SELECT MAX(dt) FROM {{charge_items}} WHERE dt <= ?)
    AND dt <= ?
),
patient_days AS (
  SELECT {{$dimension}} AS dim_key, patient_id, item_code, dt,
    COUNT(*) AS lines, SUM(quantity) AS quantity, SUM(amount) AS amount
  FROM {{charge_lines}}
  WHERE dt BETWEEN ? AND ? {{$filters}}
  GROUP BY {{$dimension}}, patient_id, item_code, dt
)
SELECT d.dim_key, GROUPING(d.dim_key) AS is_total,
  SUM(d.lines) AS lines,
  CAST(SUM(d.quantity) AS DOUBLE) AS quantity,
  CAST(SUM(d.amount) AS DOUBLE) AS amount,
  COUNT(DISTINCT d.patient_id) AS patients,
  SUM(CASE WHEN i.daily_limit IS NOT NULL AND d.quantity > i.daily_limit THEN 1 ELSE 0 END) AS over_limit
FROM patient_days d
LEFT JOIN items i ON i.item_code = d.item_code
GROUP BY ROLLUP (d.dim_key)
ORDER BY is_total DESC, {{$order}}
