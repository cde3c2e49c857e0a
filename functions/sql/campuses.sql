-- The campus list as delivered in the newest reference partition on or before the as-of date.
-- Params: as-of dt, as-of dt.
SELECT campus_id, name_zh, name_en
FROM {{campuses}}
WHERE dt = (SELECT MAX(dt) FROM {{campuses}} WHERE dt <= ?)
  AND dt <= ?
ORDER BY campus_id
