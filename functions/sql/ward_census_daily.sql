-- Each ward's midnight census per day over [from, to]. Params: from dt, to dt.
SELECT ward_id, department_id, dt AS day, open_beds, occupied_beds, admissions, discharges
FROM {{bed_census}}
WHERE dt BETWEEN ? AND ?
