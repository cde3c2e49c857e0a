-- One department's discharged cases in [from, to] (the explorer's drill-down, scoped by a bound parameter) with their charges by cost category, for DRG/DIP analytics (one row per case).
-- Registration, consultation, bed and other fees make up fee_rest. Charges come back as DOUBLE: they are summed and
-- divided for indices and shares, not booked. Params: from dt, to dt, department.
SELECT case_id, patient_id, admission_date, dt AS discharge_date, campus_id, department_id, doctor_group_id, drg_code, los_days, outcome, insurance_type,
       CAST(fee_total AS DOUBLE) AS fee_total, CAST(fee_drug AS DOUBLE) AS fee_drug, CAST(fee_material AS DOUBLE) AS fee_material,
       CAST(fee_exam AS DOUBLE) AS fee_exam, CAST(fee_lab AS DOUBLE) AS fee_lab, CAST(fee_treatment AS DOUBLE) AS fee_treatment,
       CAST(fee_surgery AS DOUBLE) AS fee_surgery, CAST(fee_consultation + fee_bed + fee_other AS DOUBLE) AS fee_rest
FROM {{inpatient_cases}}
WHERE dt BETWEEN ? AND ? AND department_id = ?
ORDER BY dt, case_id
