-- Doctor groups with their department, from the newest reference partition on or before the as-of date.
-- Params: as-of dt, as-of dt.
SELECT doctor_group_id, name_zh, name_en, department_id
FROM {{doctor_groups}}
WHERE dt = (SELECT MAX(dt) FROM {{doctor_groups}} WHERE dt <= ?)
  AND dt <= ?
ORDER BY doctor_group_id
