-- Budget actuals per department, item and month for the months in [from, to]. Params: from dt, to dt.
SELECT department_id, budget_item, item_type, month, CAST(amount AS DOUBLE) AS amount
FROM {{budget_actuals}}
WHERE dt BETWEEN ? AND ?
