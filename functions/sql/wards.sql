-- Wards with their department, from the newest reference partition on or before the as-of date. Params: as-of dt, as-of dt.
SELECT ward_id, name_zh, name_en, department_id, campus_id, open_beds
FROM {{wards}}
WHERE dt = (SELECT MAX(dt) FROM {{wards}} WHERE dt <= ?)
  AND dt <= ?
ORDER BY ward_id
