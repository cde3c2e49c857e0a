/** Every KPI .sql file must parse as Trino (Athena v3) and run on DuckDB with the expected result on the tiny lake. */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyHospital } from '../support/tiny-hospital.ts';
import { referenceLake, withIngestDeps } from '../support/corpus.ts';

const SQL_DIR = join(import.meta.dirname, '..', '..', 'functions', 'sql');
const files = readdirSync(SQL_DIR).filter((f) => f.endsWith('.sql'));
const trino = new TrinoSQL();
// The explorer's placeholders as the API fills them: an allow-listed column, a bound filter, a bounded page.
const EXPLORER_PARTS: Record<string, string> = { dimension: 'substr(dt, 1, 7)', filters: 'AND department_id = ?', page: 'OFFSET 20 LIMIT 10', order: 'over_limit DESC, amount DESC, d.dim_key' };
const asTrino = (sql: string): string => sql
  .replace(/\{\{\$([a-z]+)\}\}/g, (_, k: string) => EXPLORER_PARTS[k]!)
  .replace(/\{\{\s*([a-z_]+)\s*\}\}/g, '"opsdeck"."$1"');

describe('portable SQL', () => {
  it('finds the SQL files', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it('the Trino grammar refuses DuckDB-only syntax (so the check below can fail)', () => {
    expect(trino.validate('SELECT x::INTEGER FROM t').length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const text = readFileSync(join(SQL_DIR, file), 'utf8');
    it(`${file} parses as Trino`, () => {
      expect(trino.validate(asTrino(text))).toEqual([]);
    });
    it(`${file} keeps the portable-dialect rules`, () => {
      expect(text).not.toMatch(/::|\bQUALIFY\b|\bEXCLUDE\b|date_format|date_parse|AT TIME ZONE|percentile_cont|current_date|now\(\)/i);
      expect(text).toMatch(/\bWHERE\b[\s\S]*\bdt\b/); // partition pruning on Athena
      const params = text.replace(/--.*$/gm, '').match(/\?/g) ?? [];
      expect(params.length).toBeGreaterThan(0); // values arrive as parameters, never spliced in
    });
  }
});

describe('portable SQL on DuckDB over the tiny lake', () => {
  let ctx: Awaited<ReturnType<typeof tinyHospital>>;
  beforeAll(async () => (ctx = await tinyHospital()));
  afterAll(() => ctx.dispose());
  const run = (name: string, params: string[]) => ctx.rt.engine.query(readFileSync(join(SQL_DIR, `${name}.sql`), 'utf8'), { params });

  it('campus_outpatient_daily sums visits and fees per campus and day', async () => {
    const { rows } = await run('campus_outpatient_daily', ['2026-03-31', '2026-03-31']);
    const byCampus = Object.fromEntries(rows.map((r) => [r.campus_id, r]));
    // C01: V1 outpatient (200) and V2 emergency (100); C02: V3 outpatient (100).
    expect(byCampus.C01).toMatchObject({ day: '2026-03-31', outpatient_visits: 1, emergency_visits: 1, revenue: 300, drug_revenue: 130, lab_revenue: 60 });
    expect(byCampus.C02).toMatchObject({ outpatient_visits: 1, emergency_visits: 0, revenue: 100, drug_revenue: 60 });
  });

  it('campus_inpatient_daily and campus_census_daily read their partitions only', async () => {
    const ip = await run('campus_inpatient_daily', ['2026-03-30', '2026-03-31']);
    expect(ip.rows.map((r) => [r.campus_id, r.day, r.discharges, r.los_days, r.revenue]).sort()).toEqual([
      ['C01', '2026-03-31', 1, 6, 4000],
      ['C02', '2026-03-30', 1, 10, 5000],
    ]);
    const census = await run('campus_census_daily', ['2026-02-01', '2026-02-28']);
    expect(census.rows).toEqual([{ campus_id: 'C01', day: '2026-02-27', open_beds: 20, occupied_beds: 16, admissions: 2 }]);
  });

  it('campuses returns the newest reference partition on or before the as-of date', async () => {
    expect((await run('campuses', ['2026-03-31', '2026-03-31'])).rows).toEqual([
      { campus_id: 'C01', name_zh: '本部院区', name_en: 'Main Campus' },
      { campus_id: 'C02', name_zh: '东院区', name_en: 'East Campus' },
    ]);
    expect((await run('campuses', ['2025-01-01', '2025-01-01'])).rows).toEqual([]);
  });

  it('drg_cases lists each discharged case with fees by cost category in its date range', async () => {
    const { rows } = await run('drg_cases', ['2026-03-31', '2026-03-31']);
    // Z1: consultation 0 + bed 300 + other 300 = 600 of "rest".
    expect(rows).toEqual([{
      case_id: 'Z1', patient_id: 'P7', admission_date: '2026-03-25', discharge_date: '2026-03-31', campus_id: 'C01', department_id: 'D108', doctor_group_id: 'G1', drg_code: 'GB15', los_days: 6, outcome: 'cured',
      insurance_type: 'employee', fee_total: 4000, fee_drug: 1000, fee_material: 500, fee_exam: 300, fee_lab: 200, fee_treatment: 400, fee_surgery: 1000, fee_rest: 600,
    }]);
    expect((await run('drg_cases', ['2026-03-30', '2026-03-31'])).rows.map((r) => r.case_id)).toEqual(['Z2', 'Z1']);
  });

  it('the DRG reference queries are empty where the tables were never delivered', async () => {
    for (const name of ['drg_groups', 'drg_base_rates', 'drg_benchmarks', 'departments', 'doctor_groups']) expect((await run(name, ['2026-03-31', '2026-03-31'])).rows).toEqual([]);
  });

  it('refuses a table outside the data contract', async () => {
    await expect(ctx.rt.engine.query('SELECT * FROM {{pg_shadow}} WHERE dt = ?', { params: ['2026-03-31'] })).rejects.toThrow(/not in the data contract/);
  });
});

describe('reference SQL on DuckDB over the corpus reference lake', () => {
  let dir: string;
  beforeAll(async () => (dir = await referenceLake()));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (name: string, params: string[]) => withIngestDeps(dir, (_, engine) => engine.query(readFileSync(join(SQL_DIR, `${name}.sql`), 'utf8'), { params }));

  it('reads DRG weights, base rates, departments and doctor groups from the partition in force', async () => {
    expect((await run('drg_groups', ['2026-03-10', '2026-03-10'])).rows).toEqual([
      { year: 2026, drg_code: 'FM19', adrg_code: 'FM1', mdc: 'F', name_zh: '经皮心脏消融术', weight: 2.1 },
      { year: 2026, drg_code: 'GB25', adrg_code: 'GB2', mdc: 'G', name_zh: '胃切除术', weight: 1.8 },
    ]);
    expect((await run('drg_base_rates', ['2026-03-10', '2026-03-10'])).rows).toEqual([
      { year: 2026, insurance_type: 'employee', base_rate: 16000 }, { year: 2026, insurance_type: 'resident', base_rate: 15000 },
    ]);
    expect((await run('departments', ['2026-03-10', '2026-03-10'])).rows.map((r) => [r.department_id, r.department_class, r.campus_id])).toEqual([
      ['D101', 'clinical', 'C01'], ['D102', 'clinical', 'C01'], ['D201', 'clinical', 'C02'], ['D401', 'medical_technical', 'C01'],
    ]);
    expect((await run('doctor_groups', ['2026-03-10', '2026-03-10'])).rows.map((r) => [r.doctor_group_id, r.department_id])).toEqual([['G1', 'D101'], ['G2', 'D201']]);
    expect((await run('drg_groups', ['2026-01-31', '2026-01-31'])).rows).toEqual([]); // before the reference night
  });
});
