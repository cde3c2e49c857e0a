-- Patient-item-days whose total quantity exceeds the item's daily limit (duplicate-charge screening), over [from, to],
-- against the charge-item master in force on the as-of date. Params: from dt, to dt, as-of dt.
SELECT l.patient_id, l.item_code, l.dt AS day, CAST(SUM(l.quantity) AS DOUBLE) AS quantity, COUNT(*) AS lines,
       MAX(i.daily_limit) AS daily_limit, MIN(l.ordering_department_id) AS department_id
FROM {{charge_lines}} l
JOIN {{charge_items}} i ON i.item_code = l.item_code
WHERE l.dt BETWEEN ? AND ?
  AND i.dt = (SELECT MAX(dt) FROM {{charge_items}} WHERE dt <= ?)
  AND i.daily_limit IS NOT NULL
GROUP BY l.patient_id, l.item_code, l.dt
HAVING SUM(l.quantity) > MAX(i.daily_limit)
ORDER BY day, l.patient_id, l.item_code
