-- Department direct costs per month (YYYY-MM, the partition's month) and cost element over [from, to].
-- Params: from dt, to dt (monthly partitions are the months' first days).
SELECT department_id, substr(dt, 1, 7) AS month, cost_element, CAST(amount AS DOUBLE) AS amount
FROM {{department_costs}}
WHERE dt BETWEEN ? AND ?
