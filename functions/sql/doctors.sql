-- Doctors with their department, from the newest reference partition on or before the as-of date.
-- Params: as-of dt, as-of dt.
SELECT doctor_id, name_zh, department_id
FROM {{doctors}}
WHERE dt = (SELECT MAX(dt) FROM {{doctors}} WHERE dt <= ?)
  AND dt <= ?
ORDER BY doctor_id
