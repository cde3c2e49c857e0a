-- Discharged cases in [from, to] with their charges by cost category, for DRG/DIP analytics (one row per case).
-- Registration, consultation, bed and other fees make up fee_rest. Params: from dt, to dt.
SELECT case_id, dt AS discharge_date, campus_id, department_id, doctor_group_id, drg_code, los_days, outcome, insurance_type,
       fee_total, fee_drug, fee_material, fee_exam, fee_lab, fee_treatment, fee_surgery,
       fee_consultation + fee_bed + fee_other AS fee_rest
FROM {{inpatient_cases}}
WHERE dt BETWEEN ? AND ?
ORDER BY dt, case_id
