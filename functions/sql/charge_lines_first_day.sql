-- The first night with charge lines on or before the as-of date (how much history the use rules can look at). Params: as-of dt.
SELECT MIN(dt) AS first_day
FROM {{charge_lines}}
WHERE dt <= ?
