/**
 * Reference data keeps its history: DRG weights, base rates and benchmarks are replaced year by year. A delivery
 * holding only next year's weights leaves this year's in force (cases keep their weights, their codes still pass the
 * foreign-key check); a correction of one year applies from its delivery night on, and earlier as-of dates keep the
 * old figures.
 */
import { cpSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestNights } from '../../functions/pipeline/ingest.ts';
import { pendingNights } from '../../functions/pipeline/landing.ts';
import { drgCases, loadDrgReference } from '../../functions/lake/drg-cases.ts';
import { loadDrgRules } from '../../functions/local/runtime.ts';
import { assessNight } from '../../functions/domain/data-quality.ts';
import { landFile, referenceLake, withIngestDeps } from '../support/corpus.ts';

const GH = 'year,drg_code,adrg_code,mdc,name_zh,weight';
const RH = 'year,insurance_type,base_rate';
const CASE_H = 'case_id,patient_id,admission_date,discharge_date,campus_id,department_id,ward_id,doctor_group_id,drg_code,los_days,outcome,insurance_type,fee_drug,fee_material,fee_exam,fee_lab,fee_treatment,fee_surgery,fee_consultation,fee_bed,fee_other,fee_total,insurance_paid';
const kase = (id: string, day: string, drg: string) => `${id},P${id},2026-03-05,${day},C01,D101,D101W1,G1,${drg},${Number(day.slice(8)) - 5},improved,employee,1000.00,200.00,300.00,100.00,400.00,0,0,500.00,0,2500.00,1800.00`;

let reference: string;
beforeAll(async () => {
  reference = await referenceLake();
});
afterAll(() => rmSync(reference, { recursive: true, force: true }));

const land = (root: string, table: string, dt: string, text: string): void => landFile(root, table, dt, `${table}.csv`, `${text}\n`, `${dt}T23:00:00+08:00`);

describe('facts dated before every version of their reference data', () => {
  it('are not checked, and the report and the quality assessment say so, naming the first version and the fix', async () => {
    const dir = `${reference}-early`;
    cpSync(reference, dir, { recursive: true, preserveTimestamps: true });
    try {
      // The reference set is dated 2026-02-01; a backfill delivers a case of 2026-01-15.
      land(dir, 'inpatient_cases', '2026-01-15', `${CASE_H}\n${kase('Z9', '2026-01-15', 'FM19').replace('2026-03-05', '2026-01-05')}`);
      await withIngestDeps(dir, async (deps) => {
        const [report] = await ingestNights(deps, await pendingNights(deps.store));
        const t = report!.tables[0]!;
        expect(t.files[0]!.accepted).toBe(1); // nothing to check its codes against: accepted unchecked
        expect(t.referencesSkipped.sort()).toEqual(['campuses', 'departments', 'doctor_groups', 'drg_groups', 'wards']);
        expect(t.referencesFirstLater).toEqual({ campuses: '2026-02-01', departments: '2026-02-01', doctor_groups: '2026-02-01', drg_groups: '2026-02-01', wards: '2026-02-01' });
        const q = assessNight('2026-01-15', [report!]);
        const issue = q.issues.find((i) => i.code === 'references_unchecked')!;
        expect(issue.severity).toBe('P2');
        expect(issue.en).toContain('codes NOT checked');
        expect(issue.en).toContain('departments (first version dated 2026-02-01)');
        expect(issue.zh).toContain('请把参考表按不晚于 2026-01-15 的日期投递');
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DRG reference data by year', () => {
  it("next year's weights leave this year's in force; a correction applies from its night on", async () => {
    const dir = `${reference}-history`;
    cpSync(reference, dir, { recursive: true, preserveTimestamps: true });
    try {
      // The reference set (night 2026-02-01): 2026 weights FM19 2.1, GB25 1.8; base rates 16,000 / 15,000.
      // 2026-03-09: the 2027 tables arrive early, holding 2027 rows only.
      land(dir, 'drg_groups', '2026-03-09', `${GH}\n2027,FM19,FM1,F,经皮心脏消融术,2.3000`);
      land(dir, 'drg_base_rates', '2026-03-09', `${RH}\n2027,employee,17000.00`);
      // 2026-03-10: a 2026 case in GB25 (a code of the 2026 table only) and one in FM19.
      land(dir, 'inpatient_cases', '2026-03-10', `${CASE_H}\n${kase('Z1', '2026-03-10', 'GB25')}\n${kase('Z2', '2026-03-10', 'FM19')}`);
      // 2026-03-12: the 2026 weights corrected (FM19 2.1 → 2.2; the whole 2026 table again).
      land(dir, 'drg_groups', '2026-03-12', `${GH}\n2026,FM19,FM1,F,经皮心脏消融术,2.2000\n2026,GB25,GB2,G,胃切除术,1.8000`);
      await withIngestDeps(dir, async (deps, engine) => {
        const reports = await ingestNights(deps, await pendingNights(deps.store));
        const cases = reports.find((r) => r.dt === '2026-03-10')!.tables.find((t) => t.table === 'inpatient_cases')!;
        expect({ accepted: cases.files[0]!.accepted, rejected: cases.files[0]!.rejected }).toEqual({ accepted: 2, rejected: 0 });

        const weights = async (asOf: string) => {
          const ref = await loadDrgReference(engine, asOf);
          return Object.fromEntries([...ref.groups].map(([year, m]) => [year, Object.fromEntries([...m].map(([code, g]) => [code, g.weight]))]));
        };
        // Before the 2027 delivery, on it, and after the 2026 correction.
        expect(await weights('2026-03-08')).toEqual({ 2026: { FM19: 2.1, GB25: 1.8 } });
        expect(await weights('2026-03-10')).toEqual({ 2026: { FM19: 2.1, GB25: 1.8 }, 2027: { FM19: 2.3 } });
        expect(await weights('2026-03-12')).toEqual({ 2026: { FM19: 2.2, GB25: 1.8 }, 2027: { FM19: 2.3 } });
        const rates = await loadDrgReference(engine, '2026-03-10');
        expect(Object.fromEntries([...rates.baseRates].map(([y, m]) => [y, Object.fromEntries(m)]))).toEqual({ 2026: { employee: 16000, resident: 15000 }, 2027: { employee: 17000 } });

        // The cases' figures as of 2026-03-10 are those of the 2026 tables: CMI (1.8 + 2.1) / 2, payments at 16,000.
        const { cases: enriched } = await drgCases(engine, loadDrgRules(), '2026-03-01', '2026-03-31', '2026-03-10');
        expect(enriched.map((c) => [c.caseId, c.weight, c.payment])).toEqual([['Z1', 1.8, 1.8 * 16000], ['Z2', 2.1, 2.1 * 16000]]);
        // As of the correction night, FM19 weighs 2.2.
        const { cases: corrected } = await drgCases(engine, loadDrgRules(), '2026-03-01', '2026-03-31', '2026-03-12');
        expect(corrected.map((c) => c.weight)).toEqual([1.8, 2.2]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
