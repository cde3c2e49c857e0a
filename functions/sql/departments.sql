-- Departments with their campus, class and system, from the newest reference partition on or before the as-of date.
-- Params: as-of dt, as-of dt.
SELECT department_id, name_zh, name_en, department_class, system, campus_id
FROM {{departments}}
WHERE dt = (SELECT MAX(dt) FROM {{departments}} WHERE dt <= ?)
  AND dt <= ?
ORDER BY department_id
