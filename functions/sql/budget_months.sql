-- Budget plan rows (original and adjusted, with the adjustment's note) for the months in [from, to] (monthly
-- partitions are the months' first days). Params: from dt, to dt.
SELECT department_id, budget_item, item_type, month, version, CAST(amount AS DOUBLE) AS amount, adjustment_note
FROM {{budget_plan}}
WHERE dt BETWEEN ? AND ?
