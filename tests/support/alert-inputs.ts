/** Hand-made inputs for the alert rules' tests: the shipped catalogue, a one-department hospital, cases by the dozen. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVALUATORS, type AlertInputs } from '../../functions/domain/alert-rules.ts';
import { loadAlertCatalogue, type AlertRule } from '../../functions/domain/alerts.ts';
import type { EnrichedCase } from '../../functions/domain/drg.ts';

export const SHIPPED = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'alert-rules.json'), 'utf8'));
export const RULES = loadAlertCatalogue(SHIPPED, 'alert-rules.json');
export const rule = (id: string): AlertRule => RULES.find((r) => r.id === id)!;
export const ASOF = '2026-06-15';

export function inputs(extra: Partial<AlertInputs> = {}): AlertInputs {
  return {
    asOf: ASOF, departments: new Map([['D1', { zh: '心内科', en: 'Cardiology' }]]), wards: new Map([['W1', { zh: '一病区', en: 'Ward 1', departmentId: 'D1' }]]),
    items: new Map([['A01', { zh: '阿司匹林', en: 'Aspirin' }]]), chargeExcess: [], itemUse: [], useFrom: null, census: [], cases: [], budget: [], quality: [], ...extra,
  };
}
export const run = (id: string, inp: AlertInputs) => EVALUATORS[id]!(inp, rule(id));
export const count = (id: string, inp: AlertInputs) => run(id, inp).findings.length;

const ZERO = { drug: 0, material: 0, exam: 0, lab: 0, treatment: 0, surgery: 0, other: 0 };
let seq = 0;
export function kase(extra: Partial<EnrichedCase> = {}): EnrichedCase {
  const cost = extra.feeTotal ?? 1000;
  return {
    caseId: `Z${++seq}`, patientId: `P${seq}`, admissionDate: '2026-05-01', dischargeDate: '2026-05-10', campusId: 'C01', departmentId: 'D1', doctorGroupId: 'G1',
    drgCode: 'FM19', losDays: 9, outcome: 'improved', insuranceType: 'employee', feeTotal: cost, fees: { ...ZERO, other: cost },
    weight: 1, adrg: 'FM1', groupName: '组', payment: 1000, benchmark: { avgCost: 1000, avgLos: 10, mortality: 0.01 }, ratio: cost / 1000,
    outlier: null, dipScore: 100, riskTier: 'mid_low', ...extra,
  };
}
export const many = (n: number, extra: Partial<EnrichedCase> | ((i: number) => Partial<EnrichedCase>)) => Array.from({ length: n }, (_, i) => kase(typeof extra === 'function' ? extra(i) : extra));
