-- Daily use of drugs and materials per ordering department and item over [from, to] (refunds net off). Params: from dt, to dt.
SELECT ordering_department_id AS department_id, item_code, dt AS day, CAST(SUM(quantity) AS DOUBLE) AS quantity
FROM {{charge_lines}}
WHERE dt BETWEEN ? AND ?
  AND item_category IN ('drug', 'material')
GROUP BY ordering_department_id, item_code, dt
