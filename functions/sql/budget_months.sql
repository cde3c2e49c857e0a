-- Budget plan rows (original and adjusted) for the months in [from, to] (monthly partitions are the months' first days). Params: from dt, to dt.
SELECT department_id, budget_item, item_type, month, version, CAST(amount AS DOUBLE) AS amount
FROM {{budget_plan}}
WHERE dt BETWEEN ? AND ?
